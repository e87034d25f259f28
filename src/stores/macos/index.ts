/**
 * The macOS keychains (System Roots, System, login) and their trust settings in the user and admin
 * domains: found (discover.ts), read (read.ts, security.ts, trust-settings.ts), changed with
 * `security` (write.ts). Tested on recorded output: `security` does not exist on Linux.
 */
import { byHand } from '../shared/placed-by.js'
import type { StoreAdapter } from '../types.js'
import { discover, macCaSource, type MacRootsSource } from './discover.js'
import { macosNotices } from './notices.js'
import { list } from './read.js'
import { macosBackupData, macosWriter } from './write.js'

type Data = typeof macosBackupData._output

/** The macOS adapter reading roots from `source` (mac-ca by default; tests give recorded ones). */
export function createMacosStore(source: MacRootsSource = macCaSource): StoreAdapter<Data> {
  return {
    kind: 'macos',
    discover: (env) => discover(env, source),
    list: (location, env) => list(location, env, source),
    capabilities: macosWriter.capabilities,
    backup: macosWriter.backup,
    apply: macosWriter.apply,
    restore: macosWriter.restore,
    backupData: macosBackupData,
    notices: macosNotices,
    placedBy: byHand,
  }
}

export const macosStore = createMacosStore()
