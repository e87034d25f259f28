/**
 * The one way CertAudit reads a file: whatever the path names — a named pipe (FIFO), /dev/zero,
 * /dev/urandom, a socket, a 100 GB sparse file, or a link to any of them — the read ends at once,
 * with the bytes of a regular file or a {@link StoreError} that says, in words, what the path is.
 *
 * - The path is looked at (stat, or lstat when links were resolved already) before it is opened:
 *   opening some devices has effects of its own (a tape rewinds, a watchdog starts), and opening a
 *   FIFO without O_NONBLOCK waits for a writer that may never come (open(2), fifo(7)).
 * - It is then opened with O_RDONLY | O_NONBLOCK | O_NOCTTY (and O_NOFOLLOW when asked) and the
 *   opened handle is checked again with fstat: the same regular file, not one swapped in since.
 * - At most `maxBytes` are read. A bigger file is refused from its size, before any byte is read; a
 *   file that grows while it is read is refused once it passes the cap. Nothing reads "until EOF".
 *
 * Every `readFile`, `readFileSync`, `createReadStream`, `copyFile` and `open(…, 'r')` of src/ goes through
 * here: whole files, the first bytes of one (a format's magic), a file with its stat (its mode, to write
 * it back), and the folder fsync after a rename ({@link syncFolder}). What is left elsewhere is commented
 * where it is (a temp file CertAudit just made; a lock file opened only to see whether it can be).
 * Tests: tests/stores/shared/regular-file.test.ts, and the class tests in tests/faults/special-files.test.ts.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs'
import { lstat, open, stat, type FileHandle } from 'node:fs/promises'
import { StoreError } from '../types.js'

/** What to read, and how much at most. */
export interface ReadLimits {
  /** The most bytes this kind of file can hold; a bigger file is refused ('too-large'), never read. */
  readonly maxBytes: number
  /**
   * The path is already the file itself (links were followed inside --system-root by the caller): a
   * link here is refused, not followed, so it cannot lead out of the system root after all.
   */
  readonly noFollow?: boolean
  /** What the file is, in the "too large" message ("certificate bundle", "Java keystore"…). */
  readonly what?: string
  /** The name people know the file by, when `path` is where its links led: messages name both. */
  readonly shown?: string
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0

const FILE_ERRORS: Readonly<Record<string, (path: string) => string>> = {
  ENOENT: (p) => `${p} does not exist.`,
  EACCES: (p) => `CertAudit is not allowed to read ${p} (permission denied).`,
  EPERM: (p) => `CertAudit is not allowed to read ${p} (operation not permitted).`,
  EISDIR: (p) => `${p} is a folder, not a certificate file.`,
  ELOOP: (p) => `${p} is a symbolic link that points back to itself (a link loop).`,
  ENOTDIR: (p) => `A part of the path ${p} is not a folder.`,
  ENXIO: (p) => `${p} is a socket or a device without a driver, not a file; it was not read.`,
}

/** Turns a file system error into a {@link StoreError} that says what went wrong in plain words. */
export function fileError(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
  const describe = FILE_ERRORS[code]
  return new StoreError(code.toLowerCase(), describe ? describe(path) : `${path} could not be read: ${(error as Error).message}`)
}

/** What a path that is not a regular file is, in words; null for a regular file. */
export function specialFileKind(info: Stats): string | null {
  if (info.isFile()) return null
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a named pipe (FIFO), which can wait forever for a writer'
  if (info.isCharacterDevice()) return 'a character device (like /dev/zero or /dev/urandom), which never ends'
  if (info.isBlockDevice()) return 'a block device (a whole disk or partition)'
  if (info.isSocket()) return 'a socket'
  if (info.isSymbolicLink()) return 'a symbolic link, which CertAudit does not follow here'
  return 'not a regular file'
}

/**
 * The refusal of a path that is not a regular file: code `eisdir` for a folder, `not-a-file` otherwise.
 * A link that is not followed (`noFollow`) is said with where it leads and what is there.
 */
export function notAFile(path: string, info: Stats, shown: string = path): StoreError {
  let link = shown !== path ? ` (it leads to ${path})` : ''
  try {
    if (!link && !info.isSymbolicLink() && lstatSync(path).isSymbolicLink()) link = ` (it is a link to ${readlinkSync(path)})`
  } catch {
    // Gone since: the message still says what it was.
  }
  if (info.isDirectory()) return new StoreError('eisdir', `${shown} is a folder, not a certificate file${link}.`)
  if (info.isSymbolicLink()) return new StoreError('not-a-file', `${shown}${shown !== path ? ` (at ${path})` : ''} is ${linkKind(path)}; CertAudit does not follow links here, and did not read it.`)
  return new StoreError('not-a-file', `${shown} is ${specialFileKind(info)}, not a regular file${link}; CertAudit did not read it.`)
}

/** A link, where it points and what is there (looked at with stat: nothing is opened). */
function linkKind(path: string): string {
  let target: string
  try {
    target = readlinkSync(path)
  } catch {
    return 'a symbolic link'
  }
  let there: string
  try {
    there = specialFileKind(statSync(path)) ?? 'a regular file'
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    there = code === 'ELOOP' ? 'part of a link loop' : code === 'ENOENT' ? 'which does not exist' : 'which CertAudit cannot look at'
  }
  return `a symbolic link to ${target}, ${there}`
}

/** The refusal of a file bigger than its kind can be. */
export function tooLarge(path: string, size: number, limits: ReadLimits): StoreError {
  const shown = limits.shown ?? path
  return new StoreError(
    'too-large',
    `${shown} is ${formatSize(size)}, far larger than any ${limits.what ?? 'file CertAudit reads'} (at most ${formatSize(limits.maxBytes)}); it was not read.`,
  )
}

/** The same file before and after opening: a swap in between is refused, not read. */
function sameFile(before: Stats, after: Stats): boolean {
  return before.dev === after.dev && before.ino === after.ino
}

/**
 * Opens a regular file for reading (see the file comment), synchronously. Returns its descriptor and
 * size; the caller closes it. Throws {@link StoreError}.
 */
export function openRegularFileSync(path: string, limits: ReadLimits): { fd: number; size: number; info: Stats } {
  let before: Stats
  try {
    before = limits.noFollow ? lstatSync(path) : statSync(path)
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  }
  if (!before.isFile()) throw notAFile(path, before, limits.shown)
  if (before.size > limits.maxBytes) throw tooLarge(path, before.size, limits)
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS | (limits.noFollow ? NO_FOLLOW : 0))
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  }
  try {
    const info = fstatSync(fd)
    if (!info.isFile()) throw notAFile(path, info, limits.shown)
    if (!sameFile(before, info)) throw changed(limits.shown ?? path)
    if (info.size > limits.maxBytes) throw tooLarge(path, info.size, limits)
    return { fd, size: info.size, info }
  } catch (error) {
    closeSync(fd)
    throw fileError(limits.shown ?? path, error)
  }
}

