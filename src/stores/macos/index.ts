/**
 * The macOS keychains (System Roots, System, login) and their trust settings in the user and admin
 * domains (read.ts, security.ts, trust-settings.ts), changed with `security` (write.ts). Tested on
 * recorded output: `security` does not exist on Linux.
 */
import type { StoreAdapter } from '../types.js'
import { macosNotices } from './notices.js'
import { createMacosReader, type MacRootsSource } from './read.js'
import { macosBackupData, macosWriter } from './write.js'

type Data = typeof macosBackupData._output

/** The macOS adapter reading roots from `source` (mac-ca by default; tests give recorded ones). */
export function createMacosStore(source?: MacRootsSource): StoreAdapter<Data> {
  return { ...createMacosReader(source), ...macosWriter, backupData: macosBackupData, notices: macosNotices }
}

export const macosStore = createMacosStore()
