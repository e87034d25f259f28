/**
 * Where Chromium-family browsers keep their own certificate store: since Chrome 131 a certificate a
 * user imports in the browser's certificate manager goes into the profile's `ServerCertificate`
 * database, not into the system store (https://chromium.googlesource.com/chromium/src/+/main/net/data/ssl/chrome_root_store/faq.md).
 * Every profile has its own, on Linux, Windows and macOS alike.
 *
 * A browser's user data folder holds `Local State` and a folder per profile ("Default",
 * "Profile 1", "Guest Profile"…; Opera keeps its only profile in the user data folder itself).
 * User data folders are found under each system's usual places (browsers.ts names the known ones),
 * and also by looking for `Local State` one and two levels down, so a browser not in that table, or
 * a snap's or Flatpak's copy, is found too. Profiles are those Local State lists and every folder
 * that holds a ServerCertificate file (a profile Local State forgot still trusts what it holds).
 *
 * Nothing outside the home folder is read, whatever a link or an environment variable says.
 */
import type { Dirent } from 'node:fs'
import { lstatSync } from 'node:fs'
import { lstat, stat } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { Environment } from '../shared/environment.js'
import { byName, crowdedFolder, MAX_CANDIDATE_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { newPathCache, realPathInRoot, type PathCache } from '../shared/paths.js'
import { specialFileKind } from '../shared/regular-file.js'
import type { StoreFacts, StoreLocation } from '../types.js'
import { knownBrowserAt, KNOWN_BROWSERS, type BrowserProgram, type Install } from './browsers.js'
import { readProfileNames, unreadable } from './local-state.js'

/** The profile's certificate database (server_certificate_database.cc, kServerCertificateDatabaseName). */
export const DATABASE_FILE = 'ServerCertificate'

/** A place found; `problem` is set when it could not be looked into: listing it throws that problem. */
export interface ChromiumLocation extends StoreLocation {
  readonly problem?: { readonly code: string; readonly message: string }
}

/** A folder to look in for user data folders. */
interface Base {
  readonly dir: string
  readonly kind: 'config' | 'LOCALAPPDATA' | 'APPDATA' | 'support'
  readonly install?: Install
}

interface UserDataDir {
  readonly dir: string
  readonly real: string
  readonly program: BrowserProgram
  readonly browser: string
}

/** Sub-folders looked into for `Local State` in each folder of a base: vendors keep a few products each. */
const MAX_PRODUCTS_PER_VENDOR = 64

/** One discovery's view of the home: what it has already learned of the file system. */
interface Walk {
  readonly env: Environment
  /** The home folder's real path: nothing outside it is read. */
  readonly home: string
  /** Folders and files seen in listings, so a path below them costs one look, not one per folder on the way. */
  readonly cache: PathCache
}

/** Every ServerCertificate database of every profile of every Chromium-family browser in the home folder. */
export async function discover(env: Environment): Promise<ChromiumLocation[]> {
  const found: ChromiumLocation[] = []
  const home = await realPathInRoot(env, env.home).catch(() => null)
  if (!home) return []
  const walk: Walk = { env, home, cache: newPathCache() }
  const bases = await basesOf(walk, found)
  const seenFiles = new Set<string>()
  for (const dir of await userDataDirs(walk, bases, found)) {
    for (const location of await profilesOf(walk, dir)) {
      const key = location.problem ? location.id : location.location
      const real = location.problem ? key : await realPathInRoot(env, location.location, walk.cache).catch(() => key)
      if (seenFiles.has(real)) continue
      seenFiles.add(real)
      found.push(location)
    }
  }
  return found
}

/** The folders browsers put their user data folders in, on this system; variables pointing out of the home are reported. */
async function basesOf(walk: Walk, problems: ChromiumLocation[]): Promise<Base[]> {
  const { env } = walk
  const fromVariable = (variable: string, fallback: string | null): string | null => {
    const value = env.env[variable]
    if (!value || !isAbsolute(value)) return fallback
    if (within(env.home, value)) return resolve(value)
    problems.push(problemAt(value, `set by ${variable}`, 'chromium-outside-home', `${variable} is ${value}, outside your home folder (${env.home}); CertAudit only looks for browser profiles inside the home folder, so it did not look there.`))
    return fallback
  }
  if (env.platform === 'win32') {
    const bases: Base[] = []
    const localAppData = fromVariable('LOCALAPPDATA', join(env.home, 'AppData', 'Local'))
    const appData = fromVariable('APPDATA', join(env.home, 'AppData', 'Roaming'))
    if (localAppData) bases.push({ dir: localAppData, kind: 'LOCALAPPDATA' })
    if (appData) bases.push({ dir: appData, kind: 'APPDATA' })
    return bases
  }
  if (env.platform === 'darwin') return [{ dir: join(env.home, 'Library', 'Application Support'), kind: 'support' }]
  // Chrome reads CHROME_CONFIG_HOME before XDG_CONFIG_HOME (chrome/common/chrome_paths_linux.cc).
  const bases: Base[] = []
  for (const variable of ['CHROME_CONFIG_HOME', 'XDG_CONFIG_HOME']) {
    const dir = fromVariable(variable, null)
    if (dir) bases.push({ dir, kind: 'config' })
  }
  bases.push({ dir: join(env.home, '.config'), kind: 'config' })
  // A Flatpak's XDG_CONFIG_HOME is ~/.var/app/ID/config; a snap's is ~/snap/NAME/current/.config, and
  // the Chromium snap keeps its profile in ~/snap/chromium/common/chromium.
  for (const id of await folderNames(walk, join(env.home, '.var', 'app'))) bases.push({ dir: join(env.home, '.var', 'app', id, 'config'), kind: 'config', install: 'Flatpak' })
  for (const name of await folderNames(walk, join(env.home, 'snap'))) {
    for (const sub of [['current', '.config'], ['common'], ['common', '.config']]) bases.push({ dir: join(env.home, 'snap', name, ...sub), kind: 'config', install: 'snap' })
  }
  return bases
}

/** Every user data folder under the bases: the known ones, then any folder holding `Local State`. Each once. */
async function userDataDirs(walk: Walk, bases: readonly Base[], problems: ChromiumLocation[]): Promise<UserDataDir[]> {
  const { env, home } = walk
  const found: UserDataDir[] = []
  const seen = new Set<string>()
  const add = async (base: Base, dir: string) => {
    const real = await realPathInRoot(env, dir, walk.cache).catch(() => null)
    if (!real || seen.has(real) || !(await isFolder(real))) return
    seen.add(real)
    const path = relative(base.dir, dir).split(sep).join('/')
    const known = knownBrowserAt(env.platform, base.kind, path)
    const name = known?.name ?? path.replace(/\/User Data$/i, '')
    const browser = base.install ? `${name} (${base.install})` : name
    const program = known?.program ?? 'chromium'
    if (within(home, real)) found.push({ dir, real, program, browser })
    else {
      const message = `${browser}'s folder ${dir} leads to ${real}, outside your home folder (${env.home}); CertAudit did not read it. If those profiles are yours, look at their certificates in the browser: chrome://certificate-manager.`
      problems.push(problemAt(dir, `${browser} profiles`, 'chromium-outside-home', message, { program, browser }))
    }
  }
  for (const base of bases) {
    for (const browser of KNOWN_BROWSERS) {
      const path = env.platform === 'win32' ? (browser.windows?.base === base.kind ? browser.windows.path : undefined) : env.platform === 'darwin' ? browser.macos : browser.linux
      if (path) await add(base, join(base.dir, ...path.split('/')))
    }
    for (const dir of await withLocalState(walk, base.dir)) await add(base, dir)
  }
  return found
}

/**
 * Folders one or two levels below `dir` that look like a browser's user data folder (see
 * {@link isUserData}), directly or (Windows' layout, %LOCALAPPDATA%\Vendor\Product\User Data, and
 * Arc's on macOS) in a "User Data" folder.
 */
async function withLocalState(walk: Walk, dir: string): Promise<string[]> {
  const found: string[] = []
  for (const vendor of await folderNames(walk, dir)) {
    const vendorDir = join(dir, vendor)
    const { real, entries } = await listing(walk, vendorDir)
    if (entries.length === 0) continue
    // A user data folder's own folders are its profiles, not other browsers.
    if (await isUserData(walk, vendorDir, real)) {
      found.push(vendorDir)
      continue
    }
    // "User Data" is Chromium's own name for the folder: enough of a sign by itself.
    if (entries.some((e) => e.name === 'User Data')) found.push(join(vendorDir, 'User Data'))
    const products = entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && e.name !== 'User Data').slice(0, MAX_PRODUCTS_PER_VENDOR)
    for (const product of products) {
      const productDir = join(vendorDir, product.name)
      if (await isUserData(walk, productDir, product.isDirectory() && real ? join(real, product.name) : null)) found.push(productDir)
      else if (walk.env.platform === 'win32' && (await realPathInRoot(walk.env, join(productDir, 'User Data'), walk.cache).then(() => true, () => false))) found.push(join(productDir, 'User Data'))
    }
  }
  return found
}

