import { manualWriter, NO_BACKUP_DATA } from '../shared/manual.js'
import { firefoxPolicyNotices } from './notices.js'

/** A policy re-installs its certificates at each start: every change is refused, and the plan names the policies.json to change by hand. */
export const firefoxPolicyWriter = manualWriter('firefox-policy', (t) => firefoxPolicyNotices.notice('firefox-policy', { location: t.location }))

/** Nothing is ever backed up from a policies.json. */
export const firefoxPolicyBackupData = NO_BACKUP_DATA
