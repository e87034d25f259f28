/**
 * The Linux system store: where each distribution family keeps the sources it builds its bundle from
 * (Debian's ca-certificates.conf and folders, p11-kit's anchors and blocklists on Fedora, Arch and
 * openSUSE: discover.ts), read source by source, then the bundle itself (read.ts); changed at its
 * sources, then rebuilt with the distribution's own command (write.ts).
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { linuxSystemNotices } from './notices.js'
import { placedBy } from './placed-by.js'
import { list } from './read.js'
import { linuxSystemBackupData, linuxSystemWriter } from './write.js'

export const linuxSystemStore: StoreAdapter<typeof linuxSystemBackupData._output> = {
  kind: 'linux-system',
  discover,
  list,
  capabilities: linuxSystemWriter.capabilities,
  backup: linuxSystemWriter.backup,
  apply: linuxSystemWriter.apply,
  restore: linuxSystemWriter.restore,
  settle: linuxSystemWriter.settle,
  backupData: linuxSystemBackupData,
  notices: linuxSystemNotices,
  placedBy,
}
