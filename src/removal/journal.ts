import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Language } from '../audit/blocklist.js'
import { identify, sha256Hex } from '../audit/certificate.js'
import { readCertificates } from '../audit/pem.js'
import { STORES, type StoreRegistry } from '../stores/registry.js'
import type { Backup, ChangeOutcome, EntryTarget, PlacedBy, RemovalMode } from '../stores/types.js'
import { readFolder } from '../stores/shared/folder-listing.js'
import { ensurePrivateFolder, UnsafeFolderError } from '../stores/shared/private-folder.js'
import { readRegularFile } from '../stores/shared/regular-file.js'
import { StoreError } from '../stores/types.js'
import { secureChangeFolder } from './data-dir.js'
import { backupFile, describeIssues, journalRecord } from './schemas.js'

/** A journal holds a plan and a few records per entry: far less than this. */
const MAX_JOURNAL_BYTES = 256 * 1024 * 1024
/** A backup holds one certificate and the facts to put it back. */
const MAX_BACKUP_BYTES = 64 * 1024 * 1024
/** Changes kept in the data folder that history lists: more than anyone makes. */
const MAX_CHANGES_LISTED = 100_000
/**
 * Journal and backup files are written (0600) in the change's folder, checked to be ours and no link
 * (secureChangeFolder); a link inside it could only be put there by this user, the limit the README
 * states. They are read back without following links (readRegularFile, noFollow).
 */
// Opened only to write (never read: reading back goes through regular-file.ts, without following a link).
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT
const REPLACE = constants.O_WRONLY | constants.O_TRUNC | constants.O_CREAT

/** What became of one planned entry. */
export type EntryStatus = 'removed' | 'distrusted' | 'still-present' | 'failed' | 'manual' | 'skipped' | 'restored'

/** One planned change of one store entry. */
export interface PlannedChange {
  readonly target: EntryTarget
  /** `manual`: CertAudit must not edit this store; `instructions` says what the user should do. */
  readonly action: RemovalMode | 'manual'
  readonly needsAdmin: boolean
  /** What to do by hand, and what to know first, in the plan's language. */
  readonly instructions?: string
  readonly warning?: string
  /** The program that has this store open (Firefox, Thunderbird): to be closed before the change. */
  readonly runningProgram?: string
  /** What put the certificate in this place (the scan's answer), and whether that puts it back. */
  readonly placedBy?: PlacedBy
  /** Where that cause puts it back: remove the cause first, named (in the plan's language). */
  readonly advice?: string
}

export interface RemovalPlan {
  readonly id: string
  readonly createdAt: string
  readonly mode: RemovalMode
  /** The language of the changes' instructions and warnings (English for plans written before it was recorded). */
  readonly language?: Language
  readonly findings: readonly { readonly id: string; readonly sha256: string; readonly title: string }[]
  readonly changes: readonly PlannedChange[]
}

/**
 * The journal's records, one JSON line each, appended and fsynced before and after every step, so a
 * crash at any point leaves a record of what was done. `index` is the change's index in the plan.
 */
export type JournalRecord =
  | { readonly step: 'planned'; readonly at: string; readonly plan: RemovalPlan }
  | { readonly step: 'backed-up'; readonly at: string; readonly index: number; readonly file: string; readonly evidence?: BackupEvidence }
  | { readonly step: 'backup-failed'; readonly at: string; readonly index: number; readonly message: string }
  | { readonly step: 'applying'; readonly at: string; readonly index: number }
  | { readonly step: 'applied'; readonly at: string; readonly index: number; readonly outcome: ChangeOutcome }
  | { readonly step: 'verified'; readonly at: string; readonly index: number; readonly status: EntryStatus; readonly detail?: string }
  | { readonly step: 'done'; readonly at: string }
  | { readonly step: 'undo-started'; readonly at: string }
  | { readonly step: 'restoring'; readonly at: string; readonly index: number }
  | { readonly step: 'restored'; readonly at: string; readonly index: number; readonly status: 'restored' | 'failed'; readonly outcome?: ChangeOutcome; readonly detail?: string }
  | { readonly step: 'undo-done'; readonly at: string }
  /** Before a store a kill may have left half-changed is brought back together (a rebuild, a database recovery). */
  | { readonly step: 'repairing'; readonly at: string; readonly index: number }
  | { readonly step: 'repaired'; readonly at: string; readonly index: number; readonly consistent: boolean; readonly outcome?: ChangeOutcome; readonly detail?: string }

/**
 * What the journal records of a backup when it is made, so undo can tell the backup it reads later is
 * the one made then: the SHA-256 of the certificate exported from the store, and of the backup file's
 * bytes (which hold everything undo writes back: an anchor file's bytes, NSS trust flags, a conf line).
 */
export interface BackupEvidence {
  readonly certificate: string
  readonly backup: string
}

/** The step names, for fault injection and for reading. */
export type JournalStep = JournalRecord['step']

