/**
 * Chromium-family browsers' own certificate store (Chrome 131+, and Chromium, Edge, Brave, Vivaldi,
 * Opera, Yandex Browser…): one ServerCertificate SQLite database per profile, found in every
 * profile of every browser in the home folder (discover.ts), read from a private snapshot (read.ts),
 * changed on a copy swapped in with the browser closed (write.ts, swap.ts).
 */
import { byHand } from '../shared/placed-by.js'
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { chromiumNotices } from './notices.js'
import { list } from './read.js'
import { chromiumBackupData, chromiumWriter, type ChromiumBackupData } from './write.js'

export const chromiumStore: StoreAdapter<ChromiumBackupData> = {
  kind: 'chromium',
  discover,
  list,
  capabilities: chromiumWriter.capabilities,
  backup: chromiumWriter.backup,
  apply: chromiumWriter.apply,
  restore: chromiumWriter.restore,
  backupData: chromiumBackupData,
  notices: chromiumNotices,
  placedBy: byHand,
}
