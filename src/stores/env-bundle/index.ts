/**
 * Bundles, folders and Java trust stores that environment variables (variables.ts) or git settings
 * point programs at, with where each variable is set (startup-files.ts). Variables are never changed;
 * a bundle or keystore in the user's own home folder is edited with a backup, the rest explained.
 */
import type { PointedData } from '../shared/pointed-writer.js'
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { envBundleNotices } from './notices.js'
import { list } from './read.js'
import { envBundleBackupData, envBundleWriter } from './write.js'

export const envBundleStore: StoreAdapter<PointedData> = {
  kind: 'env-bundle',
  discover,
  list,
  capabilities: envBundleWriter.capabilities,
  backup: envBundleWriter.backup,
  apply: envBundleWriter.apply,
  restore: envBundleWriter.restore,
  backupData: envBundleBackupData,
  notices: envBundleNotices,
}
