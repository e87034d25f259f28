/**
 * Whether the program that uses an NSS database has it open. CertAudit's own writer (sqlite-writer.ts)
 * never replaces a database under a running program: Firefox keeps the certificates in memory and the
 * file open, so it would go on trusting the certificate, and what it wrote afterwards (a certificate the
 * user imports) would go to the replaced file and be lost. Unsure counts as open: the plan then asks
 * the user to close the program.
 *
 * Firefox and Thunderbird lock the profile folder while they run (toolkit/profile/nsProfileLock.cpp,
 * https://searchfox.org/mozilla-central/source/toolkit/profile/nsProfileLock.cpp):
 * - Windows: `parent.lock`, opened with no sharing while the program runs (it stays after it quits).
 * - Linux: an fcntl lock on `.parentlock` (the file stays after it quits), and a symbolic link `lock`
 *   to "address:+pid" (removed when it quits, left by a crash; on a home shared over the network it
 *   is the only sign of a program running on another computer).
 * - macOS: an fcntl lock on `.parentlock`; a `parent.lock` link like Linux's `lock` only where fcntl
 *   locks do not work (a network volume).
 * Chromium's database (~/.pki/nssdb) is locked by no file of its own: the browsers' own locks count
 * (../chromium/lock.ts).
 */
import { lstat, open, readFile, readlink, stat } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { browserLock } from '../chromium/lock.js'
import { KNOWN_BROWSERS } from '../chromium/browsers.js'
import { within } from '../chromium/discover.js'
import type { Environment } from '../shared/environment.js'
import type { EntryTarget } from '../types.js'

/** What the locks say: open (or cannot be told apart from open), or nobody's. */
export interface ProgramLock {
  readonly open: boolean
  /** The lock, and why it counts (for messages). */
  readonly detail?: string
}

/** What the fcntl lock says, and whether that is a definite answer (the lock table could be read). */
interface Checked extends ProgramLock {
  readonly checked: boolean
}

/** Whether the program of `target` has its database (the real folder `dir`) open. */
export async function programLock(env: Environment, target: Pick<EntryTarget, 'facts'>, dir: string): Promise<ProgramLock> {
  // A disk mounted for an audit runs no program: its locks are from the last time that system ran.
  if (env.systemRoot !== '/' && within(env.systemRoot, dir)) return { open: false }
  if (target.facts?.program === 'chromium') return chromiumLock(env)
  // The shared database has no program's lock: whatever uses it cannot be told, so it counts as open
  // (CertAudit's own writer, which swaps the file whole, leaves it to NSS's certutil).
  if (target.facts?.program === 'system') return { open: true, detail: `${dir} (the computer's shared NSS database, used by programs CertAudit cannot see)` }
  if (env.platform === 'win32') return windowsLock(join(dir, 'parent.lock'))
  const fcntl = env.platform === 'darwin' ? await lsofLock(env, join(dir, '.parentlock')) : await linuxLock(env, join(dir, '.parentlock'))
  if (fcntl.open) return { open: true, ...(fcntl.detail ? { detail: fcntl.detail } : {}) }
  // With the fcntl lock known to be free, a link left on this computer is a crash's leftover.
  const link = await linkLock(join(dir, env.platform === 'darwin' ? 'parent.lock' : 'lock'), !fcntl.checked)
  return link.open ? link : { open: false }
}

async function windowsLock(path: string): Promise<ProgramLock> {
  if (!(await lstat(path).catch(() => null))) return { open: false }
  // Opened with no sharing while the program runs; openable means it was left when the program quit.
  try {
    const handle = await open(path, 'r+')
    await handle.close()
    return { open: false }
  } catch {
    return { open: true, detail: path }
  }
}

