import { lstatSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileError } from '../shared/bundle-file.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolderSync } from '../shared/folder-listing.js'
import { listFiles, newPathCache, realPathInRoot, type FoundFile, type PathCache } from '../shared/paths.js'
import { detectedLayouts } from '../linux-system/discover.js'
import { StoreError, type StoreLocation } from '../types.js'
import { PLACES, type Place, type Reader } from './places.js'

/** How readers are listed: the libraries first, then programs and systems. */
const READER_ORDER: readonly Reader[] = ['OpenSSL', 'LibreSSL', 'GnuTLS', 'Go', 'Rust', 'curl', 'Nix', 'Guix', 'Clear Linux', 'Android']

/** One default place that exists, once, however many of the listed paths lead to it. */
export interface FoundPlace {
  /** The store location's path: the listed path that is the file or folder itself, else the first that leads to it. */
  readonly path: string
  /** Where it really is, links followed inside the system root. */
  readonly realPath: string
  readonly type: 'file' | 'folder'
  /** The other listed paths that lead to it (links, such as Alpine's /etc/ssl/cert.pem). */
  readonly aliases: readonly string[]
  readonly readers: readonly Reader[]
  /** A folder's files that are this place's own (not another place, not the system store's). */
  readonly files?: readonly FoundFile[]
  /** Why it cannot be read (a link loop, no permission): listed as a store that fails with this. */
  readonly error?: StoreError
}

/** The places of this kind on a machine, and the folder listing problems met finding them. */
export interface Survey {
  readonly places: readonly FoundPlace[]
  readonly problems: ReadonlyMap<string, readonly StoreError[]>
  readonly cache: PathCache
}

/**
 * Every default certificate file and folder that exists (places.ts), each once by where it really is
 * (links followed inside --system-root: NixOS's /etc/ssl/certs/*.crt all lead to one file in
 * /nix/store), less what the linux-system kind reads for the layout it found (its bundles, its
 * hashed folders): each place is read by exactly one kind, and none by none. Windows has none of these.
 */
export async function discover(env: Environment): Promise<StoreLocation[]> {
  return (await survey(env)).places.map((place) => locationOf(place))
}

/** The location of a place: id `openssl:<path>`, its readers as facts. */
export function locationOf(place: FoundPlace): StoreLocation {
  const what = place.type === 'folder' ? 'certificate folder' : 'certificate bundle'
  const also = place.aliases.length ? `; also reached as ${place.aliases.join(', ')}` : ''
  return {
    id: `openssl:${place.path}`,
    kind: 'openssl',
    location: place.path,
    note: `default ${what} read by ${place.readers.join(', ')}${also}`,
    facts: { readBy: place.readers, ...(place.type === 'folder' ? { folder: true } : {}) },
  }
}

/** Finds the places (discover) and, for list(), the same view of the machine again. */
export async function survey(env: Environment): Promise<Survey> {
  if (env.platform === 'win32') return { places: [], problems: new Map(), cache: newPathCache() }
  const cache = newPathCache()
  const covered = await systemStoreCoverage(env, cache)
  const byReal = new Map<string, { path: string; type: Place['type']; paths: string[]; readers: Set<Reader>; error?: StoreError }>()
  for (const place of await expandGlobs(env, PLACES, cache)) {
    const path = systemPath(env, place.path)
    let realPath: string
    let error: StoreError | undefined
    try {
      realPath = await realPathInRoot(env, path, cache)
      const info = lstatSync(realPath)
      if (info.isDirectory() !== (place.type === 'folder')) continue // a folder where a file is expected trusts nothing, and the reverse
    } catch (caught) {
      const cause = caught instanceof StoreError ? caught : fileError(path, caught)
      if (cause.code === 'enoent' || cause.code === 'enotdir') continue
      ;[realPath, error] = [path, cause]
    }
    if (!error && covered.has(realPath, place.type)) continue
    const known = byReal.get(realPath)
    if (known) {
      if (!known.paths.includes(path)) known.paths.push(path)
      for (const reader of place.readers) known.readers.add(reader)
      continue
    }
    byReal.set(realPath, { path, type: place.type, paths: [path], readers: new Set(place.readers), ...(error ? { error } : {}) })
  }

  // The files the system store reads through its hashed folder (Arch's /etc/ssl/certs links into
  // extracted/cadir): looked up only when a place is left, so a stock machine lists no folder here.
  if (byReal.size > 0) {
    await covered.addHashedFiles()
    for (const [real, place] of byReal) if (place.type === 'file' && !place.error && covered.has(real, 'file')) byReal.delete(real)
  }
  const fileReals = new Set([...byReal].filter(([, p]) => p.type === 'file').map(([real]) => real))
  // Go reads every file of its folders: a bundle that sits in one is read by Go too (even when the
  // folder holds nothing else, and so is not shown).
  const goFolders = new Set([...byReal].filter(([, p]) => p.type === 'folder' && p.readers.has('Go')).map(([real]) => real))
  const inGoFolder = async (paths: readonly string[]) => {
    for (const path of paths) if (goFolders.has(await realPathInRoot(env, dirname(path), cache).catch(() => ''))) return true
    return false
  }
  const problems = new Map<string, StoreError[]>()
  const places: FoundPlace[] = []
  for (const [realPath, found] of byReal) {
    // The path that is the place itself names it, where one is listed; otherwise the first link to it.
    const path = found.paths.find((p) => p === realPath) ?? found.path
    const readers = found.type === 'file' && (await inGoFolder([realPath, ...found.paths])) ? new Set([...found.readers, 'Go' as const]) : found.readers
    let files: FoundFile[] | undefined
    if (found.type === 'folder' && !found.error) {
      const met: StoreError[] = []
      // Its own files: not a place of their own (Alpine's /etc/ssl/certs/ca-certificates.crt), nor the system store's.
      const keep = (file: FoundFile) => !fileReals.has(file.realPath) && !covered.has(file.realPath, 'file')
      // A link to nothing (a certificate deleted, its hash link left) trusts nothing: not a problem.
      files = await listFiles(env, realPath, (e) => e.code !== 'enoent' && met.push(e), { cache, keep })
      if (files.length === 0 && met.length === 0) continue // an empty folder trusts nothing: not a store to show
      if (met.length) problems.set(path, met)
    }
    places.push({
      path,
      realPath,
      type: found.type,
      aliases: found.paths.filter((p) => p !== path),
      readers: READER_ORDER.filter((r) => readers.has(r)),
      ...(files ? { files } : {}),
      ...(found.error ? { error: found.error } : {}),
    })
  }
  return { places, problems, cache }
}

