/**
 * list(): the certificates one policy source lists (a JSON file on Linux, a preference file on macOS,
 * a registry key on Windows), each with the trust its policy gives (policies.ts). A source that cannot
 * be read at all (not JSON, too large, a link loop, PowerShell failing) is a StoreError: the scan
 * reports it and goes on; a bad item is a problem and the rest is read.
 */
import { lstatSync } from 'node:fs'
import { basename } from 'node:path'
import { readPlist } from '../shared/binary-plist.js'
import type { Environment } from '../shared/environment.js'
import { readFolderSync } from '../shared/folder-listing.js'
import { realPathInRoot } from '../shared/paths.js'
import { fileError, readRegularFileWithInfo } from '../shared/regular-file.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'
import { caPolicy, policyItems, type FoundPolicy, type PolicyValue } from './policies.js'
import { parsePolicyJson, PolicyJsonError, plainValue, type JsonNode } from './policy-json.js'
import { readRegistryPolicies } from './registry.js'

/** Far larger than any policy file (a thousand certificates are ~2 MB): past this it is not read. */
export const MAX_POLICY_BYTES = 16 * 1024 * 1024

/** True for a location that is a registry key (Windows) rather than a file. */
export function isRegistryKey(location: string): boolean {
  return /^HK(LM|CU)\\/i.test(location)
}

/** True for a macOS preference file (a property list), rather than a JSON policy file. */
export function isPreferenceFile(location: string): boolean {
  return location.endsWith('.plist') && location.includes('/Library/')
}

/**
 * A policy file's real path inside the system root, its bytes and its permission bits (read together,
 * from one open file); StoreError when it cannot be read: not a regular file (a FIFO, a device), too
 * large, a link loop.
 */
export async function readPolicyFile(env: Environment, path: string): Promise<{ readonly real: string; readonly bytes: Buffer; readonly mode: number }> {
  try {
    const real = await realPathInRoot(env, path)
    // A folder where a policy file belongs is listed when its files could not be (discover.ts): say why.
    if (lstatSync(real).isDirectory()) readFolderSync(real, 1)
    const { bytes, info } = await readRegularFileWithInfo(real, { maxBytes: MAX_POLICY_BYTES, noFollow: true, what: 'policy file', shown: path })
    return { real, bytes, mode: info.mode & 0o7777 }
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(path, error)
  }
}

/** The top-level policies of a JSON policy file, each with its node (the writer cuts inside them). */
export function jsonPolicies(bytes: Uint8Array, path: string): { readonly root: Extract<JsonNode, { type: 'object' }>; readonly policies: FoundPolicy[] } {
  let root: JsonNode
  try {
    root = parsePolicyJson(bytes)
  } catch (error) {
    if (!(error instanceof PolicyJsonError)) throw error
    throw new StoreError('corrupt-policy', `${path} is not a policy file the browser can read (${error.message}): the browser ignores it, so nothing in it is trusted.`)
  }
  if (root.type !== 'object') throw new StoreError('corrupt-policy', `${path} holds ${root.type === 'array' ? 'a list' : `a ${root.type}`} where the browser expects an object of policies: it ignores the file.`)
  return { root, policies: root.members.map((m) => ({ name: m.key, value: plainValue(m.value) })) }
}

/** The top-level values of a preference file (binary or XML property list). */
export function plistPolicies(bytes: Uint8Array, path: string): FoundPolicy[] {
  let value: PolicyValue
  try {
    value = readPlist(bytes)
  } catch (error) {
    throw new StoreError('corrupt-policy', `${path} is not a property list macOS can read (${(error as Error).message}), so the browser takes no policy from it.`)
  }
  if (!(value instanceof Map)) throw new StoreError('corrupt-policy', `${path} does not hold a dictionary of preferences, so the browser takes no policy from it.`)
  return [...(value as ReadonlyMap<string, PolicyValue>)].map(([name, v]) => ({ name, value: v }))
}

/** The policies of a file location, JSON or property list by where it is. */
export async function filePolicies(env: Environment, path: string): Promise<FoundPolicy[]> {
  const { bytes } = await readPolicyFile(env, path)
  return isPreferenceFile(path) ? plistPolicies(bytes, path) : jsonPolicies(bytes, path).policies
}

/** The certificates one policy source lists. */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const where = location.location
  if (isRegistryKey(where)) {
    const registry = await readRegistryPolicies(env)
    const failure = [...registry.failures].find(([key]) => key.toLowerCase() === where.toLowerCase())
    if (failure) throw new StoreError('windows-registry-unreadable', `${where} could not be read: ${failure[1]}`)
    const policies = [...registry.keys].filter(([key]) => key.toLowerCase() === where.toLowerCase()).flatMap(([, found]) => found)
    yield* policyItems(policies, where)
    // Rows the listing could not use belong to no key: the key searched from reports them.
    if (!/\\Policies$/i.test(where)) return
    for (const message of registry.problems) yield { type: 'problem', path: where, code: 'windows-unexpected-output', message }
    return
  }
  const policies = await filePolicies(env, where)
  yield* duplicates(policies, where)
  yield* policyItems(policies, where)
}

/** A policy written twice in one file: the browser keeps one of them, and both are listed. */
function* duplicates(policies: readonly FoundPolicy[], where: string): Generator<ListItem> {
  const seen = new Set<string>()
  for (const { name } of policies) {
    const policy = caPolicy(name)
    if (!policy) continue
    if (seen.has(policy)) yield { type: 'problem', path: where, code: 'duplicate-policy', message: `${basename(where)} sets ${policy} more than once; the browser applies only one of them, and CertAudit lists both.` }
    seen.add(policy)
  }
}
