/**
 * CertAudit's own folders — the data folder, its `changes/`, each change and its `backups/`, the
 * installed blocklists' folder — hold what undo will act on, perhaps with administrator rights. So
 * each is checked before it is used, never silently followed:
 *
 * - a symbolic link is refused: whoever made it would choose where backups are written and read from;
 * - a folder of another user is refused: that user could change or swap what is in it;
 * - a folder of ours that others may write to (group or world-writable, as a copy or an odd umask
 *   leaves it) is repaired to 0700, and the repair is said;
 * - a parent anyone may write to without the sticky bit (/tmp has it) is refused: anyone could
 *   rename our folder away and put a link in its place between two checks.
 *
 * Synchronous (a few system calls) so that the blocklist, loaded at start, is checked the same way.
 * On Windows, where modes and owners are not POSIX, only links and non-folders are checked.
 */
import { chmodSync, lstatSync, mkdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs'
import { dirname } from 'node:path'
import { specialFileKind } from './regular-file.js'

/** A folder CertAudit will not use, and why (in words that say what to do). */
export class UnsafeFolderError extends Error {
  readonly code = 'unsafe-folder'
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message)
    this.name = 'UnsafeFolderError'
  }
}

export interface PrivateFolderOptions {
  /** Make it (0700) when it is missing; otherwise a missing folder is answered with `exists: false`. */
  readonly create?: boolean
  /** Also check the folders above it (for the top of CertAudit's tree: the data folder). */
  readonly parents?: boolean
  /** The platform whose rules apply; the running one by default (tests pass another). */
  readonly platform?: NodeJS.Platform
}

export interface PrivateFolder {
  readonly exists: boolean
  /** What was repaired, in words (empty when nothing needed it). */
  readonly repaired: readonly string[]
}

const OTHERS_MAY_WRITE = 0o022
const WORLD_WRITABLE = 0o002
const STICKY = 0o1000

/**
 * Checks (and when asked, makes) one of CertAudit's folders: see the file comment. Throws
 * {@link UnsafeFolderError}; other file system errors (a full disk, a read-only one) are thrown as they are.
 */
export function ensurePrivateFolder(path: string, what: string, options: PrivateFolderOptions = {}): PrivateFolder {
  const posix = (options.platform ?? process.platform) !== 'win32' && typeof process.getuid === 'function'
  if (options.parents && posix) checkParents(path, what)
  let info = lstatOrNull(path)
  if (!info) {
    if (!options.create) return { exists: false, repaired: [] }
    // Folders above that are missing are made 0755 (less with the umask), never writable by others.
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 })
    try {
      mkdirSync(path, { mode: 0o700 })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error // made at the same moment by another CertAudit
    }
    info = lstatSync(path)
  }
  if (info.isSymbolicLink()) {
    throw new UnsafeFolderError(
      path,
      `CertAudit's ${what} ${path} is a symbolic link (to ${linkTarget(path)}). CertAudit does not follow it: whoever made the link would choose ` +
        `where your backups are written and what undo reads back. Delete the link (or move the real folder to ${path}) and try again.`,
    )
  }
  if (!info.isDirectory()) {
    throw new UnsafeFolderError(path, `CertAudit's ${what} ${path} is ${specialFileKind(info) ?? 'a file'}, not a folder. Move it away and try again.`)
  }
  if (!posix) return { exists: true, repaired: [] }
  const uid = process.getuid!()
  if (info.uid !== uid) {
    throw new UnsafeFolderError(
      path,
      `CertAudit's ${what} ${path} belongs to another user (user id ${info.uid}, not ${uid}), who could change or replace the journal and ` +
        `backups in it. CertAudit does not use it. If it should be yours, give it back to you (chown) and try again.`,
    )
  }
  if ((info.mode & OTHERS_MAY_WRITE) === 0) return { exists: true, repaired: [] }
  const before = modeText(info)
  chmodSync(path, 0o700)
  if ((lstatSync(path).mode & OTHERS_MAY_WRITE) !== 0) {
    throw new UnsafeFolderError(path, `CertAudit's ${what} ${path} can be changed by other users (mode ${before}) and could not be made private. CertAudit does not use it.`)
  }
  return { exists: true, repaired: [`CertAudit's ${what} ${path} could be changed by other users (mode ${before}); CertAudit made it private to you (0700).`] }
}

/** Each folder above `path`, as the system resolves it: none may be writable by anyone without the sticky bit, nor belong to another user. */
function checkParents(path: string, what: string): void {
  let parent: string
  try {
    parent = realpathSync.native(nearestExisting(dirname(path)))
  } catch {
    return // nothing above exists yet: creating it says why not
  }
  const uid = process.getuid!()
  for (let dir = parent; ; dir = dirname(dir)) {
    const info = statSync(dir)
    const anyoneMayWrite = (info.mode & WORLD_WRITABLE) !== 0 && (info.mode & STICKY) === 0
    if (anyoneMayWrite || (info.uid !== uid && info.uid !== 0)) {
      throw new UnsafeFolderError(
        path,
        `${dir}, a folder above CertAudit's ${what} ${path}, ${anyoneMayWrite ? `can be changed by any user (mode ${modeText(info)})` : `belongs to another user (user id ${info.uid})`}, ` +
          `who could put another folder in place of CertAudit's. CertAudit does not keep backups there: set XDG_DATA_HOME (or --home) to a folder of your own.`,
      )
    }
    if (dirname(dir) === dir) return
  }
}

function nearestExisting(path: string): string {
  for (let dir = path; ; dir = dirname(dir)) {
    if (lstatOrNull(dir) || dirname(dir) === dir) return dir
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path)
  } catch {
    return 'somewhere else'
  }
}

function modeText(info: Stats): string {
  return (info.mode & 0o7777).toString(8).padStart(4, '0')
}
