import { envBundleStore } from './env-bundle-store.js'
import { fileStore } from './file-store.js'
import { firefoxPoliciesStore } from './firefox-policies-store.js'
import { javaStore } from './java-store.js'
import { javaWriter } from './java-writer.js'
import { linuxSystemStore } from './linux-system-store.js'
import { linuxSystemWriter } from './linux-system-writer.js'
import { envBundleWriter, firefoxPoliciesWriter, manualWriter, namedFileWriter } from './manual-writer.js'
import { nssStore } from './nss-store.js'
import { nssWriter } from './nss-writer.js'
import type { EntryTarget, StoreReader, StoreWriter } from './types.js'

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
    case 'linux-system':
      return linuxSystemWriter
    case 'java':
      return javaWriter
    case 'env-bundle':
      return envBundleWriter
    case 'file':
      return namedFileWriter
    default:
      return unsupportedWriter
  }
}

/** Windows and macOS stores are changed with their own writers, which come with those adapters. */
const unsupportedWriter = manualWriter('windows', (t) => `CertAudit cannot change ${t.location} yet: remove the certificate with the system's own certificate manager.`)
