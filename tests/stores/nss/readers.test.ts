import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { parseListing, parseLongListing } from '../../../src/stores/nss/certutil.js'
import { readNssSqlite } from '../../../src/stores/nss/sqlite.js'
import { createNssStore } from '../../../src/stores/nss/index.js'
import { NO_NICKNAME, readNssDatabase } from '../../../src/stores/nss/read.js'
import { trustFromSslFlags } from '../../../src/stores/nss/trust.js'
import { StoreError, type ListItem } from '../../../src/stores/types.js'
import { makeCertificate, makeKey } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutil, certutilInstalled, copyDb, holdDatabase, makeNssDb, python3Installed, readBoth, runnerWithoutCertutil, sha256, summarize } from './fixtures.js'

const dir = tempDir('certaudit-nss-read-')
const env = createEnvironment({ home: dir, systemRoot: join(dir, 'no-system'), env: {} })
const ca = (cn: string, key = makeKey()) => makeCertificate({ subject: [['O', 'CertAudit Tests'], ['CN', cn]], key })

const rsaRoot = ca('RSA Root', makeKey({ type: 'rsa' }))
const ecRoot = ca('EC P-256 Root')
const p384Root = ca('EC P-384 Root', makeKey({ type: 'ec', curve: 'P-384' }))
const leaf = makeCertificate({ subject: [['CN', 'www.example.test']], issuer: [['O', 'CertAudit Tests'], ['CN', 'EC P-256 Root']], issuerKey: ecRoot.key, ca: false })
const more = Array.from({ length: 16 }, (_, i) => ca(`Root ${i}`))

/** Each trust argument, what NSS shows in the SSL field, and what that means for HTTPS. */
const TRUST_CASES = [
  { nickname: 'trusted RSA root', trust: 'C,,', cert: rsaRoot, ssl: 'C', state: 'trusted' },
  { nickname: 'untrusted EC root', trust: ',,', cert: ecRoot, ssl: '', state: 'not-trusted' },
  { nickname: 'distrusted P-384 root', trust: 'p,p,p', cert: p384Root, ssl: 'p', state: 'distrusted' },
  { nickname: 'trusted for everything', trust: 'CT,C,C', cert: more[0]!, ssl: 'CT', state: 'trusted' },
  { nickname: 'trusted for e-mail only', trust: ',C,', cert: more[1]!, ssl: '', state: 'not-trusted' },
  { nickname: 'trusted peer', trust: 'P,,', cert: leaf, ssl: 'P', state: 'not-trusted' },
  { nickname: 'valid CA', trust: 'c,,', cert: more[2]!, ssl: 'c', state: 'not-trusted' },
  { nickname: 'client-auth CA', trust: 'T,,', cert: more[3]!, ssl: 'T', state: 'not-trusted' },
] as const

const WEIRD_NICKNAMES = [
  'Qaznet "Trust" $(id) `id` ;|& <x>',
  'Кириллица Қазақстан ünïcödé 证书',
  'tab\there',
  '  leading spaces',
  'a,b,c',
  'x C,C,C',
  'Foo: bar',
  'NSS Certificate DB:inner',
  'back\\slash and \'single\'',
  'new\nline',
  'L'.repeat(70),
]

