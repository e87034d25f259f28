import { lstatSync } from 'node:fs'
import { basename } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { fileError, readBundleFile } from '../shared/bundle-file.js'
import { HASH_NAME, problemMatters } from '../shared/certificate-folder.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { listFiles, realPathInRoot, type FoundFile } from '../shared/paths.js'
import { readTrustFile, readTrustFileNow } from '../shared/trust-file.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'
import { survey, type FoundPlace, type Survey } from './discover.js'

/**
 * Folders where the tools of distributions without a layout the linux-system kind knows keep the
 * certificates they build a bundle or folder of this kind from: Clear Linux's clrtrust (system and
 * local), FreeBSD's certctl (base and local). Read only to say where a certificate came from.
 */
export const SOURCE_FOLDERS: readonly string[] = ['/etc/ca-certs/trusted', '/usr/share/ca-certs/trusted', '/usr/share/certs/trusted', '/usr/local/etc/ssl/certs']

/**
 * Lists one place: a bundle's certificates ("in the bundle, no source file known", or the file of a
 * certificate folder or a tool's source folder that holds the same certificate), or a folder's files,
 * each read once however many hash links lead to it, each entry named by its file.
 */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const seen = await survey(env)
  const place = seen.places.find((p) => p.path === location.location) ?? (await placeAsIs(location, env))
  if (place.error) throw place.error
  const sources = await sourceIndex(env, seen, place)
  if (place.type === 'file') yield* readBundle(place, sources)
  else yield* readFolder(place, seen, sources)
}

/**
 * A location no longer among the places (it changed since the scan began): read as it is now, its
 * links followed inside the system root as always, or say why it cannot be.
 */
async function placeAsIs(location: StoreLocation, env: Environment): Promise<FoundPlace> {
  const path = location.location
  try {
    const realPath = await realPathInRoot(env, path)
    if (!lstatSync(realPath).isDirectory()) return { path, realPath, type: 'file', aliases: [], readers: [] }
    const problems: StoreError[] = []
    const files = await listFiles(env, realPath, (e) => e.code !== 'enoent' && problems.push(e))
    // Nothing readable at all is this place's failure; otherwise its files are read.
    return { path, realPath, type: 'folder', aliases: [], readers: [], files, ...(problems[0] && files.length === 0 ? { error: problems[0] } : {}) }
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(path, error)
  }
}

async function* readBundle(place: FoundPlace, sources: ReadonlyMap<string, Source>): AsyncGenerator<ListItem> {
  // Its links were followed inside the root: the file itself is read (a FIFO or a device is refused by the reader, in its words).
  for await (const item of readBundleFile(place.realPath, 'trusted', { noFollow: true, shown: place.path })) {
    if (item.type === 'problem') {
      // An empty bundle trusts nothing: not a problem (as the linux-system kind reads its bundles).
      if (item.code !== 'no-certificates') yield { ...item, path: place.path }
      continue
    }
    const source = sources.get(sha256Hex(item.der))?.path
    yield {
      ...item,
      entry: `${place.path} ${item.entry}: ${source ? `in the bundle, from ${source}` : 'in the bundle, no source file known'}`,
      origin: { file: source ?? place.path },
    }
  }
}

async function* readFolder(place: FoundPlace, seen: Survey, sources: ReadonlyMap<string, Source>): AsyncGenerator<ListItem> {
  const problems: ListItem[] = (seen.problems.get(place.path) ?? []).map((e) => ({ type: 'problem', path: place.path, code: e.code, message: e.message }))
  for (const { realPath, shown, names } of byFile(place.files ?? [])) {
    const others = names.filter((n) => n !== shown).map((n) => basename(n))
    const label = `${shown}${names.includes(realPath) ? '' : ` → ${realPath}`}${others.length ? ` (also ${others.join(', ')})` : ''}`
    let items: ListItem[]
    try {
      items = await readWholeFile(realPath, label, shown)
    } catch (error) {
      problems.push(problemFrom(error, shown))
      continue
    }
    for (const item of items) {
      if (item.type === 'problem') {
        if (problemMatters(basename(shown), item.code)) yield { ...item, path: shown }
        continue
      }
      const source = sources.get(sha256Hex(item.der))
      yield { ...item, ...(source && source.realPath !== realPath ? { entry: `${item.entry}, from ${source.path}` } : {}), origin: { file: shown } }
    }
  }
  yield* problems
}

/**
 * A folder's files by where they lead: a certificate file and its hash links are one file, read once,
 * named by its file rather than a hash link to it.
 */
function byFile(files: readonly FoundFile[]): { realPath: string; shown: string; names: string[] }[] {
  const byReal = new Map<string, string[]>()
  for (const file of files) {
    const names = byReal.get(file.realPath)
    if (names) names.push(file.path)
    else byReal.set(file.realPath, [file.path])
  }
  return [...byReal].map(([realPath, names]) => ({ realPath, names, shown: names.find((n) => !HASH_NAME.test(basename(n))) ?? names[0]! }))
}

/** A file of a folder (where its links led, inside the root), named `label` in its entries and `shown` in its problems. */
async function readWholeFile(realPath: string, label: string, shown: string): Promise<ListItem[]> {
  const options = { noFollow: true, shown } as const
  const now = readTrustFileNow(realPath, 'trusted', label, options)
  if (now) return now
  const items: ListItem[] = []
  for await (const item of readTrustFile(realPath, 'trusted', label, options)) items.push(item)
  return items
}

type Source = FoundFile

/**
 * Where each certificate of this machine's certificate folders and tool source folders is, by SHA-256,
 * to say where a bundle's certificate came from. The place being listed is left out (a file is not
 * its own source); unreadable files are left to the listing of their own place.
 */
async function sourceIndex(env: Environment, seen: Survey, place: FoundPlace): Promise<Map<string, Source>> {
  const index = new Map<string, Source>()
  const add = async (files: readonly FoundFile[]) => {
    for (const { realPath, shown } of byFile(files)) {
      if (realPath === place.realPath) continue
      try {
        for (const item of await readWholeFile(realPath, shown, shown)) {
          if (item.type === 'entry' && !index.has(sha256Hex(item.der))) index.set(sha256Hex(item.der), { path: shown, realPath })
        }
      } catch {
        // Said where the file is listed as a place of its own, if it is one.
      }
    }
  }
  for (const dir of SOURCE_FOLDERS) await add(await listFiles(env, systemPath(env, dir), () => {}, { recursive: true, cache: seen.cache }))
  for (const other of seen.places) if (other.type === 'folder' && other.path !== place.path) await add(other.files ?? [])
  return index
}

function problemFrom(error: unknown, path: string): ListItem {
  const storeError = error instanceof StoreError ? error : fileError(path, error)
  return { type: 'problem', path, code: storeError.code, message: storeError.message }
}
