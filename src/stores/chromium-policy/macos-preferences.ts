/**
 * Where Chromium-family browsers on macOS take policies from. The browser asks CFPreferences for each
 * policy of its preference domain (com.google.Chrome …): a value an MDM configuration profile forces is
 * a mandatory policy, any other value is a recommended one (PolicyLoaderMac::Load,
 * https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/policy_loader_mac.mm).
 * Forced values live in /Library/Managed Preferences (for the machine) and
 * /Library/Managed Preferences/<user> (for one user); the others in the user's and the machine's
 * preference files: ~/Library/Preferences/<domain>.plist, its ByHost variant, /Library/Preferences.
 * Files there are binary property lists, read with shared/binary-plist.ts.
 *
 * Every preference file is looked at (a browser not in browsers.ts still has a domain of its own); one
 * of a domain no table names is kept only when it sets a CA certificate policy.
 */
import { join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolderSync } from '../shared/folder-listing.js'
import { realPathInRoot } from '../shared/paths.js'
import type { StoreFacts } from '../types.js'
import { browserOfDomain, KNOWN_DOMAINS } from './browsers.js'
import { caPolicy } from './policies.js'
import { plistPolicies, readPolicyFile } from './read.js'

const MANAGED = '/Library/Managed Preferences'
/** More files than any Managed Preferences folder holds: past this the unknown ones are not opened. */
const MAX_FILES = 2_000

export interface PreferenceLocation {
  readonly location: string
  readonly facts: StoreFacts
}

/** Every preference file a Chromium-family browser on this Mac may take a CA policy from. */
export async function preferenceLocations(env: Environment): Promise<PreferenceLocation[]> {
  const found: PreferenceLocation[] = []
  const domains = new Set(KNOWN_DOMAINS)
  const managed = systemPath(env, MANAGED)
  const folders = [{ dir: managed, scope: 'machine' as const }, ...(await subfolders(env, managed)).map((dir) => ({ dir, scope: 'user' as const }))]
  for (const { dir, scope } of folders) {
    const files = await plists(env, dir)
    for (const name of files) {
      const domain = name.slice(0, -'.plist'.length)
      const path = join(dir, name)
      const known = domains.has(domain)
      if (!known && (files.length > MAX_FILES || !(await setsCaPolicy(env, path)))) continue
      domains.add(domain)
      found.push({ location: path, facts: { browser: browserOfDomain(domain), policyLevel: 'managed', policyScope: scope } })
    }
  }
  const preferenceDirs = [
    { dir: join(env.home, 'Library/Preferences'), scope: 'user' as const },
    { dir: join(env.home, 'Library/Preferences/ByHost'), scope: 'user' as const },
    { dir: systemPath(env, '/Library/Preferences'), scope: 'machine' as const },
  ]
  for (const { dir, scope } of preferenceDirs) {
    const files = await plists(env, dir)
    for (const name of files) {
      // ByHost files are <domain>.<hardware UUID>.plist.
      const domain = dir.endsWith('ByHost') ? name.replace(/\.[0-9A-Fa-f-]{8,}\.plist$/, '') : name.slice(0, -'.plist'.length)
      const path = join(dir, name)
      if (!domains.has(domain) && (files.length > MAX_FILES || !(await setsCaPolicy(env, path)))) continue
      found.push({ location: path, facts: { browser: browserOfDomain(domain), policyLevel: 'recommended', policyScope: scope } })
    }
  }
  return found
}

/**
 * The property list files of a folder (links followed inside the system root), sorted. Listed to a bound
 * (a Preferences folder holds hundreds): past it, the rest are not looked at.
 */
async function plists(env: Environment, dir: string): Promise<string[]> {
  try {
    return readFolderSync(await realPathInRoot(env, dir), MAX_CANDIDATE_ENTRIES)
      .entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.plist'))
      .map((e) => e.name)
      .sort()
  } catch {
    return []
  }
}

/** The folders of Managed Preferences (one per user), listed to the same bound. */
async function subfolders(env: Environment, dir: string): Promise<string[]> {
  try {
    return readFolderSync(await realPathInRoot(env, dir), MAX_CANDIDATE_ENTRIES)
      .entries.filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name))
      .sort()
  } catch {
    return []
  }
}

/**
 * Whether a preference file of a domain no table names sets a CA policy. A Mac keeps hundreds of
 * preference files: only one whose bytes name a policy (keys are ASCII in both formats) is parsed.
 */
async function setsCaPolicy(env: Environment, path: string): Promise<boolean> {
  try {
    const { bytes } = await readPolicyFile(env, path)
    if (!/cacertificates|cadistrustedcertificates|cahintcertificates/i.test(bytes.toString('latin1'))) return false
    return plistPolicies(bytes, path).some((p) => caPolicy(p.name) !== null)
  } catch {
    return false // an unknown domain's file that cannot be read: no browser of ours reads it either
  }
}
