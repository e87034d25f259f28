/**
 * The guard's files in the data folder (guard/), written atomically and read back through a schema.
 * A file that is missing is a first run; one that does not parse is a problem to report, and the
 * guard starts again from a fresh baseline: never a crash, and never a guess at what it meant.
 */
import { mkdir, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { z } from 'zod'
import { dataDir } from '../removal/data-dir.js'
import { dataFolderError } from '../removal/journal.js'
import { acquireLock, ChangeInProgressError } from '../removal/lock.js'
import { describeIssues } from '../removal/schemas.js'
import type { Environment } from '../stores/shared/environment.js'
import { fileError, readRegularFile } from '../stores/shared/regular-file.js'
import { replaceFile } from '../stores/shared/replace-file.js'

/** The guard's folder: the watch state, its events, the schedule's manifest. */
export function guardDir(env: Environment): string {
  return join(dataDir(env), 'guard')
}

export const GUARD_FILES = {
  state: 'state.json',
  events: 'events.json',
  schedule: 'schedule.json',
  removals: 'removals.json',
} as const

export function guardFile(env: Environment, name: keyof typeof GUARD_FILES): string {
  return join(guardDir(env), GUARD_FILES[name])
}

/** How long one user of the guard's files waits for another (each holds them for milliseconds). */
const GUARD_LOCK_WAIT_MS = 30_000
/** A guard lock older than this was left by a process that died, even if its id now belongs to another. */
const GUARD_LOCK_STALE_MS = 60_000

/** Proof that the caller holds the guard's lock: only {@link withGuardLock} makes one. */
export interface GuardLock {
  readonly held: true
}

/** Another process kept the guard's files longer than any check takes. */
export class GuardBusyError extends Error {
  constructor(
    readonly pid: number,
    readonly since: string,
  ) {
    super(`Another CertAudit process (${pid}, since ${since}) is still writing the guard's files; this check's results were not saved. The guard will check again next time.`)
    this.name = 'GuardBusyError'
  }
}

/**
 * Runs `work` with the guard's files to itself. A check (state and events), a notification marking its
 * events and the window acknowledging them each read, change and write the events file: two at once
 * would lose one's change, and with it a root's "it came back". The lock is the data folder's own
 * kind (removal/lock.ts), in the guard's folder; another holder is waited for, a dead one taken over.
 */
export async function withGuardLock<T>(env: Environment, work: (lock: GuardLock) => Promise<T>): Promise<T> {
  let release: () => Promise<void>
  try {
    release = await acquireLock(guardDir(env), { file: 'guard.lock', folder: "the guard's folder", waitMs: GUARD_LOCK_WAIT_MS, staleAfterMs: GUARD_LOCK_STALE_MS })
  } catch (error) {
    if (error instanceof ChangeInProgressError) throw new GuardBusyError(error.pid, error.since)
    throw error
  }
  try {
    return await work({ held: true })
  } finally {
    await release()
  }
}

/**
 * Writes `data` to `path` so that a crash or a full disk leaves the old file or the new one, never a
 * part: a temp file beside it, fsynced, renamed over it, and the folder fsynced so the rename itself
 * is on disk. Folders are made as needed. Throws DataFolderError (removal/journal.ts) in plain words.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { readonly mode?: number; readonly what?: string } = {}): Promise<void> {
  const dir = dirname(path)
  try {
    await mkdir(dir, { recursive: true })
    await replaceFile(path, data, { mode: options.mode ?? 0o644 })
  } catch (error) {
    throw dataFolderError(dir, options.what ?? basename(path), error)
  }
}

export type ReadResult<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'missing' }
  | { readonly status: 'damaged'; readonly problem: string }

/** The guard's files are kilobytes (its events are capped, its state lists what a scan found): past this one is not read. */
export const MAX_GUARD_FILE_BYTES = 64 * 1024 * 1024

/**
 * Reads a JSON file through `schema`: its value, "missing", or "damaged" with the reason in one sentence.
 * The file is CertAudit's own, written by {@link writeFileAtomic}: it is read by the one reader without
 * following a link (as the journal is), so a FIFO, a device, a link or a huge file there is "damaged",
 * said in words, and never waited on or read without end.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<ReadResult<T>> {
  let text: string
  try {
    text = (await readRegularFile(path, { maxBytes: MAX_GUARD_FILE_BYTES, noFollow: true, what: 'file of the guard' })).toString('utf8')
  } catch (error) {
    const cause = fileError(path, error)
    if (cause.code === 'enoent') return { status: 'missing' }
    return { status: 'damaged', problem: cause.message.replace(/\.$/, '') }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { status: 'damaged', problem: `${path} is not complete JSON (${(error as Error).message})` }
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) return { status: 'damaged', problem: `${path} is not what CertAudit writes (${describeIssues(parsed.error)})` }
  return { status: 'ok', value: parsed.data }
}

/** Removes a file; true when it was there. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
