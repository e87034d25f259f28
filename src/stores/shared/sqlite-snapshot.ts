/**
 * A consistent, read-only snapshot of an SQLite database that another program may have open right
 * now (Firefox holds its cert9.db open while it runs). We never open the live file with SQLite:
 * opening it could wait on the other program's locks, and rolling back its hot journal or
 * checkpointing its WAL would write to it. Instead we copy the bytes of the database and of its
 * `-wal` or `-journal` file, and apply them to the copy the way SQLite would on open:
 * https://www.sqlite.org/fileformat2.html (sections "The Write-Ahead Log" and "The Rollback Journal").
 */
import { lstat } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileError, readRegularFile } from './regular-file.js'
import { JOURNAL_MODE_BYTES } from './sql-js.js'
import { StoreError } from '../types.js'

/** Far larger than any real cert9.db (a few MB): past this we refuse to load it into memory. */
export const MAX_DATABASE_BYTES = 256 * 1024 * 1024
/** A writer that keeps changing the files for this many tries is reported, not waited for forever. */
const READ_ATTEMPTS = 5

/**
 * Reads `path` with its `-wal` and `-journal` files and returns the bytes of the database as the
 * last committed transaction left it, in rollback-journal mode, ready for any SQLite to open
 * read-only. The `-shm` file is not read: it is only an index of the WAL, which SQLite itself
 * rebuilds from the WAL when it is missing, and a stale copy of it could point at the wrong frames.
 * Each of the three files is first resolved with `resolve` (the caller's: links followed inside
 * --system-root) and then read without following links, and each must be a regular file: a FIFO or a
 * device named cert9.db-wal would otherwise hang the read or never end it. `shown` names the database
 * in messages as people know it. Throws {@link StoreError} when a file cannot be read or keeps changing.
 */
export async function snapshotSqlite(path: string, shown: string = path, resolve: (path: string) => Promise<string> = async (p) => p): Promise<Buffer> {
  const files = [
    { path, shown, required: true },
    { path: `${path}-wal`, shown: `${shown}-wal`, required: false },
    { path: `${path}-journal`, shown: `${shown}-journal`, required: false },
  ]
  for (let attempt = 1; ; attempt++) {
    // Where each leads now; a missing -wal or -journal is null (nothing to apply).
    const real = await Promise.all(files.map((f) => resolveOrMissing(f.path, f.shown, f.required, resolve)))
    const before = await fingerprint(real)
    const [database, wal, journal] = await Promise.all(real.map((p, i) => (p === null ? null : readWhole(p, files[i]!.shown))))
    const after = await fingerprint(real)
    if (before === after && database) {
      try {
        return applyJournal(applyWal(database, wal ?? null), journal ?? null)
      } catch (error) {
        if (error instanceof StoreError) throw new StoreError(error.code, `${shown}: ${error.message}`)
        throw error
      }
    }
    if (attempt === READ_ATTEMPTS) {
      throw new StoreError('database-busy', `${shown} kept changing while CertAudit read it (the program using it is writing to it). Close that program and scan again.`)
    }
    await sleep(50 * attempt)
  }
}

async function resolveOrMissing(path: string, shown: string, required: boolean, resolve: (path: string) => Promise<string>): Promise<string | null> {
  try {
    return await resolve(path)
  } catch (error) {
    const cause = fileError(shown, error)
    if (!required && cause.code === 'enoent') return null
    throw cause
  }
}