/** Linux: the kernel's table of POSIX locks (/proc/locks) names the locked file by device and inode. */
async function linuxLock(env: Environment, path: string): Promise<Checked> {
  const info = await stat(path).catch(() => null)
  if (!info) return { open: false, checked: true }
  const table = await readFile('/proc/locks', 'utf8').catch(() => null)
  if (table === null) return lsofLock(env, path)
  const device = `${hex2(major(info.dev))}:${hex2(minor(info.dev))}:${info.ino}`
  // "1: POSIX  ADVISORY  WRITE 4242 fe:00:4260337 0 EOF" (fs/locks.c, lock_get_status)
  const holder = table.split('\n').find((line) => line.split(/\s+/).includes(device))
  return holder ? { open: true, checked: true, detail: `${path} (locked by process ${holder.trim().split(/\s+/)[4] ?? '?'})` } : { open: false, checked: true }
}

/** macOS (and Linux without /proc): lsof names the processes that have the lock file open. */
async function lsofLock(env: Environment, path: string): Promise<Checked> {
  if (!(await stat(path).catch(() => null))) return { open: false, checked: true }
  const result = await env.run('lsof', ['-t', '--', path])
  const pids = result.stdout.toString('utf8').trim()
  if (result.exitCode === 0 && pids) return { open: true, checked: true, detail: `${path} (open in process ${pids.split(/\s+/).join(', ')})` }
  // lsof exits 1 with nothing printed when no process has the file open.
  if (result.exitCode === 1 && !pids && !result.spawnError) return { open: false, checked: true }
  return { open: true, checked: false, detail: `${path} (whether a program holds it could not be checked: ${result.spawnError ?? (result.stderr.trim() || `lsof exit code ${result.exitCode}`)})` }
}

/**
 * The symbolic-link lock, "address:+pid" (nsProfileLock::LockWithSymlink). From another computer (a
 * shared home) it always counts; from this one only when the fcntl lock could not be checked, and
 * then while its process lives (a process in a snap's or Flatpak's namespace has another id).
 */
async function linkLock(path: string, localCounts: boolean): Promise<ProgramLock> {
  const info = await lstat(path).catch(() => null)
  if (!info) return { open: false }
  const target = info.isSymbolicLink() ? await readlink(path).catch(() => '') : ''
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):\+?(\d+)$/.exec(target)
  if (!match) return localCounts ? { open: true, detail: `${path} (its owner cannot be read)` } : { open: false }
  const [, address, pidText] = match
  if (!localAddress(address!)) return { open: true, detail: `${path} (held by the computer at ${address})` }
  const pid = Number(pidText)
  if (!localCounts) return { open: false }
  return alive(pid) ? { open: true, detail: `${path} (process ${pid})` } : { open: false, detail: `${path} (left by process ${pid}, which has ended)` }
}

/** Chromium's database is open while any Chromium-family browser runs for this user (their SingletonLock). */
async function chromiumLock(env: Environment): Promise<ProgramLock> {
  const config = join(env.home, '.config')
  const folders = [...KNOWN_BROWSERS.flatMap((b) => (b.linux ? [join(config, b.linux)] : [])), join(env.home, 'snap/chromium/common/chromium')]
  for (const folder of folders) {
    // browserLock looks for the lock beside the profile folders of a user data folder.
    const lock = await browserLock(env, join(folder, 'Default', 'ServerCertificate'))
    if (lock.open) return { open: true, ...(lock.detail ? { detail: lock.detail } : {}) }
  }
  return { open: false }
}

function localAddress(address: string): boolean {
  if (address.startsWith('127.')) return true
  return Object.values(networkInterfaces()).some((list) => list?.some((entry) => entry.address === address))
}

/** True when a process with this id exists (EPERM: it does, and belongs to someone else). */
function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** glibc's major() and minor() of a device number (sys/sysmacros.h). */
function major(dev: number): number {
  return Number(((BigInt(dev) >> 8n) & 0xfffn) | ((BigInt(dev) >> 32n) & ~0xfffn))
}

function minor(dev: number): number {
  return Number((BigInt(dev) & 0xffn) | ((BigInt(dev) >> 12n) & ~0xffn))
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0')
