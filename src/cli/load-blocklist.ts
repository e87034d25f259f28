import type { KeyObject } from 'node:crypto'
import { BlocklistError, loadBlocklist, type Blocklist } from '../audit/blocklist.js'
import { projectSigningKeys } from '../audit/blocklist-signature.js'
import { shown } from '../audit/visible.js'
import { loadActiveBlocklist, type BlocklistStoreOptions } from '../audit/blocklist-store.js'
import { blocklistDir } from '../removal/data-dir.js'
import type { Environment } from '../stores/index.js'
import type { CliIo } from './io.js'

/** Where `certaudit blocklist install` keeps lists: `<data folder>/blocklist`. */
export function blocklistStoreOptions(env: Environment, publicKeys: readonly KeyObject[] = projectSigningKeys()): BlocklistStoreOptions {
  return { dir: blocklistDir(env), publicKeys }
}

/**
 * The blocklist every command uses: `--blocklist PATH` as given (for list authors and tests), otherwise
 * an installed update whose signature holds, otherwise the bundled list. Why an installed list was
 * refused goes to stderr. Returns null (after saying why) when no list can be loaded.
 */
export function loadCliBlocklist(explicitPath: string | undefined, env: Environment, io: CliIo): Blocklist | null {
  try {
    if (explicitPath !== undefined) return loadBlocklist(explicitPath)
    const active = loadActiveBlocklist(blocklistStoreOptions(env))
    for (const warning of active.warnings) io.stderr(shown`certaudit: ${warning}\n`)
    return active.blocklist
  } catch (error) {
    io.stderr(shown`certaudit: ${error instanceof BlocklistError ? error.message : String(error)}\n`)
    return null
  }
}
