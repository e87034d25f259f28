import { identify } from '../../audit/certificate.js'
import { readRegularFile } from '../shared/regular-file.js'
import { DEFAULT_PASSWORD, MAX_KEYSTORE_BYTES, readKeystore } from './keystore.js'
import type { JavaLocation } from './discover.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'

/** Reads a keystore in-process (JKS, JCEKS, PKCS #12), so neither a JVM nor keytool is needed. */
export async function* list(location: StoreLocation): AsyncGenerator<ListItem> {
  const path = location.location
  const problem = (location as JavaLocation).problem
  if (problem) throw new StoreError(problem.code, problem.message)
  // Discovery gives the keystore's real path (links followed inside the system root): a link now is not followed.
  const bytes = await readRegularFile(path, { maxBytes: MAX_KEYSTORE_BYTES, noFollow: true, what: 'Java keystore' })
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
