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
import { readdir, stat } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { Environment } from '../shared/environment.js'
import { realPathInRoot } from '../shared/paths.js'
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

/** Every ServerCertificate database of every profile of every Chromium-family browser in the home folder. */
export async function discover(env: Environment): Promise<ChromiumLocation[]> {
  const found: ChromiumLocation[] = []
  const home = await realPathInRoot(env, env.home).catch(() => null)
  if (!home) return []
  const bases = await basesOf(env, home, found)
  const seenFiles = new Set<string>()
  for (const dir of await userDataDirs(env, home, bases, found)) {
    for (const location of await profilesOf(env, home, dir)) {
      const key = location.problem ? location.id : location.location
      const real = location.problem ? key : await realPathInRoot(env, location.location).catch(() => key)
      if (seenFiles.has(real)) continue
      seenFiles.add(real)
      found.push(location)
    }
  }
  return found
}

/** The folders browsers put their user data folders in, on this system; variables pointing out of the home are reported. */
async function basesOf(env: Environment, home: string, problems: ChromiumLocation[]): Promise<Base[]> {
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
  for (const id of await folderNames(env, home, join(env.home, '.var', 'app'))) bases.push({ dir: join(env.home, '.var', 'app', id, 'config'), kind: 'config', install: 'Flatpak' })
  for (const name of await folderNames(env, home, join(env.home, 'snap'))) {
    for (const sub of [['current', '.config'], ['common'], ['common', '.config']]) bases.push({ dir: join(env.home, 'snap', name, ...sub), kind: 'config', install: 'snap' })
  }
  return bases
}

/** Every user data folder under the bases: the known ones, then any folder holding `Local State`. Each once. */
async function userDataDirs(env: Environment, home: string, bases: readonly Base[], problems: ChromiumLocation[]): Promise<UserDataDir[]> {
  const found: UserDataDir[] = []
  const seen = new Set<string>()
  const add = async (base: Base, dir: string) => {
    const real = await realPathInRoot(env, dir).catch(() => null)
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
    for (const dir of await withLocalState(env, home, base.dir)) await add(base, dir)
  }
  return found
}

/** Folders one or two levels below `dir` that hold `Local State`, directly or in a "User Data" folder (Windows). */
async function withLocalState(env: Environment, home: string, dir: string): Promise<string[]> {
  const found: string[] = []
  for (const vendor of await folderNames(env, home, dir)) {
    const vendorDir = join(dir, vendor)
    const entries = await entriesOf(env, home, vendorDir)
    const names = new Set(entries.map((e) => e.name))
    if (names.has('Local State')) found.push(vendorDir)
    if (names.has('User Data') && (await hasLocalState(env, join(vendorDir, 'User Data')))) found.push(join(vendorDir, 'User Data'))
    const products = entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && e.name !== 'User Data').slice(0, MAX_PRODUCTS_PER_VENDOR)
    for (const product of products) {
      for (const candidate of [join(vendorDir, product.name), join(vendorDir, product.name, 'User Data')]) if (await hasLocalState(env, candidate)) found.push(candidate)
    }
  }
  return found
}

/** The profiles of one user data folder: from Local State, and every folder (itself included) holding a ServerCertificate file. */
async function profilesOf(env: Environment, home: string, dir: UserDataDir): Promise<ChromiumLocation[]> {
  const found: ChromiumLocation[] = []
  const localStatePath = join(dir.dir, 'Local State')
  const { names, problem } = await readProfileNames(join(dir.real, 'Local State'), localStatePath)
  if (problem) found.push(problemAt(localStatePath, `${dir.browser} list of profiles`, problem.code, problem.message, { program: dir.program, browser: dir.browser }))

  const candidates = new Map<string, { folder: string; key: string | null }>()
  candidates.set(dir.dir, { folder: dir.dir, key: null })
  for (const entry of await entriesOf(env, home, dir.dir)) if (entry.isDirectory() || entry.isSymbolicLink()) candidates.set(join(dir.dir, entry.name), { folder: join(dir.dir, entry.name), key: entry.name })
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
      real = await realPathInRoot(env, file)
    } catch (error) {
      const reason = unreadable(error, file)
      if (reason.code !== 'enoent' && reason.code !== 'enotdir') found.push(problemAt(file, note, reason.code, `${reason.message} The certificates of ${note} were not checked.`, facts))
      continue
    }
    if (!within(home, real)) {
      found.push(problemAt(file, note, 'chromium-outside-home', `${file} leads to ${real}, outside your home folder (${env.home}); CertAudit did not read it. If this profile is yours, look at its certificates in the browser: chrome://certificate-manager.`, facts))
      continue
    }
    if (!(await stat(real).then((info) => info.isFile(), () => false))) {
      found.push(problemAt(file, note, 'chromium-not-a-file', `${file} is not a file, so the browser cannot use it as its certificate database; nothing in it was checked.`, facts))
      continue
    }
    found.push({ id: `chromium:${file}`, kind: 'chromium', location: file, note, facts })
  }
  return found
}

function problemAt(path: string, note: string, code: string, message: string, facts?: StoreFacts): ChromiumLocation {
  return { id: `chromium:${path}`, kind: 'chromium', location: path, note, ...(facts ? { facts } : {}), problem: { code, message } }
}

/** The entries of a folder inside the home (links followed inside the system root); none when it cannot be read or leads out of the home. */
async function entriesOf(env: Environment, home: string, dir: string): Promise<Dirent[]> {
  try {
    const real = await realPathInRoot(env, dir)
    if (!within(home, real)) return []
    return (await readdir(real, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  } catch {
    return []
  }
}

/** Names of the folders (and links to folders) in `dir`, sorted. */
async function folderNames(env: Environment, home: string, dir: string): Promise<string[]> {
  return (await entriesOf(env, home, dir)).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name)
}

async function hasLocalState(env: Environment, dir: string): Promise<boolean> {
  return realPathInRoot(env, join(dir, 'Local State')).then(() => true, () => false)
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isDirectory(), () => false)
}

/** True when `path` is `dir` or inside it (by name). */
export function within(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path))
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
