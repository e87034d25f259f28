/**
 * A certificate file or bundle named on the command line (`certaudit scan --file PATH`): read like a
 * bundle, never changed (it is not a trust store).
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { fileNotices } from './notices.js'
import { list } from './read.js'
import { fileBackupData, fileWriter } from './write.js'

export const fileStore: StoreAdapter<Record<string, never>> = {
  kind: 'file',
  discover,
  list,
  capabilities: fileWriter.capabilities,
  backup: fileWriter.backup,
  apply: fileWriter.apply,
  restore: fileWriter.restore,
  backupData: fileBackupData,
  notices: fileNotices,
}
