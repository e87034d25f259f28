/**
 * Reads the keystore formats a JDK keeps its trust store in — JKS, JCEKS and PKCS #12 — in-process,
 * without a JVM. The format is told from the content, never from the name: a file called `cacerts`
 * is JKS on Debian (ca-certificates-java) and PKCS #12 in upstream JDK 18+.
 *
 * Everything works on an in-memory buffer and never trusts a length it reads: a damaged file becomes
 * a {@link StoreError} that names the file, a damaged entry a problem item.
 */
import { Tag } from '../../audit/der.js'
import { readJks } from './jks.js'
import { readPkcs12 } from './pkcs12.js'
import { StoreError, type ListItem } from '../types.js'

export type KeystoreFormat = 'JKS' | 'JCEKS' | 'PKCS12'

/** The password every JDK ships its cacerts with, and the one keytool users almost never change; a keystore under another is left to the user. */
export const DEFAULT_PASSWORD = 'changeit'

/** The JDK's cacerts is ~200 KB and one with 100,000 certificates ~150 MB: past this a keystore is neither loaded nor changed. */
export const MAX_KEYSTORE_BYTES = 512 * 1024 * 1024

/** Tells the format from the first bytes, as the JDK's `KeyStore.probe` does; null if it is none of them. */
export function detectKeystoreFormat(bytes: Uint8Array): KeystoreFormat | null {
  const magic = bytes.length >= 4 ? Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32BE(0) : 0
  if (magic === 0xfeedfeed) return 'JKS'
  if (magic === 0xcececece) return 'JCEKS'
  // PKCS #12: SEQUENCE (any length form) { INTEGER 3, SEQUENCE … }. Only the header is checked, so a
  // truncated PKCS #12 file is reported as damaged rather than as "not a keystore".
  if (bytes[0] !== Tag.Sequence || bytes[1] === undefined) return null
  const at = 2 + (bytes[1] & 0x80 ? bytes[1] & 0x7f : 0)
  return [Tag.Integer, 1, 3, Tag.Sequence].every((byte, i) => bytes[at + i] === byte) ? 'PKCS12' : null
}

/**
 * Reads a keystore, yielding each certificate with its alias and trust, and problems with single
 * entries. Throws {@link StoreError} when the file is not a keystore, is damaged, or needs a password
 * other than `password` to be read at all.
 */
export function readKeystore(bytes: Buffer, path: string, password: string): Generator<ListItem> {
  const format = detectKeystoreFormat(bytes)
  if (format === 'PKCS12') return readPkcs12(bytes, path, password)
  if (format) return readJks(bytes, path, password, format)
  const start = bytes.length === 0 ? 'it is empty' : `it starts with the bytes ${bytes.subarray(0, 4).toString('hex').replace(/(..)(?=.)/g, '$1 ')}`
  throw new StoreError('not-a-keystore', `${path} is not a Java keystore (JKS, JCEKS or PKCS #12): ${start}.`)
}