/** Listed folders whose name ends in `*` (Homebrew's openssl@3, openssl@1.1 …): every match, looked for inside the root. */
async function expandGlobs(env: Environment, places: readonly Place[], cache: PathCache): Promise<Place[]> {
  const out: Place[] = []
  for (const place of places) {
    const star = place.path.indexOf('*')
    if (star < 0) {
      out.push(place)
      continue
    }
    const parent = place.path.slice(0, place.path.lastIndexOf('/', star))
    const prefix = place.path.slice(parent.length + 1, star)
    const rest = place.path.slice(place.path.indexOf('/', star))
    let names: string[]
    try {
      // Listed to a bound: /usr/local/etc holds tens of entries, openssl@N a few.
      names = readFolderSync(await realPathInRoot(env, systemPath(env, parent), cache), MAX_CANDIDATE_ENTRIES).entries.map((e) => e.name).filter((name) => name.startsWith(prefix)).sort()
    } catch {
      continue // no such folder: nothing installed there
    }
    for (const name of names) out.push({ ...place, path: `${parent}/${name}${rest}` })
  }
  return out
}

/** What the linux-system kind reads on this machine, by real path. */
interface Coverage {
  has(realPath: string, type: 'file' | 'folder'): boolean
  /** Adds the files its hashed folders lead to (links into other folders included). */
  addHashedFiles(): Promise<void>
}

/**
 * The bundles and hashed folders of each layout the linux-system kind found, and the files it reaches
 * through them: it reads them (reporting what no source explains), so this kind leaves them to it.
 * Its source folders are not left to it: a default path that leads into one (a link /etc/ssl/cert.pem →
 * /usr/local/share/ca-certificates/x.pem) is trusted by OpenSSL whatever the distribution's tool makes
 * of that file (update-ca-certificates ignores a .pem there), so it is read here as what it is.
 */
async function systemStoreCoverage(env: Environment, cache: PathCache): Promise<Coverage> {
  const files = new Set<string>()
  const folders = new Set<string>()
  const real = async (path: string) => realPathInRoot(env, systemPath(env, path), cache).catch(() => null)
  for (const layout of await detectedLayouts(env)) {
    for (const bundle of layout.bundles) {
      const path = await real(bundle)
      if (path) files.add(path)
    }
    // Its hashed folders are read file by file, whatever their names (linux-system/read.ts).
    for (const dir of [...(layout.hashedDir ? [layout.hashedDir] : []), ...(layout.alsoHashed ?? [])]) {
      const hashed = await real(dir)
      if (hashed) folders.add(hashed)
    }
  }
  let added = false
  return {
    has: (path, type) => (type === 'file' ? files.has(path) || folders.has(dirname(path)) : folders.has(path)),
    addHashedFiles: async () => {
      if (added) return
      added = true
      for (const dir of folders) for (const file of await listFiles(env, dir, () => {}, { cache })) files.add(file.realPath)
    },
  }
}
