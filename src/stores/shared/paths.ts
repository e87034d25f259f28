import type { Dirent } from 'node:fs'
import { lstatSync, readlinkSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path'
import { byName, MAX_WALK_DEPTH, MAX_WALK_ENTRIES, readFolderSync, specialEntryKind } from './folder-listing.js'
import { fileError, notAFile } from './regular-file.js'
import type { Environment } from './environment.js'
import { StoreError } from '../types.js'

/** Linux allows 40 links in a path before ELOOP; we follow the same limit. */
const MAX_LINKS = 40

/**
 * What one listing of a store has already learned about the file system, so that no folder or link
 * is looked at twice: a Debian store of 10,000 certificates has 20,000 links in /etc/ssl/certs that
 * all lead into the same two folders. Scoped to one listing (a scan never sees a stale answer from
 * an earlier one).
 */
export interface PathCache {
  /** Folders known to be real (not links). */
  readonly dirs: Set<string>
  /** Where each link found so far points (the text of the link). */
  readonly links: Map<string, string>
  /** Paths known to be regular files (from a folder listing). */
  readonly files: Set<string>
  /** Paths known to be links (from a folder listing), not read yet. */
  readonly symlinks: Set<string>
  /** Paths already resolved, with where they lead: a hash link and the link it points to end in the same place. */
  readonly resolved: Map<string, Resolved>
}

/** Where a path really is, and whether it is a folder (null: not looked at). */
interface Resolved {
  readonly path: string
  readonly isDir: boolean | null
}

/** A fresh, empty {@link PathCache}. */
export function newPathCache(): PathCache {
  return { dirs: new Set(), links: new Map(), files: new Set(), symlinks: new Set(), resolved: new Map() }
}

/**
 * Synchronous file system calls below: a store of 10,000 files costs ~5 µs a call this way and
 * ~15-45 µs through fs/promises (a thread-pool round trip and a promise each), which was most of a
 * large scan's time. The walkers give the event loop a turn every {@link YIELD_EVERY} calls, so the
 * app's window and the other stores read at the same time keep going.
 */
const YIELD_EVERY = 256
let callsSinceYield = 0

/** Gives the event loop a turn now and then during a long run of synchronous file system calls. */
export async function breathe(): Promise<void> {
  if (++callsSinceYield < YIELD_EVERY) return
  callsSinceYield = 0
  await new Promise((resolvePromise) => setImmediate(resolvePromise))
}

/**
 * Resolves symbolic links the way the machine under audit would, but inside `env.systemRoot`: an
 * absolute link target `/etc/ssl/certs/x` under a system root `/mnt/disk` is `/mnt/disk/etc/ssl/certs/x`.
 * This keeps an audit of a disk image (or a test tree) from escaping onto the live machine.
 * Throws {@link StoreError} `eloop` on a link loop and the file's own error otherwise.
 */
export async function realPathInRoot(env: Environment, path: string, cache?: PathCache): Promise<string> {
  return resolveInRoot(env, path, cache).path
}

/** {@link realPathInRoot}, synchronous, also saying whether the path is a folder (null: not looked at). */
function resolveInRoot(env: Environment, path: string, cache?: PathCache): Resolved {
  const root = env.systemRoot
  const rootPrefix = root.endsWith(sep) ? root : root + sep
  let current = sep === '/' && isNormalAbsolute(path) ? path : resolve(path)
  const visited: string[] = []
  const traversed: string[] = []
  const done = (result: Resolved): Resolved => {
    // Remember only where links led (a hash link and the link it names end in the same place), not
    // the path asked for (each entry of a walk is asked for once) nor a path that is its own answer.
    for (const p of visited.slice(1)) if (p !== result.path) cache?.resolved.set(p, result)
    // A link to a file is never part of a longer path: its text is not needed again.
    if (result.isDir === false) for (const link of traversed) cache?.links.delete(link)
    return result
  }
  for (let links = 0; ; ) {
    const known = cache?.resolved.get(current)
    if (known) return done(known)
    visited.push(current)
    // Plain string work: path.relative and path.join normalise their input again on every call.
    const rel = current === root ? '' : current.startsWith(rootPrefix) ? current.slice(rootPrefix.length) : relative(root, current)
    if (rel.startsWith('..') || isAbsolute(rel)) {
      // Outside the system root (a home dir given with --home, or a test's): ordinary resolution.
      try {
        return done({ path: realpathSync.native(current), isDir: null })
      } catch (error) {
        throw fileError(path, error)
      }
    }
    let parts = rel === '' ? [] : rel.split(sep)
    let resolved = root
    // The folder holding it is already known to be real: only its last part needs a look.
    const parent = current.slice(0, current.lastIndexOf(sep))
    if (parts.length > 1 && cache?.dirs.has(parent)) {
      resolved = parent
      parts = parts.slice(-1)
    }
    let isDir = true
    let changed = false
    for (let i = 0; i < parts.length; i++) {
      const next = resolved.endsWith(sep) ? resolved + parts[i]! : resolved + sep + parts[i]!
      isDir = cache?.dirs.has(next) ?? false
      let target = cache?.links.get(next)
      if (target === undefined && cache?.symlinks.has(next)) {
        // A folder listing said it is a link: read where it points without looking at it first.
        try {
          target = readlinkSync(next)
        } catch (error) {
          throw fileError(path, error)
        }
        cache.symlinks.delete(next)
        cache.links.set(next, target)
      }
      if (!isDir && target === undefined && !cache?.files.has(next)) {
        try {
          const info = lstatSync(next)
          isDir = info.isDirectory()
          if (isDir) cache?.dirs.add(next)
          else if (info.isFile()) cache?.files.add(next)
          if (info.isSymbolicLink()) {
            target = readlinkSync(next)
            cache?.links.set(next, target)
          }
        } catch (error) {
          throw fileError(path, error)
        }
      }
      if (target !== undefined) {
        traversed.push(next)
        if (++links > MAX_LINKS) throw fileError(path, Object.assign(new Error('link loop'), { code: 'ELOOP' }))
        current = linkTarget(root, rootPrefix, next, target, parts.slice(i + 1))
        changed = true
        break
      }
      if (!isDir && i < parts.length - 1) throw fileError(path, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }))
      resolved = next
    }
    if (!changed) return done({ path: resolved, isDir })
  }
}

