/**
 * Removing and distrusting certificates in a profile's ServerCertificate database, and undoing it,
 * through the removal engine (backup, apply, verify by re-listing, journal, undo), on databases made
 * by the sqlite3 tool. sqlite3 is the oracle: it must read every result, and a database changed then
 * undone must be row for row (rowid, storage classes and bytes) what it was. Also: the browser open
 * (its lock), a crashed browser's write-ahead log and hot journal, a row whose hash lies, a database
 * that changes while the change is prepared.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyPlan, undoChange, type RemovalContext } from '../../../src/removal/engine.js'
import type { RemovalPlan } from '../../../src/removal/journal.js'
import { chromiumStore } from '../../../src/stores/chromium/index.js'
import { changeImage, readRows } from '../../../src/stores/chromium/database.js'
import { replaceDatabase, takeSnapshot } from '../../../src/stores/chromium/swap.js'
import { STORES } from '../../../src/stores/registry.js'
import { noticeText } from '../../../src/stores/shared/notices.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import type { EntryTarget, ListItem, RemovalMode } from '../../../src/stores/types.js'
import { makeCertificate, type MadeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { crashAfter, DISTRUSTED, dumpRows, haveProtoc, haveSqlite3, insertSql, integrity, makeServerCertificate, metadata, protoc, SQLITE3_ABSENT_REASON, sqlite3, TRUSTED, UNSPECIFIED } from './fixtures.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Root To Keep']] })
const hint = makeCertificate({ subject: [['CN', 'Intermediate Hint']] })

type Entry = Extract<ListItem, { type: 'entry' }>

function envFor(home: string, platform: NodeJS.Platform = 'linux'): Environment {
  return createEnvironment({ home, systemRoot: '/', env: {}, platform })
}

/** A Chrome profile holding the planted rows, with the two others always beside it. */
function chromeProfile(home: string, planted: { trust: Uint8Array; key?: string }, options: { wal?: boolean } = {}): string {
  return makeServerCertificate(
    join(home, '.config/google-chrome/Default'),
    [
      { der: keeper.der, trust: metadata(TRUSTED) },
      { der: qaznet.der, trust: planted.trust, ...(planted.key ? { key: planted.key } : {}) },
      { der: hint.der, trust: metadata(UNSPECIFIED) },
    ],
    options,
  )
}

