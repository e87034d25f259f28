/**
 * Firefox enterprise policies (policies.json, `Certificates.Install`): the certificates they install
 * into every profile at each start. Read, never edited: the plan names the file to change by hand,
 * since removing such a certificate from a profile does not last.
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { firefoxPolicyNotices } from './notices.js'
import { placedBy } from './placed-by.js'
import { list } from './read.js'
import { firefoxPolicyBackupData, firefoxPolicyWriter } from './write.js'

export const firefoxPolicyStore: StoreAdapter<Record<string, never>> = {
  kind: 'firefox-policy',
  discover,
  list,
  capabilities: firefoxPolicyWriter.capabilities,
  backup: firefoxPolicyWriter.backup,
  apply: firefoxPolicyWriter.apply,
  restore: firefoxPolicyWriter.restore,
  backupData: firefoxPolicyBackupData,
  notices: firefoxPolicyNotices,
  placedBy,
}
