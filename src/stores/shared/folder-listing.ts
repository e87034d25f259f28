/**
 * Folder listings with a bound: a folder of ten million entries (made on purpose, or by a program run
 * wild) must cost a scan a known, small amount of time and memory, and say what it did not look at.
 * Entries are read a batch at a time (opendir), never the whole folder at once, and reading stops at
 * the limit. Each caller says what happens to the rest (a problem in the report).
 */
import type { Dirent } from 'node:fs'
import { opendirSync } from 'node:fs'
import { opendir } from 'node:fs/promises'

/** Folders where programs keep their profiles or JDKs hold tens of entries; past this many, the rest are not looked at. */
export const MAX_CANDIDATE_ENTRIES = 10_000
/**
 * One walk of a store's folders (every file below /usr/share/ca-certificates, /etc/ssl/certs …) looks
 * at no more than this many entries: a store of 100,000 certificates has ~300,000.
 */
export const MAX_WALK_ENTRIES = 1_000_000
/** Certificate folders are a few levels deep; a walk goes no deeper than this. */
export const MAX_WALK_DEPTH = 32

/** Entries are fetched this many at a time: as fast as reading the whole folder, without holding it. */
const BATCH = 1024

/** Up to `limit` entries of a folder, in the folder's own order, and whether there were more. Throws the file system's error. */
export function readFolderSync(dir: string, limit: number): { entries: Dirent[]; more: boolean } {
  const folder = opendirSync(dir, { bufferSize: BATCH })
  const entries: Dirent[] = []
  try {
    for (let entry = folder.readSync(); entry !== null; entry = folder.readSync()) {
      if (entries.length === limit) return { entries, more: true }
      entries.push(entry)
    }
    return { entries, more: false }
  } finally {
    folder.closeSync()
  }
}

/** {@link readFolderSync} without blocking the event loop. */
export async function readFolder(dir: string, limit: number): Promise<{ entries: Dirent[]; more: boolean }> {
  const folder = await opendir(dir, { bufferSize: BATCH })
  const entries: Dirent[] = []
  try {
    for (let entry = await folder.read(); entry !== null; entry = await folder.read()) {
      if (entries.length === limit) return { entries, more: true }
      entries.push(entry)
    }
    return { entries, more: false }
  } finally {
    await folder.close()
  }
}

/** What a folder entry that can hold no certificate is, in words (a FIFO, a device, a socket); null otherwise. */
export function specialEntryKind(entry: Dirent): string | null {
  if (entry.isFIFO()) return 'a named pipe (FIFO)'
  if (entry.isCharacterDevice()) return 'a character device'
  if (entry.isBlockDevice()) return 'a block device'
  if (entry.isSocket()) return 'a socket'
  return null
}

/**
 * What a listing that stopped at its bound (`more`) leaves out, in words: `holding` is what such a
 * folder is ("Chromium user data folder"), `missed` what may not have been checked.
 */
export function crowdedFolder(dir: string, limit: number, holding: string, missed: string): string {
  return `${dir} holds more than ${limit.toLocaleString('en')} entries, far more than any ${holding}; only ${limit.toLocaleString('en')} were looked at, so ${missed}.`
}

/** Names sorted by code unit, as the walks report them (stable whatever the folder's own order). */
export function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
