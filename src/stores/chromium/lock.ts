/**
 * Whether a Chromium-family browser has this profile open. CertAudit never changes the certificate
 * database under a running browser: the browser keeps its certificates in memory and its database
 * open, so it would go on trusting the certificate, and anything it wrote afterwards (a certificate
 * the user imports) would go to the file CertAudit replaced and be lost.
 *
 * The browser holds a lock in its user data folder while it runs (chrome/browser/process_singleton_*.cc):
 * - Linux and macOS: `SingletonLock`, a symbolic link to "hostname-pid", removed on exit
 *   (https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/process_singleton_posix.cc).
 *   A crash leaves it behind: the browser itself takes it over when that host has no such process.
 * - Windows: `lockfile`, created with FILE_FLAG_DELETE_ON_CLOSE and shared for reading only
 *   (https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/process_singleton_win.cc):
 *   while the browser runs, nobody else can open it for writing.
 */
import { constants } from 'node:fs'
import { lstat, open, readlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import type { Environment } from '../shared/environment.js'
import { specialFileKind } from '../shared/regular-file.js'
import { within } from './discover.js'

/** What the lock says: open (or cannot be told apart from open), or nobody's. */
export interface BrowserLock {
  readonly open: boolean
  /** The lock file, and why it counts (for messages), when there is one. */
  readonly detail?: string
}

/**
 * The lock of the browser that owns the ServerCertificate file at `file`: in the profile folder's
 * parent (the user data folder), or in the profile folder itself where the two are one (Opera).
 * `real` is where the file really is, when links lead there: its folders are looked at too.
 */
export async function browserLock(env: Environment, file: string, real?: string | null): Promise<BrowserLock> {
  const dirs = new Set<string>()
  for (const path of real && real !== file ? [file, real] : [file]) for (const dir of [dirname(dirname(path)), dirname(path)]) dirs.add(dir)
  let left: BrowserLock = { open: false }
  for (const dir of dirs) {
    const found = env.platform === 'win32' ? await windowsLock(dir) : await posixLock(env, dir)
    if (found?.open) return found
    left = found ?? left
  }
  return left
}

async function posixLock(env: Environment, dir: string): Promise<BrowserLock | null> {
  const path = join(dir, 'SingletonLock')
  const link = await lstat(path).catch(() => null)
  if (!link) return null
  const target = link.isSymbolicLink() ? await readlink(path).catch(() => '') : ''
  const dash = target.lastIndexOf('-')
  const host = target.slice(0, dash)
  const pid = Number(target.slice(dash + 1))
  // A disk mounted for an audit (the profile inside --system-root) runs no browser: its lock is from
  // the last time that system ran.
  if (env.systemRoot !== '/' && within(env.systemRoot, dir)) return { open: false, detail: `${path} (left by the audited system)` }
  if (dash <= 0 || !Number.isSafeInteger(pid) || pid <= 0) return { open: true, detail: `${path} (its owner cannot be read)` }
  if (host !== hostname()) return { open: true, detail: `${path} (held by the computer "${host}")` }
  // A snap or Flatpak browser runs in its own process namespace: its pid means nothing out here.
  if (sandboxed(env, dir)) return { open: true, detail: `${path} (a sandboxed browser)` }
  return processAlive(pid) ? { open: true, detail: `${path} (process ${pid})` } : { open: false, detail: `${path} (left by process ${pid}, which has ended)` }
}

async function windowsLock(dir: string): Promise<BrowserLock | null> {
  const path = join(dir, 'lockfile')
  const info = await lstat(path).catch(() => null)
  if (!info) return null
  // Not a file the browser made (a link, or under a disk image a FIFO or a device): what it says cannot be told, so it counts as held.
  if (!info.isFile()) return { open: true, detail: `${path} (${specialFileKind(info) ?? 'not a regular file'})` }
  // Opened for writing by nobody else while the browser runs; openable means it was left by a crash.
  // Opened only to see whether it can be, never read; O_NONBLOCK and O_NOFOLLOW (where the OS has
  // them) keep a FIFO or link swapped in since the look from holding the open.
  try {
    const handle = await open(path, constants.O_RDWR | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0))
    await handle.close()
    return { open: false, detail: `${path} (left behind)` }
  } catch {
    return { open: true, detail: path }
  }
}

/** True when a process with this id exists (EPERM: it does, and belongs to someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A browser installed as a snap (~/snap/…) or a Flatpak (~/.var/app/…). */
function sandboxed(env: Environment, dir: string): boolean {
  const [first, second] = relative(env.home, dir).split(sep)
  return first === 'snap' || (first === '.var' && second === 'app')
}