/** A regular file's bytes, at most `maxBytes` of them, read synchronously. Throws {@link StoreError}. */
export function readRegularFileSync(path: string, limits: ReadLimits): Buffer {
  const { fd, size } = openRegularFileSync(path, limits)
  return readOpenRegularFileSync(fd, size, path, limits)
}

/** Reads a file opened by {@link openRegularFileSync} (its size known), at most the cap, and closes it. */
export function readOpenRegularFileSync(fd: number, size: number, path: string, limits: ReadLimits): Buffer {
  try {
    return readCapped((buffer, offset, length, position) => readSync(fd, buffer, offset, length, position), size, path, limits)
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  } finally {
    closeSync(fd)
  }
}

/** {@link openRegularFileSync} without blocking the event loop. The caller closes the handle. */
export async function openRegularFile(path: string, limits: ReadLimits): Promise<{ handle: FileHandle; size: number; info: Stats }> {
  let before: Stats
  try {
    before = limits.noFollow ? await lstat(path) : await stat(path)
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  }
  if (!before.isFile()) throw notAFile(path, before, limits.shown)
  if (before.size > limits.maxBytes) throw tooLarge(path, before.size, limits)
  let handle: FileHandle
  try {
    handle = await open(path, OPEN_FLAGS | (limits.noFollow ? NO_FOLLOW : 0))
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw notAFile(path, info, limits.shown)
    if (!sameFile(before, info)) throw changed(limits.shown ?? path)
    if (info.size > limits.maxBytes) throw tooLarge(path, info.size, limits)
    return { handle, size: info.size, info }
  } catch (error) {
    await handle.close()
    throw fileError(limits.shown ?? path, error)
  }
}

/** A regular file's bytes, at most `maxBytes` of them. Throws {@link StoreError}. */
export async function readRegularFile(path: string, limits: ReadLimits): Promise<Buffer> {
  return (await readRegularFileWithInfo(path, limits)).bytes
}

/**
 * {@link readRegularFile}, with what fstat said of the file it read (its mode and owner, for a writer
 * that puts it back as it was): one look, so the bytes and the mode are of the same file.
 */
