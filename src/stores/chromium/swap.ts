/**
 * Replaces a profile's ServerCertificate database with a changed copy, so that a crash at any
 * moment leaves a database SQLite and the browser read correctly: the old one or the new one,
 * never a mix. The live file is never opened with SQLite (the browser may hold it; a hot journal
 * would be rolled back by whoever opens it first).
 *
 * A file is replaced by writing the new bytes to a temp file beside it, fsyncing it, renaming it
 * over the old one, and fsyncing the folder. The danger is the database's other files
 * (https://www.sqlite.org/tempfiles.html): SQLite applies a `-wal` (write-ahead log) or rolls back a
 * hot `-journal` onto whatever file has the database's name when it opens it, so a new database
 * left beside an old log would be rewritten with old pages (a removed certificate could come back,
 * or the file be corrupted). When such a file has content:
 *   1. the settled database (the snapshot: the old file with its log applied, or its journal rolled
 *      back) replaces the old file; the old log applied to it again changes nothing, so a crash
 *      here leaves the same certificates as before;
 *   2. the log files are deleted: the settled database alone is the whole database;
 *   3. the changed database replaces the settled one.
 * An empty `-journal` (what Chromium's TRUNCATE journal mode leaves) is never hot and stays.
 */
import { stat, unlink } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { dirname } from 'node:path'
import { readRegularFileHead, syncFolder } from '../shared/regular-file.js'
import { replaceFile } from '../shared/replace-file.js'
import { keepJournalMode } from '../shared/sql-js.js'
import { snapshotSqlite } from '../shared/sqlite-snapshot.js'
import { StoreError } from '../types.js'

/** A database read at one moment, and what its files looked like then. */
export interface Snapshot {
  /** The database as the last committed transaction left it (log applied or journal rolled back). */
  readonly image: Buffer
  readonly fingerprint: string
}

const ATTEMPTS = 5

/**
 * A snapshot of the database at `real`, taken while none of its files changed. `shown` names it in
 * messages; `resolve` says where its -wal and -journal lead (links followed as the reader follows them).
 */
export async function takeSnapshot(real: string, shown: string = real, resolve?: (path: string) => Promise<string>): Promise<Snapshot> {
  for (let attempt = 1; ; attempt++) {
    const before = await fingerprint(real)
    const image = await snapshotSqlite(real, shown, resolve)
    if ((await fingerprint(real)) === before) return { image, fingerprint: before }
    if (attempt === ATTEMPTS) throw new StoreError('database-busy', `${real} kept changing while CertAudit read it: the browser is writing to it. Close the browser and try again.`)
    await sleep(50 * attempt)
  }
}

/**
 * Puts `image` in place of the database `snapshot` was taken of. Returns null when done, or why
 * nothing (or only the harmless step 1) was done. Refuses when any of its files changed since the snapshot.
 */
export async function replaceDatabase(real: string, snapshot: Snapshot, image: Uint8Array): Promise<string | null> {
  if ((await fingerprint(real)) !== snapshot.fingerprint) return `${real} changed while CertAudit prepared the change (is the browser open?); nothing was changed. Close the browser and try again.`
  const [info, header] = await Promise.all([stat(real), headerOf(real)])
  const mode = info.mode & 0o7777
  // The journal mode the file had (WAL or not): the snapshot and the change were made in rollback mode.
  const asLive = (bytes: Uint8Array) => {
    const copy = Buffer.from(bytes)
    keepJournalMode(copy, header)
    return copy
  }
  const logs = [`${real}-wal`, `${real}-journal`]
  const live = (await Promise.all(logs.map((path) => stat(path).then((s) => s.size > 0, () => false)))).some(Boolean)
  if (live) {
    const settled = await writeAtomically(real, asLive(snapshot.image), mode, info)
    if (settled) return settled
    for (const path of [`${real}-wal`, `${real}-shm`, `${real}-journal`]) {
      const removed = await removeIfPresent(path)
      if (removed) return `${removed} The database itself is unchanged (its pending log was written into it).`
    }
    await syncFolder(dirname(real))
  }
  return writeAtomically(real, asLive(image), mode, info)
}

/** The first 100 bytes of a database file (where its links led): its header. */
function headerOf(path: string): Promise<Buffer> {
  return readRegularFileHead(path, 100, { noFollow: true })
}

/** Size, times and inode of the database and its log files: any writer between two looks shows here. */
async function fingerprint(real: string): Promise<string> {
  const parts = await Promise.all(
    [real, `${real}-wal`, `${real}-journal`].map((path) =>
      stat(path).then(
        (s) => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`,
        () => '-',
      ),
    ),
  )
  return parts.join('|')
}

/** Replaces `path` whole (shared/replace-file.ts), keeping its mode and owner; null when done, else why not. */
async function writeAtomically(path: string, bytes: Uint8Array, mode: number, owner: { uid: number; gid: number }): Promise<string | null> {
  try {
    await replaceFile(path, bytes, { mode, owner })
    return null
  } catch (error) {
    return `CertAudit could not write ${path}: ${(error as Error).message}. Nothing was changed.`
  }
}

async function removeIfPresent(path: string): Promise<string | null> {
  try {
    await unlink(path)
    return null
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : `CertAudit could not delete ${path}: ${(error as Error).message}.`
  }
}