describe.skipIf(!certutilInstalled)(`cert9.db: certutil and SQLite agree${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  const trustDb = certutilInstalled ? makeNssDb(join(dir, 'trust'), TRUST_CASES) : ''

  it('read the same certificates, nicknames and trust letters, and map the SSL field to trust', async () => {
    const reading = await readBoth(env, trustDb)
    const byNickname = Object.fromEntries(reading.records.map((r) => [r.nickname, r]))
    for (const c of TRUST_CASES) {
      expect(sha256(byNickname[c.nickname]!.der), c.nickname).toBe(c.cert.sha256)
      expect(byNickname[c.nickname]!.sslFlags, c.nickname).toBe(c.ssl)
      expect(trustFromSslFlags(c.ssl), c.nickname).toBe(c.state)
    }
    expect(reading.records).toHaveLength(TRUST_CASES.length)
    // The certutil parser agrees with what certutil prints for the live database.
    const live = parseListing(certutil(['-L', '-d', `sql:${trustDb}`]))
    expect(Object.fromEntries(live.entries.map((e) => [e.nickname, e.flags]))).toEqual(Object.fromEntries(TRUST_CASES.map((c) => [c.nickname, c.ssl])))
  })

  it('list() yields the same entries whichever reader the adapter uses', async () => {
    const location = { id: `nss:${trustDb}`, kind: 'nss' as const, location: trustDb }
    const entries = async (reader: 'certutil' | 'sqlite' | 'auto') => {
      const items: ListItem[] = []
      for await (const item of createNssStore({ reader }).list(location, env)) items.push(item)
      return items.map((i) => (i.type === 'entry' ? { sha256: sha256(i.der), entry: i.entry, trust: i.trust } : i))
    }
    const viaSqlite = await entries('sqlite')
    expect(await entries('certutil')).toEqual(viaSqlite)
    expect(await entries('auto')).toEqual(viaSqlite)
    expect(viaSqlite).toContainEqual({ sha256: rsaRoot.sha256, entry: 'trusted RSA root', trust: 'trusted' })
    expect(viaSqlite).toContainEqual({ sha256: p384Root.sha256, entry: 'distrusted P-384 root', trust: 'distrusted' })
  })

  it('keeps nicknames with quotes, $(), unicode, tabs, commas, colons, newlines and 60+ bytes intact', async () => {
    const db = makeNssDb(
      join(dir, 'weird'),
      WEIRD_NICKNAMES.map((nickname, i) => ({ nickname, trust: 'C,,', cert: more[4 + i]! })),
    )
    const reading = await readBoth(env, db)
    expect(reading.records.map((r) => r.nickname).sort()).toEqual([...WEIRD_NICKNAMES].sort())
    expect(reading.records.every((r) => r.sslFlags === 'C')).toBe(true)
  })

  it('gives each certificate sharing a nickname its own trust', async () => {
    const key = (label: string) => makeCertificate({ subject: [['CN', 'Twin Root']], serial: label })
    const [first, second] = [key('01'), key('02')]
    const db = makeNssDb(join(dir, 'twins'), [
      { nickname: 'Twin', trust: 'C,,', cert: first },
      { nickname: 'Twin', trust: 'p,p,p', cert: second },
    ])
    const reading = await readBoth(env, db)
    expect(summarize(reading).map(({ sha256, sslFlags }) => ({ sha256, sslFlags })).sort((a, b) => a.sha256.localeCompare(b.sha256))).toEqual(
      [
        { sha256: first.sha256, sslFlags: 'C' },
        { sha256: second.sha256, sslFlags: 'p' },
      ].sort((a, b) => a.sha256.localeCompare(b.sha256)),
    )
  })

  it('reports each certificate once when two nicknames share a subject (NSS exports both for either nickname)', async () => {
    const twin = (serial: string) => makeCertificate({ subject: [['CN', 'Same Subject Root']], serial })
    const [first, second] = [twin('0a'), twin('0b')]
    const db = makeNssDb(join(dir, 'same-subject'), [
      { nickname: 'Same A', trust: 'C,,', cert: first },
      { nickname: 'Same B', trust: 'C,,', cert: second },
    ])
    const bySha = (reading: Awaited<ReturnType<typeof readNssDatabase>>) => summarize(reading).map((r) => r.sha256).sort()
    const [viaCertutil, viaSqlite] = await Promise.all([readNssDatabase(env, db, 'certutil'), readNssDatabase(env, db, 'sqlite')])
    expect(bySha(viaCertutil)).toEqual([first.sha256, second.sha256].sort())
    expect(bySha(viaSqlite)).toEqual(bySha(viaCertutil))
    // certutil cannot tell which of the two nicknames is whose; SQLite reads each object's own label.
    expect(summarize(viaSqlite).map((r) => r.nickname).sort()).toEqual(['Same A', 'Same B'])
  })

  it('never writes to the database folder it reads', async () => {
    const state = () => readdirSync(trustDb).map((f) => `${f}:${statSync(join(trustDb, f)).mtimeMs}:${sha256(readFileSync(join(trustDb, f)))}`)
    const before = state()
    await readBoth(env, trustDb)
    expect(state()).toEqual(before)
  })

  it.skipIf(!python3Installed)('sees a certificate that is still in the WAL of a database another program holds open', async () => {
    const db = copyDb(trustDb, join(dir, 'wal'))
    const holder = await holdDatabase(
      "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('PRAGMA journal_mode=WAL')\nc.execute('SELECT count(*) FROM nssPublic').fetchall()\nprint('ready', flush=True)\nsys.stdin.read()",
      join(db, 'cert9.db'),
    )
    try {
      writeFileSync(join(dir, 'wal.pem'), more[15]!.pem)
      certutil(['-A', '-d', `sql:${db}`, '-n', 'added while open', '-t', 'C,,', '-i', join(dir, 'wal.pem')])
      expect(statSync(join(db, 'cert9.db-wal')).size).toBeGreaterThan(0)
      // The main file alone does not have it yet: only replaying the WAL finds it.
      const mainFileOnly = await readNssSqlite(readFileSync(join(db, 'cert9.db')), 'main file')
      expect(mainFileOnly.records.map((r) => r.nickname)).not.toContain('added while open')
      const reading = await readBoth(env, db)
      expect(summarize(reading)).toContainEqual({ sha256: more[15]!.sha256, nickname: 'added while open', sslFlags: 'C' })
      expect(reading.records.map((r) => r.nickname).sort()).toEqual(parseListing(certutil(['-L', '-d', `sql:${db}`])).entries.map((e) => e.nickname).sort())
    } finally {
      await holder.release()
    }
  })

  it.skipIf(!python3Installed)('reads a database locked by a running program (BEGIN EXCLUSIVE, hot journal, Firefox lock files)', async () => {
    const db = copyDb(trustDb, join(dir, 'locked'))
    symlinkSync('127.0.0.1:+4242', join(db, 'lock'))
    writeFileSync(join(db, '.parentlock'), '')
    // The holder renames every object and writes enough rows to spill its uncommitted pages into
    // cert9.db itself, as a big Firefox transaction would; the originals wait in cert9.db-journal.
    const holder = await holdDatabase(
      [
        'import sqlite3, sys',
        'c = sqlite3.connect(sys.argv[1], isolation_level=None)',
        "c.execute('PRAGMA cache_size=2')",
        "c.execute('BEGIN EXCLUSIVE')",
        "c.execute(\"UPDATE nssPublic SET a3 = CAST('uncommitted' AS BLOB)\")",
        'for i in range(300):',
        "    c.execute(\"INSERT INTO nssPublic (id, a0, a3, a11) VALUES (?, x'00000001', CAST('uncommitted' AS BLOB), ?)\", (900000 + i, b'0' * 1500))",
        "print('ready', flush=True)",
        'sys.stdin.read()',
      ].join('\n'),
      join(db, 'cert9.db'),
    )
    try {
      expect(readFileSync(join(db, 'cert9.db-journal')).subarray(0, 8).toString('hex')).toBe('d9d505f920a163d7')
      expect(() => execFileSync('certutil', ['-L', '-d', `sql:${db}`], { stdio: 'pipe' })).toThrow(/SEC_ERROR_BAD_DATABASE/)
      // Read alone, the main file shows the uncommitted names: only rolling the journal back is right.
      const spilled = await readNssSqlite(readFileSync(join(db, 'cert9.db')), 'main file')
      expect(spilled.records.map((r) => r.nickname)).toContain('uncommitted')
      const reading = await readBoth(env, db)
      expect(summarize(reading)).toEqual(summarize(await readNssDatabase(env, trustDb, 'sqlite')))
    } finally {
      await holder.release()
    }
  })

  it.skipIf(!python3Installed)("applies NSS's certificate-hash rule to trust records, as certutil does", async () => {
    const db = copyDb(trustDb, join(dir, 'hashes'))
    const trustOf = (nickname: string) =>
      `a0 = x'ce534353' AND a81 = (SELECT a81 FROM nssPublic WHERE a3 = CAST('${nickname}' AS BLOB)) AND a82 = (SELECT a82 FROM nssPublic WHERE a3 = CAST('${nickname}' AS BLOB))`
    const edits = [
      `UPDATE nssPublic SET ace5363b4 = zeroblob(20) WHERE ${trustOf('trusted for everything')}`, // wrong hash: ignored
      `UPDATE nssPublic SET ace5363b4 = NULL WHERE ${trustOf('trusted RSA root')}`, // no hash on a grant: ignored
      `UPDATE nssPublic SET ace5363b4 = NULL WHERE ${trustOf('distrusted P-384 root')}`, // no hash on a distrust: applies
    ]
    execFileSync('python3', ['-c', `import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n${edits.map((e) => `c.execute(${JSON.stringify(e)})`).join('\n')}\nc.commit()`, join(db, 'cert9.db')])
    const flags = Object.fromEntries((await readBoth(env, db)).records.map((r) => [r.nickname, r.sslFlags]))
    expect(flags).toMatchObject({ 'trusted for everything': '', 'trusted RSA root': '', 'distrusted P-384 root': 'p', 'untrusted EC root': '' })
  })

  it('reports what certutil cannot export (trailing spaces, no nickname); auto falls back to SQLite', async () => {
    const db = makeNssDb(join(dir, 'odd'), [
      { nickname: 'trailing  ', trust: 'C,,', cert: more[5]! },
      { nickname: 'soon nameless', trust: 'C,,', cert: more[6]! },
      { nickname: 'plain', trust: ',,', cert: more[7]! },
    ])
    execFileSync('python3', ['-c', "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute(\"UPDATE nssPublic SET a3=x'a5005a' WHERE a3=CAST('soon nameless' AS BLOB)\")\nc.commit()", join(db, 'cert9.db')])
    const viaCertutil = await readNssDatabase(env, db, 'certutil')
    expect(viaCertutil.records.map((r) => r.nickname)).toEqual(['plain'])
    expect(viaCertutil.problems.map((p) => p.code)).toEqual(['nss-export-failed', 'nss-export-failed'])
    expect(viaCertutil.problems.map((p) => p.message).join('\n')).toMatch(/"trailing"[\s\S]*"\(NULL\)"|"\(NULL\)"[\s\S]*"trailing"/)
    const viaSqlite = await readNssDatabase(env, db, 'sqlite')
    expect(summarize(viaSqlite).map((r) => [r.nickname, r.sslFlags])).toEqual([
      [null, 'C'],
      ['plain', ''],
      ['trailing  ', 'C'],
    ])
    expect(summarize(await readNssDatabase(env, db, 'auto'))).toEqual(summarize(viaSqlite))
    const entries: string[] = []
    for await (const item of createNssStore().list({ id: `nss:${db}`, kind: 'nss', location: db }, env)) if (item.type === 'entry') entries.push(item.entry)
    expect(entries).toContain(NO_NICKNAME)
  })

  it('reads with SQLite when certutil is not installed, and runs nothing else', async () => {
    const { run, calls } = runnerWithoutCertutil()
    const noCertutil = createEnvironment({ home: dir, systemRoot: join(dir, 'no-system'), env: {}, run })
    const reading = await readNssDatabase(noCertutil, trustDb)
    expect(summarize(reading)).toEqual(summarize(await readNssDatabase(env, trustDb, 'certutil')))
    expect(calls).toEqual([['certutil', '-L', '-d', expect.stringMatching(/^sql:.*certaudit-nss-/)]])
    await expect(readNssDatabase(noCertutil, trustDb, 'certutil')).rejects.toMatchObject({ code: 'nss-certutil-missing' })
  })

  it('turns a damaged, truncated or empty cert9.db into a plain StoreError from every reader, and sql.js keeps working', async () => {
    const good = readFileSync(join(trustDb, 'cert9.db'))
    const variants: Record<string, Buffer> = {
      'random bytes': randomBytes(20_000),
      truncated: good.subarray(0, 8192),
      'zeroed pages': Buffer.concat([good.subarray(0, 4096), Buffer.alloc(good.length - 4096)]),
      'garbage pages': Buffer.concat([good.subarray(0, 4096), randomBytes(good.length - 4096)]),
      empty: Buffer.alloc(0),
    }
    for (const [name, bytes] of Object.entries(variants)) {
      const db = copyDb(trustDb, join(dir, `damaged-${name.replace(' ', '-')}`))
      writeFileSync(join(db, 'cert9.db'), bytes)
      for (const reader of ['certutil', 'sqlite', 'auto'] as const) {
        const error = await readNssDatabase(env, db, reader).catch((e: unknown) => e)
        expect(error, `${name} via ${reader}`).toBeInstanceOf(StoreError)
        expect((error as StoreError).message, `${name} via ${reader}`).toMatch(/cert9\.db (is damaged or is not an NSS certificate database|could not be read)|certutil could not read .*cert9\.db/)
      }
    }
    expect((await readNssDatabase(env, trustDb, 'sqlite')).records).toHaveLength(TRUST_CASES.length)
  })

  it('reports a profile with only the legacy cert8.db, with advice, and reads a folder without a database as empty', async () => {
    const legacy = join(dir, 'legacy')
    mkdirSync(legacy)
    writeFileSync(join(legacy, 'cert8.db'), randomBytes(1024))
    await expect(readNssDatabase(env, legacy)).rejects.toMatchObject({ code: 'nss-legacy-db', message: expect.stringContaining('Open this profile once in a current version') })
    const fresh = join(dir, 'never-opened')
    mkdirSync(fresh)
    expect(await readNssDatabase(env, fresh)).toEqual({ records: [], problems: [] })
    await expect(readNssDatabase(env, join(dir, 'missing'))).rejects.toMatchObject({ code: 'enoent' })
    expect(existsSync(join(dir, 'missing'))).toBe(false)
  })
})

describe("certutil's output", () => {
  it('parses nicknames padded to 60 bytes, longer ones, token prefixes and multi-line nicknames', () => {
    const listing = [
      '',
      'Certificate Nickname                                         Trust Attributes',
      '                                                             SSL,S/MIME,JAR/XPI',
      '',
      'plain                                                        C,,  ',
      `${'L'.repeat(70)} CTu,Cu,Cu`,
      'NSS Certificate DB:Foo: bar                                  p,p,p',
      'first',
      'second                                                       ,,   ',
      '',
    ].join('\n')
    expect(parseListing(listing)).toEqual({
      entries: [
        { nickname: 'plain', flags: 'C' },
        { nickname: 'L'.repeat(70), flags: 'CT' },
        { nickname: 'Foo: bar', flags: 'p' },
        { nickname: 'first\nsecond', flags: '' },
      ],
      unparsed: [],
    })
  })

  it('reads trust by fingerprint from the long listing, and distrusts a fingerprint block that appears twice', () => {
    const block = (fingerprint: string, flags: string[]) =>
      ['    Fingerprint (SHA-256):', `        ${fingerprint}`, '    Certificate Trust Flags:', '        SSL Flags:', ...flags.map((f) => `            ${f}`), '        Email Flags:'].join('\n')
    const a = 'AA:'.repeat(31) + 'AA'
    const b = 'BB:'.repeat(31) + 'BB'
    const parsed = parseLongListing([block(a, ['Valid CA', 'Trusted CA']), block(b, ['Terminal Record']), block(b, ['Valid CA', 'Trusted CA'])].join('\n'))
    expect(parsed).toEqual(new Map([['aa'.repeat(32), 'C']]))
  })
})
