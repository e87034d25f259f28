/**
 * Bundles and folders that environment variables or git settings point programs at: read, never
 * edited (they are the user's own files; the plan says what to change by hand).
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { envBundleNotices } from './notices.js'
import { list } from './read.js'
import { envBundleBackupData, envBundleWriter } from './write.js'

export const envBundleStore: StoreAdapter<Record<string, never>> = {
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
