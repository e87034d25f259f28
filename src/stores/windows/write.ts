/**
 * Changes the Windows certificate stores with certutil, Windows' own tool (DESIGN.md, "Removal"):
 * delete one certificate by its thumbprint, or distrust it by adding it to the Untrusted Certificates
 * (Disallowed) store, which survives Windows' automatic root updates and which Chrome and Edge check
 * first; undo adds it back, or takes it out of Disallowed.
 * certutil: https://learn.microsoft.com/windows-server/administration/windows-commands/certutil
 *
 * - `certutil -user -delstore Root <SHA-1>` changes this user's store; Windows itself asks "Do you
 *   want to delete the following certificate from the Root Store?" (and warns before adding one).
 * - Without `-user` it changes the computer's store, which needs administrator rights: the command
 *   goes through UAC (elevation.ts).
 * - Group Policy and enterprise stores are refilled by the organisation at every policy refresh, so
 *   they are explained, never changed.
 *
 * certutil addresses a certificate by SHA-1 and `-delstore` exits 0 even when it deleted nothing, so
 * the certificate is found by SHA-256 first, and the engine re-reads the store to verify every change.
 */
import { z } from 'zod'
import { CertificateRecord } from '../../audit/certificate.js'
import { findCertificate } from '../shared/certificate-blocks.js'
import { system32Tool, WINDOWS_CANCELLED } from '../shared/elevation-scripts.js'
import type { Environment } from '../shared/environment.js'
import { commandError } from '../shared/command-text.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type CommandRecord, type Elevation, type EntryTarget, type RemovalMode, type StoreWriter } from '../types.js'
import { isNotice, noticeText, type Notice } from '../shared/notices.js'
import { windowsNotices } from './notices.js'
import { attributed, isManaged, parsePlace, placeLabel, readWindowsStores, STORE_TITLES, WINDOWS_LOCATIONS, WINDOWS_STORES, type WindowsPlace, type WindowsSnapshot } from './query.js'
import { withTempFile } from '../shared/temp-files.js'

/** Why CertAudit will not change this target, or its place when it may. */
function placeOf(target: Pick<EntryTarget, 'location'>): WindowsPlace | Notice {
  const place = parsePlace(target.location)
  if (!place) return windowsNotices.notice('windows-unknown-place')
  if (isManaged(place)) {
    return windowsNotices.notice('windows-managed', { place: placeLabel(place), manager: place.location.endsWith('Enterprise') ? 'Active Directory' : 'Group Policy' })
  }
  if (place.store === 'Disallowed') return windowsNotices.notice('windows-disallowed', { place: placeLabel(place) })
  return place
}

