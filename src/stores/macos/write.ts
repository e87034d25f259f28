/**
 * Changes macOS keychains and trust settings with `security` (DESIGN.md, "Removal"; `man security`):
 * - delete: `security remove-trusted-cert [-d] CERT` takes away the certificate's user (or admin)
 *   trust settings, then `security delete-certificate -Z SHA1 KEYCHAIN` deletes it;
 * - distrust: `security add-trusted-cert [-d] -r deny CERT` (without -k, which would also add the
 *   certificate to a keychain: trusted_cert_add.c only adds it when -k is given);
 * - undo: `security add-certificates -k KEYCHAIN CERT`, then `add-trusted-cert` with the original
 *   settings (trust-settings.ts restoreFlags), or `remove-trusted-cert` where there were none.
 * The System keychain and the admin trust domain need root: those commands go through the macOS
 * administrator prompt (elevation.ts). Changing the user's own trust settings makes macOS itself ask
 * for the user's password. Apple's System Roots keychain is protected by System Integrity Protection:
 * its roots can only be distrusted, for every user, in the admin domain.
 */
import { z } from 'zod'
import { CertificateRecord, identify } from '../../audit/certificate.js'
import { readCertificates } from '../../audit/pem.js'
import { findCertificate } from '../shared/certificate-blocks.js'
import type { Environment } from '../shared/environment.js'
import { readKeychain, readTrustSettings, SECURITY, type TrustReading } from './security.js'
import { keychainAt, type Keychain } from './discover.js'
import { decide, normalizedTrust, restoreFlags, trustFromJson, trustToJson, type TrustSetting } from './trust-settings.js'
import { isNotice, noticeText, type Notice } from '../shared/notices.js'
import { macosNotices } from './notices.js'
import { commandError } from '../shared/command-text.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type CommandRecord, type Elevation, type EntryTarget, type RemovalMode, type StoreWriter } from '../types.js'
import { withTempFile } from '../shared/temp-files.js'

type Domain = 'user' | 'admin'

/** The keychain of a target, or why CertAudit will not change it. */
function keychainOf(target: EntryTarget, env: Environment): Keychain | Notice {
  return keychainAt(env, target.location) ?? macosNotices.notice('macos-other-keychain', { location: target.location })
}

/** The certificate's settings in both domains, or why they cannot be put back exactly after a change. */
function settingsOf(trust: TrustReading, sha1: string): { user?: readonly TrustSetting[]; admin?: readonly TrustSetting[] } | Notice {
  const found = { user: trust.user.get(sha1), admin: trust.admin.get(sha1) }
  for (const domain of ['user', 'admin'] as const) {
    const settings = found[domain]
    if (settings && restoreFlags(settings) === null) {
      return macosNotices.notice('macos-limited-settings', { domain })
    }
  }
  return { ...(found.user ? { user: found.user } : {}), ...(found.admin ? { admin: found.admin } : {}) }
}