/**
 * What marks a browser's user data folder: its Local State, or a profile's database in its Default
 * folder or in itself (Opera), so a browser that has not written Local State is found too. A profile
 * folder found this way as well is read once (discover keeps the first place that leads to a file).
 */
const USER_DATA_MARKERS: readonly (readonly string[])[] = [['Local State'], ['Default', DATABASE_FILE], [DATABASE_FILE]]

/** Whether `dir` holds a marker. `real`, when `dir` is known to be a real folder, saves resolving each path. */
async function isUserData(walk: Walk, dir: string, real: string | null): Promise<boolean> {
  for (const marker of USER_DATA_MARKERS) {
    const quick = real ? lookQuickly(real, marker) : 'unsure'
    if (quick === 'yes') return true
    if (quick === 'unsure' && (await realPathInRoot(walk.env, join(dir, ...marker), walk.cache).then(() => true, () => false))) return true
  }
  return false
}

/**
 * Whether `parts` exist below the real folder `real`, by one lstat per part and no exception (most
 * folders hold none); 'unsure' when a link is on the way, for realPathInRoot to follow inside the system root.
 */
function lookQuickly(real: string, parts: readonly string[]): 'yes' | 'no' | 'unsure' {
  let path = real
  for (const [i, part] of parts.entries()) {
    path = join(path, part)
    const info = lstatSync(path, { throwIfNoEntry: false })
    if (!info) return 'no'
    if (i === parts.length - 1) return 'yes'
    if (info.isSymbolicLink()) return 'unsure'
    if (!info.isDirectory()) return 'no'
  }
  return 'no'
}

