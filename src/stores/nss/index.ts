/**
 * NSS certificate databases: every Firefox and Thunderbird profile keeps its own (cert9.db), and on
 * Linux Chromium and Google Chrome share one in ~/.pki/nssdb. Read with certutil or SQLite
 * (read.ts), changed with NSS's certutil (write.ts).
 */
import { noticeText } from '../shared/notices.js'
import { StoreError, type EntryTarget, type StoreAdapter } from '../types.js'
import { nssNotices } from './notices.js'
import { createNssReader, type NssReaderOptions } from './read.js'
import { nssBackupData, nssWriter, type NssBackupData } from './write.js'

/**
 * On Windows the `certutil` found on the PATH is Windows' certificate tool (System32\certutil.exe),
 * a different program with other options, so Firefox profiles there are left to Firefox's own
 * certificate manager.
 */
const writer: typeof nssWriter = {
  ...nssWriter,
  async capabilities(target, env) {
    if (env.platform !== 'win32') return nssWriter.capabilities(target, env)
    return { modes: [], needsAdmin: false, manual: firefoxOnWindows(target) }
  },
  async backup(target, env) {
    if (env.platform === 'win32') throw new StoreError('manual-only', noticeText(firefoxOnWindows(target)))
    return nssWriter.backup(target, env)
  },
}

const firefoxOnWindows = (target: EntryTarget) => nssNotices.notice('firefox-on-windows', { location: target.location })

/** The NSS adapter with a chosen reader (tests pin one to compare them); {@link nssStore} is the usual one. */
export function createNssStore(options: NssReaderOptions = {}): StoreAdapter<NssBackupData> {
  return { ...createNssReader(options), ...writer, backupData: nssBackupData, notices: nssNotices }
}

export const nssStore = createNssStore()
