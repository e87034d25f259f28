import { lstat, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ensurePrivateFolder, UnsafeFolderError } from '../stores/shared/private-folder.js'
import { readRegularFile, specialFileKind } from '../stores/shared/regular-file.js'
import { DataFolderError, dataFolderError } from './journal.js'

/** Another change is running: its process id and since when. */
export class ChangeInProgressError extends Error {
  constructor(
    readonly pid: number,
    readonly since: string,
  ) {
    super(`Another CertAudit change is in progress (process ${pid}, started ${since}). Wait for it to finish, then try again.`)
    this.name = 'ChangeInProgressError'
  }
}

export interface LockOptions {
  /** The lock's file name in `dir` (change.lock: one change at a time). */
  readonly file?: string
  /** How the folder is named in messages ("data folder"). */
  readonly folder?: string
  /** How long to wait for a live owner to let go before giving up (0: refuse at once). */
  readonly waitMs?: number
  /**
   * A lock older than this is stale whoever holds it (its process id may have been reused by another
   * program after a crash): for locks held for moments, never for a change, which may wait on the user.
   */
  readonly staleAfterMs?: number
}

/**
 * One change at a time: a lock file created exclusively (O_EXCL) in the data folder, holding the
 * owner's pid. A lock left by a process that no longer exists (killed mid-change) is taken over; the
 * journal, not the lock, says what that process had done. The guard uses the same lock, under its own
 * name and with a wait, around its short read-and-write of its files (guard/files.ts).
 */
export async function acquireLock(dir: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? 0)
  for (;;) {
    try {
      return await tryLock(dir, options)
    } catch (error) {
      if (!(error instanceof ChangeInProgressError) || Date.now() >= deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

async function tryLock(dir: string, options: LockOptions): Promise<() => Promise<void>> {
  try {
    // The folder is checked (a link or another user's folder refused) before the lock is made in it.
    ensurePrivateFolder(dir, options.folder ?? 'data folder', { create: true, parents: true })
  } catch (error) {
    if (error instanceof UnsafeFolderError) throw error
    throw dataFolderError(dir, 'its lock file', error)
  }
  const path = join(dir, options.file ?? 'change.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Made new (O_EXCL), written, not read: the owner is read back by the one reader (below).
      const handle = await open(path, 'wx')
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }))
        await handle.sync()
      } catch (error) {
        // A full disk: the lock is not ours to keep half-written (nothing has started).
        await handle.close()
        await rm(path, { force: true }).catch(() => {})
        throw dataFolderError(dir, 'its lock file', error)
      }
      await handle.close()
      return () => rm(path, { force: true })
    } catch (error) {
      if (error instanceof DataFolderError) throw error
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw dataFolderError(dir, 'its lock file', error)
      await refuseForeignLock(path)
      const owner = await readOwner(path)
      // An unreadable time counts as old: such a lock cannot be told from one left long ago.
      const expired = owner && options.staleAfterMs !== undefined && !(Date.now() - Date.parse(owner.since) <= options.staleAfterMs)
      if (owner && isAlive(owner.pid) && !expired) throw new ChangeInProgressError(owner.pid, owner.since)
      if (!owner && attempt === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200)) // its owner may be writing it right now
        continue
      }
      await rm(path, { force: true }) // stale: its process is gone
    }
  }
  throw new Error(`Could not take the change lock ${path}.`)
}

/**
 * A lock CertAudit did not make — a link, a FIFO, another user's file — is left alone and refused: taking
 * it over would mean deleting or reading something that is not ours.
 */
async function refuseForeignLock(path: string): Promise<void> {
  let info
  try {
    info = await lstat(path)
  } catch {
    return // gone since: the next attempt takes it
  }
  const uid = process.getuid?.()
  const kind = info.isFile() ? null : info.isSymbolicLink() ? 'a symbolic link' : specialFileKind(info)
  if (kind || (uid !== undefined && info.uid !== uid)) {
    throw new UnsafeFolderError(
      path,
      `CertAudit's lock file ${path} is ${kind ?? `another user's file (user id ${info.uid})`}, not one CertAudit made. It was left alone and no change was started. Remove it and try again.`,
    )
  }
}

/** The lock is a few dozen bytes of JSON. */
const MAX_LOCK_BYTES = 4096

async function readOwner(path: string): Promise<{ pid: number; since: string } | null> {
  try {
    const owner = JSON.parse((await readRegularFile(path, { maxBytes: MAX_LOCK_BYTES, noFollow: true, what: 'lock file' })).toString('utf8')) as { pid?: unknown; since?: unknown }
    return typeof owner.pid === 'number' ? { pid: owner.pid, since: String(owner.since ?? 'at an unknown time') } : null
  } catch {
    return null // being written right now, or damaged
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
