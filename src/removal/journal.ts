import { mkdir, open, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Backup, ChangeOutcome, EntryTarget, RemovalMode } from '../stores/types.js'

/** What became of one planned entry. */
export type EntryStatus = 'removed' | 'distrusted' | 'still-present' | 'failed' | 'manual' | 'skipped' | 'restored'

/** One planned change of one store entry. */
export interface PlannedChange {
  readonly target: EntryTarget
  /** `manual`: CertAudit must not edit this store; `instructions` says what the user should do. */
  readonly action: RemovalMode | 'manual'
  readonly needsAdmin: boolean
  readonly instructions?: string
  readonly warning?: string
}

export interface RemovalPlan {
  readonly id: string
  readonly createdAt: string
  readonly mode: RemovalMode
  readonly findings: readonly { readonly id: string; readonly sha256: string; readonly title: string }[]
  readonly changes: readonly PlannedChange[]
}

/**
 * The journal's records, one JSON line each, appended and fsynced before and after every step, so a
 * crash at any point leaves a record of what was done. `index` is the change's index in the plan.
 */
export type JournalRecord =
  | { readonly step: 'planned'; readonly at: string; readonly plan: RemovalPlan }
  | { readonly step: 'backed-up'; readonly at: string; readonly index: number; readonly file: string }
  | { readonly step: 'backup-failed'; readonly at: string; readonly index: number; readonly message: string }
  | { readonly step: 'applying'; readonly at: string; readonly index: number }
  | { readonly step: 'applied'; readonly at: string; readonly index: number; readonly outcome: ChangeOutcome }
  | { readonly step: 'verified'; readonly at: string; readonly index: number; readonly status: EntryStatus; readonly detail?: string }
  | { readonly step: 'done'; readonly at: string }
  | { readonly step: 'undo-started'; readonly at: string }
  | { readonly step: 'restoring'; readonly at: string; readonly index: number }
  | { readonly step: 'restored'; readonly at: string; readonly index: number; readonly status: 'restored' | 'failed'; readonly outcome?: ChangeOutcome; readonly detail?: string }
  | { readonly step: 'undo-done'; readonly at: string }

/** The step names, for fault injection and for reading. */
export type JournalStep = JournalRecord['step']

/** Appends records to a change's journal file, each one synced to disk before it returns. */
export class Journal {
  private constructor(
    readonly dir: string,
    private readonly onAppend: (record: JournalRecord) => void,
  ) {}

  /** Opens (creating) the journal of the change in `dir`. `onAppend` runs after each record is on disk (fault injection in tests). */
  static async open(dir: string, onAppend: (record: JournalRecord) => void = () => {}): Promise<Journal> {
    await mkdir(join(dir, 'backups'), { recursive: true })
    return new Journal(dir, onAppend)
  }

  async append(record: JournalRecord): Promise<void> {
    const handle = await open(join(this.dir, 'journal.jsonl'), 'a')
    try {
      await handle.appendFile(JSON.stringify(record) + '\n')
      await handle.sync()
    } finally {
      await handle.close()
    }
    this.onAppend(record)
  }

  /** Writes a backup file durably and returns its name. */
  async writeBackup(index: number, backup: Backup): Promise<string> {
    const name = `backups/${String(index).padStart(3, '0')}.json`
    const handle = await open(join(this.dir, name), 'w')
    try {
      await handle.writeFile(JSON.stringify(backup, null, 2))
      await handle.sync()
    } finally {
      await handle.close()
    }
    return name
  }
}

/** Reads a journal; a last line cut short by a crash is ignored (it was never acknowledged). */
export async function readJournal(dir: string): Promise<JournalRecord[]> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8')
  const records: JournalRecord[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      records.push(JSON.parse(line) as JournalRecord)
    } catch {
      break
    }
  }
  return records
}

/** Reads one backup file written by {@link Journal.writeBackup}. */
export async function readBackup(dir: string, file: string): Promise<Backup> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as Backup
}

/** Every change folder, oldest first (ids sort by time). */
export async function listChangeIds(changesDir: string): Promise<string[]> {
  try {
    return (await readdir(changesDir)).filter((name) => !name.startsWith('.')).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
