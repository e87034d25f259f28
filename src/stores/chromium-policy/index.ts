/**
 * Enterprise CA policies of Chromium-family browsers (Chrome, Chromium, Edge, Brave, Vivaldi, Opera,
 * Yandex and any other built on Chromium): CACertificates, CACertificatesWithConstraints,
 * CADistrustedCertificates and CAHintCertificates, from Linux policy folders, macOS managed and
 * ordinary preferences, and the Windows registry. A certificate a policy installs comes back as long
 * as the policy is there: Linux JSON files are edited with a backup, every other source is explained.
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { chromiumPolicyNotices } from './notices.js'
import { placedBy } from './placed-by.js'
import { list } from './read.js'
import { chromiumPolicyBackupData, chromiumPolicyWriter } from './write.js'

export const chromiumPolicyStore: StoreAdapter<typeof chromiumPolicyBackupData._output> = {
  kind: 'chromium-policy',
  discover,
  list,
  capabilities: chromiumPolicyWriter.capabilities,
  backup: chromiumPolicyWriter.backup,
  apply: chromiumPolicyWriter.apply,
  restore: chromiumPolicyWriter.restore,
  backupData: chromiumPolicyBackupData,
  notices: chromiumPolicyNotices,
  placedBy,
}
