/**
 * Changes a profile's ServerCertificate database: delete the certificate's row (what the browser's
 * own "Delete" does: DELETE FROM certificates WHERE sha256hash_hex=?), or distrust it (the row's
 * trust set to DISTRUSTED, its other settings kept), and undo either by putting the backed-up row
 * back exactly (its key, certificate and trust settings byte for byte, its rowid when free).
 *
 * Only with the browser closed (lock.ts), and never on the live file: the change is made on a
 * snapshot in memory, checked (database.ts), and swapped in (swap.ts). Rows are found by the
 * SHA-256 of the certificate they hold, never by their key, which a row may lie about.
 */
import { z } from 'zod'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { findCertificate } from '../shared/certificate-blocks.js'
import type { Environment } from '../shared/environment.js'
import { noticeText, type Notice } from '../shared/notices.js'
import { realPathInRoot } from '../shared/paths.js'
import { writable } from '../shared/writable.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type EntryTarget, type RemovalMode, type StoreWriter } from '../types.js'
import { BROWSER_TYPES, changeImage, readRows, type CertificateRow, type RowChange } from './database.js'
import { browserLock } from './lock.js'
import { chromiumNotices } from './notices.js'
import { TrustType, withTrustType } from './protobuf.js'
import { entryName, livePath } from './read.js'
import { replaceDatabase, takeSnapshot, type Snapshot } from './swap.js'

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')

/** What a backup keeps of the row, to put it back exactly: its key, rowid, certificate and trust settings. */
export const chromiumBackupData = z
  .object({
    /** sha256hash_hex as stored (printable ASCII: Chromium writes 64 hex digits). */
    key: z.string().regex(/^[\x20-\x7e]{1,256}$/, 'a stored hash'),
    rowid: z.number().int().safe(),
    /** der_cert, base64. */
    der: base64.min(4),
    /** trust_settings (a serialized CertificateMetadata), base64. */
    trustSettings: base64,
  })
  .strict()
export type ChromiumBackupData = z.infer<typeof chromiumBackupData>

/** The row of the target, read from a fresh snapshot of the live database. */
interface Located {
  readonly real: string
  readonly snapshot: Snapshot
  readonly row: CertificateRow
}

