/**
 * Java keystores (cacerts of each JDK, and the shared ones distributions generate): read in-process
 * (JKS, JCEKS, PKCS #12: keystore.ts), changed with the JDK's keytool (write.ts).
 */
import type { StoreAdapter } from '../types.js'
import { javaNotices } from './notices.js'
import { javaReader } from './read.js'
import { javaBackupData, javaWriter } from './write.js'

export const javaStore: StoreAdapter<typeof javaBackupData._output> = { ...javaReader, ...javaWriter, backupData: javaBackupData, notices: javaNotices }