/**
 * CertAudit's data folder cannot be written (the disk is full, it is read-only…). A change must not
 * go on without its journal and backups, so the engine stops at once and says why.
 */
export class DataFolderError extends Error {
  constructor(
    readonly code: 'disk-full' | 'read-only' | 'not-allowed' | 'write-failed',
    message: string,
  ) {
    super(message)
    this.name = 'DataFolderError'
  }
}

/** A failed write in the data folder, in plain words. */
export function dataFolderError(dir: string, what: string, error: unknown): DataFolderError {
  const errno = (error as NodeJS.ErrnoException).code
  const [code, reason]: [DataFolderError['code'], string] =
    errno === 'ENOSPC' || errno === 'EDQUOT'
      ? ['disk-full', 'the disk is full']
      : errno === 'EROFS'
        ? ['read-only', 'the disk is read-only']
        : errno === 'EACCES' || errno === 'EPERM'
          ? ['not-allowed', 'CertAudit is not allowed to write there']
          : ['write-failed', (error as Error).message]
  return new DataFolderError(code, `CertAudit could not write ${what} in ${dir}: ${reason}.`)
}

/** Appends records to a change's journal file, each one synced to disk before it returns. */
export class Journal {
  /** False after a write that may have stopped mid-line: the next record must start on a new line. */
  #atLineStart: boolean

  private constructor(
    readonly dir: string,
    private readonly onAppend: (record: JournalRecord) => void,
    atLineStart: boolean,
  ) {
    this.#atLineStart = atLineStart
  }

  /**
   * Opens (creating) the journal of the change in `dir`. `onAppend` runs after each record is on disk
   * (fault injection in tests). Throws {@link DataFolderError} when the folder cannot be written.
   */
  static async open(dir: string, onAppend: (record: JournalRecord) => void = () => {}): Promise<Journal> {
    try {
      // changes/ and this change's folders: made private, a link or another user's folder refused.
      ensurePrivateFolder(dirname(dir), 'folder of changes', { create: true })
      secureChangeFolder(dir, { create: true })
    } catch (error) {
      if (error instanceof UnsafeFolderError) throw error
      throw dataFolderError(dir, 'the journal of this change', error)
    }
    // A crash or a full disk may have cut the last record short: records written after it must not
    // be glued to it (that line would then be skipped whole, with them in it).
    const text = await readRegularFile(join(dir, 'journal.jsonl'), { maxBytes: MAX_JOURNAL_BYTES, noFollow: true, what: 'journal' })
      .then((bytes) => bytes.toString('latin1'))
      .catch(() => '')
    return new Journal(dir, onAppend, text === '' || text.endsWith('\n'))
  }

