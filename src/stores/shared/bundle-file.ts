import { closeSync } from 'node:fs'
import { CertificateStreamReader, type ReadItem } from '../../audit/pem.js'
import { breathe } from './paths.js'
import { fileError, openRegularFileSync, readOpenRegularFileSync, readRegularFileChunks } from './regular-file.js'
import type { ListItem, TrustState } from '../types.js'

export { fileError }

/** Bigger than any real bundle (100,000 certificates are ~200 MB of PEM): past this we refuse to read. */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024
/** Files up to this size are read at once; bigger ones stream in chunks of this size. */
const SMALL_FILE_BYTES = 1024 * 1024
const BUNDLE = { maxBytes: MAX_BUNDLE_BYTES, what: 'certificate bundle' } as const

/**
 * How a bundle is read: `noFollow` when its path is already the file itself, links followed inside the
 * system root; `shown`, the name people know it by, for messages.
 */
export interface BundleReadOptions {
  readonly noFollow?: boolean
  readonly shown?: string
}

/**
 * Streams the certificates of a PEM bundle or DER file as store entries; damaged blocks become
 * problems and the read goes on. Throws {@link StoreError} when the file cannot be read at all: it is
 * missing, not a regular file (a FIFO, a device, a socket: see regular-file.ts) or bigger than any bundle.
 */
export async function* readBundleFile(path: string, trust: TrustState = 'trusted', options: BundleReadOptions = {}): AsyncGenerator<ListItem> {
  const small = readSmallBundleFile(path, trust, options)
  if (small) {
    await breathe()
    yield* small
    return
  }
  const reader = new CertificateStreamReader()
  const shown = options.shown ?? path
  for await (const chunk of readRegularFileChunks(path, { ...BUNDLE, ...options, chunkBytes: SMALL_FILE_BYTES })) yield* toItems(reader.push(chunk), shown, trust)
  yield* toItems(reader.end(), shown, trust)
}

/**
 * The entries and problems of a small regular file (one certificate, a distro bundle), read at once
 * and synchronously: a store of 10,000 such files is read several times faster this way than through
 * streams and promises (see breathe in paths.ts). Undefined when the file must be streamed instead
 * (bigger than a megabyte). Throws {@link StoreError} when it cannot be read, or is not a regular file.
 */
export function readSmallBundleFile(path: string, trust: TrustState = 'trusted', options: BundleReadOptions = {}): ListItem[] | undefined {
  const { fd, size } = openRegularFileSync(path, { ...BUNDLE, ...options })
  if (size > SMALL_FILE_BYTES) {
    closeSync(fd)
    return undefined
  }
  const reader = new CertificateStreamReader()
  return toItems([...reader.push(readOpenRegularFileSync(fd, size, path, { ...BUNDLE, ...options })), ...reader.end()], options.shown ?? path, trust)
}

function toItems(items: readonly ReadItem[], path: string, trust: TrustState): ListItem[] {
  return items.map((item) =>
    item.type === 'certificate'
      ? { type: 'entry', der: item.der, entry: `certificate ${item.position.index} (line ${item.position.line})`, trust }
      : { type: 'problem', path, code: item.code, message: `${path}: ${item.message}` },
  )
}
