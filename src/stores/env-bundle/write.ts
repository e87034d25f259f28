import { manualWriter, NO_BACKUP_DATA } from '../shared/manual.js'
import { envBundleNotices } from './notices.js'

/** These bundles are the user's own files: every change is refused, and the plan says which variable or setting to change by hand. */
export const envBundleWriter = manualWriter('env-bundle', (t) => envBundleNotices.notice('env-bundle', { location: t.location }))

/** Nothing is ever backed up from a bundle an environment variable names. */
export const envBundleBackupData = NO_BACKUP_DATA
