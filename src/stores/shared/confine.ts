/**
 * Where a change may land. A store is read with its links followed inside the machine being audited
 * (paths.ts: under `--system-root /mnt/disk`, a link to `/etc/ssl/certs` means `/mnt/disk/etc/ssl/certs`),
 * but the OS, and every tool CertAudit runs, follows the same link to the live `/etc/ssl/certs`. So a
 * writer never hands the OS a path with a link in it: it resolves the path here first, the way the
 * reader did, and gives the file functions and the tools the resolved path. A place that resolves out
 * of the machine being audited (or a browser profile out of the home folder, the README's promise) is
 * refused with a {@link StoreError} before anything is written.
 */
import { lstat, realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { Environment } from './environment.js'
import { realPathInRoot } from './paths.js'
import { StoreError } from '../types.js'

/** Folders missing at the end of a path to be created (a blocklist folder, say): more is not a store. */
const MAX_MISSING_PARTS = 8

/**
 * `path` with every link in it followed the way the reader follows it (absolute targets inside the
 * system root), so a tool handed the result walks no link at all. Parts at the end that do not exist
 * yet (a file or folder about to be made) are kept as written. Throws {@link StoreError}
 * `outside-home` when a path in the home folder leads out of it, `outside-root` when a path under
 * `--system-root` cannot be kept inside it, and the file's own error when a part cannot be looked at.
 */
export async function confinedPath(env: Environment, path: string): Promise<string> {
  const wanted = resolve(path)
  const boundary = await boundaryOf(env, wanted)
  const missing: string[] = []
  let current = wanted
  let real: string
  for (;;) {
    try {
      real = await realPathInRoot(env, current)
      break
    } catch (error) {
      const code = (error as StoreError).code
      const parent = dirname(current)
      if (code !== 'enoent' || parent === current || missing.length >= MAX_MISSING_PARTS) throw error
      // A link that leads nowhere: the OS would create its target, wherever that is. Never guessed.
      if ((await lstat(current).catch(() => null))?.isSymbolicLink()) {
        throw new StoreError('enoent', `${current} is a link to something that does not exist, so CertAudit does not write through it.`)
      }
      missing.unshift(basename(current))
      current = parent
    }
  }
  const result = join(real, ...missing)
  if (boundary && !isWithin(boundary.dir, result)) throw outside(boundary, path, result)
  return result
}

/**
 * A file or folder that a change replaces or deletes: its folder resolved ({@link confinedPath}), its
 * own name kept. A link there is the entry itself (an anchor that is a link is removed as a link),
 * never followed.
 */
export async function confinedEntry(env: Environment, path: string): Promise<string> {
  const wanted = resolve(path)
  const at = join(await confinedPath(env, dirname(wanted)), basename(wanted))
  const boundary = await boundaryOf(env, wanted)
  if (boundary && !isWithin(boundary.dir, at)) throw outside(boundary, path, at)
  return at
}

/**
 * Refuses when a tool, opening `path` itself, would reach another file than the reader does: a link
 * the OS resolves out of the system root (or home folder), or one that leads nowhere for the OS but
 * somewhere inside the image (update-ca-certificates deletes those as orphans). Nothing is checked
 * for a path that is not a link, or does not exist.
 */
export async function assertToolSeesSame(env: Environment, path: string): Promise<void> {
  const info = await lstat(path).catch(() => null)
  if (!info?.isSymbolicLink()) return
  // A link leading nowhere both ways is the same nothing to the tool and to the reader (a source just removed).
  const inRoot = await realPathInRoot(env, path).then(
    () => confinedPath(env, path),
    () => null,
  )
  const forTool = await realpath(path).catch(() => null)
  if (forTool !== inRoot) {
    throw new StoreError(
      'link-leaves-root',
      `${path} is a link that this computer follows to ${forTool ?? 'nothing'}, while in ${env.systemRoot === '/' ? 'the home folder' : env.systemRoot} it leads to ${inRoot ?? 'nothing'}: a tool run on it would read or change the wrong file, so CertAudit changes nothing.`,
    )
  }
}

/**
 * The place a path must stay in: the home folder for paths in it, the system root for paths under
 * it. None for the rest: a live machine's system paths, and files named outright (JAVA_HOME, --file),
 * which the reader resolves as this computer does too.
 */
async function boundaryOf(env: Environment, path: string): Promise<{ dir: string; what: 'home' | 'root' } | null> {
  if (isWithin(env.home, path)) return { dir: await realPathInRoot(env, env.home).catch(() => resolve(env.home)), what: 'home' }
  if (env.systemRoot !== '/' && isWithin(env.systemRoot, path)) return { dir: env.systemRoot, what: 'root' }
  return null
}

function outside(boundary: { dir: string; what: 'home' | 'root' }, path: string, result: string): StoreError {
  return boundary.what === 'home'
    ? new StoreError('outside-home', `${path} leads to ${result}, outside the home folder (${boundary.dir}), so CertAudit neither reads nor changes it.`)
    : new StoreError('outside-root', `${path} leads to ${result}, outside the system root (${boundary.dir}), so CertAudit changes nothing there.`)
}

function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel)
}
