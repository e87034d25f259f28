/**
 * Changes Chromium-family policies where CertAudit safely can: a JSON policy file on Linux loses the
 * list items that trust the certificate (edit.ts), every other byte kept, after the whole file is
 * backed up (bytes, mode, SHA-256); undo writes the original back only while the file is exactly as
 * CertAudit left it. Files are written through FileChanger (atomically; through the admin prompt when
 * the file belongs to root, as /etc does). Registry policies (Windows), configuration profiles and
 * preference files (macOS) and installed flatpak extensions are planned as manual, with the exact
 * steps: an organisation's policy comes back until it is changed at its source.
 */
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { findCertificate } from '../shared/certificate-blocks.js'
import { formatCommand } from '../shared/command-text.js'
import type { Environment } from '../shared/environment.js'
import { FileChanger, readIfPresent } from '../shared/file-changer.js'
import { noticeText, type Notice } from '../shared/notices.js'
import { realPathInRoot } from '../shared/paths.js'
import { writable } from '../shared/writable.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type Elevation, type EntryTarget, type RemovalMode, type StoreWriter } from '../types.js'
import { cutCertificate, occurrences } from './edit.js'
import { chromiumPolicyNotices as notices } from './notices.js'
import { TRUSTING_POLICIES, type CaPolicy } from './policies.js'
import { parsePolicyJson } from './policy-json.js'
import { isPreferenceFile, isRegistryKey, readPolicyFile } from './read.js'

/** What each mode takes out of the file: delete also drops path-building hints; neither touches a distrust. */
const CUT: Readonly<Record<RemovalMode, readonly CaPolicy[]>> = { delete: [...TRUSTING_POLICIES, 'CAHintCertificates'], distrust: TRUSTING_POLICIES }

export const chromiumPolicyBackupData = z
  .object({
    /** The file changed: the policy file's real path inside the system root. */
    file: z.string().min(1),
    fileMode: z.number().int().min(0).max(0o7777),
    fileSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'),
    /** The whole file as it was, for undo. */
    fileBytes: z.base64(),
  })
  .strict()
type Data = z.infer<typeof chromiumPolicyBackupData>

/** The file a target's changes edit, or the steps by hand when CertAudit must not edit it. */
type Source = { readonly kind: 'file'; readonly file: string; readonly bytes: Buffer; readonly mode: number } | { readonly kind: 'manual'; readonly notice: Notice }

