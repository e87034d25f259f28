/**
 * Roots that language runtimes and developer tools keep for themselves, found on disk: certifi and
 * the other bundles of Python packages in every environment, the bundles tools' config files name
 * (pip, npm, pnpm, Yarn, conda, curl, wget, Cargo, gcloud, AWS, Gradle, Maven …), container
 * registries' CAs (certs.d), Java Web Start's and .NET's user stores. The user's own files are
 * edited with a backup; a package's file or another user's is explained.
 */
import type { PointedData } from '../shared/pointed-writer.js'
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { runtimeNotices } from './notices.js'
import { list } from './read.js'
import { runtimeBackupData, runtimeWriter } from './write.js'

export const runtimeStore: StoreAdapter<PointedData> = {
  kind: 'runtime',
  discover,
  list,
  capabilities: runtimeWriter.capabilities,
  backup: runtimeWriter.backup,
  apply: runtimeWriter.apply,
  restore: runtimeWriter.restore,
  backupData: runtimeBackupData,
  notices: runtimeNotices,
}
