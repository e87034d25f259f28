/**
 * The one way CertAudit replaces a whole file: a crash, a kill or a full disk leaves the old file or
 * the new one, never a part. The bytes go to a temp file of CertAudit's own beside it (O_EXCL, named
 * `.NAME.certaudit-` and 12 hex digits, so a kill's leftover can be recognised and removed), fsynced,
 * renamed over the file, and the folder fsynced so the rename itself is on disk. Used by FileChanger
 * (store files), chromium/swap.ts (SQLite databases swapped in whole) and the guard's own files.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { syncFolder } from './regular-file.js'

/** The name of a temp file beside `path` while it is written: `.NAME.certaudit-` and 12 hex digits. */
export const tempPrefix = (path: string): string => `.${basename(path)}.certaudit-`

export interface ReplaceOptions {
  /** The permission bits the file gets. */
  readonly mode: number
  /** Kept as the file's owner when CertAudit runs as root (an admin auditing another account). */
  readonly owner?: { readonly uid: number; readonly gid: number } | null
}

/** Replaces `path` with `bytes`. Throws the file system's error; the temp file is then removed. */
export async function replaceFile(path: string, bytes: string | Uint8Array, options: ReplaceOptions): Promise<void> {
  const temp = join(dirname(path), `${tempPrefix(path)}${randomBytes(6).toString('hex')}`)
  try {
    // A new file of CertAudit's own (O_EXCL: never one that was there), written, not read.
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(bytes)
      await handle.chmod(options.mode)
      if (options.owner && process.getuid?.() === 0) await handle.chown(options.owner.uid, options.owner.gid)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  // The file is replaced by now: a folder that cannot be synced (a file system without it) does not undo
  // that, so it is not reported as a failure; the rename is then as durable as that file system makes it.
  await syncFolder(dirname(path)).catch(() => undefined)
}