export async function readRegularFileWithInfo(path: string, limits: ReadLimits): Promise<{ bytes: Buffer; info: Stats }> {
  const { handle, size, info } = await openRegularFile(path, limits)
  try {
    // Read in pieces: FileHandle.read has no synchronous twin to pass to readCapped.
    const chunks: Buffer[] = []
    let total = 0
    for await (const chunk of readChunks(handle, path, limits, Math.min(Math.max(size + 1, 4096), limits.maxBytes + 1))) {
      chunks.push(chunk)
      total += chunk.length
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), info }
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  } finally {
    await handle.close()
  }
}

/** What a read of a file's first bytes needs: no size cap unless one is given (only `length` bytes are read). */
export type HeadLimits = Omit<ReadLimits, 'maxBytes'> & { readonly maxBytes?: number }

/**
 * The first `length` bytes of a regular file (fewer when it is shorter): enough to tell a keystore from
 * a bundle, or to read a database's header. Throws {@link StoreError} as {@link readRegularFileSync} does.
 */
export function readRegularFileHeadSync(path: string, length: number, limits: HeadLimits = {}): Buffer {
  const full = { ...limits, maxBytes: limits.maxBytes ?? Number.MAX_SAFE_INTEGER }
  const { fd } = openRegularFileSync(path, full)
  try {
    const head = Buffer.alloc(length)
    let got = 0
    for (let n = 1; got < length && n > 0; got += n) n = readSync(fd, head, got, length - got, got)
    return head.subarray(0, got)
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  } finally {
    closeSync(fd)
  }
}

/** {@link readRegularFileHeadSync} without blocking the event loop. */
export async function readRegularFileHead(path: string, length: number, limits: HeadLimits = {}): Promise<Buffer> {
  const full = { ...limits, maxBytes: limits.maxBytes ?? Number.MAX_SAFE_INTEGER }
  const { handle } = await openRegularFile(path, full)
  try {
    const head = Buffer.alloc(length)
    let got = 0
    for (let n = 1; got < length && n > 0; got += n) n = (await handle.read(head, got, length - got, got)).bytesRead
    return head.subarray(0, got)
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  } finally {
    await handle.close()
  }
}

/**
 * Makes a rename or unlink in the folder `dir` durable: the folder entry is what changed (fsync(2)).
 * The folder is opened with O_DIRECTORY, so whatever else has its name now (a FIFO, a device) is refused
 * by open itself, never waited on or opened as a device. Windows cannot open a folder this way; there
 * NTFS's journal keeps the rename itself (MoveFileEx), and nothing more is done.
 */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NONBLOCK ?? 0))
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** A regular file's bytes, `chunkBytes` at a time, at most `maxBytes` in all: for files too big to hold at once. */
export async function* readRegularFileChunks(path: string, limits: ReadLimits & { readonly chunkBytes: number }): AsyncGenerator<Buffer> {
  const { handle } = await openRegularFile(path, limits)
  try {
    yield* readChunks(handle, path, limits, limits.chunkBytes)
  } catch (error) {
    throw fileError(limits.shown ?? path, error)
  } finally {
    await handle.close()
  }
}

/** The chunks of an open file, refusing it once more than `maxBytes` came (it grew since fstat). */
async function* readChunks(handle: FileHandle, path: string, limits: ReadLimits, chunkBytes: number): AsyncGenerator<Buffer> {
  let total = 0
  for (;;) {
    const buffer = Buffer.allocUnsafe(chunkBytes)
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, total)
    if (bytesRead === 0) return
    total += bytesRead
    if (total > limits.maxBytes) throw tooLarge(path, total, limits)
    yield bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead)
  }
}

type ReadAt = (buffer: Buffer, offset: number, length: number, position: number) => number

/** Reads up to EOF into one buffer sized from fstat, growing it (to at most the cap) if the file grew. */
function readCapped(readAt: ReadAt, size: number, path: string, limits: ReadLimits): Buffer {
  // One byte more than fstat said, so that a file which grew is noticed by the same read.
  let buffer = Buffer.allocUnsafe(Math.min(size + 1, limits.maxBytes + 1))
  let got = 0
  for (;;) {
    if (got === buffer.length) {
      if (got > limits.maxBytes) throw tooLarge(path, got, limits)
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limits.maxBytes + 1))
      buffer.copy(bigger, 0, 0, got)
      buffer = bigger
    }
    const n = readAt(buffer, got, buffer.length - got, got)
    if (n === 0) return buffer.subarray(0, got)
    got += n
  }
}

function changed(path: string): StoreError {
  return new StoreError('file-changed', `${path} was replaced by another file while CertAudit opened it; it was not read. Scan again.`)
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const units = ['KB', 'MB', 'GB', 'TB', 'PB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}
