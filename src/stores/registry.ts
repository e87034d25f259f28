import { envBundleStore } from './env-bundle/read.js'
import { fileStore } from './file/read.js'
import { firefoxPoliciesStore } from './firefox-policy/read.js'
import { javaStore } from './java/read.js'
import { javaWriter } from './java/write.js'
import { linuxSystemStore } from './linux-system/read.js'
import { linuxSystemWriter } from './linux-system/write.js'
import { macosStore } from './macos/read.js'
import { macosWriter } from './macos/write.js'
import { envBundleWriter, firefoxPoliciesWriter, namedFileWriter } from './shared/manual.js'
import { nssStore } from './nss/read.js'
import { nssWriter } from './nss/write.js'
import { notice, noticeText } from './shared/notices.js'
import { StoreError, type EntryTarget, type StoreReader, type StoreWriter } from './types.js'
import { windowsStore } from './windows/read.js'
import { windowsWriter } from './windows/write.js'

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
    case 'windows':
      return windowsStore
    case 'macos':
      return macosStore
    default:
      return fileStore
  }
}

/** The adapter that backs up, changes and restores an entry. */
export function writerFor(target: Pick<EntryTarget, 'storeId' | 'kind'>): StoreWriter {
  if (target.storeId.startsWith('firefox-policies:')) return firefoxPoliciesWriter
  switch (target.kind) {
    case 'nss':
      return nssWriterOutsideWindows
    case 'linux-system':
      return linuxSystemWriter
    case 'java':
      return javaWriter
    case 'env-bundle':
      return envBundleWriter
    case 'windows':
      return windowsWriter
    case 'macos':
      return macosWriter
    case 'file':
      return namedFileWriter
  }
}

/**
 * NSS databases are changed with NSS's own certutil. On Windows the `certutil` found on the PATH is
 * Windows' certificate tool (System32\certutil.exe), a different program with other options, so
 * Firefox profiles there are left to Firefox's certificate manager.
 */
const nssWriterOutsideWindows: StoreWriter = {
  ...nssWriter,
  async capabilities(target, env) {
    if (env.platform !== 'win32') return nssWriter.capabilities(target, env)
    return { modes: [], needsAdmin: false, manual: FIREFOX_ON_WINDOWS(target) }
  },
  async backup(target, env) {
    if (env.platform === 'win32') throw new StoreError('manual-only', noticeText(FIREFOX_ON_WINDOWS(target)))
    return nssWriter.backup(target, env)
  },
}

const FIREFOX_ON_WINDOWS = (target: EntryTarget) => notice('firefox-on-windows', { location: target.location })
