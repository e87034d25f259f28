import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { canWrite, writable } from './writable.js'
import { StoreError, type CommandRecord, type Elevation } from '../types.js'
import { MAX_BUNDLE_BYTES } from './bundle-file.js'
import { readRegularFile } from './regular-file.js'
import { commandError } from './command-text.js'
import { withTempFile } from './temp-files.js'

/**
 * Changes the files of system stores for the store writers. When this user may change a file, it is
 * changed directly with node:fs (written to a temp file beside it, fsynced, renamed over it, the folder
 * fsynced), so a crash leaves the old file or the new one, never half of it. Otherwise one small tool
 * (`rm`, `install`, `mkdir`) runs through the OS admin prompt with an argument array, never a shell
 * string. Every command is kept in `commands`, so an outcome can name what ran and what it said.
 *
 * Each method returns null when it worked, or a message for people saying what failed and why.
 */
export class FileChanger {
  readonly commands: CommandRecord[] = []

  constructor(private readonly elevation: Elevation) {}

  /** Runs a command (elevated when `admin`), recording it; returns the record. */
  async run(command: string, args: readonly string[], admin: boolean, input?: string): Promise<CommandRecord> {
    const record = await this.elevation.run(command, args, input === undefined ? { admin } : { admin, input })
    this.commands.push(record)
    return record
  }

  /** Deletes a file. */
  async remove(path: string): Promise<string | null> {
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
  async write(path: string, bytes: Uint8Array, mode: number): Promise<string | null> {
    if (!(await writable(path))) return this.#writeElevated(path, bytes, mode)
    const temp = join(dirname(path), `.${basename(path)}.certaudit-${randomBytes(6).toString('hex')}`)
    try {
      const owner = await stat(path).catch(() => null)
      const handle = await open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(bytes)
        await handle.chmod(mode)
        if (owner && process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, path)
      await syncFolder(dirname(path))
      return null
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      return `CertAudit could not write ${path}: ${(error as Error).message}. Nothing was changed.`
    }
  }

  /** Creates a folder and its parents, if missing. */
  async makeFolder(path: string): Promise<string | null> {
    if (await isFolder(path)) return null
    if (!(await canWrite(path))) return commandError(await this.run('mkdir', ['-p', '--', path], true))
    try {
      await mkdir(path, { recursive: true, mode: 0o755 })
      return null
    } catch (error) {
      return `CertAudit could not create the folder ${path}: ${(error as Error).message}.`
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

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false
}

/** Makes a rename or unlink durable: the folder entry is what changed. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
