/**
 * keytool rewrites a keystore in place: it opens it with O_TRUNC, then writes the new content. Killed
 * in between (a kill, a power cut), it leaves an empty or half-written cacerts, every root of that JDK
 * lost, which no backup of one certificate brings back. So keytool only ever works on a private copy:
 * the copy is read back and checked (exactly the entries it should now hold), the keystore checked
 * unchanged since it was copied, and only then does the copy replace it, in one rename
 * (FileChanger.write). A kill at any moment leaves the old keystore or the new one, never half.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { commandError, type Shell } from '../shared/command-text.js'
import type { FileChanger } from '../shared/file-changer.js'
import { readRegularFile, readRegularFileWithInfo } from '../shared/regular-file.js'
import { withTempDir } from '../shared/temp-files.js'
import type { CommandRecord } from '../types.js'
import { DEFAULT_PASSWORD, MAX_KEYSTORE_BYTES, readKeystore } from './keystore.js'

/** A keystore's entries as `alias NUL sha256`, sorted: two keystores with the same certificates under the same aliases compare equal. */
export type Entries = readonly string[]

export const entryKey = (alias: string, sha: string) => `${alias}\0${sha}`

/** The keystore is where its links led (confined by the caller): read as it is, never through a link swapped in since. */
const KEYSTORE = { maxBytes: MAX_KEYSTORE_BYTES, noFollow: true, what: 'Java keystore' } as const

/**
 * Runs `keytool` (handed the copy's path) on a private copy of `keystore`, checks the copy holds
 * exactly `expected(entries before)`, and puts it in the keystore's place. Returns null when it
 * worked, or what failed (the keystore untouched).
 */
export async function changeOnCopy(
  files: FileChanger,
  keystore: string,
  expected: (before: Entries) => Entries,
  keytool: (copy: string) => Promise<CommandRecord>,
  shell: Shell = 'posix',
): Promise<string | null> {
  // The keystore (confined: where its links lead) and keytool's copy are read by the one reader: a FIFO
  // or a device put there is refused in words, never waited on; nothing larger than a keystore is read.
  let before: Buffer
  let mode: number
  try {
    const read = await readRegularFileWithInfo(keystore, KEYSTORE)
    before = read.bytes
    mode = read.info.mode & 0o7777
  } catch (error) {
    return `${(error as Error).message} CertAudit did not change it.`
  }
  return withTempDir('keystore', async (dir) => {
    const copy = join(dir, 'keystore')
    await writeFile(copy, before, { mode: 0o600 })
    const failed = commandError(await keytool(copy), shell)
    if (failed) return failed
    let after: Buffer
    try {
      after = await readRegularFile(copy, KEYSTORE)
    } catch (error) {
      return `keytool's copy of ${keystore} could not be read back (${(error as Error).message}), so CertAudit did not use it; the keystore is unchanged.`
    }
    const had = entriesOf(before, keystore)
    const want = [...expected(had)].sort()
    const got = entriesOf(after, keystore)
    // keytool said it worked and changed nothing: nothing to swap in; re-reading the store tells the truth.
    if (got.join('\n') === had.join('\n')) return null
    if (want.join('\n') !== got.join('\n')) return `keytool left ${keystore} with other entries than the change makes, so CertAudit did not use its result; the keystore is unchanged.`
    // Read again right before the swap: another program (a JDK update) may have written it meanwhile.
    const now = await readRegularFile(keystore, KEYSTORE).catch(() => null)
    if (!now?.equals(before)) return `${keystore} was changed by another program while CertAudit worked on a copy of it, so it was left as that program wrote it. Try again.`
    return files.write(keystore, after, mode)
  })
}

function entriesOf(bytes: Buffer, path: string): Entries {
  const entries: string[] = []
  for (const item of readKeystore(bytes, path, DEFAULT_PASSWORD)) if (item.type === 'entry') entries.push(entryKey(item.entry, sha256Hex(item.der)))
  return entries.sort()
}
