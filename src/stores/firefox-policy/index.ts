/**
 * Firefox enterprise policies (policies.json, `Certificates.Install`): the certificates they install
 * into every profile at each start. Read, never edited: the plan names the file to change by hand,
 * since removing such a certificate from a profile does not last.
 */
import { manualWriter, NO_BACKUP_DATA } from '../shared/manual.js'
import type { StoreAdapter } from '../types.js'
import { firefoxPolicyNotices } from './notices.js'
import { firefoxPolicyReader } from './read.js'

export const firefoxPolicyStore: StoreAdapter<Record<string, never>> = {
  ...firefoxPolicyReader,
  ...manualWriter('firefox-policy', (t) => firefoxPolicyNotices.notice('firefox-policy', { location: t.location })),
  backupData: NO_BACKUP_DATA,
  notices: firefoxPolicyNotices,
}
