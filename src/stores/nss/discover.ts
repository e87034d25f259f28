/**
 * Where NSS certificate databases are: every Firefox and Thunderbird profile keeps its own
 * (cert9.db), on Linux, Windows and macOS, and on Linux Chromium and Google Chrome share one in
 * ~/.pki/nssdb. None of them is the system store, so a certificate installed "for Firefox" is only
 * found here.
 * Chromium's shared database: https://wiki.mozilla.org/NSS_Shared_DB_And_LINUX
 */
import { stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileError } from '../shared/bundle-file.js'
import { MAX_CANDIDATE_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { realPathInRoot } from '../shared/paths.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { confinedPath } from '../shared/confine.js'
import { StoreError, type StoreFacts, type StoreLocation } from '../types.js'
import { findMozillaProfiles, trustsOsStore, xdgBase, type NssCandidate } from './profiles.js'

/**
 * A location this adapter found. `problem` is set when discovery found the place but could not
 * look into it (a profile outside the home folder, a damaged profiles.ini, a link loop…): listing
 * it throws that problem as a {@link StoreError}, so it reaches the report as a failed store.
 */
export interface NssLocation extends StoreLocation {
  readonly problem?: { readonly code: string; readonly message: string }
}

const CHROMIUM = 'Chromium and Google Chrome'
const CHROMIUM_FACTS: StoreFacts = { program: 'chromium' }

/**
 * Every NSS database of the user: Mozilla profiles and Chromium's, each once even when two roots
 * lead to the same folder (a symlinked ~/.mozilla, XDG_CONFIG_HOME=~/.config).
 */
export async function discover(env: Environment): Promise<NssLocation[]> {
  // Chromium and Chrome use the OS store on macOS and Windows: only Mozilla profiles have their own database there.
  const osStore = env.platform === 'darwin' || env.platform === 'win32'
  const candidates = osStore ? await withOsStoreNotes(env, await findMozillaProfiles(env)) : [...(await findMozillaProfiles(env)), ...(await findChromiumDatabases(env)), ...(await findSharedDatabase(env))]
  const seen = new Set<string>()
  const locations: NssLocation[] = []
  for (const candidate of candidates) {
    // A place that could not be looked at is known by its folder and name, not by where it leads: two
    // broken files leading to the same device (profiles.ini and installs.ini both linked to /dev/zero) are
    // two problems, while one file reached through two linked roots is one.
    const key = candidate.problem
      ? `problem:${join(await realPathInRoot(env, dirname(candidate.dir)).catch(() => dirname(candidate.dir)), basename(candidate.dir))}`
      : await realPathInRoot(env, candidate.dir).catch(() => candidate.dir)
    if (seen.has(key)) continue
    seen.add(key)
    locations.push({
      id: `nss:${candidate.dir}`,
      kind: 'nss',
      location: candidate.dir,
      note: candidate.note,
      ...(candidate.facts ? { facts: candidate.facts } : {}),
      ...(candidate.problem ? { problem: candidate.problem } : {}),
    })
  }
  return locations
}

/** On Windows and macOS, says of each Firefox profile whether it also trusts the OS store's roots. */
async function withOsStoreNotes(env: Environment, candidates: readonly NssCandidate[]): Promise<NssCandidate[]> {
  const store = env.platform === 'win32' ? 'the Windows certificate store' : 'the macOS keychains'
  return Promise.all(
    candidates.map(async (c) => (c.problem || !c.note.startsWith('Firefox') || !(await trustsOsStore(env, c.dir)) ? c : { ...c, note: `${c.note}; also trusts the roots added to ${store} (security.enterprise_roots.enabled)` })),
  )
}

/**
 * The computer's shared NSS database, /etc/pki/nssdb (https://wiki.mozilla.org/NSS_Shared_DB): Fedora
 * and RHEL make it for programs that use NSS without a profile of their own (their tools, and any
 * program opening "sql:/etc/pki/nssdb"); a root added there with `certutil -d sql:/etc/pki/nssdb -A`
 * is trusted by them. Debian's libnss3 reads it too when a program asks for it.
 */
async function findSharedDatabase(env: Environment): Promise<NssCandidate[]> {
  const place = { dir: systemPath(env, '/etc/pki/nssdb'), note: 'NSS shared database of this computer', facts: { program: 'system' } as const }
  try {
    return (await stat(await confinedPath(env, place.dir))).isDirectory() ? [place] : []
  } catch (error) {
    const reason = error instanceof StoreError ? error : fileError(place.dir, error)
    return reason.code === 'enoent' ? [] : [{ ...place, problem: { code: reason.code, message: `${reason.message} Its certificates were not checked.` } }]
  }
}

/**
 * Chromium's NSS database: ~/.pki/nssdb, the XDG data folder that Chromium 146+ uses instead
 * (DESIGN.md, "Store adapters"), and the copies sandboxed programs keep: a snap's home is
 * ~/snap/NAME/current, and Flatpaks of Chromium-family browsers and Electron apps keep .pki with
 * `--persist=.pki` in ~/.var/app/ID. A root imported in a sandboxed browser lands there, not in ~/.pki.
 */
async function findChromiumDatabases(env: Environment): Promise<NssCandidate[]> {
  const xdgData = xdgBase(env, 'XDG_DATA_HOME')
  const places = [
    { dir: join(env.home, '.pki/nssdb'), note: CHROMIUM, facts: CHROMIUM_FACTS },
    ...(xdgData.dir ? [{ dir: join(xdgData.dir, 'pki/nssdb'), note: CHROMIUM, facts: CHROMIUM_FACTS }] : []),
    { dir: join(env.home, '.local/share/pki/nssdb'), note: CHROMIUM, facts: CHROMIUM_FACTS },
    ...(await sandboxed(env)),
  ]
  const found: NssCandidate[] = xdgData.problem ? [xdgData.problem] : []
  for (const place of places) {
    try {
      if ((await stat(await confinedPath(env, place.dir))).isDirectory()) found.push(place)
    } catch (error) {
      const reason = error instanceof StoreError ? error : fileError(place.dir, error)
      if (reason.code !== 'enoent') found.push({ ...place, problem: { code: reason.code, message: `${reason.message} ${place.note} certificates were not checked.` } })
    }
  }
  return found
}

/** The NSS databases of snaps and Flatpaks, named by the sandbox ("Chromium (snap)", "com.google.Chrome (Flatpak)"). */
async function sandboxed(env: Environment): Promise<NssCandidate[]> {
  const places: NssCandidate[] = []
  for (const [folder, install, inside] of [
    ['snap', 'snap', ['current/.pki/nssdb', 'common/.pki/nssdb']],
    ['.var/app', 'Flatpak', ['.pki/nssdb', 'data/pki/nssdb']],
  ] as const) {
    // A few dozen sandboxes at most; a folder of more is listed to the bound, like a profile root.
    const listing = await realPathInRoot(env, join(env.home, folder))
      .then((real) => readFolder(real, MAX_CANDIDATE_ENTRIES))
      .catch(() => ({ entries: [], more: false }))
    if (listing.more) {
      const dir = join(env.home, folder)
      const message = `${dir} holds more than ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} entries, far more than any computer's ${install}s; only ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} were looked at, so the certificate database of one among the others may not have been checked.`
      places.push({ dir, note: `${install} programs`, facts: CHROMIUM_FACTS, problem: { code: 'too-many-files', message } })
    }
    for (const name of listing.entries.map((e) => e.name).sort()) {
      const app = name === 'chromium' ? 'Chromium' : name
      for (const path of inside) places.push({ dir: join(env.home, folder, name, path), note: `${app} (${install})`, facts: { ...CHROMIUM_FACTS, browser: `${app} (${install})` } })
    }
  }
  return places
}