/** The profiles of one user data folder: from Local State, and every folder (itself included) holding a ServerCertificate file. */
async function profilesOf(walk: Walk, dir: UserDataDir): Promise<ChromiumLocation[]> {
  const { env, home } = walk
  const found: ChromiumLocation[] = []
  const localStatePath = join(dir.dir, 'Local State')
  const { names, problem } = await profileNames(walk, localStatePath)
  if (problem) found.push(problemAt(localStatePath, `${dir.browser} list of profiles`, problem.code, problem.message, { program: dir.program, browser: dir.browser }))

  const candidates = new Map<string, { folder: string; key: string | null }>()
  candidates.set(dir.dir, { folder: dir.dir, key: null })
  const { real: realDir, entries, more } = await listing(walk, dir.dir)
  if (more) found.push(problemAt(dir.dir, `${dir.browser} profiles`, 'too-many-files', crowdedFolder(dir.dir, MAX_CANDIDATE_ENTRIES, `${dir.browser} user data folder`, 'a profile among the others may not have been checked')))
  for (const entry of entries) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue
    // A real folder without the file (Cache, Crashpad, extensions… most of them): one look, no exception.
    if (entry.isDirectory() && realDir && lstatSync(join(realDir, entry.name, DATABASE_FILE), { throwIfNoEntry: false }) === undefined && !names?.has(entry.name)) continue
    candidates.set(join(dir.dir, entry.name), { folder: join(dir.dir, entry.name), key: entry.name })
  }
  for (const key of names?.keys() ?? []) {
    // The browser opens a profile at its user data folder joined with the key; keys are folder names,
    // but the file is anyone's to edit: a key that leads elsewhere is followed only inside the home.
    const folder = resolve(dir.dir, key)
    if (!candidates.has(folder)) candidates.set(folder, { folder, key })
  }
  for (const { folder, key } of candidates.values()) {
    const listed = key !== null && names?.has(key) === true
    const profile = key === null ? undefined : listed ? names!.get(key)! : basename(folder)
    const facts: StoreFacts = { program: dir.program, browser: dir.browser, ...(profile !== undefined ? { profile } : {}), ...(names && key !== null && !listed ? { unlisted: true } : {}) }
    const file = join(folder, DATABASE_FILE)
    const note = `${dir.browser}${profile !== undefined ? ` profile “${profile}”` : ''}${names && key !== null && !listed ? ' (not listed in Local State)' : ''}`
    let real: string
    try {
      real = await realPathInRoot(env, file, walk.cache)
    } catch (error) {
      const reason = unreadable(error, file)
      if (reason.code !== 'enoent' && reason.code !== 'enotdir') found.push(problemAt(file, note, reason.code, `${reason.message} The certificates of ${note} were not checked.`, facts))
      continue
    }
    if (!within(home, real)) {
      found.push(problemAt(file, note, 'chromium-outside-home', `${file} leads to ${real}, outside your home folder (${env.home}); CertAudit did not read it.${whatIsAt(real)} If this profile is yours, look at its certificates in the browser: chrome://certificate-manager.`, facts))
      continue
    }
    const info = await lstat(real).catch(() => null)
    if (!info?.isFile()) {
      const what = info ? (specialFileKind(info) ?? 'not a regular file') : 'gone since it was found'
      found.push(problemAt(file, note, 'chromium-not-a-file', `${file}${real !== file ? ` (it leads to ${real})` : ''} is ${what}, not a file the browser can use as its certificate database; nothing in it was checked.`, facts))
      continue
    }
    found.push({ id: `chromium:${file}`, kind: 'chromium', location: file, note, facts })
  }
  return found
}