  /** Appends a record and syncs it. Throws {@link DataFolderError} when it cannot be written. */
  async append(record: JournalRecord): Promise<void> {
    try {
      const handle = await open(join(this.dir, 'journal.jsonl'), APPEND, 0o600)
      try {
        const text = (this.#atLineStart ? '' : '\n') + JSON.stringify(record) + '\n'
        this.#atLineStart = false
        await handle.appendFile(text)
        await handle.sync()
        this.#atLineStart = true
      } finally {
        await handle.close()
      }
    } catch (error) {
      throw dataFolderError(this.dir, 'the journal of this change', error)
    }
    this.onAppend(record)
  }

  /** Writes a backup file durably and returns its name and the SHA-256 of its bytes. Throws {@link DataFolderError} when it cannot be written. */
  async writeBackup(index: number, backup: Backup): Promise<{ file: string; sha256: string }> {
    const name = `backups/${String(index).padStart(3, '0')}.json`
    const bytes = Buffer.from(JSON.stringify(backup, null, 2))
    try {
      const handle = await open(join(this.dir, name), REPLACE, 0o600)
      try {
        await handle.writeFile(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch (error) {
      throw dataFolderError(this.dir, 'the backup of this entry', error)
    }
    return { file: name, sha256: sha256Hex(bytes) }
  }
}

/**
 * A journal or backup that is on disk but cannot be used as it is: a record that is not one CertAudit
 * writes, a backup whose certificate is not the one planned. Nothing is done on its word.
 */
export class DamagedRecordError extends Error {
  constructor(
    readonly code: 'damaged-journal' | 'damaged-backup',
    message: string,
  ) {
    super(message)
    this.name = 'DamagedRecordError'
  }
}

/**
 * Reads a journal, every record checked against the shapes CertAudit writes. A line cut short by a
 * crash or a full disk (not JSON) is skipped: it was never acknowledged, and the records written after
 * it (by a later resume or undo) still count. A whole line that is not a record CertAudit writes
 * means the journal was changed by something else: it is a {@link DamagedRecordError}, and neither
 * resume nor undo acts on it.
 */
export async function readJournal(dir: string): Promise<JournalRecord[]> {
  let text: string
  try {
    // A change folder that is a link, or another user's, is refused (UnsafeFolderError), never read.
    if (!secureChangeFolder(dir).exists) throw new StoreError('enoent', `${dir} does not exist.`)
    text = (await readRegularFile(join(dir, 'journal.jsonl'), { maxBytes: MAX_JOURNAL_BYTES, noFollow: true, what: 'journal' })).toString('utf8')
  } catch (error) {
    // Callers tell "no such change" by the file system's own code.
    if (error instanceof StoreError && error.code === 'enoent') throw Object.assign(new Error(error.message), { code: 'ENOENT' })
    // A FIFO, a device, a link or a huge file in the journal's place: not read, and not acted on.
    if (error instanceof StoreError) throw new DamagedRecordError('damaged-journal', `${error.message} CertAudit will not act on this change's journal. Its backups are in ${join(dir, 'backups')}.`)
    throw error
  }
  const { records, damage } = parseJournal(text, dir)
  if (damage) throw damage
  return records
}

/**
 * The records of a journal up to its first damaged line, and that damage: what the history can still
 * say about a change CertAudit will not act on. A journal that cannot be read at all has no records.
 */
export async function readJournalUpToDamage(dir: string): Promise<{ readonly records: readonly JournalRecord[]; readonly damage?: DamagedRecordError }> {
  try {
    return { records: await readJournal(dir) }
  } catch (error) {
    if (!(error instanceof DamagedRecordError)) throw error
    let text: string
    try {
      text = (await readRegularFile(join(dir, 'journal.jsonl'), { maxBytes: MAX_JOURNAL_BYTES, noFollow: true, what: 'journal' })).toString('utf8')
    } catch {
      return { records: [], damage: error }
    }
    return { records: parseJournal(text, dir).records, damage: error }
  }
}

/** Each line through the record schema; a line cut short by a crash is skipped, any other stops the read. */
function parseJournal(text: string, dir: string): { records: JournalRecord[]; damage?: DamagedRecordError } {
  const records: JournalRecord[] = []
  for (const [number, line] of text.split('\n').entries()) {
    if (!line.trim()) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      continue
    }
    const record = journalRecord.safeParse(parsed)
    if (!record.success) {
      const message = `The journal ${join(dir, 'journal.jsonl')} is damaged (line ${number + 1}: ${describeIssues(record.error)}), so CertAudit will not act on it. Its backups are in ${join(dir, 'backups')}.`
      return { records, damage: new DamagedRecordError('damaged-journal', message) }
    }
    records.push(record.data)
  }
  return { records }
}

/**
 * Reads one backup file written by {@link Journal.writeBackup}: its shape, its adapter's own data
 * (parsed with that adapter's schema) and its certificate (the one the target names, by SHA-256) are
 * checked before any writer sees it. Anything else is a {@link DamagedRecordError}.
 */
export async function readBackup(dir: string, file: string, stores: StoreRegistry = STORES, evidence?: BackupEvidence): Promise<Backup> {
  const path = join(dir, file)
  const damaged = (why: string) => new DamagedRecordError('damaged-backup', `The backup ${path} cannot be used: ${why.replace(/\.$/, '')}.`)
  let parsed: unknown
  try {
    const bytes = await readRegularFile(path, { maxBytes: MAX_BACKUP_BYTES, noFollow: true, what: 'backup' })
    // The journal's word on what was written: a backup changed since (by hand, or by another program) is not used.
    if (evidence && sha256Hex(bytes) !== evidence.backup) throw damaged('it is not the file written when the change ran (its SHA-256 differs from the one the journal recorded)')
    parsed = JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    if (error instanceof DamagedRecordError) throw error
    throw damaged(error instanceof SyntaxError ? `it is not complete JSON (${error.message})` : (error as Error).message)
  }
  const backup = backupFile.safeParse(parsed)
  if (!backup.success) throw damaged(describeIssues(backup.error))
  const { target, exportedPem } = backup.data
  const data = stores[target.kind].backupData.safeParse(backup.data.data)
  if (!data.success) throw damaged(`its ${target.kind} facts are not what CertAudit writes (${describeIssues(data.error)})`)
  const [first] = readCertificates(Buffer.from(exportedPem, 'latin1'))
  if (first?.type !== 'certificate' || identify(first.der).sha256 !== target.sha256) throw damaged(`its certificate is not ${target.sha256}`)
  if (evidence && evidence.certificate !== target.sha256) throw damaged(`the journal recorded the certificate ${evidence.certificate} for it, not ${target.sha256}`)
  return { target, exportedPem, data: data.data }
}

/** Every change folder, oldest first (ids sort by time). */
export async function listChangeIds(changesDir: string): Promise<string[]> {
  try {
    const { entries } = await readFolder(changesDir, MAX_CHANGES_LISTED)
    return entries.map((entry) => entry.name).filter((name) => !name.startsWith('.')).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
