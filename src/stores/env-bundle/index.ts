/**
 * Bundles and folders that environment variables or git settings point programs at: read, never
 * edited (they are the user's own files; the plan says what to change by hand).
 */
import { manualWriter, NO_BACKUP_DATA } from '../shared/manual.js'
import type { StoreAdapter } from '../types.js'
import { envBundleNotices } from './notices.js'
import { envBundleReader } from './read.js'

export const envBundleStore: StoreAdapter<Record<string, never>> = {
  ...envBundleReader,
  ...manualWriter('env-bundle', (t) => envBundleNotices.notice('env-bundle', { location: t.location })),
  backupData: NO_BACKUP_DATA,
  notices: envBundleNotices,
}