async function resolveSource(target: EntryTarget, env: Environment): Promise<Source> {
  const browser = target.facts?.browser ?? 'Chromium'
  const policy = target.entry.split(/\\| #/)[0] ?? target.entry
  if (isRegistryKey(target.location)) return { kind: 'manual', notice: registrySteps(target, browser, policy) }
  if (isPreferenceFile(target.location)) return { kind: 'manual', notice: preferenceSteps(target, browser, policy, env) }
  const flatpak = /\/flatpak\/runtime\/([^/]+)\//.exec(target.location)
  if (flatpak) {
    const command = formatCommand(['flatpak', 'uninstall', target.location.startsWith(env.home) ? '--user' : '--system', flatpak[1]!])
    return { kind: 'manual', notice: notices.notice('policy-flatpak-extension', { browser, extension: flatpak[1]!, file: target.location, command }) }
  }
  const byHand = notices.notice('policy-file-by-hand', { browser, file: target.location, policy })
  try {
    const { real, bytes, mode } = await readPolicyFile(env, target.location)
    return { kind: 'file', file: real, bytes, mode }
  } catch {
    return { kind: 'manual', notice: byHand }
  }
}

async function capabilities(target: EntryTarget, env: Environment): Promise<Capabilities> {
  const source = await resolveSource(target, env)
  if (source.kind === 'manual') return { modes: [], needsAdmin: false, manual: source.notice }
  const browser = target.facts?.browser ?? 'Chromium'
  const found = occurrences(parseOrNull(source.bytes), target.sha256)
  const trusting = [...new Set(found.filter((o) => TRUSTING_POLICIES.includes(o.policy)).map((o) => o.policy))]
  const policy = trusting.join(', ') || (target.entry.split(/\\| #/)[0] ?? '')
  // Already gone: the change will find nothing to do (the engine then re-reads and says so).
  if (trusting.length === 0) return { modes: ['delete'], needsAdmin: false }
  const distrusted = found.some((o) => o.policy === 'CADistrustedCertificates')
  const mode: RemovalMode = distrusted ? 'distrust' : 'delete'
  if (!cutCertificate(source.bytes, target.sha256, CUT[mode])) return { modes: [], needsAdmin: false, manual: notices.notice('policy-file-by-hand', { browser, file: target.location, policy }) }
  return {
    modes: [mode],
    needsAdmin: !(await writable(source.file)),
    warnings: [notices.notice('policy-file-edit', { browser, file: target.location, policy })],
    ...(distrusted ? { modeWarnings: { distrust: notices.notice('policy-file-distrust-kept') } } : {}),
  }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<Data>> {
  const source = await resolveSource(target, env)
  if (source.kind === 'manual') throw new StoreError('manual-only', noticeText(source.notice))
  const found = occurrences(parseOrNull(source.bytes), target.sha256).filter((o) => TRUSTING_POLICIES.includes(o.policy))
  if (found.length === 0) throw new StoreError('entry-missing', `The certificate ${target.sha256.slice(0, 16)}… is no longer trusted by ${target.location}.`)
  const der = findCertificate(Buffer.from(target.pem), target.sha256)
  if (!der) throw new StoreError('bad-target', `The planned certificate of ${target.entry} is not the one its SHA-256 names.`)
  return {
    target,
    exportedPem: new CertificateRecord(der).toPem(),
    data: { file: source.file, fileMode: source.mode, fileSha256: sha256Hex(source.bytes), fileBytes: source.bytes.toString('base64') },
  }
}

async function apply(backup: Backup<Data>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = await checkBackup(backup, env)
  if (checked) return { ok: false, commands: [], message: checked }
  const { file, fileSha256, fileMode } = backup.data
  const current = await readIfPresent(file)
  if (!current) return { ok: true, commands: [], warnings: [`${file} does not exist any more: nothing was changed.`] }
  if (sha256Hex(current) !== fileSha256) return { ok: false, commands: [], message: `${file} changed after the backup was made, so CertAudit left it alone. Scan again, then retry.` }
  const cut = cutCertificate(current, backup.target.sha256, CUT[mode])
  if (!cut) {
    const left = occurrences(parseOrNull(current), backup.target.sha256).some((o) => CUT[mode].includes(o.policy))
    return left ? { ok: false, commands: [], message: `CertAudit cannot take the certificate out of ${file} without changing other parts of it; edit the file by hand.` } : { ok: true, commands: [], warnings: ['The file already was as this change would leave it: nothing was changed.'] }
  }
  const files = new FileChanger(elevation, env)
  const error = await files.write(file, cut, fileMode)
  if (error) return { ok: false, commands: files.commands, message: error }
  return { ok: true, commands: files.commands, warnings: [restartWarning(backup.target)] }
}

async function restore(backup: Backup<Data>, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = await checkBackup(backup, env)
  if (checked) return { ok: false, commands: [], message: checked }
  const { file, fileSha256, fileMode, fileBytes } = backup.data
  const original = Buffer.from(fileBytes, 'base64')
  if (sha256Hex(original) !== fileSha256) return { ok: false, commands: [], message: `The backup of ${file} is damaged (its bytes do not match their SHA-256), so nothing was put back.` }
  const current = await readIfPresent(file)
  if (current?.equals(original)) return { ok: true, commands: [], warnings: ['The file already is as it was before the change: nothing was changed.'] }
  // Only the file CertAudit left (the original less this certificate) is replaced: any other change is someone's work.
  const left = (['delete', 'distrust'] as const).map((mode) => cutCertificate(original, backup.target.sha256, CUT[mode]))
  if (!current || !left.some((bytes) => bytes?.equals(current))) {
    return { ok: false, commands: [], message: `${file} ${current ? 'was changed after CertAudit edited it' : 'was deleted after CertAudit edited it'}, so it was left alone. The backup holds the original file.` }
  }
  const files = new FileChanger(elevation, env)
  const error = await files.write(file, original, fileMode)
  if (error) return { ok: false, commands: files.commands, message: error }
  return { ok: true, commands: files.commands, warnings: [restartWarning(backup.target)] }
}

/** The chromium-policy store's writing side: JSON policy files edited; every other source by hand. */
export const chromiumPolicyWriter: StoreWriter<Data> = { kind: 'chromium-policy', capabilities, backup, apply, restore }

/**
 * A backup read back from disk (its shape already parsed): it must name the file this location is now
 * (a backup made for another file never writes there) and hold the planned certificate.
 */
async function checkBackup(backup: Backup<Data>, env: Environment): Promise<string | null> {
  const { target, data } = backup
  if (!findCertificate(Buffer.from(backup.exportedPem), target.sha256)) return `The backup of ${target.entry} does not hold the certificate ${target.sha256}: it cannot be used.`
  if (isRegistryKey(target.location) || isPreferenceFile(target.location)) return `${target.location} is changed by hand only.`
  // A file deleted since is looked for where it was: in its folder, links followed.
  const folder = dirname(target.location)
  const real = await realPathInRoot(env, target.location).catch(async () => join(await realPathInRoot(env, folder).catch(() => folder), basename(target.location)))
  if (real !== data.file) return `The backup of ${target.entry} was made for ${data.file}, not for ${target.location} as it is now: it cannot be used.`
  return null
}

function parseOrNull(bytes: Buffer) {
  try {
    return parsePolicyJson(bytes)
  } catch {
    return { type: 'null' as const, start: 0, end: 0 }
  }
}

function restartWarning(target: EntryTarget): string {
  return `Restart ${target.facts?.browser ?? 'the browser'} (or reload its policies at chrome://policy) for the change to take effect.`
}

/** The steps for a registry policy: the key, the entry, and the PowerShell line that deletes exactly it. */
function registrySteps(target: EntryTarget, browser: string, policy: string): Notice {
  const key = target.location
  const item = /\\(.+?)(?: \(|$)/.exec(target.entry)?.[1]
  if (!item) return notices.notice('policy-windows-text', { browser, key, policy, item: target.entry })
  const drive = `${key.slice(0, 4).toUpperCase()}:${key.slice(4)}\\${policy}`
  const command = target.entry.includes(' (subkey)') ? ['Remove-Item', '-LiteralPath', `${drive}\\${item}`, '-Recurse'] : ['Remove-ItemProperty', '-LiteralPath', drive, '-Name', item]
  return notices.notice('policy-windows-entry', { browser, key, policy, item, command: formatCommand(command, 'powershell') })
}

/** The steps for a macOS source: the configuration profile for managed preferences, PlistBuddy for a preference file. */
function preferenceSteps(target: EntryTarget, browser: string, policy: string, env: Environment): Notice {
  if (target.location.includes('/Library/Managed Preferences/')) return notices.notice('policy-macos-profile', { browser, policy, file: target.location })
  const index = Number(/ #(\d+)/.exec(target.entry)?.[1] ?? '1') - 1
  const plistBuddy = ['/usr/libexec/PlistBuddy', '-c', `Delete :${policy}:${index}`, target.location]
  const command = formatCommand(target.location.startsWith(env.home) ? plistBuddy : ['sudo', ...plistBuddy])
  return notices.notice('policy-macos-preference', { browser, policy, file: target.location, item: target.entry, command })
}
