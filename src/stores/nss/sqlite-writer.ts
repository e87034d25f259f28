/**
 * Changes an NSS database without NSS's certutil, where there is none: Windows (its `certutil` is
 * Windows' own certificate tool), macOS without Homebrew's nss, Linux without libnss3-tools. Deleting a
 * certificate removes its rows (its certificate and trust objects, objects.ts) from cert9.db and their
 * integrity records from key4.db, as `certutil -D` does; distrusting replaces its trust object with
 * the one `certutil -M -t ",,"` writes, signed as NSS signs it (integrity.ts); undo puts the backed-up
 * rows back byte for byte.
 *
 * Only with the program closed (lock.ts), and never on the live files: each file is changed on a
 * snapshot in memory, checked (rows.ts) and swapped in whole (../chromium/swap.ts). A change touching
 * both files goes in an order that leaves NSS reading the old state or the new one at every moment
 * (objects.ts, distrusted). The engine re-reads the store to verify.
 */
import { stat } from 'node:fs/promises'
import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { findCertificate } from '../shared/certificate-blocks.js'
import { confinedPath } from '../shared/confine.js'
import type { Environment } from '../shared/environment.js'
import { noticeText, type Notice } from '../shared/notices.js'
import { writable } from '../shared/writable.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type EntryTarget, type RemovalMode, type Settled, type StoreWriter } from '../types.js'
import { replaceDatabase, takeSnapshot, type Snapshot } from '../chromium/swap.js'
import { AUTHENTICATED_ATTRIBUTES, signatureId } from './integrity.js'
import { programLock } from './lock.js'
import { nssNotices } from './notices.js'
import { CKO_CERTIFICATE, CKO_NSS_TRUST, databaseKey, distrusted, findObjects, nicknameOf, objectId, objectIds, recordsOf, recordsVerify, textOf, trustFields, type CertificateObjects } from './objects.js'
import { databaseAt, hotJournals } from './recovery.js'
import { cellBytes, changeImage, sameRow, type StoredRow, type TableChange } from './rows.js'

const cell = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['blob', 'text']), hex: z.string().regex(/^(?:[0-9a-f]{2})*$/, 'hex bytes') }).strict(),
  z.object({ type: z.literal('integer'), value: z.string().regex(/^-?\d{1,19}$/, 'a decimal integer') }).strict(),
  z.object({ type: z.literal('real'), value: z.number() }).strict(),
])
const row = z.object({ rowid: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), cells: z.record(z.string().regex(/^[a-z][a-z0-9]{0,15}$/, 'a column name'), cell) }).strict()

/** The rows a backup keeps to put a certificate back exactly (JSON in the backup's `rows`). */
export const nssRows = z
  .object({
    /** cert9.db rows of its certificate object(s). */
    certificates: z.array(row).min(1),
    /** cert9.db rows of its trust object(s). */
    trust: z.array(row),
    /** key4.db metaData rows: the integrity records of those objects. */
    signatures: z.array(row),
    /** The object id a distrusted trust object gets (chosen free at backup time). */
    distrustId: z.number().int().min(1).max(0x3fffffff),
  })
  .strict()
export type NssRows = z.infer<typeof nssRows>