async function capabilities(target: EntryTarget, env: Environment): Promise<Capabilities> {
  const program = programOf(target)
  const real = await livePath(env, target.location).catch(() => null)
  if (real && !(await writable(real))) return { modes: [], needsAdmin: false, manual: chromiumNotices.notice('chromium-not-writable', { location: target.location, program }) }
  const row = await locate(env, target).then((found) => found.row, () => null)
  if (row && !changeable(row)) return { modes: [], needsAdmin: false, manual: unusual(target) }
  const lock = await browserLock(env, target.location, real)
  return { modes: ['delete', 'distrust'], needsAdmin: false, ...(lock.open ? { warnings: [running(target, lock.detail ?? '')] } : {}) }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<ChromiumBackupData>> {
  const { row } = await locate(env, target)
  if (!changeable(row)) throw new StoreError('not-changeable', noticeText(unusual(target)))
  return {
    target,
    exportedPem: new CertificateRecord(row.der).toPem(),
    data: { key: row.key, rowid: row.rowid, der: Buffer.from(row.der).toString('base64'), trustSettings: Buffer.from(row.trustSettings).toString('base64') },
  }
}

async function apply(backup: Backup<ChromiumBackupData>, mode: RemovalMode, env: Environment): Promise<ChangeOutcome> {
  const saved = rowOf(backup)
  if (typeof saved === 'string') return refused(saved)
  const closed = await browserClosed(env, backup.target)
  if (closed) return refused(closed)
  let found: Located
  try {
    found = await locate(env, backup.target)
  } catch (error) {
    return refused(error)
  }
  // Found again right before acting: the row must still be the one backed up.
  if (found.row.key !== saved.key || !changeable(found.row)) return refused(`The entry "${backup.target.entry}" in ${backup.target.location} has changed since it was backed up, so CertAudit left it alone.`)
  let change: RowChange
  try {
    change = mode === 'delete' ? { kind: 'delete', rowid: found.row.rowid } : { kind: 'set-trust', rowid: found.row.rowid, trustSettings: withTrustType(found.row.trustSettings, TrustType.DISTRUSTED) }
  } catch (error) {
    return refused(`The trust settings of "${backup.target.entry}" in ${backup.target.location} cannot be read (${(error as Error).message}), so CertAudit cannot distrust it; delete it instead.`)
  }
  return swapIn(found, change, backup.target.location)
}

async function restore(backup: Backup<ChromiumBackupData>, env: Environment): Promise<ChangeOutcome> {
  const saved = rowOf(backup)
  if (typeof saved === 'string') return refused(saved)
  const closed = await browserClosed(env, backup.target)
  if (closed) return refused(closed)
  const shown = backup.target.location
  let real: string
  let snapshot: Snapshot
  let rows: CertificateRow[]
  try {
    real = await livePath(env, shown)
    snapshot = await takeSnapshot(real, shown, (path) => realPathInRoot(env, path))
    rows = await readRows(snapshot.image, shown)
  } catch (error) {
    return refused(error)
  }
  const same = rows.find((row) => row.key === saved.key)
  if (same && !Buffer.from(same.der).equals(saved.der)) return refused(`${shown} now holds another certificate under "${saved.key}", so CertAudit did not replace it.`)
  if (same && Buffer.from(same.trustSettings).equals(saved.trustSettings)) return { ok: true, commands: [], warnings: [`"${backup.target.entry}" is already in ${shown} as it was: nothing was changed.`] }
  // Still there (it was distrusted): its trust settings back. Gone: the row back.
  const change: RowChange = same ? { kind: 'set-trust', rowid: same.rowid, trustSettings: saved.trustSettings } : { kind: 'insert', row: saved }
  return swapIn({ real, snapshot, row: same ?? { ...saved, types: BROWSER_TYPES } }, change, shown)
}

/** Profiles' ServerCertificate databases (kind `chromium`): delete or distrust a row, and put it back. */
export const chromiumWriter: StoreWriter<ChromiumBackupData> = { kind: 'chromium', capabilities, backup, apply, restore }

/** Makes the change on the snapshot and swaps the result in. */
async function swapIn(found: Located, change: RowChange, shown: string): Promise<ChangeOutcome> {
  try {
    const image = await changeImage(found.snapshot.image, change, shown)
    const error = await replaceDatabase(found.real, found.snapshot, image)
    return error ? refused(error) : { ok: true, commands: [] }
  } catch (error) {
    return refused(error)
  }
}

/**
 * Finds the target's row in a fresh snapshot: the rows holding its certificate (by SHA-256), and
 * among several (a row whose key lies beside an honest one) the one listed under the target's name.
 * Throws StoreError `entry-missing` when no row holds it any more.
 */
async function locate(env: Environment, target: EntryTarget): Promise<Located> {
  let real: string
  try {
    real = await livePath(env, target.location)
  } catch (error) {
    if (error instanceof StoreError && error.code === 'enoent') throw new StoreError('entry-missing', `${target.location} does not exist any more.`)
    throw error
  }
  const snapshot = await takeSnapshot(real, target.location, (path) => realPathInRoot(env, path))
  const holding = (await readRows(snapshot.image, target.location)).filter((row) => row.der.length > 0 && sha256Hex(row.der) === target.sha256)
  if (holding.length === 0) throw new StoreError('entry-missing', `"${target.entry}" is no longer in ${target.location}: it was removed since the plan was made.`)
  const named = holding.length === 1 ? holding : holding.filter((row) => entryName(row) === target.entry)
  if (named.length !== 1) {
    throw new StoreError('chromium-ambiguous', `${target.location} holds this certificate in ${holding.length} rows and CertAudit cannot tell which one "${target.entry}" is; nothing was changed.`)
  }
  return { real, snapshot, row: named[0]! }
}

/** The backed-up row, after checking the backup holds the planned certificate; a message when it cannot be used. */
function rowOf(backup: Backup<ChromiumBackupData>): Omit<CertificateRow, 'types'> | string {
  const { key, rowid, der, trustSettings } = backup.data
  const certificate = Buffer.from(der, 'base64')
  const trust = Buffer.from(trustSettings, 'base64')
  const canonical = certificate.toString('base64') === der && trust.toString('base64') === trustSettings
  if (!canonical || sha256Hex(certificate) !== backup.target.sha256 || !findCertificate(Buffer.from(backup.exportedPem), backup.target.sha256)) {
    return `The backup of "${backup.target.entry}" does not hold the certificate ${backup.target.sha256}: it cannot be used.`
  }
  return { key, rowid, der: certificate, trustSettings: trust }
}

/** Null when the browser is closed; otherwise why nothing is changed. */
async function browserClosed(env: Environment, target: EntryTarget): Promise<string | null> {
  const real = await livePath(env, target.location).catch(() => null)
  const lock = await browserLock(env, target.location, real)
  return lock.open ? noticeText(running(target, lock.detail ?? '')) : null
}

/** A row as the browser writes it: CertAudit can put it back exactly, key included. */
function changeable(row: CertificateRow): boolean {
  return row.types === BROWSER_TYPES && /^[\x20-\x7e]{1,256}$/.test(row.key)
}

function running(target: EntryTarget, lock: string): Notice {
  return chromiumNotices.notice('chromium-program-running', { program: programOf(target), lock })
}

function unusual(target: EntryTarget): Notice {
  return chromiumNotices.notice('chromium-unusual-row', { entry: target.entry, location: target.location, program: programOf(target) })
}

/** The browser, as the plan names it to people. */
function programOf(target: EntryTarget): string {
  return target.facts?.browser ?? 'Chrome'
}

function refused(error: unknown): ChangeOutcome {
  return { ok: false, commands: [], message: typeof error === 'string' ? error : error instanceof Error ? error.message : String(error) }
}
