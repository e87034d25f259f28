import type { KeyObject } from 'node:crypto'
import { BlocklistError, type Blocklist } from '../audit/blocklist.js'
import { projectSigningKeys } from '../audit/blocklist-signature.js'
import { shown } from '../audit/visible.js'
import { loadActiveBlocklist, loadNamedBlocklist, type BlocklistOrigin, type BlocklistStoreOptions } from '../audit/blocklist-store.js'
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
 * refused, and that a --blocklist file is not signed with CertAudit's release key, go to stderr.
 * Returns null (after saying why) when no list can be loaded.
 */
export function loadCliBlocklist(explicitPath: string | undefined, env: Environment, io: CliIo): Blocklist | null {
  return loadCliBlocklistWithOrigin(explicitPath, env, io)?.blocklist ?? null
}

/** {@link loadCliBlocklist}, with where the list came from and whether it is signed (for the report). */
export function loadCliBlocklistWithOrigin(explicitPath: string | undefined, env: Environment, io: CliIo): { blocklist: Blocklist; origin: BlocklistOrigin } | null {
  try {
    if (explicitPath !== undefined) {
      const named = loadNamedBlocklist(explicitPath, projectSigningKeys())
      if (named.warning) io.stderr(shown`certaudit: warning: ${named.warning}\n`)
      return { blocklist: named.blocklist, origin: { source: named.source, signed: named.signed } }
    }
    const active = loadActiveBlocklist(blocklistStoreOptions(env))
    for (const warning of active.warnings) io.stderr(shown`certaudit: ${warning}\n`)
    return { blocklist: active.blocklist, origin: { source: active.source, signed: active.signed } }
  } catch (error) {
    io.stderr(shown`certaudit: ${error instanceof BlocklistError ? error.message : String(error)}\n`)
    return null
  }
}
