/**
 * keytool rewrites a keystore in place: it opens it with O_TRUNC, then writes the new content. Killed
 * in between (a kill, a power cut), it leaves an empty or half-written cacerts, every root of that JDK
 * lost, which no backup of one certificate brings back. So keytool only ever works on a private copy:
 * the copy is read back and checked (exactly the entries it should now hold), the keystore checked
 * unchanged since it was copied, and only then does the copy replace it, in one rename
 * (FileChanger.write). A kill at any moment leaves the old keystore or the new one, never half.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { commandError, type Shell } from '../shared/command-text.js'
import type { FileChanger } from '../shared/file-changer.js'
import { withTempDir } from '../shared/temp-files.js'
import type { CommandRecord } from '../types.js'
import { DEFAULT_PASSWORD, MAX_KEYSTORE_BYTES, readKeystore } from './keystore.js'

/** A keystore's entries as `alias NUL sha256`, sorted: two keystores with the same certificates under the same aliases compare equal. */
export type Entries = readonly string[]

export const entryKey = (alias: string, sha: string) => `${alias}\0${sha}`

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
  const info = await stat(keystore)
  if (!info.isFile()) return `${keystore} is not a regular file, so CertAudit does not change it.`
  if (info.size > MAX_KEYSTORE_BYTES) return `${keystore} is far larger than any Java keystore; CertAudit does not change it.`
  const before = await readFile(keystore)
  return withTempDir('keystore', async (dir) => {
    const copy = join(dir, 'keystore')
    await writeFile(copy, before, { mode: 0o600 })
    const failed = commandError(await keytool(copy), shell)
    if (failed) return failed
    const after = await readFile(copy)
    const had = entriesOf(before, keystore)
    const want = [...expected(had)].sort()
    const got = entriesOf(after, keystore)
    // keytool said it worked and changed nothing: nothing to swap in; re-reading the store tells the truth.
    if (got.join('\n') === had.join('\n')) return null
    if (want.join('\n') !== got.join('\n')) return `keytool left ${keystore} with other entries than the change makes, so CertAudit did not use its result; the keystore is unchanged.`
    // Read again right before the swap: another program (a JDK update) may have written it meanwhile.
    if (!(await readFile(keystore)).equals(before)) return `${keystore} was changed by another program while CertAudit worked on a copy of it, so it was left as that program wrote it. Try again.`
    return files.write(keystore, after, info.mode & 0o7777)
  })
}

function entriesOf(bytes: Buffer, path: string): Entries {
  const entries: string[] = []
  for (const item of readKeystore(bytes, path, DEFAULT_PASSWORD)) if (item.type === 'entry') entries.push(entryKey(item.entry, sha256Hex(item.der)))
  return entries.sort()
}
