import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { CertificateStreamReader, formatBytes, type ReadItem } from '../../audit/pem.js'
import { breathe } from './paths.js'
import { StoreError, type ListItem, type TrustState } from '../types.js'

/** Bigger than any real bundle (100,000 certificates are ~200 MB of PEM): past this we refuse to read. */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024
/** Files up to this size are read at once; bigger ones stream in chunks of this size. */
const SMALL_FILE_BYTES = 1024 * 1024

const FILE_ERRORS: Readonly<Record<string, (path: string) => string>> = {
  ENOENT: (p) => `${p} does not exist.`,
  EACCES: (p) => `CertAudit is not allowed to read ${p} (permission denied).`,
  EPERM: (p) => `CertAudit is not allowed to read ${p} (operation not permitted).`,
  EISDIR: (p) => `${p} is a folder, not a certificate file.`,
  ELOOP: (p) => `${p} is a symbolic link that points back to itself (a link loop).`,
  ENOTDIR: (p) => `A part of the path ${p} is not a folder.`,
}

/** Turns a file system error into a {@link StoreError} that says what went wrong in plain words. */
export function fileError(path: string, error: unknown): StoreError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
  const describe = FILE_ERRORS[code]
  return new StoreError(code.toLowerCase(), describe ? describe(path) : `${path} could not be read: ${(error as Error).message}`)
}

/**
 * Streams the certificates of a PEM bundle or DER file as store entries; damaged blocks become
 * problems and the read goes on. Throws {@link StoreError} when the file cannot be read at all.
 */
export async function* readBundleFile(path: string, trust: TrustState = 'trusted'): AsyncGenerator<ListItem> {
  const small = readSmallBundleFile(path, trust)
  if (small) {
    await breathe()
    yield* small
    return
  }
  let info: Stats
  try {
    info = statSync(path)
  } catch (error) {
    throw fileError(path, error)
  }
  if (info.size > MAX_BUNDLE_BYTES) {
    throw new StoreError('too-large', `${path} is ${formatBytes(info.size)}, far larger than any certificate bundle; it was not read.`)
  }
  const reader = new CertificateStreamReader()
  try {
    if (info.size <= SMALL_FILE_BYTES) {
      // A pipe (`--file <(…)`) or a device: never read synchronously, it may wait for its writer.
      yield* toItems(reader.push(await readFile(path)), path, trust)
    } else {
      for await (const chunk of createReadStream(path, { highWaterMark: SMALL_FILE_BYTES })) yield* toItems(reader.push(chunk as Buffer), path, trust)
    }
  } catch (error) {
    throw fileError(path, error)
  }
  yield* toItems(reader.end(), path, trust)
}

/**
 * The entries and problems of a small regular file (one certificate, a distro bundle), read at once
 * and synchronously: a store of 10,000 such files is read several times faster this way than through
 * streams and promises (see breathe in paths.ts). Undefined when the file must be streamed instead
 * (bigger than a megabyte, a pipe or a device). Throws {@link StoreError} when it cannot be read.
 */
export function readSmallBundleFile(path: string, trust: TrustState = 'trusted'): ListItem[] | undefined {
  let fd: number | undefined
  let info: Stats
  try {
    // Opened before it is looked at (one call less). O_NONBLOCK: opening a pipe named with --file must
    // not wait for its writer; it is read asynchronously by readBundleFile.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    info = fstatSync(fd)
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    throw fileError(path, error)
  }
  if (!info.isFile() || info.size > SMALL_FILE_BYTES) {
    closeSync(fd)
    return undefined
  }
  const reader = new CertificateStreamReader()
  return toItems([...reader.push(readOpenFile(fd, info.size, path)), ...reader.end()], path, trust)
}

function toItems(items: readonly ReadItem[], path: string, trust: TrustState): ListItem[] {
  return items.map((item) =>
    item.type === 'certificate'
      ? { type: 'entry', der: item.der, entry: `certificate ${item.position.index} (line ${item.position.line})`, trust }
      : { type: 'problem', path, code: item.code, message: `${path}: ${item.message}` },
  )
}

/** Reads a small regular file already open (its size known) and closes it. */
function readOpenFile(fd: number, size: number, path: string): Buffer {
  try {
    const bytes = Buffer.allocUnsafe(size)
    let got = 0
    while (got < size) {
      const n = readSync(fd, bytes, got, size - got, got)
      if (n === 0) break // it shrank since fstat
      got += n
    }
    return bytes.subarray(0, got)
  } catch (error) {
    throw fileError(path, error)
  } finally {
    closeSync(fd)
  }
}
