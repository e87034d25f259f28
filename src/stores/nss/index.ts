/**
 * NSS certificate databases: every Firefox and Thunderbird profile keeps its own (cert9.db), and on
 * Linux Chromium and Google Chrome share one in ~/.pki/nssdb (discover.ts). Read with certutil or
 * SQLite (read.ts), changed with NSS's certutil where it is installed and by CertAudit's own writer
 * elsewhere (write.ts).
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { nssNotices } from './notices.js'
import { placedBy } from './placed-by.js'
import { list, type NssReaderOptions } from './read.js'
import { nssBackupData, nssWriter, type NssBackupData } from './write.js'

/** The NSS adapter with a chosen reader (tests pin one to compare them); {@link nssStore} is the usual one. */
export function createNssStore(options: NssReaderOptions = {}): StoreAdapter<NssBackupData> {
  const reader = options.reader ?? 'auto'
  return {
    kind: 'nss',
    discover,
    list: (location, env) => list(location, env, reader),
    capabilities: nssWriter.capabilities,
    backup: nssWriter.backup,
    apply: nssWriter.apply,
    restore: nssWriter.restore,
    settle: nssWriter.settle,
    backupData: nssBackupData,
    notices: nssNotices,
    placedBy,
  }
}

export const nssStore = createNssStore()