/** A copy of the database and its log and journal files in a fresh folder, for sqlite3 to open without touching the original. */
function copyOf(file: string): string {
  const copy = join(tempDir(), 'ServerCertificate')
  for (const suffix of ['', '-wal', '-journal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix)
  return copy
}

async function entries(env: Environment, file: string, certificate: MadeCertificate = qaznet): Promise<Entry[]> {
  const found: Entry[] = []
  for await (const item of chromiumStore.list({ id: `chromium:${file}`, kind: 'chromium', location: file }, env)) {
    if (item.type === 'entry' && Buffer.from(item.der).equals(certificate.der)) found.push(item)
  }
  return found
}

let plans = 0

/** Plans, applies and (with `undo`) undoes one change of the planted certificate's entry, through the removal engine. */
async function change(env: Environment, file: string, mode: RemovalMode, entry?: string) {
  const [listed] = (await entries(env, file)).filter((e) => entry === undefined || e.entry === entry)
  if (!listed) throw new Error('the planted certificate is not listed')
  const target: EntryTarget = {
    storeId: `chromium:${file}`,
    kind: 'chromium',
    location: file,
    entry: listed.entry,
    sha256: qaznet.sha256,
    pem: qaznet.pem,
    trust: listed.trust,
    facts: { program: 'chrome', browser: 'Google Chrome', profile: 'Default' },
  }
  const can = await chromiumStore.capabilities(target, env)
  const plan: RemovalPlan = {
    id: `20260101T000000Z-${(++plans).toString(16).padStart(4, '0')}`,
    createdAt: new Date().toISOString(),
    mode,
    findings: [{ id: qaznet.sha256.slice(0, 16), sha256: qaznet.sha256, title: 'Qaznet' }],
    changes: [{ target, action: mode, needsAdmin: can.needsAdmin }],
  }
  const ctx: RemovalContext = { env, stores: STORES, elevation: createElevation(env) }
  const applied = await applyPlan(plan, ctx)
  return { can, applied, undo: () => undoChange(plan.id, ctx) }
}

describe.skipIf(!haveSqlite3)('changing a ServerCertificate database', () => {
  for (const mode of ['delete', 'distrust'] as const) {
    it(`${mode === 'delete' ? 'deletes the row' : 'distrusts the row'}, verified by re-reading, and undo puts it back row for row (sqlite3)`, async () => {
      const home = tempDir()
      const env = envFor(home)
      const file = chromeProfile(home, { trust: metadata(TRUSTED, { dns: ['example.kz'] }) })
      const before = dumpRows(file)
      const { can, applied, undo } = await change(env, file, mode)
      expect(can).toEqual({ modes: ['delete', 'distrust'], needsAdmin: false })
      expect(applied.results.map((r) => [r.status, r.detail])).toEqual([[mode === 'delete' ? 'removed' : 'distrusted', undefined]])

      // sqlite3 reads the result; only the planted row changed.
      expect(integrity(file)).toBe('ok')
      const after = dumpRows(file)
      if (mode === 'delete') {
        expect(after).toEqual([before[0], before[2]])
      } else {
        expect(after).toEqual([before[0], expect.stringContaining(`|${qaznet.der.toString('hex').toUpperCase()}|blob|`), before[2]])
        expect(after[1]).toContain(`|${Buffer.from(metadata(DISTRUSTED, { dns: ['example.kz'] })).toString('hex').toUpperCase()}|blob`)
        expect((await entries(env, file)).map((e) => e.trust)).toEqual(['distrusted'])
      }

      const undone = await undo()
      expect(undone.results.map((r) => [r.status, r.detail])).toEqual([['restored', undefined]])
      expect(integrity(file)).toBe('ok')
      expect(dumpRows(file)).toEqual(before)
      expect(sqlite3(file, 'SELECT key, value FROM meta ORDER BY key;')).toBe('last_compatible_version|1\nmmap_status|-1\nversion|1\n')
    })
  }

  it.skipIf(!haveProtoc)('keeps the trust settings protoc can read, unknown fields included, when it distrusts', async () => {
    const home = tempDir()
    const env = envFor(home)
    const trust = Buffer.concat([metadata(TRUSTED, { dns: ['corp.example'] }), Buffer.from([0x48, 0x2a])])
    const file = chromeProfile(home, { trust })
    await change(env, file, 'distrust')
    const stored = Buffer.from(sqlite3(file, `SELECT hex(trust_settings) FROM certificates WHERE sha256hash_hex = '${qaznet.sha256}';`).trim(), 'hex')
    const decoded = protoc(tempDir(), 'decode', stored).toString()
    expect(decoded).toMatch(/trust_type: DISTRUSTED/)
    expect(decoded).toMatch(/dns_names: "corp.example"/)
    expect(decoded).toMatch(/9: 42/)
  })

  it('refuses while the browser has the profile open, and goes on when its lock was left by a process that ended', async () => {
    const home = tempDir()
    const env = envFor(home)
    const file = chromeProfile(home, { trust: metadata(TRUSTED) })
    const userData = join(home, '.config/google-chrome')
    const lock = join(userData, 'SingletonLock')
    symlinkSync(`${hostname()}-${process.pid}`, lock)
    const bytes = readFileSync(file)
    const open = await change(env, file, 'delete')
    expect(open.can.warnings?.map((w) => w.code)).toEqual(['chromium-program-running'])
    expect(open.applied.results.map((r) => r.status)).toEqual(['failed'])
    expect(open.applied.results[0]!.detail).toMatch(/Google Chrome is open with this profile .*SingletonLock \(process \d+\)/)
    expect(readFileSync(file).equals(bytes)).toBe(true)

    // Another computer's lock (a home shared over the network): the browser there may be running.
    unlinkSync(lock)
    symlinkSync('another-computer-4242', lock)
    expect((await change(env, file, 'delete')).applied.results.map((r) => r.status)).toEqual(['failed'])

    // A crash's leftover: the process is gone, the browser itself would take the lock over.
    unlinkSync(lock)
    symlinkSync(`${hostname()}-2147483646`, lock)
    const stale = await change(env, file, 'delete')
    expect(stale.can.warnings).toBeUndefined()
    expect(stale.applied.results.map((r) => r.status)).toEqual(['removed'])
  })

  it('changes a profile that a link inside the home leads to, keeps the link, and sees the lock where the browser keeps it', async () => {
    const home = tempDir()
    const env = envFor(home)
    const real = makeServerCertificate(join(home, 'browser-data/Default'), [
      { der: keeper.der, trust: metadata(TRUSTED) },
      { der: qaznet.der, trust: metadata(TRUSTED) },
    ])
    mkdirSync(join(home, '.config/google-chrome'), { recursive: true })
    symlinkSync(join(home, 'browser-data/Default'), join(home, '.config/google-chrome/Default'))
    const [location] = await chromiumStore.discover(env)
    const file = location!.location
    expect(file).toBe(join(home, '.config/google-chrome/Default/ServerCertificate'))
    symlinkSync(`${hostname()}-${process.pid}`, join(home, '.config/google-chrome/SingletonLock'))
    expect((await change(env, file, 'delete')).applied.results.map((r) => r.status)).toEqual(['failed'])
    unlinkSync(join(home, '.config/google-chrome/SingletonLock'))
    const before = dumpRows(real)
    const { applied, undo } = await change(env, file, 'delete')
    expect(applied.results.map((r) => r.status)).toEqual(['removed'])
    expect(lstatSync(join(home, '.config/google-chrome/Default')).isSymbolicLink()).toBe(true)
    expect(dumpRows(real)).toEqual([before[0]])
    await undo()
    expect(dumpRows(real)).toEqual(before)
  })

  it('on Windows, refuses only while the lockfile is held open (a leftover lockfile is not)', async () => {
    const home = tempDir()
    const env = envFor(home, 'win32')
    const file = makeServerCertificate(join(home, 'AppData/Local/Google/Chrome/User Data/Default'), [{ der: qaznet.der, trust: metadata(TRUSTED) }])
    writeFileSync(join(home, 'AppData/Local/Google/Chrome/User Data/lockfile'), '')
    const { can, applied } = await change(env, file, 'distrust')
    expect(can.warnings).toBeUndefined()
    expect(applied.results.map((r) => r.status)).toEqual(['distrusted'])
  })

  it('keeps what a crashed browser left in the write-ahead log, and leaves no log for SQLite to replay over the change', async () => {
    const home = tempDir()
    const env = envFor(home)
    const file = chromeProfile(home, { trust: metadata(TRUSTED) }, { wal: true })
    const late = makeCertificate({ subject: [['CN', 'Added Just Before The Crash']] })
    await crashAfter(file, insertSql([{ der: late.der, trust: metadata(TRUSTED) }]), { wal: true })
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
    const before = dumpRows(copyOf(file)) // sqlite3 replays the log (on a copy: it would checkpoint the original)
    expect(before).toHaveLength(4)

    const { applied, undo } = await change(env, file, 'delete')
    expect(applied.results.map((r) => r.status)).toEqual(['removed'])
    expect(existsSync(`${file}-wal`)).toBe(false)
    expect(existsSync(`${file}-shm`)).toBe(false)
    expect(integrity(file)).toBe('ok')
    expect(dumpRows(file)).toEqual(before.filter((row) => !row.includes(qaznet.sha256)))
    expect((await undo()).results.map((r) => r.status)).toEqual(['restored'])
    expect(dumpRows(file)).toEqual(before)
    expect(sqlite3(file, 'PRAGMA journal_mode;').trim()).toBe('wal')
  })

  it('leaves no hot journal for SQLite to roll back over the change, and no row of the unfinished transaction', async () => {
    const home = tempDir()
    const env = envFor(home)
    const file = chromeProfile(home, { trust: metadata(TRUSTED) })
    const filler = Array.from({ length: 40 }, (_, i) => ({ der: Buffer.alloc(2000, i), key: `filler-${i}`, trust: metadata(TRUSTED) }))
    await crashAfter(file, `BEGIN;\n${insertSql(filler)}`, { wal: false })
    expect(statSync(`${file}-journal`).size).toBeGreaterThan(0)
    const before = dumpRows(copyOf(file)) // sqlite3 rolls the journal back: the three rows of before the crash
    expect(before).toHaveLength(3)
    const { applied, undo } = await change(env, file, 'delete')
    expect(applied.results.map((r) => r.status)).toEqual(['removed'])
    expect(existsSync(`${file}-journal`)).toBe(false)
    expect(integrity(file)).toBe('ok')
    expect(dumpRows(file)).toEqual([before[0], before[2]])
    await undo()
    expect(dumpRows(file)).toEqual(before)
  })

  it('removes the row whose hash lies, by the certificate it holds, and puts it back under the same key', async () => {
    const home = tempDir()
    const env = envFor(home)
    const lie = 'ab'.repeat(32)
    const file = chromeProfile(home, { trust: metadata(TRUSTED), key: lie })
    const before = dumpRows(file)
    const { applied, undo } = await change(env, file, 'delete')
    expect(applied.results.map((r) => r.status)).toEqual(['removed'])
    expect(dumpRows(file)).toEqual([before[0], before[2]])
    await undo()
    expect(dumpRows(file)).toEqual(before)
    expect(before[1]).toContain(`|${lie}|text|`)
  })

  it('leaves a row the browser did not write (a certificate stored as text) to be removed by hand, and says how', async () => {
    const home = tempDir()
    const env = envFor(home)
    const file = makeServerCertificate(join(home, '.config/google-chrome/Default'), [])
    sqlite3(file, `INSERT INTO certificates VALUES('${qaznet.sha256}', CAST(X'${qaznet.der.toString('hex')}' AS TEXT), X'${metadata(TRUSTED).toString('hex')}');`)
    expect((await entries(env, file)).map((e) => e.trust)).toEqual(['trusted'])
    const bytes = readFileSync(file)
    const { can, applied } = await change(env, file, 'delete')
    expect(can.modes).toEqual([])
    expect(noticeText(can.manual!)).toMatch(/was not stored the way the browser stores certificates.*chrome:\/\/certificate-manager → Local certificates → Installed by you/)
    expect(applied.results.map((r) => r.status)).toEqual(['failed'])
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('refuses to swap in a change when the database changed after it was read', async () => {
    const home = tempDir()
    const file = chromeProfile(home, { trust: metadata(TRUSTED) })
    const snapshot = await takeSnapshot(file)
    const [row] = (await readRows(snapshot.image, file)).filter((r) => Buffer.from(r.der).equals(qaznet.der))
    const image = await changeImage(snapshot.image, { kind: 'delete', rowid: row!.rowid }, file)
    sqlite3(file, insertSql([{ der: makeCertificate({ subject: [['CN', 'Imported meanwhile']] }).der, trust: metadata(TRUSTED) }]))
    const now = dumpRows(file)
    expect(await replaceDatabase(file, snapshot, image)).toMatch(/changed while CertAudit prepared the change/)
    expect(dumpRows(file)).toEqual(now)
  })

  for (const wal of [true, false]) {
    it(`the settled database with the old ${wal ? 'log' : 'hot journal'} still beside it reads as before (a crash between the swap's steps changes nothing)`, async () => {
      const home = tempDir()
      const file = chromeProfile(home, { trust: metadata(TRUSTED) }, { wal })
      const filler = Array.from({ length: 40 }, (_, i) => ({ der: Buffer.alloc(2000, i), key: `filler-${i}`, trust: metadata(TRUSTED) }))
      await crashAfter(file, wal ? insertSql(filler) : `BEGIN;\n${insertSql(filler)}`, { wal })
      const crashed = dumpRows(copyOf(file))
      expect(crashed).toHaveLength(wal ? 43 : 3)
      // Step 1 of the swap, then a crash: the settled database is in place, the old log or journal still beside it.
      const settled = copyOf(file)
      writeFileSync(settled, (await takeSnapshot(file)).image)
      expect(dumpRows(settled)).toEqual(crashed)
      expect(integrity(settled)).toBe('ok')
    })
  }
})

if (!haveSqlite3) describe.skip(`changing a ServerCertificate database (skipped: ${SQLITE3_ABSENT_REASON})`, () => it('needs sqlite3', () => {}))