async function capabilities(target: EntryTarget, env: Environment): Promise<Capabilities> {
  const keychain = keychainOf(target, env)
  if (isNotice(keychain)) return { modes: [], needsAdmin: false, manual: keychain }
  let settings: ReturnType<typeof settingsOf>
  try {
    settings = settingsOf(await readTrustSettings(env), sha1Of(target.pem))
  } catch (error) {
    return { modes: [], needsAdmin: false, manual: macosNotices.notice('macos-settings-unreadable', { reason: (error as Error).message }) }
  }
  if (isNotice(settings)) return { modes: [], needsAdmin: false, manual: settings }
  const needsAdmin = keychain.kind !== 'login' || settings.admin !== undefined
  const warnings = [
    ...(keychain.kind === 'system-roots' ? [macosNotices.notice('macos-system-roots')] : []),
    ...(keychain.kind === 'login' || settings.user ? [macosNotices.notice('macos-password')] : []),
  ]
  return { modes: keychain.kind === 'system-roots' ? ['distrust'] : ['delete', 'distrust'], needsAdmin, ...(warnings.length ? { warnings } : {}) }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<Data>> {
  const keychain = keychainOf(target, env)
  if (isNotice(keychain)) throw new StoreError('manual-only', noticeText(keychain))
  const found = (await readKeychain(env, keychain.path)).certificates.find((c) => c.sha256 === target.sha256)
  if (!found) throw new StoreError('entry-missing', `The certificate ${target.sha256.slice(0, 16)}… is no longer in ${keychain.path}: it was removed since the plan was made.`)
  const settings = settingsOf(await readTrustSettings(env), found.sha1)
  if (isNotice(settings)) throw new StoreError('not-changeable', noticeText(settings))
  return {
    target,
    exportedPem: new CertificateRecord(found.der).toPem(),
    data: { keychain: keychain.path, kind: keychain.kind, sha1: found.sha1, userTrust: trustToJson(settings.user), adminTrust: trustToJson(settings.admin) },
  }
}

async function apply(backup: Backup<Data>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = check(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { keychain, sha1 } = checked
  if (mode === 'delete' && keychain.kind === 'system-roots') return { ok: false, commands: [], message: 'macOS does not let anyone delete its built-in roots; choose distrust.' }
  // Read again right before acting: the backup may be minutes old.
  const present = (await readKeychain(env, keychain.path)).certificates.some((c) => c.sha256 === backup.target.sha256)
  const now = await readTrustSettings(env)
  return withCertificateFile(backup.exportedPem, async (file) => {
    const steps: Step[] = []
    if (mode === 'delete') {
      if (!present) return { ok: true, commands: [], warnings: [`The certificate was already gone from ${keychain.path}: nothing was changed.`] }
      if (now.admin.has(sha1)) steps.push(trustCommand('admin', ['remove-trusted-cert', '-d', file]))
      if (now.user.has(sha1)) steps.push(trustCommand('user', ['remove-trusted-cert', file]))
      steps.push({ args: ['delete-certificate', '-Z', sha1, keychain.path], admin: keychain.kind === 'system', what: `delete it from ${keychain.path}` })
    } else {
      const domain: Domain = keychain.kind === 'login' ? 'user' : 'admin'
      steps.push(trustCommand(domain, ['add-trusted-cert', ...(domain === 'admin' ? ['-d'] : []), '-r', 'deny', file]))
      // The user's own settings override the admin ones: a user "Always Trust" would outlive an admin deny.
      if (domain === 'admin' && decide(now.user.get(sha1)) === 'trusted') steps.push(trustCommand('user', ['add-trusted-cert', '-r', 'deny', file]))
    }
    return run(steps, elevation)
  })
}

async function restore(backup: Backup<Data>, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = check(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { keychain, sha1, original } = checked
  const present = (await readKeychain(env, keychain.path)).certificates.some((c) => c.sha256 === backup.target.sha256)
  const now = await readTrustSettings(env)
  return withCertificateFile(backup.exportedPem, async (file) => {
    const steps: Step[] = []
    if (!present && keychain.kind !== 'system-roots') steps.push({ args: ['add-certificates', '-k', keychain.path, file], admin: keychain.kind === 'system', what: `put it back into ${keychain.path}` })
    for (const domain of ['user', 'admin'] as const) {
      const was = original[domain]
      if (normalizedTrust(was) === normalizedTrust(now[domain].get(sha1))) continue
      const d = domain === 'admin' ? ['-d'] : []
      steps.push(trustCommand(domain, was === undefined ? ['remove-trusted-cert', ...d, file] : ['add-trusted-cert', ...d, ...restoreFlags(was)!, file]))
    }
    if (steps.length === 0) return { ok: true, commands: [], warnings: [`The certificate is already back in ${keychain.path} with its trust settings: nothing was changed.`] }
    return run(steps, elevation)
  })
}

/** What a macOS backup keeps besides the certificate: its keychain, SHA-1 and both trust settings domains (JSON text, or null for none). */
export const macosBackupData = z
  .object({
    keychain: z.string(),
    kind: z.enum(['system-roots', 'system', 'login']),
    sha1: z.string().regex(/^[0-9A-F]{40}$/),
    userTrust: z.string().nullable(),
    adminTrust: z.string().nullable(),
  })
  .strict()
type Data = z.infer<typeof macosBackupData>

/** macOS keychains (kind `macos`): delete or distrust with `security`, and undo it with the original trust settings. */
export const macosWriter: StoreWriter<Data> = { kind: 'macos', capabilities, backup, apply, restore }

interface Step {
  readonly args: readonly string[]
  readonly admin: boolean
  readonly what: string
}

/** A trust settings change: the admin domain needs root, the user's own is changed as the user (macOS asks for the password). */
function trustCommand(domain: Domain, args: readonly string[]): Step {
  return { args, admin: domain === 'admin', what: `change the ${domain} trust settings (${args[0]})` }
}

/** Runs the steps in order, stopping at the first that fails, whose command and output the message names. */
async function run(steps: readonly Step[], elevation: Elevation): Promise<ChangeOutcome> {
  const commands: CommandRecord[] = []
  for (const step of steps) {
    const record = await elevation.run(SECURITY, step.args, { admin: step.admin })
    commands.push(record)
    if (record.exitCode === 0) continue
    const cancelled = /cancel(l)?ed/i.test(`${record.stderr}\n${record.stdout}`)
    const done = commands.length > 1 ? ` The command${commands.length > 2 ? 's' : ''} before it did run; undo puts everything back.` : ''
    const message = cancelled ? `security could not ${step.what}: the password prompt was cancelled.${done}` : `security could not ${step.what}: ${commandError(record)}${done}`
    return { ok: false, commands, message }
  }
  return { ok: true, commands }
}

/** A backup read back from disk: its facts are checked before they name anything in a command. */
function check(backup: Backup<Data>, env: Environment): { keychain: Keychain; sha1: string; original: { user?: readonly TrustSetting[]; admin?: readonly TrustSetting[] } } | string {
  const keychain = keychainOf(backup.target, env)
  if (isNotice(keychain)) return noticeText(keychain)
  const { keychain: path, kind, sha1, userTrust, adminTrust } = backup.data
  const der = findCertificate(Buffer.from(backup.exportedPem), backup.target.sha256)
  const damaged = `The backup of ${backup.target.entry} is not a backup of this macOS certificate (its keychain, hash or trust settings do not match); it cannot be used.`
  if (!der || path !== keychain.path || kind !== keychain.kind || sha1 !== new CertificateRecord(der).sha1.toUpperCase()) return damaged
  try {
    const user = trustFromJson(userTrust)
    const admin = trustFromJson(adminTrust)
    if ((user && !restoreFlags(user)) || (admin && !restoreFlags(admin))) return damaged
    return { keychain, sha1, original: { ...(user ? { user } : {}), ...(admin ? { admin } : {}) } }
  } catch {
    return damaged
  }
}

/** The upper-case SHA-1 of a PEM certificate: the key of trust settings and of `delete-certificate -Z`. */
function sha1Of(pem: string): string {
  const [item] = readCertificates(Buffer.from(pem))
  if (item?.type !== 'certificate') throw new StoreError('bad-certificate', 'The planned certificate is not a PEM certificate.')
  return identify(item.der).sha1.toUpperCase()
}

/** Runs `use` with the certificate in a private temp file (security reads certificates from files), removed afterwards. */
function withCertificateFile<T>(pem: string, use: (file: string) => Promise<T>): Promise<T> {
  return withTempFile('security', 'certificate.pem', pem, use)
}
