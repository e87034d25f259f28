/**
 * The Windows certificate stores of this user and of the computer (Root, CA, AuthRoot, TrustedPeople,
 * Disallowed, and the Group Policy and Enterprise places), each read from its own registry key
 * (query.ts), changed with Windows' certutil (write.ts). Tested on recorded output: neither
 * PowerShell nor the registry exist on Linux.
 */
import type { StoreAdapter } from '../types.js'
import { windowsNotices } from './notices.js'
import { createWindowsReader, type WindowsRootsSource } from './read.js'
import { windowsBackupData, windowsWriter } from './write.js'

type Data = typeof windowsBackupData._output

/** The Windows adapter reading the effective roots from `source` (win-ca by default; tests give recorded ones). */
export function createWindowsStore(source?: WindowsRootsSource): StoreAdapter<Data> {
  return { ...createWindowsReader(source), ...windowsWriter, backupData: windowsBackupData, notices: windowsNotices }
}

export const windowsStore = createWindowsStore()