/** Size, change time and inode of the files, to notice a writer between our reads. */
async function fingerprint(paths: readonly (string | null)[]): Promise<string> {
  const parts = await Promise.all(
    paths.map(async (p, i) => {
      if (p === null) return '-'
      try {
        const info = await lstat(p)
        return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`
      } catch (error) {
        if (i > 0 && (error as NodeJS.ErrnoException).code === 'ENOENT') return '-'
        throw fileError(p, error)
      }
    }),
  )
  return parts.join('|')
}

async function readWhole(path: string, shown: string): Promise<Buffer | null> {
  try {
    return await readRegularFile(path, { maxBytes: MAX_DATABASE_BYTES, noFollow: true, what: 'certificate database', shown })
  } catch (error) {
    // Gone between resolving and reading (SQLite deletes its journal at each commit): nothing to apply.
    if ((error as StoreError).code === 'enoent') return null
    throw error
  }
}

const WAL_HEADER = 32
const WAL_FRAME_HEADER = 24

/**
 * Applies the committed frames of a WAL to a copy of the database. Frames are valid while their
 * salts match the WAL header and the running checksum holds; only frames up to the last commit
 * frame count. An invalid or reset WAL is ignored, as SQLite ignores it.
 */
export function applyWal(database: Buffer, wal: Buffer | null): Buffer {
  if (!wal || wal.length < WAL_HEADER) return database
  const magic = wal.readUInt32BE(0)
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return database
  const bigEndian = (magic & 1) === 1
  const rawPageSize = wal.readUInt32BE(8)
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return database
  let sums = walChecksum(wal, 0, 24, bigEndian, [0, 0])
  if (sums[0] !== wal.readUInt32BE(24) || sums[1] !== wal.readUInt32BE(28)) return database
  const salt = wal.subarray(16, 24)

  const committed = new Map<number, Buffer>()
  const pending = new Map<number, Buffer>()
  let pageCount = 0
  for (let offset = WAL_HEADER; offset + WAL_FRAME_HEADER + pageSize <= wal.length; offset += WAL_FRAME_HEADER + pageSize) {
    if (!wal.subarray(offset + 8, offset + 16).equals(salt)) break
    sums = walChecksum(wal, offset, 8, bigEndian, sums)
    sums = walChecksum(wal, offset + WAL_FRAME_HEADER, pageSize, bigEndian, sums)
    if (sums[0] !== wal.readUInt32BE(offset + 16) || sums[1] !== wal.readUInt32BE(offset + 20)) break
    pending.set(wal.readUInt32BE(offset), wal.subarray(offset + WAL_FRAME_HEADER, offset + WAL_FRAME_HEADER + pageSize))
    const commitSize = wal.readUInt32BE(offset + 4)
    if (commitSize !== 0) {
      for (const [page, data] of pending) committed.set(page, data)
      pending.clear()
      pageCount = commitSize
    }
  }
  if (committed.size === 0) return database
  if (pageCount * pageSize > MAX_DATABASE_BYTES) throw tooLarge('write-ahead log', pageCount * pageSize)

  const result = Buffer.alloc(pageCount * pageSize)
  database.copy(result, 0, 0, Math.min(database.length, result.length))
  for (const [page, data] of committed) if (page >= 1 && page <= pageCount) data.copy(result, (page - 1) * pageSize)
  // The copy has no WAL beside it any more: mark it as a rollback-journal database.
  for (const at of JOURNAL_MODE_BYTES) result[at] = 1
  return result
}

/** SQLite's WAL checksum: two running 32-bit sums over pairs of words in the byte order the magic names. */
function walChecksum(data: Buffer, start: number, length: number, bigEndian: boolean, [s0, s1]: readonly [number, number]): [number, number] {
  let a = s0
  let b = s1
  for (let i = start; i < start + length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i)
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4)
    a = (a + x0 + b) >>> 0
    b = (b + x1 + a) >>> 0
  }
  return [a, b]
}

const JOURNAL_MAGIC = Buffer.from('d9d505f920a163d7', 'hex')

/**
 * Rolls a hot rollback journal back into a copy of the database: the journal holds the original
 * content of every page a transaction in progress (or interrupted by a crash) has overwritten, so
 * putting those pages back gives the last committed state. A journal without a valid header is not
 * hot (it was committed or never started) and is ignored, as SQLite ignores it.
 */
export function applyJournal(database: Buffer, journal: Buffer | null): Buffer {
  if (!journal || journal.length < 28 || !journal.subarray(0, 8).equals(JOURNAL_MAGIC)) return database
  const sectorSize = journal.readUInt32BE(20)
  const pageSize = journal.readUInt32BE(24) === 1 ? 65536 : journal.readUInt32BE(24)
  if (sectorSize < 32 || sectorSize > 65536 || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return database
  const originalPages = journal.readUInt32BE(16)
  // The header says how big the database was; a damaged one may say anything (4 billion pages).
  if (originalPages * pageSize > MAX_DATABASE_BYTES) throw tooLarge('rollback journal', originalPages * pageSize)
  const result = Buffer.alloc(Math.max(database.length, originalPages * pageSize))
  database.copy(result)
  const recordSize = 4 + pageSize + 4

  // A journal is one or more segments, each starting on a sector boundary with a header.
  for (let header = 0; header + 28 <= journal.length && journal.subarray(header, header + 8).equals(JOURNAL_MAGIC); ) {
    let records = journal.readUInt32BE(header + 8)
    const nonce = journal.readUInt32BE(header + 12)
    let offset = header + sectorSize
    if (records === 0xffffffff) records = Math.floor((journal.length - offset) / recordSize)
    for (let r = 0; r < records && offset + recordSize <= journal.length; r++, offset += recordSize) {
      const page = journal.readUInt32BE(offset)
      const data = journal.subarray(offset + 4, offset + 4 + pageSize)
      // SQLite's journal checksum: the nonce plus every 200th byte, from the end of the page.
      let sum = nonce
      for (let i = pageSize - 200; i > 0; i -= 200) sum = (sum + data[i]!) >>> 0
      if (sum !== journal.readUInt32BE(offset + 4 + pageSize)) return truncate(result, originalPages, pageSize)
      if (page >= 1 && page <= originalPages) data.copy(result, (page - 1) * pageSize)
    }
    if (records === 0) break
    header = Math.ceil(offset / sectorSize) * sectorSize
  }
  return truncate(result, originalPages, pageSize)
}

/** A journal or log that would make the database bigger than any certificate database. */
function tooLarge(what: string, bytes: number): StoreError {
  return new StoreError('too-large', `The database's ${what} says it is ${bytes} bytes, far larger than any certificate database; it was not read (the journal may be damaged).`)
}

/** The database is cut back to the size it had before the interrupted transaction. */
function truncate(database: Buffer, pages: number, pageSize: number): Buffer {
  return pages > 0 ? database.subarray(0, pages * pageSize) : database
}