/** The backup's data: nickname and trust fields as certutil shows them (for people), and the rows (for undo). */
export const nssRowsBackupData = z
  .object({
    nickname: z.string(),
    trustFlags: z.string().regex(/^[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*$/, 'three trust fields, e.g. "CT,C,C"'),
    rows: z.string().refine((text) => parseRows(text) !== null, 'the rows of an NSS database, as CertAudit writes them'),
  })
  .strict()
export type NssRowsBackupData = z.infer<typeof nssRowsBackupData>

function parseRows(text: string): NssRows | null {
  try {
    const parsed = nssRows.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** The database's files, where they really are (links followed inside the home or the system root). */
interface Files {
  readonly dir: string
  readonly cert9: string
  /** Null when the folder has no key database (NSS then keeps no integrity records). */
  readonly key4: string | null
}

async function filesOf(env: Environment, location: string): Promise<Files> {
  const dir = await databaseAt(env, location)
  const cert9 = await confinedPath(env, join(dir, 'cert9.db'))
  if (!(await stat(cert9).catch(() => null))?.isFile()) throw new StoreError('entry-missing', `${location} has no certificate database (cert9.db) any more.`)
  const key4Path = join(dir, 'key4.db')
  const key4 = (await stat(key4Path).catch(() => null))?.isFile() ? await confinedPath(env, key4Path) : null
  return { dir, cert9, key4 }
}

/** Both files read at one moment, and the certificate's rows in them. */
interface State {
  readonly files: Files
  readonly cert9: Snapshot
  readonly key4: Snapshot | null
  /** The certificate's rows; null when it is not there. */
  readonly objects: CertificateObjects | null
  /** Why its rows cannot be changed safely, when they cannot (a sentence). */
  readonly unusual?: string
}

async function readState(env: Environment, target: EntryTarget, der: Uint8Array): Promise<State> {
  const files = await filesOf(env, target.location)
  const cert9 = await takeSnapshot(files.cert9)
  const key4 = files.key4 ? await takeSnapshot(files.key4) : null
  const found = await findObjects(cert9.image, key4?.image ?? null, der, target.location)
  if (found.ok) return { files, cert9, key4, objects: found.objects }
  return { files, cert9, key4, objects: null, ...(found.code === 'nss-unusual' ? { unusual: `${found.why[0]!.toUpperCase()}${found.why.slice(1)}.` } : {}) }
}

/** The state, or StoreError when the certificate is gone or cannot be changed safely. */
async function readObjects(env: Environment, target: EntryTarget, der: Uint8Array): Promise<State & { readonly objects: CertificateObjects }> {
  const state = await readState(env, target, der)
  if (state.unusual) throw new StoreError('nss-unusual', `CertAudit cannot change "${target.entry}" in ${target.location}: ${state.unusual}`)
  if (!state.objects) throw new StoreError('entry-missing', `"${target.entry}" is no longer in ${target.location}: it was removed since the plan was made.`)
  return { ...state, objects: state.objects }
}

async function capabilities(target: EntryTarget, env: Environment): Promise<Capabilities> {
  // No program's lock tells whether something uses the shared database: only NSS's certutil changes it.
  if (target.facts?.program === 'system') return { modes: [], needsAdmin: false, manual: nssNotices.notice('nss-shared-needs-certutil', { location: target.location }) }
  let files: Files
  try {
    files = await filesOf(env, target.location)
  } catch (error) {
    return { modes: [], needsAdmin: false, manual: nssNotices.notice('nss-confined', { reason: (error as Error).message }) }
  }
  if (!(await writable(files.cert9)) || (files.key4 && !(await writable(files.key4)))) return { modes: [], needsAdmin: false, manual: byHand(target, 'this user may not change it.') }
  const state = await readState(env, target, pemDer(target.pem, target.sha256)).catch(() => null)
  if (state?.unusual) return { modes: [], needsAdmin: false, manual: byHand(target, state.unusual) }
  const lock = await programLock(env, target, files.dir)
  const warnings = lock.open ? { warnings: [running(target, lock.detail ?? '')] } : {}
  const canSign = !files.key4 || (state?.key4 ? 'key' in (await databaseKey(state.key4.image, target.location).catch(() => ({ why: '' }))) : true)
  if (canSign) return { modes: ['delete', 'distrust'], needsAdmin: false, ...warnings }
  return { modes: ['delete'], needsAdmin: false, ...warnings, modeWarnings: { delete: nssNotices.notice('nss-no-distrust', { program: programOf(target) }) } }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<NssRowsBackupData>> {
  const der = pemDer(target.pem, target.sha256)
  const state = await readObjects(env, target, der)
  const taken = await objectIds(state.cert9.image, target.location)
  let distrustId: number
  do distrustId = randomInt(1, 0x40000000)
  while (taken.has(distrustId) || (state.key4 && (await recordsOf(state.key4.image, [distrustId], target.location)).length > 0))
  const rows: NssRows = { certificates: [...state.objects.certificates], trust: [...state.objects.trust], signatures: [...state.objects.signatures], distrustId }
  return {
    target,
    exportedPem: new CertificateRecord(der).toPem(),
    data: { nickname: nicknameOf(state.objects) ?? '', trustFlags: trustFields(state.objects), rows: JSON.stringify(rows) },
  }
}

async function apply(backup: Backup<NssRowsBackupData>, mode: RemovalMode, env: Environment): Promise<ChangeOutcome> {
  const saved = rowsOf(backup)
  if (typeof saved === 'string') return refused(saved)
  const { target } = backup
  try {
    const der = pemDer(backup.exportedPem, target.sha256)
    const closed = await programClosed(env, target)
    if (closed) return refused(closed)
    const state = await readObjects(env, target, der)
    if (!sameRows(state.objects.certificates, saved.certificates) || !sameRows(state.objects.trust, saved.trust)) return refused(changedSince(target))
    const { files } = state
    if (mode === 'delete') {
      const ids = [...state.objects.certificates, ...state.objects.trust].map((r) => objectId(r)!)
      await settleFiles(files, target.location)
      await changeFile(files.cert9, target.location, async (image) => {
        const now = await findObjects(image, null, der, target.location)
        if (!now.ok || !sameRows(now.objects.certificates, saved.certificates) || !sameRows(now.objects.trust, saved.trust)) throw new StoreError('nss-changed', changedSince(target))
        return [{ table: 'nssPublic', remove: [...now.objects.certificates, ...now.objects.trust].map((r) => r.rowid), add: [] }]
      })
      return await tidied(files, ids, target)
    }
    if (state.objects.trust.length === 0) return { ok: true, commands: [], warnings: [`"${target.entry}" has no trust record in ${target.location}, so nothing trusts it there; nothing was changed.`] }
    if (state.objects.trust.length > 1) return refused(`"${target.entry}" has ${state.objects.trust.length} trust records in ${target.location}; CertAudit cannot tell which one NSS uses, so it changed nothing. Delete it instead.`)
    let key: Buffer | null = null
    if (state.key4) {
      const found = await databaseKey(state.key4.image, target.location)
      if ('why' in found) return refused(`CertAudit cannot distrust "${target.entry}" in ${target.location}: ${found.why}. Delete it instead.`)
      if (!recordsVerify(state.objects, found.key)) return refused(`The integrity records of "${target.entry}" in ${target.location} do not verify, so CertAudit cannot sign a change of its trust; nothing was changed. Delete it instead.`)
      key = found.key
    }
    if ((await objectIds(state.cert9.image, target.location)).has(saved.distrustId)) return refused(changedSince(target))
    const oldId = objectId(state.objects.trust[0]!)!
    const { row: replacement, records } = distrusted(state.objects, saved.distrustId, key)
    await settleFiles(files, target.location)
    // 1. The new object's integrity records (nothing uses them yet).
    if (files.key4) await changeFile(files.key4, target.location, async (image) => [{ table: 'metaData', remove: (await recordsOf(image, [saved.distrustId], target.location)).map((r) => r.rowid), add: records }])
    // 2. The trust object replaced, in one swap: the old state or the new one.
    await changeFile(files.cert9, target.location, async (image) => {
      const now = await findObjects(image, null, der, target.location)
      if (!now.ok || !sameRows(now.objects.trust, saved.trust)) throw new StoreError('nss-changed', changedSince(target))
      return [{ table: 'nssPublic', remove: [now.objects.trust[0]!.rowid], add: [replacement] }]
    })
    // 3. The old object's records, which nothing uses any more.
    return await tidied(files, [oldId], target)
  } catch (error) {
    return refused(error)
  }
}

async function restore(backup: Backup<NssRowsBackupData>, env: Environment): Promise<ChangeOutcome> {
  const saved = rowsOf(backup)
  if (typeof saved === 'string') return refused(saved)
  const { target } = backup
  try {
    const der = pemDer(backup.exportedPem, target.sha256)
    const closed = await programClosed(env, target)
    if (closed) return refused(closed)
    const { files, unusual } = await readState(env, target, der)
    if (unusual) return refused(`CertAudit cannot put "${target.entry}" back into ${target.location}: ${unusual}`)
    if (saved.signatures.length > 0 && !files.key4) return refused(`${target.location} has lost its key database (key4.db), which held the integrity records of "${target.entry}"; CertAudit changed nothing.`)
    const savedIds = new Set([...saved.certificates, ...saved.trust].map((r) => objectId(r)))
    let removedIds: number[] = []
    let changed = false
    await settleFiles(files, target.location)
    // 1. The saved integrity records back (they verify nothing until their objects are back).
    if (files.key4) {
      await changeFile(files.key4, target.location, async (image) => {
        const present = await recordsOf(image, [...savedIds].filter((id): id is number => id !== null), target.location)
        const missing = saved.signatures.filter((s) => !present.some((p) => sameRow(p, s)))
        const replaced = present.filter((p) => missing.some((s) => textOf(s.cells.id) === textOf(p.cells.id)))
        return missing.length ? [{ table: 'metaData', remove: replaced.map((r) => r.rowid), add: missing }] : null
      })
    }
    // 2. The certificate's rows as they were, in one swap.
    await changeFile(files.cert9, target.location, async (image) => {
      const now = await findObjects(image, null, der, target.location)
      if (!now.ok && now.code === 'nss-unusual') throw new StoreError('nss-unusual', `CertAudit cannot put "${target.entry}" back into ${target.location}: ${now.why}.`)
      const certificates = now.ok ? now.objects.certificates : []
      const trust = now.ok ? now.objects.trust : []
      if (certificates.length > 0 && !sameRows(certificates, saved.certificates)) throw new StoreError('nss-changed', `"${target.entry}" is in ${target.location} again, in another form (added again since?); CertAudit did not replace it.`)
      const remove = trust.filter((t) => !saved.trust.some((s) => sameRow(s, t)))
      const add = [...(certificates.length === 0 ? saved.certificates : []), ...saved.trust.filter((s) => !trust.some((t) => sameRow(s, t)))]
      const taken = await objectIds(image, target.location)
      for (const r of remove) taken.delete(objectId(r)!)
      if (add.some((r) => taken.has(objectId(r)!))) throw new StoreError('nss-changed', `Another object in ${target.location} now has the id of one of "${target.entry}"'s; CertAudit changed nothing.`)
      removedIds = remove.map((r) => objectId(r)!).filter((id) => !savedIds.has(id))
      changed = remove.length + add.length > 0
      return changed ? [{ table: 'nssPublic', remove: remove.map((r) => r.rowid), add }] : null
    })
    // 3. Records of objects gone: the distrusted trust object, and those a run cut short left behind.
    const outcome = await tidied(files, [...removedIds, saved.distrustId], target)
    return changed || !outcome.ok ? outcome : { ...outcome, warnings: [...(outcome.warnings ?? []), `"${target.entry}" is already in ${target.location} as it was: nothing was changed.`] }
  } catch (error) {
    return refused(error)
  }
}

/** NSS databases without certutil (kind `nss`): delete or distrust by changing the rows, and put them back. */
export const sqliteWriter: StoreWriter<NssRowsBackupData> & Required<Pick<StoreWriter<NssRowsBackupData>, 'settle'>> = {
  kind: 'nss',
  capabilities,
  backup,
  apply,
  restore,
  settle,
}

/**
 * A hot rollback journal beside cert9.db or key4.db (a program killed inside a transaction, such as
 * certutil) means the file on disk is not whole: NSS opening it read-only fails, and only the next
 * read-write open rolls it back. Reported, never rolled back here: CertAudit's own changes roll it
 * back as their first step (settleFiles), and leave none (each file is replaced whole).
 */
async function settle(target: EntryTarget, env: Environment): Promise<Settled> {
  let dir: string
  try {
    dir = await databaseAt(env, target.location)
  } catch (error) {
    return { consistent: false, detail: (error as Error).message }
  }
  const hot = (await hotJournals(dir)).filter((name) => name.endsWith('-journal'))
  if (hot.length === 0) return { consistent: true }
  return { consistent: false, detail: `${target.location} was left part-way through a change (${hot.join(', ')} not rolled back): the program rolls it back when it next opens the profile, and CertAudit when it next changes it.` }
}

/**
 * Writes each file as its last commit left it (a write-ahead log applied, a hot journal rolled back),
 * with no log beside it, before the change's own steps: the rows are the same, so NSS reads the same.
 */
async function settleFiles(files: Files, shown: string): Promise<void> {
  for (const real of [files.key4, files.cert9]) {
    if (!real) continue
    const logs = await Promise.all([`${real}-wal`, `${real}-journal`].map((path) => stat(path).then((info) => info.size > 0, () => false)))
    if (!logs.some(Boolean)) continue
    const snapshot = await takeSnapshot(real)
    const error = await replaceDatabase(real, snapshot, snapshot.image)
    if (error) throw new StoreError('nss-swap-failed', `${error} (${shown})`)
  }
}

/**
 * Removes the integrity records of objects `ids` that are not in cert9.db any more (as NSS does when it
 * destroys an object). A failure here leaves records nothing reads: the change itself stands.
 */
async function tidied(files: Files, ids: readonly number[], target: EntryTarget): Promise<ChangeOutcome> {
  if (!files.key4 || ids.length === 0) return { ok: true, commands: [] }
  try {
    const present = await objectIds((await takeSnapshot(files.cert9)).image, target.location)
    const gone = ids.filter((id) => !present.has(id))
    await changeFile(files.key4, target.location, async (image) => {
      const records = await recordsOf(image, gone, target.location)
      return records.length ? [{ table: 'metaData', remove: records.map((r) => r.rowid), add: [] }] : null
    })
    return { ok: true, commands: [] }
  } catch (error) {
    return { ok: true, commands: [], warnings: [`Integrity records of the old entry were left in ${join(target.location, 'key4.db')} (${(error as Error).message}); NSS reads none of them.`] }
  }
}

/** Changes one file: `plan` gives the changes for a fresh snapshot (null: nothing to do), swapped in whole. Throws StoreError. */
async function changeFile(real: string, shown: string, plan: (image: Buffer) => Promise<TableChange[] | null>): Promise<void> {
  const snapshot = await takeSnapshot(real)
  const changes = await plan(snapshot.image)
  if (!changes) return
  const image = await changeImage(snapshot.image, changes, shown)
  const error = await replaceDatabase(real, snapshot, image)
  if (error) throw new StoreError('nss-swap-failed', error)
}

/** The backup's rows, checked against its certificate; a message when it cannot be used. */
function rowsOf(backup: Backup<NssRowsBackupData>): NssRows | string {
  const unusable = `The backup of "${backup.target.entry}" does not hold the rows of the certificate ${backup.target.sha256}: it cannot be used.`
  const rows = parseRows(backup.data.rows)
  if (!rows || !findCertificate(Buffer.from(backup.exportedPem), backup.target.sha256)) return unusable
  const ids = new Set<number>()
  for (const [list, objectClass] of [[rows.certificates, CKO_CERTIFICATE], [rows.trust, CKO_NSS_TRUST]] as const) {
    for (const r of list) {
      const id = objectId(r)
      if (id === null || ids.has(id) || !cellBytes(r.cells.a0)?.equals(objectClass)) return unusable
      ids.add(id)
    }
  }
  if (rows.certificates.some((r) => sha256Hex(cellBytes(r.cells.a11) ?? new Uint8Array(0)) !== backup.target.sha256)) return unusable
  const records = new Set([...ids].flatMap((id) => AUTHENTICATED_ATTRIBUTES.map((type) => signatureId(id, type))))
  if (rows.signatures.some((s) => !records.has(textOf(s.cells.id)))) return unusable
  return rows
}

/** Two lists of rows hold the same rows (rowid and cells), in any order. */
function sameRows(a: readonly StoredRow[], b: readonly StoredRow[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => sameRow(x, y)))
}

/** Null when the program is closed; otherwise why nothing is changed. */
async function programClosed(env: Environment, target: EntryTarget): Promise<string | null> {
  const { dir } = await filesOf(env, target.location)
  const lock = await programLock(env, target, dir)
  return lock.open ? noticeText(running(target, lock.detail ?? '')) : null
}

/** The certificate `sha256` from a PEM text (the plan's or the backup's). Throws StoreError when it is not there. */
function pemDer(pem: string, sha256: string): Uint8Array {
  const der = findCertificate(Buffer.from(pem), sha256)
  if (!der) throw new StoreError('not-changeable', `The certificate ${sha256} is not in the text CertAudit was given for it.`)
  return der
}

function changedSince(target: EntryTarget): string {
  return `"${target.entry}" in ${target.location} has changed since it was backed up, so CertAudit left it alone.`
}

function running(target: EntryTarget, lock: string): Notice {
  return nssNotices.notice('nss-direct-program-running', { program: programOf(target), lock })
}

function byHand(target: EntryTarget, reason: string): Notice {
  return nssNotices.notice('nss-by-hand', { location: target.location, reason, program: programOf(target) })
}

/** The program whose certificate manager changes this database by hand. */
export function programOf(target: Pick<EntryTarget, 'facts' | 'location'>): string {
  if (target.facts?.program === 'thunderbird' || (!target.facts?.program && /thunderbird/i.test(target.location))) return 'Thunderbird'
  return target.facts?.program === 'chromium' ? 'Chromium' : 'Firefox'
}

function refused(error: unknown): ChangeOutcome {
  return { ok: false, commands: [], message: typeof error === 'string' ? error : error instanceof Error ? error.message : String(error) }
}
