/**
 * A certificate file or bundle named on the command line (`certaudit scan --file PATH`): read like a
 * bundle, never changed (it is not a trust store).
 */
import { manualWriter, NO_BACKUP_DATA } from '../shared/manual.js'
import type { StoreAdapter } from '../types.js'
import { fileNotices } from './notices.js'
import { fileReader } from './read.js'

export { fileLocation } from './read.js'

export const fileStore: StoreAdapter<Record<string, never>> = {
  ...fileReader,
  ...manualWriter('file', (t) => fileNotices.notice('named-file', { location: t.location })),
  backupData: NO_BACKUP_DATA,
  notices: fileNotices,
}
