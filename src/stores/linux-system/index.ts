/**
 * The Linux system store: the sources each distribution family builds its bundle from (Debian's
 * ca-certificates.conf and folders, p11-kit's anchors and blocklists on Fedora, Arch and openSUSE)
 * and the bundle itself (read.ts); changed at its sources, then rebuilt with the distribution's own
 * command (write.ts).
 */
import type { StoreAdapter } from '../types.js'
import { linuxSystemNotices } from './notices.js'
import { linuxSystemReader } from './read.js'
import { linuxSystemBackupData, linuxSystemWriter } from './write.js'

export const linuxSystemStore: StoreAdapter<typeof linuxSystemBackupData._output> = {
  ...linuxSystemReader,
  ...linuxSystemWriter,
  backupData: linuxSystemBackupData,
  notices: linuxSystemNotices,
}
