import { constants } from 'node:fs'
import { access, mkdir, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { canWrite, writable } from './writable.js'
import { StoreError, type CommandRecord, type Elevation } from '../types.js'
import { MAX_BUNDLE_BYTES } from './bundle-file.js'
import { MAX_WALK_ENTRIES, readFolder } from './folder-listing.js'
import { readRegularFile, syncFolder } from './regular-file.js'
import { commandError } from './command-text.js'
import { confinedEntry, confinedPath } from './confine.js'
import type { Environment } from './environment.js'
import { replaceFile, tempPrefix } from './replace-file.js'
import { withTempFile } from './temp-files.js'

/**
 * Changes the files of system stores for the store writers. When this user may change a file, it is
 * changed directly with node:fs (written to a temp file beside it, fsynced, renamed over it, the folder
 * fsynced), so a crash leaves the old file or the new one, never half of it. Otherwise one small tool
 * (`rm`, `install`, `mkdir`) runs through the OS admin prompt with an argument array, never a shell
 * string. Every command is kept in `commands`, so an outcome can name what ran and what it said.
 *
 * Every path is confined first (confine.ts): its folders resolved the way the reader resolves them, so
 * nothing is written through a link out of `--system-root` (or out of the home folder); such a path
 * is refused, and nothing is written.
 *
 * Each method returns null when it worked, or a message for people saying what failed and why.
 */
export class FileChanger {
  readonly commands: CommandRecord[] = []

  constructor(
    private readonly elevation: Elevation,
    private readonly env: Environment,
  ) {}

  /** Runs a command (elevated when `admin`), recording it; returns the record. */
  async run(command: string, args: readonly string[], admin: boolean, input?: string): Promise<CommandRecord> {
    const record = await this.elevation.run(command, args, input === undefined ? { admin } : { admin, input })
    this.commands.push(record)
    return record
  }

  /** A store file's bytes as the reader sees them, or null when it does not exist ({@link readConfined}). */
  read(path: string): Promise<Buffer | null> {
    return readConfined(this.env, path)
  }

  /** Deletes a file (a link there is deleted as a link). */
  async remove(wanted: string): Promise<string | null> {
    const path = await this.#confined(confinedEntry, wanted)
    if (typeof path !== 'string') return path.refused
    if (!(await writable(path))) return commandError(await this.run('rm', ['--', path], true))
    try {
      await unlink(path)
      await syncFolder(dirname(path))
      return null
    } catch (error) {
      return `CertAudit could not delete ${path}: ${(error as Error).message}. Nothing was changed.`
    }
  }

  /**
   * Writes a whole file with these permission bits (`mode`), replacing what is there. An existing
   * file keeps its owner when CertAudit runs as root; an elevated write leaves it owned by root, as
   * system certificate files are.
   */
  async write(wanted: string, bytes: Uint8Array, mode: number): Promise<string | null> {
    // Into the file a link there leads to (inside the root), so a conf or anchor that is a link stays one.
    const path = await this.#confined(confinedPath, wanted)
    if (typeof path !== 'string') return path.refused
    if (!(await writable(path))) return this.#writeElevated(path, bytes, mode)
    await removeStaleTemps(path)
    try {
      await replaceFile(path, bytes, { mode, owner: await stat(path).catch(() => null) })
      return null
    } catch (error) {
      return `CertAudit could not write ${path}: ${(error as Error).message}. Nothing was changed.`
    }
  }

  /** Creates a folder and its parents, if missing. */
  async makeFolder(wanted: string): Promise<string | null> {
    const path = await this.#confined(confinedPath, wanted)
    if (typeof path !== 'string') return path.refused
    if (await isFolder(path)) return null
    if (!(await canWrite(path))) return commandError(await this.run('mkdir', ['-p', '--', path], true))
    try {
      await mkdir(path, { recursive: true, mode: 0o755 })
      return null
    } catch (error) {
      return `CertAudit could not create the folder ${path}: ${(error as Error).message}.`
    }
  }

  /** The path as the file functions may be handed it, or why not (a refusal, nothing written). */
  async #confined(how: typeof confinedPath, path: string): Promise<string | { refused: string }> {
    try {
      return await how(this.env, path)
    } catch (error) {
      const why = error instanceof StoreError ? error.message : `${path} could not be looked at: ${(error as Error).message}`
      return { refused: `${why} Nothing was changed.` }
    }
  }

  /**
   * The elevated tool cannot be handed bytes on stdin (the elevation takes text), so they go to a
   * file in a fresh private temp folder (0700, this user's) that `install` copies into place with
   * the mode bits, and that is removed afterwards.
   */
  async #writeElevated(path: string, bytes: Uint8Array, mode: number): Promise<string | null> {
    return withTempFile('write', 'content', bytes, async (source) =>
      commandError(await this.run('install', ['-m', mode.toString(8).padStart(4, '0'), '-T', '--', source, path], true)),
    )
  }
}

/**
 * A file's bytes, or null when it does not exist. Other errors are thrown ({@link StoreError}): a FIFO,
 * a device or a file bigger than any certificate bundle is refused, never read.
 */
export async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readRegularFile(path, { maxBytes: MAX_BUNDLE_BYTES, what: 'certificate file' })
  } catch (error) {
    if (error instanceof StoreError && error.code === 'enoent') return null
    throw error
  }
}

/**
 * A store file's bytes as the reader sees them (links followed inside the system root, never out of it:
 * {@link confinedPath}), or null when it does not exist. Other errors are thrown.
 */
export async function readConfined(env: Environment, path: string): Promise<Buffer | null> {
  let real: string
  try {
    real = await confinedPath(env, path)
  } catch (error) {
    if (error instanceof StoreError && error.code === 'enoent') return null
    throw error
  }
  // Where its links led inside the root: the file itself is read (a FIFO or a device is refused in words).
  try {
    return await readRegularFile(real, { maxBytes: MAX_STORE_FILE_BYTES, noFollow: true, what: 'certificate file', shown: path })
  } catch (error) {
    if (error instanceof StoreError && error.code === 'enoent') return null
    throw error
  }
}

/** Far larger than any bundle, anchor or conf a writer reads back (the largest, a bundle of 100,000 roots, is ~200 MB). */
const MAX_STORE_FILE_BYTES = 512 * 1024 * 1024

/**
 * The absolute path of an OS tool on this machine (the one running CertAudit, whatever the system
 * root): pkexec runs a bare name through the caller's PATH, and a desktop user's PATH often lacks
 * /usr/sbin, where update-ca-certificates lives. Null when it is not installed.
 */
export async function findTool(name: string): Promise<string | null> {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const path = join(dir, name)
    try {
      await access(path, constants.X_OK)
      return path
    } catch {
      // not in this folder
    }
  }
  return null
}

/**
 * Temp files a kill left beside `path` (written, never renamed over it): they hold a whole version of
 * the file, which a tool reading every file of the folder (p11-kit's anchors) would trust. Only names
 * CertAudit makes are removed.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = tempPrefix(path)
  // Listed to a bound: a store folder holds at most a few hundred thousand files (see folder-listing.ts).
  const names = (await readFolder(dirname(path), MAX_WALK_ENTRIES).catch(() => ({ entries: [] }))).entries.map((e) => e.name)
  for (const name of names) {
    if (name.startsWith(prefix) && /^[0-9a-f]{12}$/.test(name.slice(prefix.length))) await unlink(join(dirname(path), name)).catch(() => undefined)
  }
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false
}
