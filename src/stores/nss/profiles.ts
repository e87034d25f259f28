/**
 * Where Firefox and Thunderbird keep their profiles, each with its own NSS database (cert9.db),
 * separate from the system store: https://support.mozilla.org/kb/profiles-where-firefox-stores-user-data
 * A profile root holds profiles.ini (the profiles the profile manager knows) and installs.ini (each
 * installation's default profile); profiles are subfolders of the root on Linux, and of its Profiles
 * folder on Windows (%APPDATA%\Mozilla\Firefox\Profiles) and macOS
 * (~/Library/Application Support/Firefox/Profiles).
 */
import { lstat, stat } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import type { Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { realPathInRoot } from '../shared/paths.js'
import { forkRoots, linuxForkRoots, storeAppRoots } from './forks.js'
import { confinedPath } from '../shared/confine.js'
import { fileError, readRegularFile } from '../shared/regular-file.js'
import { StoreError, type StoreFacts } from '../types.js'

/** A folder to read as an NSS database, or a place that could not be looked at (with why). */
export interface NssCandidate {
  /** The folder (or, for a problem, the file or folder concerned), as people would find it. */
  readonly dir: string
  readonly note: string
  /** The same as fields, for the window. */
  readonly facts?: StoreFacts
  readonly problem?: { readonly code: string; readonly message: string }
}

/** The program a profile root belongs to ("Firefox (snap)" is Firefox; a fork is its family's). */
function programOf(root: ProfileRoot): 'firefox' | 'thunderbird' {
  return root.family ?? (root.app.startsWith('Thunderbird') ? 'thunderbird' : 'firefox')
}

export interface ProfileRoot {
  /** "Firefox", "Firefox (snap)", "Thunderbird", "LibreWolf"… */
  readonly app: string
  readonly dir: string
  /** Where the profile folders themselves are, when not right in `dir` (Windows and macOS: `dir/Profiles`). */
  readonly profilesDir?: string
  /** For a fork, the program it is built from (its menus and locks are that program's). */
  readonly family?: 'firefox' | 'thunderbird'
}

/** A profiles.ini is a few hundred bytes; a bigger one is not a profile list. */
const MAX_INI_BYTES = 1024 * 1024
/** prefs.js is a few hundred KB at most. */
const MAX_PREFS_BYTES = 64 * 1024 * 1024

/**
 * The profile roots, most common first (so a folder reached twice keeps its most familiar name).
 * Firefox 147+ moved to the XDG config folder (https://bugzilla.mozilla.org/show_bug.cgi?id=259356);
 * snap and Flatpak builds keep theirs inside their sandbox folders. A Flatpak sets XDG_CONFIG_HOME to
 * ~/.var/app/ID/config inside the sandbox, hence that root too.
 */
function profileRoots(env: Environment): { roots: ProfileRoot[]; problems: NssCandidate[] } {
  const home = env.home
  if (env.platform === 'win32') {
    // %APPDATA% (the roaming profile folder); a value outside the home folder is treated like an XDG one.
    const appData = xdgBase(env, 'APPDATA')
    const base = appData.dir ?? join(home, 'AppData', 'Roaming')
    const roots = [
      { app: 'Firefox', dir: join(base, 'Mozilla', 'Firefox'), profilesDir: join(base, 'Mozilla', 'Firefox', 'Profiles') },
      { app: 'Thunderbird', dir: join(base, 'Thunderbird'), profilesDir: join(base, 'Thunderbird', 'Profiles') },
      ...storeAppRoots(home),
      ...forkRoots(base),
    ]
    return { roots, problems: appData.problem ? [appData.problem] : [] }
  }
  if (env.platform === 'darwin') {
    const firefox = join(home, 'Library', 'Application Support', 'Firefox')
    const thunderbird = join(home, 'Library', 'Thunderbird')
    return {
      roots: [
        { app: 'Firefox', dir: firefox, profilesDir: join(firefox, 'Profiles') },
        { app: 'Thunderbird', dir: thunderbird, profilesDir: join(thunderbird, 'Profiles') },
        ...forkRoots(join(home, 'Library', 'Application Support')),
      ],
      problems: [],
    }
  }
  const xdgConfig = xdgBase(env, 'XDG_CONFIG_HOME')
  const roots: ProfileRoot[] = [
    { app: 'Firefox', dir: join(home, '.mozilla/firefox') },
    ...(xdgConfig.dir ? [{ app: 'Firefox', dir: join(xdgConfig.dir, 'mozilla/firefox') }] : []),
    { app: 'Firefox', dir: join(home, '.config/mozilla/firefox') },
    { app: 'Firefox (snap)', dir: join(home, 'snap/firefox/common/.mozilla/firefox') },
    { app: 'Firefox (Flatpak)', dir: join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox') },
    { app: 'Firefox (Flatpak)', dir: join(home, '.var/app/org.mozilla.firefox/config/mozilla/firefox') },
    { app: 'Thunderbird', dir: join(home, '.thunderbird') },
    { app: 'Thunderbird (snap)', dir: join(home, 'snap/thunderbird/common/.thunderbird') },
    { app: 'Thunderbird (Flatpak)', dir: join(home, '.var/app/org.mozilla.Thunderbird/.thunderbird') },
    ...linuxForkRoots(home),
  ]
  return { roots, problems: xdgConfig.problem ? [xdgConfig.problem] : [] }
}

/**
 * An XDG base folder from the environment. The XDG spec says a relative value is ignored; a value
 * outside the home folder is reported and not followed (when auditing a disk image with --home, the
 * variables describe the auditing computer, not the image).
 */
export function xdgBase(env: Environment, variable: 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'APPDATA'): { dir?: string; problem?: NssCandidate } {
  // The audited machine's variable: none under --system-root, where this process's describe another computer.
  const value = env.machineEnv[variable]
  if (!value || !isAbsolute(value)) return {}
  if (isWithin(env.home, value)) return { dir: resolve(value) }
  return {
    problem: {
      dir: value,
      note: `set by ${variable}`,
      problem: {
        code: 'nss-outside-home',
        message: `${variable} is ${value}, outside your home folder (${env.home}); CertAudit only looks for browser profiles inside the home folder, so it did not look there.`,
      },
    },
  }
}

/** Every Firefox and Thunderbird profile folder, plus the places that could not be looked at. */
export async function findMozillaProfiles(env: Environment): Promise<NssCandidate[]> {
  const { roots, problems } = profileRoots(env)
  const found = [...problems]
  for (const root of roots) found.push(...(await profilesIn(env, root)))
  return found
}

async function profilesIn(env: Environment, root: ProfileRoot): Promise<NssCandidate[]> {
  const facts: StoreFacts = { program: programOf(root), ...(root.family ? { browser: root.app } : {}) }
  let rootListing: { entries: { name: string }[]; more: boolean }
  try {
    rootListing = await readFolder(await realPathInRoot(env, root.dir), MAX_CANDIDATE_ENTRIES)
  } catch (error) {
    const reason = fileError(root.dir, error)
    if (reason.code === 'enoent') return []
    return [{ dir: root.dir, note: `${root.app} profiles`, facts, problem: { code: reason.code, message: `${reason.message} The ${root.app} profiles in it were not checked.` } }]
  }

  const found: NssCandidate[] = []
  const listed = new Set<string>()
  for (const file of ['profiles.ini', 'installs.ini']) {
    const path = join(root.dir, file)
    const ini = await readIni(env, path)
    if (!ini) continue
    if (ini.problem) found.push({ dir: path, note: `${root.app} list of profiles`, facts, problem: ini.problem })
    for (const ref of ini.profiles) {
      const dir = ref.isRelative ? resolve(root.dir, ref.path) : absoluteProfilePath(env, ref.path)
      if (listed.has(dir)) continue
      listed.add(dir)
      found.push(await listedProfile(env, root, path, ref.name, dir))
    }
  }

  // A folder with a certificate database that profiles.ini forgot (an old or copied profile) is
  // still read by anything pointed at it, so it is scanned too. A root holds tens of entries: the
  // look is bounded, and what lies beyond the bound is reported, not silently skipped.
  const folder = root.profilesDir ?? root.dir
  let listing: { entries: { name: string }[]; more: boolean } = rootListing
  if (root.profilesDir) {
    listing = await realPathInRoot(env, root.profilesDir)
      .then((real) => readFolder(real, MAX_CANDIDATE_ENTRIES))
      .catch(() => ({ entries: [], more: false })) // no Profiles folder: only the profiles the ini files name
  }
  const names = listing.entries.map((e) => e.name).sort()
  if (listing.more) {
    const message = `${folder} holds more than ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} entries, far more than any ${root.app} profile folder; only ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} were looked at, so a profile among the others may not have been checked.`
    found.push({ dir: folder, note: `${root.app} profiles`, facts, problem: { code: 'too-many-files', message } })
  }
  for (const name of names) {
    const dir = join(folder, name)
    if (listed.has(dir)) continue
    try {
      const real = await confinedPath(env, dir)
      if (!(await stat(real)).isDirectory()) continue
      // Looked up by name: a folder of 100,000 files is not listed to find these two.
      if (!(await hasEntry(real, 'cert9.db')) && !(await hasEntry(real, 'cert8.db'))) continue
    } catch (error) {
      const reason = fileError(dir, error)
      if (reason.code === 'enoent') continue // a dangling link: no profile there
      found.push({ dir, note: `${root.app} folder ${name}`, facts: { ...facts, profile: name, unlisted: true }, problem: { code: nssCode(reason.code), message: `${reason.message} If it is a profile, its certificates were not checked.` } })
      continue
    }
    found.push({ dir, note: `${root.app} profile folder ${name} (not listed in profiles.ini)`, facts: { ...facts, profile: name, unlisted: true } })
  }
  return found
}

/** True when `name` exists in the folder `dir`, whatever it is. */
async function hasEntry(dir: string, name: string): Promise<boolean> {
  try {
    await lstat(join(dir, name))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** A profile named in profiles.ini or installs.ini, checked before anything in it is read. */
async function listedProfile(env: Environment, root: ProfileRoot, iniPath: string, name: string, dir: string): Promise<NssCandidate> {
  const note = `${root.app} profile ${name}`
  const facts: StoreFacts = { program: programOf(root), ...(root.family ? { browser: root.app } : {}), profile: name }
  if (!isWithin(env.home, dir)) {
    return {
      dir,
      note,
      facts,
      problem: {
        code: 'nss-outside-home',
        message:
          `${iniPath} points the ${root.app} profile "${name}" to ${dir}, outside your home folder (${env.home}). CertAudit did not read it: ` +
          'profiles.ini is an ordinary file that any program can change, and following it out of the home folder could make the scan read ' +
          "another user's files, or the computer doing the audit instead of the disk being audited. If that profile is yours, look at its " +
          'certificates in the program itself (Settings → Privacy & Security → Certificates → View Certificates).',
      },
    }
  }
  try {
    // A profile folder that is a link out of the home folder is refused like a Path= outside it (confine.ts).
    const real = await confinedPath(env, dir)
    if (!(await stat(real)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (error) {
    const code = error instanceof StoreError ? error.code : (error as NodeJS.ErrnoException).code
    if (code === 'enoent' || code === 'ENOENT') {
      return { dir, note, facts, problem: { code: 'nss-profile-missing', message: `${iniPath} lists the ${root.app} profile "${name}" at ${dir}, but that folder does not exist.` } }
    }
    const reason = error instanceof StoreError ? error : fileError(dir, error)
    return { dir, note, facts, problem: { code: nssCode(reason.code), message: `${reason.message} The ${root.app} profile "${name}" was not checked.` } }
  }
  return { dir, note, facts }
}

/** A profile that leads out of the home folder has the code a Path= outside it has. */
const nssCode = (code: string) => (code === 'outside-home' ? 'nss-outside-home' : code)

/**
 * An absolute Path= as the audited machine sees it: on a live machine as written; in a disk image
 * (a system root other than /) under that root, unless it already points into the image or home.
 */
function absoluteProfilePath(env: Environment, path: string): string {
  if (env.systemRoot === '/' || isWithin(env.systemRoot, path) || isWithin(env.home, path)) return resolve(path)
  return join(env.systemRoot, path)
}

interface ProfileRef {
  readonly name: string
  readonly path: string
  readonly isRelative: boolean
}

/**
 * The profiles an ini file names, and a problem if it is damaged or cannot be read (what was readable
 * is still used); null when there is no such file.
 */
async function readIni(env: Environment, path: string): Promise<{ profiles: ProfileRef[]; problem?: { code: string; message: string } } | null> {
  let text: string
  try {
    // Links followed inside the system root, then never again: a FIFO or /dev/zero here is refused, not read.
    text = (await readRegularFile(await realPathInRoot(env, path), { maxBytes: MAX_INI_BYTES, noFollow: true, what: 'list of profiles', shown: path })).toString('utf8')
  } catch (error) {
    const reason = fileError(path, error)
    if (reason.code === 'enoent') return null
    return { profiles: [], problem: { code: reason.code === 'too-large' ? 'nss-bad-profiles-ini' : reason.code, message: `${reason.message} Profile folders found on disk were checked anyway.` } }
  }
  const { sections, errors } = parseIni(text)
  const profiles: ProfileRef[] = []
  for (const [section, values] of sections) {
    // [ProfileN]: Name, Path, IsRelative. [Install…] (profiles.ini) and installs.ini's sections: Default.
    const isProfile = /^Profile\d+$/.test(section)
    const target = isProfile ? values.get('Path') : values.get('Default')
    if (target === undefined) {
      if (isProfile) errors.push(`[${section}] has no Path`)
      continue
    }
    const relativeFlag = values.get('IsRelative')
    if (!target || target.includes('\0') || (isProfile && relativeFlag !== undefined && relativeFlag !== '0' && relativeFlag !== '1')) {
      errors.push(`[${section}] has an invalid ${isProfile ? 'Path or IsRelative' : 'Default'}`)
      continue
    }
    profiles.push({
      name: (isProfile && values.get('Name')) || basename(target),
      path: target,
      isRelative: isProfile && relativeFlag !== undefined ? relativeFlag === '1' : !isAbsolute(target),
    })
  }
  if (errors.length === 0) return { profiles }
  const shown = errors.slice(0, 3).join('; ') + (errors.length > 3 ? `; and ${errors.length - 3} more` : '')
  return {
    profiles,
    problem: {
      code: 'nss-bad-profiles-ini',
      message: `${path} is damaged (${shown}). The program may not find its profiles; CertAudit used what it could read and checked the profile folders it found on disk.`,
    },
  }
}

/** A tolerant INI parser: `[section]`, `key=value`, `;`/`#` comments; anything else is an error by line. */
export function parseIni(text: string): { sections: Map<string, Map<string, string>>; errors: string[] } {
  const sections = new Map<string, Map<string, string>>()
  const errors: string[] = []
  let current: Map<string, string> | null = null
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return
    const section = /^\[([^\]]+)\]$/.exec(line)
    const pair = keyValue(line)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(line) || (!section && !pair) || (pair && !current)) {
      // eslint-disable-next-line no-control-regex -- shown in a message: no control characters
      const shown = line.slice(0, 40).replace(/[\u0000-\u001f\u007f\ufffd]/g, '?')
      errors.push(`line ${index + 1} ("${shown}") is not a [section] or key=value line`)
    } else if (section) {
      current = sections.get(section[1]!) ?? new Map<string, string>()
      sections.set(section[1]!, current)
    } else if (pair && current) {
      current.set(pair[1]!, pair[2]!)
    }
  })
  return { sections, errors }
}

/**
 * `key=value` split at the first `=`, the key without the spaces before it; null when the line is
 * not one (no key, a key starting with `[`, a line break in the value). Done by hand: the regular
 * expression it replaces, /^([^=\s[][^=]*?)\s*=(.*)$/, took time quadratic in the length of a line
 * without `=` (a second for 25,000 spaces; a 1 MB profiles.ini could hold a line of a million).
 */
function keyValue(line: string): [string, string, string] | null {
  const eq = line.indexOf('=')
  if (eq <= 0 || line[0] === '[' || /\s/.test(line[0]!)) return null
  const value = line.slice(eq + 1)
  if (/[\n\r\u2028\u2029]/.test(value)) return null // `.` in the old expression stopped at these
  return [line, line.slice(0, eq).trimEnd(), value]
}

/** True when `path` is `dir` or inside it (by name: links are followed later, not here). */
export function isWithin(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * Whether Firefox on Windows or macOS also trusts the roots of the operating system's store for
 * this profile: `security.enterprise_roots.enabled`, on by default since Firefox 120 unless the
 * profile's prefs.js or user.js turns it off (https://support.mozilla.org/kb/automatically-trust-third-party-certificates).
 * A root removed from the OS store is then gone for Firefox too.
 */
export async function trustsOsStore(env: Environment, dir: string): Promise<boolean> {
  let enabled = true
  for (const file of ['prefs.js', 'user.js']) {
    // user.js is applied after prefs.js, so a value there wins.
    const text = await realPathInRoot(env, join(dir, file))
      .then((real) => readRegularFile(real, { maxBytes: MAX_PREFS_BYTES, noFollow: true, what: 'Firefox preferences file' }))
      .then((bytes) => bytes.toString('utf8'))
      .catch(() => '')
    for (const match of text.matchAll(/user_pref\(\s*"security\.enterprise_roots\.enabled"\s*,\s*(true|false)\s*\)/g)) enabled = match[1] === 'true'
  }
  return enabled
}
