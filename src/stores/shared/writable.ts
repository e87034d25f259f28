import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * The one answer to "can this user change that?", which decides whether a change runs directly or
 * through the OS admin prompt (elevation.ts).
 */

/** True when this user can create or change `path` (a file: itself, or its folder when it does not exist yet). */
export async function canWrite(path: string): Promise<boolean> {
  for (const candidate of [path, dirname(path)]) {
    try {
      await access(candidate, constants.W_OK)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false
    }
  }
  return false
}

/**
 * True when this user can change `path` in place and replace it in its folder: both are needed to
 * write a file atomically (a temp file renamed over it), and for SQLite, which writes its journal beside it.
 */
export async function writable(path: string): Promise<boolean> {
  return (await canWrite(path)) && (await canWrite(dirname(path)))
}