/**
 * Where a link at `link` pointing to `target` leads, with the `rest` of the path after it. A target
 * already inside the root was written with the root's own path (a tree built in place): kept. A
 * relative target resolves as it would on the audited machine, where `..` stops at its `/`.
 */
function linkTarget(root: string, rootPrefix: string, link: string, target: string, rest: readonly string[]): string {
  const tail = rest.length ? sep + rest.join(sep) : ''
  // The common links, in plain string work (path.join and path.resolve normalise their input again,
  // on every one of a store's 20,000 links): an absolute, already normal target inside the root, and
  // a bare file name next to the link (what `openssl rehash` writes).
  if (sep === '/' && isNormalAbsolute(target) && (root === '/' || target.startsWith(rootPrefix))) return target + tail
  if (sep === '/' && target !== '.' && target !== '..' && target !== '' && !target.includes('/')) return link.slice(0, link.lastIndexOf('/') + 1) + target + tail
  const base = isAbsolute(target)
    ? root === '/' || isWithin(root, target)
      ? target
      : join(root, target)
    : join(root, posix.resolve('/' + relative(root, dirname(link)).split(sep).join('/'), target))
  return join(base, ...rest)
}

/** An absolute POSIX path with no empty, `.` or `..` part and no trailing slash: what path.normalize would leave as it is. */
function isNormalAbsolute(path: string): boolean {
  if (!path.startsWith('/') || path.length === 1 || path.endsWith('/') || path.includes('//')) return false
  return !path.includes('/./') && !path.includes('/../') && !path.endsWith('/.') && !path.endsWith('/..')
}

function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return !rel.startsWith('..') && !isAbsolute(rel)
}

/** How far a walk goes: {@link MAX_WALK_ENTRIES} entries and {@link MAX_WALK_DEPTH} folders deep unless a test says less. */
export interface WalkLimits {
  readonly entries?: number
  readonly depth?: number
}

