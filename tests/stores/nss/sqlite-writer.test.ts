/**
 * CertAudit's own NSS writer (src/stores/nss/sqlite-writer.ts), the one Windows, macOS without
 * Homebrew's nss and Linux without libnss3-tools use, proved on Linux against NSS's certutil as the
 * oracle, on real databases certutil made: certutil reads every result and lists the right trust for
 * every certificate left (by fingerprint), a deleted one not at all, a distrusted one as ",,"; the rows
 * are those certutil -D and certutil -M -t ",," leave; a change undone is row for row (sqlite3 .dump of
 * cert9.db and key4.db) what was there, and certutil reads it exactly as before. Also: a database in WAL
 * mode and one with a hot journal, a running Firefox, a Primary Password, a certificate changed since its
 * backup, a trust record two certificates share, damaged backups.
 */
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nssStore } from '../../../src/stores/nss/index.js'
import { sqliteWriter, type NssRowsBackupData } from '../../../src/stores/nss/sqlite-writer.js'
import { nssBackupData } from '../../../src/stores/nss/write.js'
import { databaseKey, findObjects, objectId } from '../../../src/stores/nss/objects.js'
import { verifySignature } from '../../../src/stores/nss/integrity.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { noticeText } from '../../../src/stores/shared/notices.js'
import type { Backup, Elevation } from '../../../src/stores/types.js'
import { makeCertificate, makeKey } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutil, certutilInstalled, holdDatabase, makeNssDb, python3Installed, sha256 } from './fixtures.js'
import { crashAfter, dumps, listing, sqlite3, sqlite3Installed, SQLITE3_ABSENT_REASON, targetFor, trustBySha256 } from './oracle.js'

const ready = certutilInstalled && sqlite3Installed
const reason = !certutilInstalled ? CERTUTIL_ABSENT_REASON : SQLITE3_ABSENT_REASON
const noElevation: Elevation = { run: () => Promise.reject(new Error('CertAudit’s own writer runs no command')) }

const group = (serial: string) => makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], serial })
const [qaznet2019, qaznetA, qaznetB] = [group('0a'), group('0b'), group('0c')]
const odd = (cn: string, serial?: string) => makeCertificate({ subject: [['O', 'CertAudit Tests'], ['CN', cn]], ...(serial ? { serial } : {}) })
const quoted = odd('Quoted', '5a17ed')
const cyrillic = odd('Cyrillic')
const spaced = odd('Spaced')
const peer = odd('Peer')
const keeper = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Root To Keep']], key: makeKey({ type: 'rsa' }) })

/** Certificates that NSS groups by subject (two share a nickname too), odd nicknames, every kind of trust. */
const PLANTED = [
  { nickname: 'Qaznet 2019', trust: 'C,,', cert: qaznet2019 },
  { nickname: 'Qaznet', trust: 'CT,C,C', cert: qaznetA },
  { nickname: 'Qaznet', trust: 'p,p,p', cert: qaznetB },
  { nickname: 'Qaznet "Trust" $(id) `id` ;|& <x>', trust: 'C,C,C', cert: quoted },
  { nickname: 'Кириллица Қазақстан 证书', trust: 'CT,,', cert: cyrillic },
  { nickname: 'two  spaces inside', trust: 'c,,', cert: spaced },
  { nickname: "O'Brien peer", trust: 'P,,', cert: peer },
  { nickname: 'Root To Keep', trust: 'CT,C,C', cert: keeper },
] as const

function profile(home: string, name = 'abc.default-release'): string {
  return makeNssDb(join(home, '.mozilla/firefox', name), PLANTED)
}

const env = (home: string) => createEnvironment({ home, systemRoot: '/', env: {} })

/** The state every oracle sees. */
function observe(db: string) {
  return { dumps: dumps(db), listing: listing(db), trust: trustBySha256(db) }
}

const line = (nickname: string, flags: string) => `${nickname}  ${flags}`
const rowsOf = (backup: Backup<NssRowsBackupData>) => JSON.parse(backup.data.rows) as { trust: { cells: { id: { value: string } } }[]; distrustId: number }

