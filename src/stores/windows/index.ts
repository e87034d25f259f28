/**
 * The Windows certificate stores of this user and of the computer (Root, CA, AuthRoot, TrustedPeople,
 * Disallowed, and the Group Policy and Enterprise places), found (discover.ts) and each read from its
 * own registry key (read.ts, query.ts), changed with Windows' certutil (write.ts). Tested on recorded
 * output: neither PowerShell nor the registry exist on Linux.
 */
import type { StoreAdapter } from '../types.js'
import { discover, winCaSource, type WindowsRootsSource } from './discover.js'
import { windowsNotices } from './notices.js'
import { placedBy } from './placed-by.js'
import { list } from './read.js'
import { windowsBackupData, windowsWriter } from './write.js'

type Data = typeof windowsBackupData._output

/** The Windows adapter reading the effective roots from `source` (win-ca by default; tests give recorded ones). */
export function createWindowsStore(source: WindowsRootsSource = winCaSource): StoreAdapter<Data> {
  return {
    kind: 'windows',
    discover: (env) => discover(env, source),
    list: (location, env) => list(location, env, source),
    capabilities: windowsWriter.capabilities,
    backup: windowsWriter.backup,
    apply: windowsWriter.apply,
    restore: windowsWriter.restore,
    backupData: windowsBackupData,
    notices: windowsNotices,
    placedBy,
  }
}

export const windowsStore = createWindowsStore()