export interface FoundFile {
  /** The path as found in the directory (what people and the distro tools see). */
  readonly path: string
  /** Where it really is, after following links inside the system root. */
  readonly realPath: string
}

/**
 * Every regular file below `dir`, following links inside the system root, in sorted order. A link loop,
 * an unreadable entry, or an entry that is no file (a FIFO, a device, a socket, or a link to one)
 * becomes a problem (reported through `onProblem`) and the walk goes on. The walk is bounded: no more
 * than {@link MAX_WALK_ENTRIES} entries and {@link MAX_WALK_DEPTH} folders deep, what lies beyond is
 * reported. A missing `dir` yields nothing. `cache` may be shared by the walks of one store listing.
 */
export async function* walkFiles(
  env: Environment,
  dir: string,
  onProblem: (error: StoreError, path: string) => void,
  options: { recursive?: boolean; cache?: PathCache; limits?: WalkLimits } = {},
): AsyncGenerator<FoundFile> {
  yield* await listFiles(env, dir, onProblem, options)
}

/**
 * {@link walkFiles} as an array: a folder's listing is in memory anyway, and handing 20,000 entries
 * over one by one through async generators cost more than finding them.
 */
export async function listFiles(
  env: Environment,
  dir: string,
  onProblem: (error: StoreError, path: string) => void,
  options: { recursive?: boolean; cache?: PathCache; keep?: (file: FoundFile) => boolean; limits?: WalkLimits } = {},
): Promise<FoundFile[]> {
  const seenDirs = new Set<string>()
  const cache = options.cache ?? newPathCache()
  const found: FoundFile[] = []
  // Files the caller would drop at once are not kept: /etc/ssl/certs holds 200,000 links for 100,000 certificates.
  const add = (file: FoundFile) => (options.keep?.(file) ?? true) && found.push(file)
  const child = (parent: string, name: string) => (parent.endsWith(sep) ? parent + name : parent + sep + name)
  const root = env.systemRoot
  const rootPrefix = root.endsWith(sep) ? root : root + sep
  const quick = new Map<string, string | null>()
  /**
   * Where a link (in a real folder) leads when that is a file a listing already found, or a link to
   * one: one readlink and string work, where {@link resolveInRoot} costs several times more. These are
   * the links of /etc/ssl/certs (a name link to a source file, a hash link to a name link): 20,000 in a
   * store of 10,000 certificates. Anything else (a folder on the way, a loop, a target not listed) is
   * undefined, for resolveInRoot to answer in full.
   */
  function quickLinkToFile(link: string, depth = 0): string | undefined {
    if (sep !== '/') return undefined
    const known = quick.get(link)
    if (known !== undefined) return known ?? undefined
    let answer: string | null = null
    try {
      const next = linkTarget(root, rootPrefix, link, readlinkSync(link), [])
      if (cache.files.has(next)) answer = next
      else if (depth < 2 && cache.symlinks.has(next)) answer = quickLinkToFile(next, depth + 1) ?? null
    } catch {
      // Unreadable: resolveInRoot says why.
    }
    quick.set(link, answer)
    return answer ?? undefined
  }
  const { entries: maxEntries = MAX_WALK_ENTRIES, depth: maxDepth = MAX_WALK_DEPTH } = options.limits ?? {}
  let budget = maxEntries
  let stopped = false
  async function walk(current: string, knownReal?: string, depth = 0): Promise<void> {
    if (stopped) return
    if (depth > maxDepth) {
      onProblem(new StoreError('too-deep', `${current} is more than ${maxDepth} folders below ${dir}, deeper than any certificate folder; what it holds was not read.`), current)
      return
    }
    let realDir: string
    try {
      realDir = knownReal ?? resolveInRoot(env, current, cache).path
    } catch (error) {
      if ((error as StoreError).code !== 'enoent' || current !== dir) onProblem(error as StoreError, current)
      return
    }
    if (seenDirs.has(realDir)) {
      onProblem(new StoreError('eloop', `${current} leads back to a folder already scanned (a link loop); it was skipped.`), current)
      return
    }
    seenDirs.add(realDir)
    let entries: Dirent[]
    try {
      const listing = readFolderSync(realDir, budget)
      entries = listing.entries.sort(byName)
      budget -= entries.length
      if (listing.more) {
        stopped = true
        onProblem(new StoreError('too-many-files', `${dir} holds more than ${maxEntries.toLocaleString('en')} files and folders, far more than any certificate store; CertAudit stopped reading at ${current}, so some files were not checked.`), current)
      }
    } catch (error) {
      if (current !== dir || (error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(fileError(current, error), current)
      return
    }
    cache.dirs.add(realDir)
    // The listing says what each entry is: a plain file or folder in a real folder needs no more calls.
    for (const entry of entries) {
      if (entry.isFile()) cache.files.add(child(realDir, entry.name))
      else if (entry.isDirectory()) cache.dirs.add(child(realDir, entry.name))
      else if (entry.isSymbolicLink()) cache.symlinks.add(child(realDir, entry.name))
    }
    for (const entry of entries) {
      const path = child(current, entry.name)
      const real = child(realDir, entry.name)
      const special = specialEntryKind(entry)
      if (entry.isFile()) {
        add({ path, realPath: real })
      } else if (entry.isDirectory()) {
        if (options.recursive) await walk(path, real, depth + 1)
      } else if (special) {
        onProblem(new StoreError('not-a-file', `${path} is ${special}, not a certificate file; CertAudit did not read it.`), path)
      } else if (entry.isSymbolicLink() || isUnknown(entry)) {
        await breathe()
        const toFile = entry.isSymbolicLink() ? quickLinkToFile(real) : undefined
        if (toFile !== undefined) {
          add({ path, realPath: toFile })
          continue
        }
        let target: { path: string; isDir: boolean }
        try {
          const resolved = resolveInRoot(env, path, cache)
          const info = resolved.isDir === null || (!resolved.isDir && !cache.files.has(resolved.path)) ? lstatSync(resolved.path) : null
          target = { path: resolved.path, isDir: resolved.isDir ?? info!.isDirectory() }
          // A link to a FIFO, a device or a socket: reported, never opened.
          if (info && !info.isFile() && !info.isDirectory()) throw notAFile(path, info)
        } catch (error) {
          onProblem(error instanceof StoreError ? error : fileError(path, error), path)
          continue
        }
        if (!target.isDir) add({ path, realPath: target.path })
        else if (options.recursive) await walk(path, target.path, depth + 1)
      }
    }
  }
  await walk(dir)
  return found
}

/** Some file systems do not say what an entry is in a listing: those entries are looked at one by one. */
function isUnknown(entry: Dirent): boolean {
  return !entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink() && !entry.isFIFO() && !entry.isSocket() && !entry.isBlockDevice() && !entry.isCharacterDevice()
}

/** How many file system calls a store keeps waiting at once: enough to hide latency, not to exhaust handles. */
const IO_CONCURRENCY = 32

/** `items.map(fn)` with at most `limit` calls running at once; results in the order of `items`. */
export async function mapConcurrently<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit: number = IO_CONCURRENCY): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * {@link mapConcurrently} a window of items at a time, yielding the results in order: a store of
 * 100,000 files is read as it is audited, never held in memory all at once.
 */
export async function* mapInOrder<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, window: number = 8 * IO_CONCURRENCY): AsyncGenerator<R> {
  for (let start = 0; start < items.length; start += window) yield* await mapConcurrently(items.slice(start, start + window), fn)
}

/**
 * True when something is at the path (after links inside the system root), or when it cannot be looked
 * at (a link loop, permission denied): reading it then says why, instead of the place being skipped
 * without a word. False only when nothing is there (missing, or a folder on the way is missing).
 */
export async function existsInRoot(env: Environment, path: string): Promise<boolean> {
  try {
    await realPathInRoot(env, path)
    return true
  } catch (error) {
    const code = (error as StoreError).code
    return code !== 'enoent' && code !== 'enotdir'
  }
}