describe.skipIf(!ready)(`CertAudit's own NSS writer, with certutil as the oracle${ready ? '' : ` (skipped: ${reason})`}`, () => {
  for (const { nickname, cert } of [PLANTED[0], PLANTED[1], PLANTED[3], PLANTED[4]]) {
    it(`deletes and distrusts "${nickname}" as certutil would, and undo puts back every row (NSS groups three of these by subject)`, async () => {
      const home = tempDir()
      const db = profile(home)
      const before = observe(db)
      expect(before.listing).toHaveLength(PLANTED.length)
      const target = targetFor(db, nickname, cert)
      const backup = (await sqliteWriter.backup(target, env(home))) as Backup<NssRowsBackupData>
      const planted = PLANTED.find((p) => p.cert === cert)!
      expect(backup.data).toMatchObject({ nickname, trustFlags: planted.trust })
      expect(before.listing).toContain(line(nickname, planted.trust))
      const twin = PLANTED.filter((p) => p.nickname === nickname).length > 1

      for (const mode of ['delete', 'distrust'] as const) {
        const pristine = join(tempDir(), 'pristine')
        cpSync(db, pristine, { recursive: true })
        expect(await sqliteWriter.apply(backup, mode, env(home), noElevation), mode).toEqual({ ok: true, commands: [] })

        // certutil reads the result: the right trust for every certificate, by fingerprint.
        const expected = new Map(before.trust)
        if (mode === 'delete') expected.delete(cert.sha256)
        else expected.set(cert.sha256, '')
        expect(trustBySha256(db), mode).toEqual(expected)
        const lines = [...before.listing]
        lines.splice(lines.indexOf(line(nickname, planted.trust)), 1, ...(mode === 'delete' ? [] : [line(nickname, ',,')]))
        expect(listing(db), mode).toEqual(lines.sort())

        // The rows are those certutil itself leaves (a twin's nickname cannot be given to certutil alone).
        if (!twin) {
          certutil(mode === 'delete' ? ['-D', '-d', `sql:${pristine}`, '-n', `NSS Certificate DB:${nickname}`] : ['-M', '-d', `sql:${pristine}`, '-n', `NSS Certificate DB:${nickname}`, '-t', ',,'])
          const ours = dumps(db)
          const theirs = dumps(pristine)
          if (mode === 'delete') expect(ours).toEqual(theirs)
          else expectSameDistrust(ours, theirs, backup)
        }

        expect(await sqliteWriter.restore(backup, env(home), noElevation), mode).toEqual({ ok: true, commands: [] })
        expect(dumps(db), mode).toEqual(before.dumps)
        expect(listing(db), mode).toEqual(before.listing)
        expect(trustBySha256(db), mode).toEqual(before.trust)
      }
    })
  }

  it('signs the distrusted trust object as NSS does: every record verifies under the database key, for the new object id', async () => {
    const home = tempDir()
    const db = profile(home)
    const backup = (await sqliteWriter.backup(targetFor(db, 'Root To Keep', keeper), env(home))) as Backup<NssRowsBackupData>
    await sqliteWriter.apply(backup, 'distrust', env(home), noElevation)
    const cert9 = readFileSync(join(db, 'cert9.db'))
    const key4 = readFileSync(join(db, 'key4.db'))
    const found = await findObjects(cert9, key4, keeper.der, db)
    if (!found.ok) throw new Error(found.why)
    const [trust] = found.objects.trust
    expect(objectId(trust!)).toBe(rowsOf(backup).distrustId)
    const key = await databaseKey(key4, db)
    if (!('key' in key)) throw new Error(key.why)
    // Seven records, as certutil writes: both hashes, four trust values, step-up.
    expect(found.objects.signatures).toHaveLength(7)
    for (const record of found.objects.signatures) {
      const [, , id, type] = Buffer.from((record.cells.id as { hex: string }).hex, 'hex').toString().split('_')
      const value = Buffer.from((trust!.cells[`a${type}`] as { hex: string }).hex, 'hex')
      expect(verifySignature(key.key, parseInt(id!, 16), parseInt(type!, 16), value, Buffer.from((record.cells.item1 as { hex: string }).hex, 'hex'))).toBe(true)
    }
    // The old object's records are gone, as certutil -D would leave them.
    const oldId = Number(rowsOf(backup).trust[0]!.cells.id.value).toString(16).padStart(8, '0')
    expect(sqlite3(join(db, 'key4.db'), `SELECT count(*) FROM metaData WHERE id LIKE 'sig_cert_${oldId}_%';`).trim()).toBe('0')
  })

  for (const journal of ['wal', 'hot journal'] as const) {
    it(`changes a database ${journal === 'wal' ? 'in WAL mode with commits only in its -wal' : 'with a hot journal a crash left'}, leaves no log for SQLite to replay over it, and undo restores it`, async () => {
      const home = tempDir()
      const db = profile(home)
      if (journal === 'wal') {
        for (const file of ['cert9.db', 'key4.db']) sqlite3(join(db, file), 'PRAGMA journal_mode=WAL;')
        await crashAfter(join(db, 'cert9.db'), "PRAGMA wal_autocheckpoint=0;\nUPDATE nssPublic SET a3 = CAST('Renamed in the log' AS BLOB) WHERE a3 = CAST('Root To Keep' AS BLOB);")
        expect(readFileSync(`${join(db, 'cert9.db')}-wal`).length).toBeGreaterThan(0)
      } else {
        const junk = Array.from({ length: 40 }, (_, i) => `INSERT INTO nssPublic (id, a0, a11) VALUES (${900000 + i}, X'00000001', randomblob(3000));`).join('\n')
        await crashAfter(join(db, 'cert9.db'), `PRAGMA cache_size=1;\nBEGIN;\n${junk}`)
        expect(readFileSync(`${join(db, 'cert9.db')}-journal`).length).toBeGreaterThan(0)
      }
      const before = observe(db)
      if (journal === 'wal') expect(before.listing).toContain(line('Renamed in the log', 'CT,C,C'))
      const target = targetFor(db, 'Qaznet 2019', qaznet2019)
      const backup = (await sqliteWriter.backup(target, env(home))) as Backup<NssRowsBackupData>
      // A hot journal is the file not whole yet (NSS's read-only open fails): the engine hears so until a change settles it.
      expect(await sqliteWriter.settle(target, env(home))).toEqual(journal === 'wal' ? { consistent: true } : { consistent: false, detail: expect.stringContaining('cert9.db-journal not rolled back') })
      for (const mode of ['delete', 'distrust'] as const) {
        expect(await sqliteWriter.apply(backup, mode, env(home), noElevation), mode).toEqual({ ok: true, commands: [] })
        expect(await sqliteWriter.settle(target, env(home)), mode).toEqual({ consistent: true })
        // An empty -wal is what certutil's read-only open of a WAL database leaves: SQLite replays nothing from it.
        for (const log of ['-wal', '-journal']) expect(sizeOf(`${join(db, 'cert9.db')}${log}`), log).toBe(0)
        // certutil opens the live files itself: nothing for it to roll back, and the right trust.
        expect(certutil(['-L', '-d', `sql:${db}`])).toContain(journal === 'wal' ? 'Renamed in the log' : 'Root To Keep')
        expect(trustBySha256(db).get(qaznet2019.sha256), mode).toBe(mode === 'delete' ? undefined : '')
        expect(await sqliteWriter.restore(backup, env(home), noElevation), mode).toEqual({ ok: true, commands: [] })
        expect(dumps(db), mode).toEqual(before.dumps)
        expect(listing(db), mode).toEqual(before.listing)
      }
      if (journal === 'wal') expect(sqlite3(join(db, 'cert9.db'), 'PRAGMA journal_mode;').trim()).toBe('wal')
    })
  }

  it.skipIf(!python3Installed)('refuses while Firefox holds the profile, says so in the plan, and changes nothing; goes on once it quits', async () => {
    const home = tempDir()
    const db = profile(home)
    const target = targetFor(db, 'Qaznet 2019', qaznet2019)
    const backup = await sqliteWriter.backup(target, env(home))
    const bytes = [readFileSync(join(db, 'cert9.db')), readFileSync(join(db, 'key4.db'))]
    writeFileSync(join(db, '.parentlock'), '')
    // Firefox holds an fcntl lock on .parentlock while it runs (nsProfileLock.cpp, LockWithFcntl).
    const firefox = await holdDatabase("import fcntl,sys\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('ready',flush=True)\nsys.stdin.read()", join(db, '.parentlock'))
    try {
      const can = await sqliteWriter.capabilities(target, env(home))
      expect(can.modes).toEqual(['delete', 'distrust'])
      expect(can.warnings?.map((w) => w.code)).toEqual(['nss-direct-program-running'])
      expect(noticeText(can.warnings![0]!)).toMatch(/^Firefox has this profile open \(.*\.parentlock \(locked by process \d+\)\): close Firefox, then run the change\./)
      for (const mode of ['delete', 'distrust'] as const) {
        expect(await sqliteWriter.apply(backup, mode, env(home), noElevation)).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('Firefox has this profile open') })
      }
      expect(await sqliteWriter.restore(backup, env(home), noElevation)).toMatchObject({ ok: false })
      expect([readFileSync(join(db, 'cert9.db')), readFileSync(join(db, 'key4.db'))]).toEqual(bytes)
    } finally {
      await firefox.release()
    }
    expect((await sqliteWriter.capabilities(target, env(home))).warnings).toBeUndefined()
    expect(await sqliteWriter.apply(backup, 'delete', env(home), noElevation)).toEqual({ ok: true, commands: [] })
  })

  it('offers only deletion in a profile with a Primary Password (it cannot sign trust there), and deletes and undoes it', async () => {
    const home = tempDir()
    const db = makeNssDb(join(home, '.mozilla/firefox/locked.default'), PLANTED, { password: 'correct horse battery staple' })
    const before = observe(db)
    const target = targetFor(db, 'Qaznet 2019', qaznet2019)
    const can = await sqliteWriter.capabilities(target, env(home))
    expect(can.modes).toEqual(['delete'])
    expect(noticeText(can.modeWarnings!.delete!)).toMatch(/cannot sign a change of trust in this profile \(it has a Primary Password/)
    const backup = await sqliteWriter.backup(target, env(home))
    expect(await sqliteWriter.apply(backup, 'distrust', env(home), noElevation)).toMatchObject({ ok: false, message: expect.stringContaining('Primary Password') })
    expect(dumps(db)).toEqual(before.dumps)
    expect(await sqliteWriter.apply(backup, 'delete', env(home), noElevation)).toEqual({ ok: true, commands: [] })
    expect(trustBySha256(db).has(qaznet2019.sha256)).toBe(false)
    expect(await sqliteWriter.restore(backup, env(home), noElevation)).toEqual({ ok: true, commands: [] })
    expect(dumps(db)).toEqual(before.dumps)
    expect(listing(db)).toEqual(before.listing)
  })

  it('leaves a certificate whose trust changed since its backup alone, and puts back only its own rows when others were added meanwhile', async () => {
    const home = tempDir()
    const db = profile(home)
    const target = targetFor(db, 'Qaznet 2019', qaznet2019)
    const backup = await sqliteWriter.backup(target, env(home))
    certutil(['-M', '-d', `sql:${db}`, '-n', 'NSS Certificate DB:Qaznet 2019', '-t', 'CT,C,C'])
    const changed = dumps(db)
    for (const mode of ['delete', 'distrust'] as const) expect(await sqliteWriter.apply(backup, mode, env(home), noElevation)).toMatchObject({ ok: false, message: expect.stringContaining('has changed since it was backed up') })
    expect(dumps(db)).toEqual(changed)

    const fresh = await sqliteWriter.backup(target, env(home))
    const before = observe(db)
    await sqliteWriter.apply(fresh, 'delete', env(home), noElevation)
    const later = odd('Imported Later')
    writeFileSync(join(home, 'later.pem'), later.pem)
    certutil(['-A', '-d', `sql:${db}`, '-n', 'Imported Later', '-t', 'C,,', '-i', join(home, 'later.pem')])
    expect(await sqliteWriter.restore(fresh, env(home), noElevation)).toEqual({ ok: true, commands: [] })
    expect(listing(db)).toEqual([...before.listing, line('Imported Later', 'C,,')].sort())
    expect(trustBySha256(db)).toEqual(new Map([...before.trust, [later.sha256, 'C']]))
    // Undo again finds everything as it was.
    expect(await sqliteWriter.restore(fresh, env(home), noElevation)).toMatchObject({ ok: true, warnings: [expect.stringContaining('already in')] })
  })

  it('refuses a trust record without a certificate hash that two certificates share (changing it would change the other), and says how to do it by hand', async () => {
    const home = tempDir()
    const db = profile(home)
    const cert9 = join(db, 'cert9.db')
    const other = odd('Quoted', '5a17ed')
    sqlite3(cert9, `UPDATE nssPublic SET ace5363b4 = NULL WHERE a0 = X'CE534353' AND a81 = (SELECT a81 FROM nssPublic WHERE a11 = X'${quoted.der.toString('hex')}');`)
    sqlite3(cert9, `INSERT INTO nssPublic (id, a0, a3, a11, a81, a82) SELECT id + 7, a0, a3, X'${other.der.toString('hex')}', a81, a82 FROM nssPublic WHERE a11 = X'${quoted.der.toString('hex')}';`)
    const target = targetFor(db, PLANTED[3].nickname, quoted)
    const can = await sqliteWriter.capabilities(target, env(home))
    expect(can.modes).toEqual([])
    expect(noticeText(can.manual!)).toMatch(/trust record has no certificate hash and also applies to another certificate.* Remove it in Firefox itself: Settings → Privacy & Security/)
    await expect(sqliteWriter.backup(target, env(home))).rejects.toMatchObject({ code: 'nss-unusual' })
  })

  it('refuses a backup whose rows are damaged or belong to another certificate, and the adapter schema rejects malformed rows', async () => {
    const home = tempDir()
    const db = profile(home)
    const backup = (await sqliteWriter.backup(targetFor(db, 'Qaznet 2019', qaznet2019), env(home))) as Backup<NssRowsBackupData>
    const before = dumps(db)
    const other = (await sqliteWriter.backup(targetFor(db, 'Root To Keep', keeper), env(home))) as Backup<NssRowsBackupData>
    const swapped = { ...backup, data: { ...backup.data, rows: other.data.rows } }
    for (const mode of ['delete', 'distrust'] as const) expect(await sqliteWriter.apply(swapped, mode, env(home), noElevation)).toMatchObject({ ok: false, message: expect.stringContaining('cannot be used') })
    expect(await sqliteWriter.restore(swapped, env(home), noElevation)).toMatchObject({ ok: false, message: expect.stringContaining('cannot be used') })
    expect(dumps(db)).toEqual(before)
    const rows = JSON.parse(backup.data.rows) as Record<string, unknown>
    for (const damaged of ['{', JSON.stringify({ ...rows, extra: 1 }), JSON.stringify({ ...rows, certificates: [] }), JSON.stringify({ ...rows, distrustId: 0 }), backup.data.rows.replace('"type":"blob"', '"type":"text\\"); DROP TABLE nssPublic; --"')]) {
      expect(nssBackupData.safeParse({ ...backup.data, rows: damaged }).success, damaged.slice(0, 40)).toBe(false)
    }
    expect(nssBackupData.parse(backup.data)).toEqual(backup.data)
  })

  it('is what the adapter lists by afterwards: the engine re-reads the profile with the reader that runs without certutil', async () => {
    const home = tempDir()
    const db = profile(home)
    const backup = await sqliteWriter.backup(targetFor(db, 'Qaznet', qaznetA), env(home))
    await sqliteWriter.apply(backup, 'distrust', env(home), noElevation)
    const listed = new Map<string, string>()
    for await (const item of nssStore.list({ id: `nss:${db}`, kind: 'nss', location: db }, env(home))) if (item.type === 'entry') listed.set(sha256(item.der), item.trust)
    expect(listed.get(qaznetA.sha256)).toBe('not-trusted')
    expect(listed.get(qaznetB.sha256)).toBe('distrusted')
    expect(listed.get(keeper.sha256)).toBe('trusted')
  })
})

/** Certificates the distrust and certutil -M -t ",," left: the same rows but the trust object's id, records for the same attributes. */
function expectSameDistrust(ours: { cert9: string; key4: string }, theirs: { cert9: string; key4: string }, backup: Backup<NssRowsBackupData>): void {
  const rows = rowsOf(backup)
  const oldId = Number(rows.trust[0]!.cells.id.value)
  expect(ours.cert9.replace(`VALUES(${rows.distrustId},`, `VALUES(${oldId},`)).toEqual(theirs.cert9)
  const hex = (n: number) => n.toString(16).padStart(8, '0')
  const records = (dump: string) => dump.split('\n').filter((l) => l.startsWith("INSERT INTO metaData VALUES('sig_cert_")).map((l) => l.slice(27, 53).replace(hex(rows.distrustId), hex(oldId))).sort()
  expect(records(ours.key4)).toEqual(records(theirs.key4))
  const others = (dump: string) => dump.split('\n').filter((l) => !l.startsWith("INSERT INTO metaData VALUES('sig_cert_"))
  expect(others(ours.key4)).toEqual(others(theirs.key4))
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0
}
