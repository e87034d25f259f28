/**
 * An NSS database that a kill left part-way through a write, and where certutil may be handed it.
 *
 * certutil changes cert9.db in SQLite transactions, and `-D` takes two (the trust object, then the
 * certificate). Killed inside one, it leaves a hot rollback journal (cert9.db-journal) beside the
 * database: read-only opens (`certutil -L`, what CertAudit reads with) then fail with
 * SEC_ERROR_BAD_DATABASE, or see pages the journal was about to take back. SQLite rolls a hot journal
 * back on the first read-write open (https://www.sqlite.org/atomiccommit.html, "Hot Rollback
 * Journals"); `certutil -L -X` is that open (-X: "force the database to open R/W") and changes nothing
 * else. So every change, resume and undo first recovers the database this way, and a restore is only
 * believed when certutil itself can read the database afterwards.
 */
import { join } from 'node:path'
import { commandFailure } from '../shared/command-text.js'
import { assertToolSeesSame, confinedPath } from '../shared/confine.js'
import type { Environment } from '../shared/environment.js'
import { readRegularFileHead } from '../shared/regular-file.js'
import { writable } from '../shared/writable.js'
import type { ChangeOutcome, Elevation, Settled } from '../types.js'

/** The files certutil opens by name in a database folder: none may be a link that leads elsewhere for the OS. */
const DATABASE_FILES = ['cert9.db', 'key4.db', 'pkcs11.txt', 'cert8.db', 'key3.db', 'secmod.db'].flatMap((f) => [f, `${f}-journal`, `${f}-wal`, `${f}-shm`])

/** The first 8 bytes of a rollback journal that still has to be played back (a finished one is zeroed or deleted). */
const JOURNAL_MAGIC = Buffer.from('d9d505f920a163d7', 'hex')

/**
 * The database folder certutil is handed: links followed the way the reader follows them (inside the
 * system root; never out of the home folder), and no database file in it a link the OS would follow
 * elsewhere. Throws StoreError otherwise: the change is refused before certutil runs.
 */
export async function databaseAt(env: Environment, location: string): Promise<string> {
  const dir = await confinedPath(env, location)
  for (const name of DATABASE_FILES) await assertToolSeesSame(env, join(dir, name))
  return dir
}

/** The database files with a journal left to roll back, or a write-ahead log not yet checkpointed. */
export async function hotJournals(dir: string): Promise<string[]> {
  const hot: string[] = []
  for (const db of ['cert9.db', 'key4.db']) {
    if (await startsWith(join(dir, `${db}-journal`), JOURNAL_MAGIC)) hot.push(`${db}-journal`)
    if (await startsWith(join(dir, `${db}-wal`), Buffer.alloc(0))) hot.push(`${db}-wal`)
  }
  return hot
}

/**
 * Whether certutil can read the database and no journal waits to be rolled back; with `elevation`,
 * the database is opened read-write once first (`certutil -L -X`), which rolls a hot journal back.
 */
export async function settleDatabase(env: Environment, dir: string, shown: string, elevation?: Elevation): Promise<Settled> {
  let outcome: ChangeOutcome | undefined
  const before = await hotJournals(dir)
  if (before.length && elevation) {
    const recovered = await elevation.run('certutil', ['-L', '-X', '-d', `sql:${dir}`], { admin: !(await writable(join(dir, 'cert9.db'))) })
    outcome = { ok: recovered.exitCode === 0, commands: [recovered], ...(recovered.exitCode === 0 ? {} : { message: `certutil could not recover ${shown}: ${commandFailure(recovered)}` }) }
  }
  const left = await hotJournals(dir)
  const listing = await env.run('certutil', ['-L', '-d', `sql:${dir}`])
  // Without certutil there is no NSS word to check against: the files (no hot journal) are all there is.
  const certutilMissing = listing.spawnError?.startsWith('ENOENT') ?? false
  const detail =
    left.length > 0
      ? `${shown} was left part-way through a change (${left.join(', ')} not rolled back); opening it once in read-write mode ("certutil -L -X -d sql:${dir}") recovers it.`
      : listing.exitCode !== 0 && !certutilMissing
        ? `certutil cannot read ${shown}: ${commandFailure(listing)}`
        : undefined
  return { consistent: detail === undefined, ...(detail ? { detail } : {}), ...(outcome ? { outcome } : {}) }
}

/** True when the file exists, is longer than `prefix` (or at least as long, for an empty prefix: non-empty) and starts with it. */
async function startsWith(path: string, prefix: Buffer): Promise<boolean> {
  // Only a regular file is opened (the one reader): a FIFO named like a journal would block the open for ever.
  const head = await readRegularFileHead(path, Math.max(prefix.length, 1), { noFollow: true }).catch(() => null)
  return head !== null && head.length === Math.max(prefix.length, 1) && head.subarray(0, prefix.length).equals(prefix)
}
