import { envBundleStore } from './env-bundle-store.js'
import { fileStore } from './file-store.js'
import { firefoxPoliciesStore } from './firefox-policies-store.js'
import { javaStore } from './java-store.js'
import { linuxSystemStore } from './linux-system-store.js'
import { envBundleWriter, firefoxPoliciesWriter, manualWriter, namedFileWriter } from './manual-writer.js'
import { nssStore } from './nss-store.js'
import { nssWriter } from './nss-writer.js'
import type { EntryTarget, StoreReader, StoreWriter } from './types.js'

// Writers land with their adapters; until then a store kind is changed by hand.
const pending = manualWriter('nss', (t) => `CertAudit cannot change ${t.location} yet: remove the certificate with the store's own tool.`)

/** The adapter that reads the store an entry lives in (to verify a change by re-listing it). */
export function readerFor(target: Pick<EntryTarget, 'storeId' | 'kind'>): StoreReader {
  if (target.storeId.startsWith('firefox-policies:')) return firefoxPoliciesStore
  switch (target.kind) {
    case 'nss':
      return nssStore
    case 'linux-system':
      return linuxSystemStore
    case 'java':
      return javaStore
    case 'env-bundle':
      return envBundleStore
    default:
      return fileStore
  }
}

/** The adapter that backs up, changes and restores an entry. */
export function writerFor(target: Pick<EntryTarget, 'storeId' | 'kind'>): StoreWriter {
  if (target.storeId.startsWith('firefox-policies:')) return firefoxPoliciesWriter
  switch (target.kind) {
    case 'nss':
      return nssWriter
    case 'env-bundle':
      return envBundleWriter
    case 'file':
      return namedFileWriter
    default:
      return pending
  }
}
