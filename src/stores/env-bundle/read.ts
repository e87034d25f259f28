import type { Environment } from '../shared/environment.js'
import { listPointed } from '../shared/pointed.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'
import type { EnvBundleLocation } from './discover.js'

/**
 * Lists the bundle, folder or Java trust store a variable points at (shared/pointed.ts: each entry
 * says whether it is stock or added). A setting whose target cannot be known fails with why.
 */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const { problem, password } = location as EnvBundleLocation
  if (problem) throw new StoreError(problem.code, problem.message)
  yield* listPointed(location.location, env, { why: location.note ?? 'place is set by an environment variable', ...(password !== undefined ? { password } : {}) })
}