/** Local State's names for the profiles, read only where it really is inside the home. */
async function profileNames(walk: Walk, path: string): ReturnType<typeof readProfileNames> {
  let real: string
  try {
    real = await realPathInRoot(walk.env, path, walk.cache)
  } catch (error) {
    const reason = unreadable(error, path)
    return reason.code === 'enoent' ? { names: null } : { names: null, problem: { code: reason.code, message: `${reason.message} The profile folders were looked for on disk instead.` } }
  }
  if (!within(walk.home, real)) return { names: null, problem: { code: 'chromium-outside-home', message: `${path} leads to ${real}, outside your home folder; CertAudit did not read it, and looked for the profile folders on disk instead.${whatIsAt(real)}` } }
  return readProfileNames(real, path)
}

/** What is at a path CertAudit did not read, when it is not a regular file (a device, a FIFO): a sentence, or nothing. */
export function whatIsAt(real: string): string {
  try {
    const kind = specialFileKind(lstatSync(real))
    return kind ? ` ${real} is ${kind}, not a regular file.` : ''
  } catch {
    return ''
  }
}

function problemAt(path: string, note: string, code: string, message: string, facts?: StoreFacts): ChromiumLocation {
  return { id: `chromium:${path}`, kind: 'chromium', location: path, note, ...(facts ? { facts } : {}), problem: { code, message } }
}

/**
 * The entries of a folder inside the home (links followed inside the system root), sorted, and its
 * real path; none when it cannot be read or leads out of the home. What they are goes into the walk's
 * cache. At most {@link MAX_CANDIDATE_ENTRIES} are listed (`more`: there were others): a user data
 * folder or a vendor's holds tens; the known browsers' folders are looked for by name whatever a
 * crowded base folder (~/.config) holds.
 */
async function listing(walk: Walk, dir: string): Promise<{ real: string | null; entries: Dirent[]; more: boolean }> {
  try {
    const real = await realPathInRoot(walk.env, dir, walk.cache)
    if (!within(walk.home, real)) return { real: null, entries: [], more: false }
    const { entries: listed, more } = await readFolder(real, MAX_CANDIDATE_ENTRIES)
    const entries = listed.sort(byName)
    walk.cache.dirs.add(real)
    for (const entry of entries) {
      const path = join(real, entry.name)
      if (entry.isDirectory()) walk.cache.dirs.add(path)
      else if (entry.isFile()) walk.cache.files.add(path)
      else if (entry.isSymbolicLink()) walk.cache.symlinks.add(path)
    }
    return { real, entries, more }
  } catch {
    return { real: null, entries: [], more: false }
  }
}

/** Names of the folders (and links to folders) in `dir`, sorted. */
async function folderNames(walk: Walk, dir: string): Promise<string[]> {
  return (await listing(walk, dir)).entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name)
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isDirectory(), () => false)
}

/** True when `path` is `dir` or inside it (by name). */
export function within(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path))
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
