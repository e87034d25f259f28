import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { CertificateStreamReader, formatBytes, type ReadItem } from '../audit/pem.js'
import { StoreError, type ListItem, type TrustState } from './types.js'

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
  let size: number
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    size = info.size
  } catch (error) {
    throw fileError(path, error)
  }
  if (size > MAX_BUNDLE_BYTES) {
    throw new StoreError('too-large', `${path} is ${formatBytes(size)}, far larger than any certificate bundle; it was not read.`)
  }
  const reader = new CertificateStreamReader()
  const toItems = (items: ReadItem[]): ListItem[] =>
    items.map((item) =>
      item.type === 'certificate'
        ? { type: 'entry', der: item.der, entry: `certificate ${item.position.index} (line ${item.position.line})`, trust }
        : { type: 'problem', path, code: item.code, message: `${path}: ${item.message}` },
    )
  try {
    if (size <= SMALL_FILE_BYTES) {
      // One certificate or a distro bundle: a single read is much cheaper than a stream.
      yield* toItems(reader.push(await readFile(path)))
    } else {
      for await (const chunk of createReadStream(path, { highWaterMark: SMALL_FILE_BYTES })) yield* toItems(reader.push(chunk as Buffer))
    }
  } catch (error) {
    throw fileError(path, error)
  }
  yield* toItems(reader.end())
}
