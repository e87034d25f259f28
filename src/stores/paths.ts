import type { Stats } from 'node:fs'
import { lstat, readdir, readlink, realpath } from 'node:fs/promises'
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path'
import { fileError } from './bundle-file.js'
import type { Environment } from './environment.js'
import { StoreError } from './types.js'

/** Linux allows 40 links in a path before ELOOP; we follow the same limit. */
const MAX_LINKS = 40

/**
 * Resolves symbolic links the way the machine under audit would, but inside `env.systemRoot`: an
 * absolute link target `/etc/ssl/certs/x` under a system root `/mnt/disk` is `/mnt/disk/etc/ssl/certs/x`.
 * This keeps an audit of a disk image (or a test tree) from escaping onto the live machine.
 * Throws {@link StoreError} `eloop` on a link loop and the file's own error otherwise.
 */
export async function realPathInRoot(env: Environment, path: string, knownDirs?: Set<string>): Promise<string> {
  const root = env.systemRoot
  let current = resolve(path)
  for (let links = 0; ; ) {
    const parts = relative(root, current).split(sep).filter(Boolean)
    if (parts[0] === '..') {
      // Outside the system root (a home dir given with --home, or a test's): ordinary resolution.
      try {
        return await realpath(current)
      } catch (error) {
        throw fileError(path, error)
      }
    }
    let resolved = root
    let changed = false
    for (let i = 0; i < parts.length; i++) {
      const next = join(resolved, parts[i]!)
      // Folders already found to be real (not links) in this walk need no second look.
      if (knownDirs?.has(next)) {
        resolved = next
        continue
      }
      let info
      try {
        info = await lstat(next)
      } catch (error) {
        throw fileError(path, error)
      }
      if (info.isDirectory()) knownDirs?.add(next)
      if (info.isSymbolicLink()) {
        if (++links > MAX_LINKS) throw fileError(path, Object.assign(new Error('link loop'), { code: 'ELOOP' }))
        const target = await readlink(next)
        // A target already inside the root was written with the root's own path (a tree built in place): keep it.
        // A relative target resolves as it would on the audited machine, where `..` stops at its `/`.
        const base = isAbsolute(target)
          ? root === '/' || isWithin(root, target)
            ? target
            : join(root, target)
          : join(root, posix.resolve('/' + relative(root, dirname(next)).split(sep).join('/'), target))
        current = join(base, ...parts.slice(i + 1))
        changed = true
        break
      }
      resolved = next
    }
    if (!changed) return resolved
  }
}

function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return !rel.startsWith('..') && !isAbsolute(rel)
}

export interface FoundFile {
  /** The path as found in the directory (what people and the distro tools see). */
  readonly path: string
  /** Where it really is, after following links inside the system root. */
  readonly realPath: string
}

/**
 * Every regular file below `dir`, following links inside the system root, in sorted order. A link loop
 * or an unreadable entry becomes a problem (reported through `onProblem`) and the walk goes on.
 * A missing `dir` yields nothing.
 */
export async function* walkFiles(
  env: Environment,
  dir: string,
  onProblem: (error: StoreError, path: string) => void,
  options: { recursive?: boolean } = {},
): AsyncGenerator<FoundFile> {
  const seenDirs = new Set<string>()
  const knownDirs = new Set<string>()
  async function* walk(current: string): AsyncGenerator<FoundFile> {
    let realDir: string
    try {
      realDir = await realPathInRoot(env, current, knownDirs)
    } catch (error) {
      if ((error as StoreError).code !== 'enoent' || current !== dir) onProblem(error as StoreError, current)
      return
    }
    if (seenDirs.has(realDir)) {
      onProblem(new StoreError('eloop', `${current} leads back to a folder already scanned (a link loop); it was skipped.`), current)
      return
    }
    seenDirs.add(realDir)
    let names: string[]
    try {
      names = (await readdir(realDir)).sort()
    } catch (error) {
      if (current !== dir || (error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(fileError(current, error), current)
      return
    }
    // Resolve the folder's entries at once (file system calls wait on I/O), then go through them in order.
    type Resolved = { path: string; realPath: string; info: Stats } | { path: string; error: StoreError }
    const resolved = await mapConcurrently(names, async (name): Promise<Resolved> => {
      const path = join(current, name)
      try {
        const realPath = await realPathInRoot(env, path, knownDirs)
        return { path, realPath, info: await lstat(realPath) }
      } catch (error) {
        return { path, error: error instanceof StoreError ? error : fileError(path, error) }
      }
    })
    for (const entry of resolved) {
      if ('error' in entry) onProblem(entry.error, entry.path)
      else if (entry.info.isDirectory()) {
        if (options.recursive) yield* walk(entry.path)
      } else if (entry.info.isFile()) {
        yield { path: entry.path, realPath: entry.realPath }
      }
    }
  }
  yield* walk(dir)
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

/** True when the path exists (after links inside the system root). */
export async function existsInRoot(env: Environment, path: string): Promise<boolean> {
  try {
    await realPathInRoot(env, path)
    return true
  } catch {
    return false
  }
}
