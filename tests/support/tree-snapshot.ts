/**
 * Everything under a folder, as it is now: each file's SHA-256 and mode, each link's text, each
 * folder. Two snapshots are equal only when nothing under the folder was written, deleted, replaced
 * or re-linked: the sentinels outside a --system-root must stay byte-identical.
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

export function snapshotTree(dir: string): Record<string, string> {
  const seen: Record<string, string> = {}
  const walk = (path: string, rel: string) => {
    const info = lstatSync(path)
    if (info.isSymbolicLink()) seen[rel] = `link ${readlinkSync(path)}`
    else if (info.isFile()) seen[rel] = `file ${(info.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`
    else if (info.isDirectory()) {
      seen[rel] = 'dir'
      for (const name of readdirSync(path).sort()) walk(join(path, name), rel ? `${rel}/${name}` : name)
    } else seen[rel] = 'other'
  }
  walk(dir, '')
  return seen
}
