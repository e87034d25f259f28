/**
 * Reading a profile's ServerCertificate database (src/stores/chromium/read.ts) made by the sqlite3
 * tool with Chromium's schema: each trust the browser knows, name constraints, and bad input (a row
 * whose hash lies, damaged trust settings, a file that is not SQLite, a huge file, a database left
 * with its rows in the write-ahead log, or with a hot journal after a crash).
 */
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { list } from '../../../src/stores/chromium/read.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { StoreError, type ListItem } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { crashAfter, DISTRUSTED, dumpRows, haveSqlite3, insertSql, makeServerCertificate, metadata, sha256, SQLITE3_ABSENT_REASON, sqlite3, TRUSTED, UNSPECIFIED } from './fixtures.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const corporate = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Proxy CA']] })
const hint = makeCertificate({ subject: [['O', 'Hint Org']] })
const blocked = makeCertificate({ subject: [['CN', 'Blocked Root']] })
const odd = makeCertificate({ subject: [['CN', 'Odd Root']] })

async function listAll(file: string, home: string): Promise<ListItem[]> {
  const env = createEnvironment({ home, systemRoot: join(home, 'no-system'), env: {} })
  const items: ListItem[] = []
  for await (const item of list({ id: `chromium:${file}`, kind: 'chromium', location: file }, env)) items.push(item)
  return items
}

const summary = (items: readonly ListItem[]) => items.map((i) => (i.type === 'entry' ? { sha256: sha256(i.der), entry: i.entry, trust: i.trust } : { problem: i.code }))