async function capabilities(target: EntryTarget): Promise<Capabilities> {
  const place = placeOf(target)
  if (isNotice(place)) return { modes: [], needsAdmin: false, manual: place }
  const warnings = [
    ...(place.location === 'LocalMachine' ? [windowsNotices.notice('windows-uac')] : place.store === 'Root' ? [windowsNotices.notice('windows-confirm')] : []),
    ...(place.store === 'AuthRoot' ? [windowsNotices.notice('windows-authroot')] : []),
  ]
  return { modes: ['delete', 'distrust'], needsAdmin: place.location === 'LocalMachine', ...(warnings.length ? { warnings } : {}) }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<Data>> {
  const place = placeOf(target)
  if (isNotice(place)) throw new StoreError('manual-only', noticeText(place))
  const snapshot = await readWindowsStores(env)
  const found = attributed(snapshot, place).find((c) => c.sha256 === target.sha256)
  if (!found) throw new StoreError('entry-missing', `The certificate ${target.sha256.slice(0, 16)}… is no longer in ${placeLabel(place)}: it was removed since the plan was made.`)
  return {
    target,
    exportedPem: new CertificateRecord(found.der).toPem(),
    data: { location: place.location, store: place.store, thumbprint: found.thumbprint, disallowedBefore: inDisallowed(snapshot, place, target.sha256) },
  }
}

async function apply(backup: Backup<Data>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = check(backup)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { place, thumbprint, der } = checked
  // Read again right before acting: the backup may be minutes old.
  const snapshot = await readWindowsStores(env)
  const here = attributed(snapshot, place)
  const found = here.find((c) => c.sha256 === backup.target.sha256)
  if (mode === 'delete') {
    if (!found) return { ok: true, commands: [], warnings: [`The certificate was already gone from ${placeLabel(place)}: nothing was changed.`] }
    // certutil deletes by SHA-1: another certificate with the same SHA-1 (a collision) would be deleted too.
    if (here.some((c) => c.thumbprint === thumbprint && c.sha256 !== found.sha256)) {
      return { ok: false, commands: [], message: `Another certificate in ${placeLabel(place)} has the same SHA-1 thumbprint ${thumbprint}, so certutil could delete the wrong one; CertAudit changed nothing.` }
    }
    return outcome(await certutil(env, elevation, place, ['-delstore', place.store, thumbprint]), `certutil could not delete ${thumbprint} from ${placeLabel(place)}`)
  }
  if (!found) return { ok: false, commands: [], message: `The certificate is no longer in ${placeLabel(place)}, so there is nothing to distrust there.` }
  if (inDisallowed(snapshot, place, backup.target.sha256)) return { ok: true, commands: [], warnings: [`The certificate is already in ${STORE_TITLES.Disallowed}: nothing was changed.`] }
  const record = await withCertificateFile(der, (file) => certutil(env, elevation, place, ['-addstore', 'Disallowed', file]))
  return outcome(record, `certutil could not add ${thumbprint} to ${STORE_TITLES.Disallowed} (${disallowedOf(place)})`)
}

async function restore(backup: Backup<Data>, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = check(backup)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { place, thumbprint, der, disallowedBefore } = checked
  const snapshot = await readWindowsStores(env)
  const commands: CommandRecord[] = []
  // Gone (deleted): add it back. In Disallowed when it was not before (distrusted): take it out.
  if (!attributed(snapshot, place).some((c) => c.sha256 === backup.target.sha256)) {
    const record = await withCertificateFile(der, (file) => certutil(env, elevation, place, ['-addstore', place.store, file]))
    commands.push(record)
    const failed = outcome(record, `certutil could not put ${thumbprint} back into ${placeLabel(place)}`)
    if (!failed.ok) return failed
  }
  if (!disallowedBefore && inDisallowed(snapshot, place, backup.target.sha256)) {
    const record = await certutil(env, elevation, place, ['-delstore', 'Disallowed', thumbprint])
    commands.push(record)
    const failed = outcome(record, `certutil could not take ${thumbprint} out of ${STORE_TITLES.Disallowed} (${disallowedOf(place)})`)
    if (!failed.ok) return { ...failed, commands }
  }
  if (commands.length === 0) return { ok: true, commands, warnings: [`The certificate is already back in ${placeLabel(place)}: nothing was changed.`] }
  return { ok: true, commands }
}

/** What a Windows backup keeps besides the certificate: its place, thumbprint, and whether Disallowed held it already. */
export const windowsBackupData = z
  .object({ location: z.enum(WINDOWS_LOCATIONS), store: z.enum(WINDOWS_STORES), thumbprint: z.string().regex(/^[0-9A-F]{40}$/), disallowedBefore: z.boolean() })
  .strict()
type Data = z.infer<typeof windowsBackupData>

/** The Windows certificate stores (kind `windows`): delete or distrust with certutil, and undo it. */
export const windowsWriter: StoreWriter<Data> = { kind: 'windows', capabilities, backup, apply, restore }

/** A backup read back from disk: its facts are checked before they name anything in a command. */
function check(backup: Backup<Data>): { place: WindowsPlace; thumbprint: string; der: Uint8Array; disallowedBefore: boolean } | string {
  const place = placeOf(backup.target)
  if (isNotice(place)) return noticeText(place)
  const { location, store, thumbprint, disallowedBefore } = backup.data
  const der = findCertificate(Buffer.from(backup.exportedPem), backup.target.sha256)
  const record = der ? new CertificateRecord(der) : null
  if (!record || location !== place.location || store !== place.store || thumbprint !== record.sha1.toUpperCase()) {
    return `The backup of ${backup.target.entry} is not a backup of this Windows certificate (its store, thumbprint or certificate do not match); it cannot be used.`
  }
  return { place, thumbprint, der: record.der, disallowedBefore }
}

/** True when the Disallowed store of the place's own location holds the certificate (the one distrust adds to). */
function inDisallowed(snapshot: WindowsSnapshot, place: WindowsPlace, sha256: string): boolean {
  return attributed(snapshot, { location: place.location, store: 'Disallowed' }).some((c) => c.sha256 === sha256)
}

const disallowedOf = (place: WindowsPlace) => placeLabel({ location: place.location, store: 'Disallowed' })

/**
 * Runs certutil by its absolute path in System32: `-user` for this user's stores; the computer's
 * stores need administrator rights, asked for through UAC.
 */
function certutil(env: Environment, elevation: Elevation, place: WindowsPlace, args: readonly string[]): Promise<CommandRecord> {
  const user = place.location === 'CurrentUser'
  return elevation.run(system32Tool(env, 'certutil.exe'), user ? ['-user', ...args] : [...args], { admin: !user })
}

/**
 * certutil's own confirmations and UAC report a "no" as ERROR_CANCELLED (1223, HRESULT 0x800704C7).
 * Anything else that is not exit code 0 is a failure naming the command and what it printed.
 */
function outcome(record: CommandRecord, what: string): ChangeOutcome {
  if (record.exitCode === 0) return { ok: true, commands: [record] }
  const said = `${record.stdout}\n${record.stderr}`
  if (record.exitCode === WINDOWS_CANCELLED || /0x800704c7|ERROR_CANCELLED/i.test(said)) {
    return { ok: false, commands: [record], message: `${what}: the change was cancelled in Windows' confirmation window, so nothing was changed.` }
  }
  // certutil prints Windows line endings; the message is read on any platform.
  const lf = (text: string) => text.replaceAll('\r\n', '\n')
  return { ok: false, commands: [record], message: `${what}: ${commandError({ ...record, stdout: lf(record.stdout), stderr: lf(record.stderr) }, 'powershell')}` }
}

/** Runs `use` with the certificate in a private temp file (certutil -addstore reads a .cer file), removed afterwards. */
function withCertificateFile<T>(der: Uint8Array, use: (file: string) => Promise<T>): Promise<T> {
  return withTempFile('certutil', 'certificate.cer', der, use)
}
