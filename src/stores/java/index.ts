/**
 * Java keystores (cacerts of each JDK, and the shared ones distributions generate): found under the
 * system root and JAVA_HOME (discover.ts), read in-process (JKS, JCEKS, PKCS #12: read.ts,
 * keystore.ts), changed with the JDK's keytool (write.ts).
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { javaNotices } from './notices.js'
import { placedBy } from './placed-by.js'
import { list } from './read.js'
import { javaBackupData, javaWriter } from './write.js'

export const javaStore: StoreAdapter<typeof javaBackupData._output> = {
  kind: 'java',
  discover,
  list,
  capabilities: javaWriter.capabilities,
  backup: javaWriter.backup,
  apply: javaWriter.apply,
  restore: javaWriter.restore,
  backupData: javaBackupData,
  notices: javaNotices,
  placedBy,
}