describe.skipIf(!haveSqlite3)('reading a ServerCertificate database', () => {
  it('gives each row the trust the browser gives it, named by its subject, with its name constraints', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/google-chrome/Default'), [
      { der: qaznet.der, trust: metadata(TRUSTED) },
      { der: corporate.der, trust: metadata(TRUSTED, { dns: ['corp.example', 'intranet.example'], cidrs: [[[10, 0, 0, 0], 8]] }) },
      { der: hint.der, trust: metadata(UNSPECIFIED) },
      { der: blocked.der, trust: metadata(DISTRUSTED) },
    ])
    expect(summary(await listAll(file, home))).toEqual([
      { sha256: qaznet.sha256, entry: 'Qaznet Trust Network', trust: 'trusted' },
      { sha256: corporate.sha256, entry: 'Example Corp Proxy CA (only for corp.example, intranet.example, 10.0.0.0/8)', trust: 'trusted' },
      { sha256: hint.sha256, entry: 'Hint Org', trust: 'not-trusted' },
      { sha256: blocked.sha256, entry: 'Blocked Root', trust: 'distrusted' },
    ])
  })

  it('lists the certificate a row really holds when its hash lies, and says so', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [
      { der: qaznet.der, key: corporate.sha256, trust: metadata(TRUSTED) },
      // Another hash: its first digit changed (upper case alone would be honest, as the next test shows).
      { der: corporate.der, key: corporate.sha256.toUpperCase().replace(/^./, (d) => (d === 'F' ? '0' : 'F')), trust: metadata(TRUSTED) },
    ])
    const items = await listAll(file, home)
    const entries = items.filter((i) => i.type === 'entry')
    expect(entries.map((e) => [sha256(e.der), e.trust])).toEqual([
      [qaznet.sha256, 'trusted'],
      [corporate.sha256, 'trusted'],
    ])
    expect(entries[0]!.entry).toBe(`Qaznet Trust Network (stored as "${corporate.sha256.slice(0, 24)}…")`)
    const problems = items.filter((i) => i.type === 'problem')
    expect(problems.map((p) => p.code)).toEqual(['chromium-hash-mismatch', 'chromium-hash-mismatch'])
    expect(problems[0]!.message).toContain(`stores the certificate ${qaznet.sha256} under the hash`)
  })

  it('reads an upper-case hash (what some Chromium builds wrote) as honest', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [{ der: qaznet.der, key: qaznet.sha256.toUpperCase(), trust: metadata(TRUSTED) }])
    expect(summary(await listAll(file, home))).toEqual([{ sha256: qaznet.sha256, entry: 'Qaznet Trust Network', trust: 'trusted' }])
  })

  it('reports rows the browser skips (damaged or unknown trust, no certificate) and lists the rest', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [
      { der: qaznet.der, trust: Buffer.from([0x0a, 0x09, 0x08]) },
      { der: corporate.der, trust: Buffer.from([0x0a, 0x02, 0x08, 0x09]) },
      { der: new Uint8Array(0), key: 'empty', trust: metadata(TRUSTED) },
      { der: odd.der, trust: metadata(null) },
      { der: blocked.der, trust: metadata(TRUSTED) },
    ])
    expect(summary(await listAll(file, home))).toEqual([
      { problem: 'chromium-trust-unreadable' },
      { sha256: qaznet.sha256, entry: 'Qaznet Trust Network', trust: 'not-trusted' },
      { problem: 'chromium-trust-unreadable' },
      { sha256: corporate.sha256, entry: 'Example Corp Proxy CA', trust: 'not-trusted' },
      { problem: 'chromium-empty-certificate' },
      { problem: 'chromium-trust-unreadable' },
      { sha256: odd.sha256, entry: 'Odd Root', trust: 'not-trusted' },
      { sha256: blocked.sha256, entry: 'Blocked Root', trust: 'trusted' },
    ])
  })

  it('turns a file that is not SQLite, a database of another layout, and a huge file into a clear StoreError', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [])
    const failure = (path: string) =>
      listAll(path, home).then(
        () => null,
        (error: unknown) => error as StoreError,
      )
    writeFileSync(file, 'this is not an SQLite database, it was overwritten by something else entirely')
    const corrupt = await failure(file)
    expect(corrupt).toBeInstanceOf(StoreError)
    expect([corrupt!.code, corrupt!.message]).toEqual(['chromium-corrupt-db', expect.stringMatching(/ServerCertificate is damaged or is not the browser's certificate database/)])

    const other = join(home, '.config/chromium/Profile 1/ServerCertificate')
    makeServerCertificate(join(other, '..'), [])
    sqlite3(other, 'DROP TABLE certificates; CREATE TABLE certificates(name TEXT);')
    expect((await failure(other))?.code).toBe('chromium-corrupt-db')

    const huge = join(home, '.config/chromium/Profile 2/ServerCertificate')
    makeServerCertificate(join(huge, '..'), [])
    truncateSync(huge, 300 * 1024 * 1024) // sparse: costs no disk
    expect((await failure(huge))?.code).toBe('too-large')
  })

  it('holds no certificate when the database has no certificates table yet (the browser creates it)', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [])
    sqlite3(file, 'DROP TABLE certificates;')
    expect(await listAll(file, home)).toEqual([])
  })

  it('sees rows a crashed browser left in the write-ahead log, and never writes beside the database', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [{ der: corporate.der, trust: metadata(TRUSTED) }], { wal: true })
    await crashAfter(file, insertSql([{ der: qaznet.der, trust: metadata(TRUSTED) }]), { wal: true })
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
    const folder = join(file, '..')
    const state = () => readdirSync(folder).map((f) => `${f}:${statSync(join(folder, f)).mtimeMs}:${sha256(readFileSync(join(folder, f)))}`)
    const before = state()
    expect(summary(await listAll(file, home)).map((e) => ('trust' in e ? [e.sha256, e.trust] : e))).toEqual([
      [corporate.sha256, 'trusted'],
      [qaznet.sha256, 'trusted'],
    ])
    expect(state()).toEqual(before)
    // sqlite3 agrees (it replays the log itself).
    expect(dumpRows(file)).toHaveLength(2)
  })

  it('does not see rows of a transaction a crash left unfinished (a hot journal), as SQLite does not', async () => {
    const home = tempDir()
    const file = makeServerCertificate(join(home, '.config/chromium/Default'), [{ der: corporate.der, trust: metadata(TRUSTED) }])
    const many = Array.from({ length: 40 }, (_, i) => ({ der: Buffer.concat([qaznet.der, Buffer.alloc(2000, i)]), key: `filler-${i}`, trust: metadata(TRUSTED) }))
    await crashAfter(file, `BEGIN;\n${insertSql([{ der: qaznet.der, trust: metadata(TRUSTED) }, ...many])}`, { wal: false })
    expect(statSync(`${file}-journal`).size).toBeGreaterThan(0)
    const items = await listAll(file, home)
    expect(summary(items)).toEqual([{ sha256: corporate.sha256, entry: 'Example Corp Proxy CA', trust: 'trusted' }])
  })
})

if (!haveSqlite3) describe.skip(`reading a ServerCertificate database (skipped: ${SQLITE3_ABSENT_REASON})`, () => it('needs sqlite3', () => {}))
