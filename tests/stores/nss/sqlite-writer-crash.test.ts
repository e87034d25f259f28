/**
 * A power cut in the middle of CertAudit's own NSS writer (src/stores/nss/sqlite-writer.ts): the writer
 * runs in a process of its own (writer-child.ts) under strace, which kills it with SIGKILL at its n-th
 * rename (each file swapped in) or unlink (each log removed), for every n the change makes. After each
 * kill certutil must read the profile as it was before the change or as the change leaves it, never
 * a mix (a trust value without its integrity record, a certificate without its trust), and undo must
 * then put back every row of both files (sqlite3 .dump), whatever the kill left.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { databaseKey, findObjects, recordsVerify } from '../../../src/stores/nss/objects.js'
import { sqliteWriter, type NssRowsBackupData } from '../../../src/stores/nss/sqlite-writer.js'
import { snapshotSqlite } from '../../../src/stores/shared/sqlite-snapshot.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { Backup, Elevation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { certutilInstalled, makeNssDb } from './fixtures.js'
import { crashAfter, dumps, sqlite3, sqlite3Installed, targetFor, trustBySha256 } from './oracle.js'

const TSX = join(process.cwd(), 'node_modules/.bin/tsx')
const CHILD = join(import.meta.dirname, 'writer-child.ts')
const haveStrace = spawnSync('strace', ['-V']).status === 0
const ready = certutilInstalled && sqlite3Installed && haveStrace && existsSync(TSX)
const reason = 'needs certutil (libnss3-tools), sqlite3, strace and tsx (npm ci)'
const none: Elevation = { run: () => Promise.reject(new Error('no command')) }

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const twin = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Root To Keep']] })

type Action = 'delete' | 'distrust' | 'restore'

/**
 * Every trust object of the certificate has valid integrity records for all its values. certutil
 * shows ",," both for a distrusted certificate and for one whose records do not verify (NSS then
 * ignores the object): this tells the two apart (integrity.test.ts proves the check against NSS).
 */
async function recordsHold(db: string, cert: { der: Uint8Array }): Promise<boolean> {
  const key4 = await snapshotSqlite(join(db, 'key4.db'))
  const found = await findObjects(await snapshotSqlite(join(db, 'cert9.db')), key4, cert.der, db)
  const key = await databaseKey(key4, db)
  if (!('key' in key)) throw new Error(key.why)
  return !found.ok || found.objects.trust.length === 0 || recordsVerify(found.objects, key.key)
}

/**
 * Runs `action` in the child, killed at its n-th call of `syscall`; true when the kill landed in the
 * writer (it printed nothing), false when the change ran to its end (n is past its last call).
 */
function killedAt(home: string, backup: string, action: Action, syscall: 'rename' | 'unlink', n: number): boolean {
  // One thread for every file operation: strace counts calls per thread, so the n-th is the same each run.
  const env = { ...process.env, UV_THREADPOOL_SIZE: '1', TSX_DISABLE_CACHE: '1' }
  const run = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '-e', `trace=${syscall}`, '-e', `inject=${syscall}:signal=SIGKILL:when=${n}`, TSX, CHILD, home, backup, action], { env, encoding: 'utf8' })
  if (run.stdout === '' && (run.status === 137 || run.signal === 'SIGKILL')) return true
  expect(JSON.parse(run.stdout), `${action} at ${syscall} ${n}: ${run.stderr}`).toMatchObject({ ok: true })
  return false
}

/** A profile made once per scenario, copied fresh for every kill. */
async function template(wal: boolean): Promise<string> {
  const db = makeNssDb(join(tempDir(), 'template'), [
    { nickname: 'Qaznet', trust: 'CT,C,C', cert: qaznet },
    { nickname: 'Qaznet', trust: 'C,,', cert: twin },
    { nickname: 'Root To Keep', trust: 'CT,C,C', cert: keeper },
  ])
  if (wal) {
    for (const file of ['cert9.db', 'key4.db']) sqlite3(join(db, file), 'PRAGMA journal_mode=WAL;')
    // Commits left in both logs, as a Firefox that crashed leaves them.
    await crashAfter(join(db, 'cert9.db'), "PRAGMA wal_autocheckpoint=0;\nUPDATE nssPublic SET a3 = CAST('Kept In The Log' AS BLOB) WHERE a3 = CAST('Root To Keep' AS BLOB);")
    await crashAfter(join(db, 'key4.db'), "PRAGMA wal_autocheckpoint=0;\nUPDATE metaData SET item2 = item2 WHERE id = 'password';")
  }
  return db
}

describe.skipIf(!ready)(`a kill at every step of CertAudit's own NSS writer${ready ? '' : ` (skipped: ${reason})`}`, () => {
  const scenarios: [string, Action, boolean][] = [
    ['deletion', 'delete', false],
    ['distrust', 'distrust', false],
    ['undo of a deletion', 'restore', false],
    ['undo of a distrust', 'restore', false],
    ['distrust, in WAL mode with commits in both logs', 'distrust', true],
  ]
  for (const [name, action, wal] of scenarios) {
    const undone = name.startsWith('undo of a ') ? (name.endsWith('deletion') ? 'delete' : 'distrust') : null
    it(`${name}: after a kill at any rename or unlink certutil reads the old database or the new one, and undo restores every row`, { timeout: 180_000 }, async () => {
      const made = await template(wal)
      const kills: string[] = []
      for (const syscall of ['rename', 'unlink'] as const) {
        for (let n = 1; ; n++) {
          const home = tempDir()
          const db = join(home, '.mozilla/firefox/x.default')
          cpSync(made, db, { recursive: true })
          const env = createEnvironment({ home, systemRoot: '/', env: {} })
          const original = dumps(db)
          const backup = (await sqliteWriter.backup(targetFor(db, 'Qaznet', qaznet), env)) as Backup<NssRowsBackupData>
          // Undo is killed after the change it undoes ran to its end.
          if (undone) expect(await sqliteWriter.apply(backup, undone, env, none)).toMatchObject({ ok: true })
          const before = trustBySha256(db)
          const after = new Map(before)
          if (action === 'delete') after.delete(qaznet.sha256)
          else if (action === 'distrust') after.set(qaznet.sha256, '')
          else after.set(qaznet.sha256, 'CT')
          const file = join(home, 'backup.json')
          writeFileSync(file, JSON.stringify(backup))
          if (!killedAt(home, file, action, syscall, n)) {
            expect(trustBySha256(db)).toEqual(after)
            break
          }
          kills.push(`${syscall} ${n}`)
          const seen = trustBySha256(db)
          expect([before, after], `killed at ${syscall} ${n}`).toContainEqual(seen)
          expect(await recordsHold(db, qaznet), `killed at ${syscall} ${n}: a trust value without its record`).toBe(true)
          // Undo (run again after a kill inside undo) puts every row of both files back.
          expect(await sqliteWriter.restore(backup, env, none), `killed at ${syscall} ${n}`).toMatchObject({ ok: true })
          expect(dumps(db), `killed at ${syscall} ${n}`).toEqual(original)
        }
      }
      // Every swap was reached: two files (three swaps for a distrust), and the logs' removal in WAL mode.
      expect(kills.filter((k) => k.startsWith('rename')).length).toBeGreaterThanOrEqual(action === 'distrust' || undone === 'distrust' ? 3 : 2)
      if (wal) expect(kills.some((k) => k.startsWith('unlink'))).toBe(true)
    })
  }
})
