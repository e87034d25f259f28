import { readFile, stat } from 'node:fs/promises'
import { identify } from '../../audit/certificate.js'
import { formatBytes } from '../../audit/pem.js'
import { fileError } from '../shared/bundle-file.js'
import { DEFAULT_PASSWORD, MAX_KEYSTORE_BYTES, readKeystore } from './keystore.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'



/** Reads a keystore in-process (JKS, JCEKS, PKCS #12), so neither a JVM nor keytool is needed. */
export async function* list(location: StoreLocation): AsyncGenerator<ListItem> {
  const path = location.location
  let bytes: Buffer
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    if (info.size > MAX_KEYSTORE_BYTES) {
      throw new StoreError('too-large', `${path} is ${formatBytes(info.size)}, far larger than any Java keystore; it was not read.`)
    }
    bytes = await readFile(path)
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(path, error)
  }
  for (const item of readKeystore(bytes, path, DEFAULT_PASSWORD)) {
    if (item.type === 'problem') {
      yield item
      continue
    }
    // A certificate that does not even parse is reported for its alias, and the reading goes on.
    try {
      identify(item.der)
      yield item
    } catch (error) {
      yield { type: 'problem', code: 'corrupt-certificate', path, message: `${path}: the certificate of entry "${item.entry}" is damaged and was skipped: ${(error as Error).message}.` }
    }
  }
}
