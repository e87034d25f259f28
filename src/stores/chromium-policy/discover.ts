/**
 * Where Chromium-family browsers take enterprise policies from on this machine, one location per
 * source so that a change touches one file (or names one registry key):
 * - Linux and other POSIX systems: every file in `<policy folder>/managed` and `…/recommended` (the
 *   browser reads every file there as JSON, not only *.json: ConfigDirPolicyLoader::LoadFromPath,
 *   https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/config_dir_policy_loader.cc),
 *   for the known browsers' folders (browsers.ts), every folder laid out the same way under /etc,
 *   /etc/opt and /usr/local/etc (a browser not in the table), and flatpak extension points.
 * - macOS: preference files (macos-preferences.ts).
 * - Windows: every key under HKLM/HKCU\SOFTWARE\Policies holding a CA policy (registry.ts).
 */
import type { Dirent } from 'node:fs'
import { join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { readFolderSync } from '../shared/folder-listing.js'
import { existsInRoot, listFiles, realPathInRoot } from '../shared/paths.js'
import type { StoreFacts, StoreLocation } from '../types.js'
import { BROWSERS, browserOfFlatpak, browserOfFolder, browserOfKey } from './browsers.js'
import { preferenceLocations } from './macos-preferences.js'
import { platformIntegration } from './policies.js'
import { filePolicies } from './read.js'
import { readRegistryPolicies } from './registry.js'

const LEVELS = ['managed', 'recommended'] as const
/** Folders below which a browser's policy folder may be (`/etc/<browser>/policies`, `/etc/opt/<vendor>/<browser>/policies`), two levels deep. */
const SEARCHED_PARENTS: readonly string[] = ['/etc', '/etc/opt', '/usr/local/etc']
/** A folder with more entries than this is not searched for unknown browsers (the known ones are still read). */
const MAX_SEARCHED_ENTRIES = 10_000

/** A folder holding `managed/` and `recommended/`, and whose it is. */
interface PolicyFolder {
  readonly folder: string
  readonly browser: string
  readonly scope: 'machine' | 'user'
}

/** Every policy source of this kind on this machine. */
export async function discover(env: Environment): Promise<StoreLocation[]> {
  if (env.platform === 'win32') return registryLocations(env)
  const found: StoreLocation[] = []
  const seen = new Set<string>()
  for (const folder of await policyFolders(env)) {
    for (const level of LEVELS) {
      const dir = join(folder.folder, level)
      const broken: string[] = []
      const files = await listFiles(env, dir, (_error, path) => broken.push(path))
      // A file the browser would read but CertAudit cannot (a link loop, no permission) is a location
      // all the same: listing it fails, and the report says why, instead of passing over it.
      for (const path of [...files.map((f) => f.path), ...broken]) {
        const real = files.find((f) => f.path === path)?.realPath ?? path
        if (seen.has(real)) continue
        seen.add(real)
        found.push(await location(env, path, { browser: folder.browser, policyLevel: level, policyScope: folder.scope }))
      }
    }
  }
  for (const preference of await preferenceLocations(env)) if (!seen.has(preference.location)) found.push(await location(env, preference.location, preference.facts))
  return found
}

/** A location for a policy file, with its facts (and CAPlatformIntegrationEnabled when the file sets it). */
async function location(env: Environment, path: string, facts: StoreFacts): Promise<StoreLocation> {
  const integration = platformIntegration(await filePolicies(env, path).catch(() => []))
  const level = facts.policyLevel === 'recommended' ? 'recommended' : 'mandatory'
  return {
    id: `chromium-policy:${path}`,
    kind: 'chromium-policy',
    location: path,
    note: `${facts.browser ?? 'Chromium-based browser'} enterprise policy (${level}, ${facts.policyScope === 'user' ? 'this user' : 'all users'})`,
    facts: integration === undefined ? facts : { ...facts, caPlatformIntegration: integration },
  }
}

/** The known browsers' policy folders, those of unknown browsers laid out the same way, and flatpak extension points. */
async function policyFolders(env: Environment): Promise<PolicyFolder[]> {
  const folders: PolicyFolder[] = BROWSERS.flatMap((b) => b.linux.map((f) => ({ folder: systemPath(env, f), browser: b.name, scope: 'machine' as const })))
  const known = new Set(folders.map((f) => f.folder))
  for (const parent of SEARCHED_PARENTS) {
    const top = systemPath(env, parent)
    for (const folder of await policiesBelow(env, top, 2)) {
      if (known.has(folder) || !(await hasLevels(env, folder))) continue
      known.add(folder)
      folders.push({ folder, browser: browserOfFolder(parent + folder.slice(top.length)), scope: 'machine' })
    }
  }
  return [...folders, ...(await flatpakFolders(env))]
}

/** A folder's entry that may be a folder: a real one, or a link (resolved only when it is listed). */
interface Entry {
  readonly name: string
  readonly link: boolean
}

/**
 * The entries of a folder (`real`: where the folder really is) that are folders or links, sorted;
 * nothing for a folder that cannot be read or is too large. /etc/alternatives alone holds hundreds of
 * links: none is resolved unless the walk goes into it.
 */
function entriesOf(real: string): Entry[] {
  let listed: { entries: Dirent[]; more: boolean }
  try {
    listed = readFolderSync(real, MAX_SEARCHED_ENTRIES)
  } catch {
    return []
  }
  if (listed.more) return []
  return listed.entries
    .filter((e) => e.isDirectory() || e.isSymbolicLink())
    .map((e) => ({ name: e.name, link: e.isSymbolicLink() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Where an entry of the folder at `real` really is: a link followed inside the system root (a link to `/var/…` in a disk image is the image's `/var`). */
async function realOf(env: Environment, real: string, entry: Entry): Promise<string | null> {
  return entry.link ? realPathInRoot(env, join(real, entry.name)).catch(() => null) : join(real, entry.name)
}

/** Child folders of `dir`, and theirs down to `depth`. */
async function childFolders(env: Environment, dir: string, depth: number): Promise<string[]> {
  const walk = async (path: string, real: string | null, left: number): Promise<string[]> => {
    if (!real) return []
    const found: string[] = []
    for (const entry of entriesOf(real)) {
      const at = await realOf(env, real, entry)
      if (!at) continue
      found.push(join(path, entry.name))
      if (left > 1) found.push(...(await walk(join(path, entry.name), at, left - 1)))
    }
    return found
  }
  return walk(dir, await realPathInRoot(env, dir).catch(() => null), depth)
}

/**
 * `<folder>/policies` for each folder below `dir` (down to `depth`) that has one: one listing per
 * folder, no guessing. Links are followed at the first level only (`/etc/chromium-browser` may be a
 * link to `/etc/chromium`); deeper, they are mostly links to programs (/etc/alternatives holds hundreds).
 */
async function policiesBelow(env: Environment, dir: string, depth: number): Promise<string[]> {
  const found: string[] = []
  const walk = async (path: string, real: string | null, left: number) => {
    if (!real) return
    for (const entry of entriesOf(real)) {
      if (entry.name === 'policies' || (entry.link && left < depth)) continue
      const at = await realOf(env, real, entry)
      if (!at) continue
      const child = join(path, entry.name)
      if (entriesOf(at).some((e) => e.name === 'policies')) found.push(join(child, 'policies'))
      if (left > 1) await walk(child, at, left - 1)
    }
  }
  await walk(dir, await realPathInRoot(env, dir).catch(() => null), depth)
  return found
}

async function hasLevels(env: Environment, folder: string): Promise<boolean> {
  for (const level of LEVELS) if (await existsInRoot(env, join(folder, level))) return true
  return false
}

/**
 * Flatpak browsers cannot see /etc: policies reach them through extension points, installed as
 * flatpaks (`runtime/<app>.Extension.<name>/<arch>/<branch>/active/files`) or dropped in as
 * "unmanaged extensions" (`extension/<app>.Extension.<name>/<arch>/<version>`), system-wide or per
 * user, holding `policies/managed` (the legacy `.Policy.` point: `managed` at its top).
 * https://github.com/flathub/org.chromium.Chromium/blob/master/README.md
 */
async function flatpakFolders(env: Environment): Promise<PolicyFolder[]> {
  const dataHome = env.env.XDG_DATA_HOME && env.env.XDG_DATA_HOME.startsWith('/') ? env.env.XDG_DATA_HOME : join(env.home, '.local/share')
  const installs = [
    { root: systemPath(env, '/var/lib/flatpak'), scope: 'machine' as const },
    { root: join(dataHome, 'flatpak'), scope: 'user' as const },
    { root: join(env.home, '.local/share/flatpak'), scope: 'user' as const },
  ]
  const folders: PolicyFolder[] = []
  const seen = new Set<string>()
  for (const { root, scope } of installs) {
    for (const [area, below] of [['extension', ''], ['runtime', 'active/files']] as const) {
      for (const point of await childFolders(env, join(root, area), 1)) {
        const name = point.slice(point.lastIndexOf('/') + 1)
        const appId = /^(.+?)\.(?:Extension|Policy)\.[^/]+$/.exec(name)?.[1]
        if (!appId) continue
        for (const version of (await childFolders(env, point, 2)).filter((v) => v.split('/').length === point.split('/').length + 2)) {
          for (const folder of [join(version, below, 'policies'), join(version, below)]) {
            const real = await realPathInRoot(env, folder).catch(() => folder)
            if (seen.has(real) || !(await hasLevels(env, folder))) continue
            seen.add(real)
            folders.push({ folder, browser: `${browserOfFlatpak(appId)} (flatpak)`, scope })
          }
        }
      }
    }
  }
  return folders
}

/** The registry keys holding CA policies; when PowerShell fails, the key searched from, whose listing then says why. */
async function registryLocations(env: Environment): Promise<StoreLocation[]> {
  const searched = (hive: 'HKLM' | 'HKCU'): StoreLocation => ({ id: `chromium-policy:${hive}\\SOFTWARE\\Policies`, kind: 'chromium-policy', location: `${hive}\\SOFTWARE\\Policies`, note: 'Browser policies in the Windows registry' })
  let registry: Awaited<ReturnType<typeof readRegistryPolicies>>
  try {
    registry = await readRegistryPolicies(env)
  } catch {
    return [searched('HKLM')]
  }
  const keys = [...new Set([...registry.keys.keys(), ...registry.failures.keys()])].sort()
  const found = keys.map((key): StoreLocation => {
    const recommended = /\\Recommended$/i.test(key)
    const browserKey = key.replace(/^HK(LM|CU)\\SOFTWARE\\(WOW6432Node\\)?Policies\\/i, '').replace(/\\Recommended$/i, '')
    const scope = /^HKCU/i.test(key) ? 'user' : 'machine'
    const integration = platformIntegration(registry.keys.get(key) ?? [])
    const facts: StoreFacts = { browser: browserOfKey(browserKey), policyLevel: recommended ? 'recommended' : 'managed', policyScope: scope, ...(integration === undefined ? {} : { caPlatformIntegration: integration }) }
    return { id: `chromium-policy:${key}`, kind: 'chromium-policy', location: key, note: `${facts.browser} enterprise policy in the registry (${recommended ? 'recommended' : 'mandatory'}, ${scope === 'user' ? 'this user' : 'all users'})`, facts }
  })
  return registry.problems.length ? [...found, searched('HKLM')] : found
}
