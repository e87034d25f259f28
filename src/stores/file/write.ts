import { manualWriter, NO_BACKUP_DATA } from '../shared/manual.js'
import { fileNotices } from './notices.js'

/** A named file is not a trust store: every change is refused, and the plan says why. */
export const fileWriter = manualWriter('file', (t) => fileNotices.notice('named-file', { location: t.location }))

/** Nothing is ever backed up from a named file. */
export const fileBackupData = NO_BACKUP_DATA
