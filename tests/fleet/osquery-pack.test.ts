import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import initSqlJs, { type Database } from 'sql.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { osqueryPack, type OsqueryPack } from '../../src/fleet/osquery-pack.js'
import { makeCertificate } from '../support/certificates.js'
import { blocklistWith } from '../support/blocklists.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()
const blocklist = loadBlocklist()
const pack = osqueryPack(blocklist)
const sha1s = blocklist.entries.flatMap((e) => (e.sha1 ? [e.sha1] : []))

async function run(args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', XDG_DATA_HOME: dir } }
  return { code: await main(args, io), stdout, stderr }
}

describe('certaudit export osquery-pack', () => {
  it('prints a pack with per-platform queries: SHA-1 for Windows, macOS and Linux, and CN look-alikes', async () => {
    const { code, stdout } = await run(['export', 'osquery-pack'])
    expect(code).toBe(0)
    const printed = JSON.parse(stdout) as OsqueryPack
    expect(printed).toEqual(pack)
    expect(Object.keys(printed)).toEqual(['queries'])
    expect(Object.keys(printed.queries).sort()).toEqual([
      'certaudit_known_bad_roots_linux',
      'certaudit_known_bad_roots_macos',
      'certaudit_known_bad_roots_windows',
      'certaudit_lookalike_roots_linux',
      'certaudit_lookalike_roots_macos',
      'certaudit_lookalike_roots_windows',
    ])
    for (const [name, query] of Object.entries(printed.queries)) {
      expect(Object.keys(query).sort(), name).toEqual(['description', 'interval', 'platform', 'query', 'value'])
      expect(query.interval, name).toBe(3600)
      expect(['windows', 'darwin', 'linux'], name).toContain(query.platform)
      expect(query.query, name).toMatch(/FROM .*certificates AS c/)
      expect(query.query.trim().endsWith(';'), name).toBe(true)
    }
  })

  it('holds every SHA-1 of the blocklist in each SHA-1 query', () => {
    expect(sha1s.length).toBeGreaterThan(40)
    for (const platform of ['windows', 'macos', 'linux']) {
      const query = pack.queries[`certaudit_known_bad_roots_${platform}`]!.query
      for (const sha1 of sha1s) expect(query, `${platform} ${sha1}`).toContain(`'${sha1}'`)
    }
  })

  it('--interval and --output, and clear refusals', async () => {
    const out = join(dir, 'pack.json')
    const written = await run(['export', 'osquery-pack', '--interval', '86400', '--output', out])
    expect(written).toMatchObject({ code: 0, stdout: '', stderr: expect.stringContaining(`${sha1s.length} SHA-1 thumbprints written to ${out}`) })
    expect(Object.values((JSON.parse(readFileSync(out, 'utf8')) as OsqueryPack).queries).every((q) => q.interval === 86400)).toBe(true)
    expect(await run(['export', 'osquery-pack', '--interval', '5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--interval must be whole seconds between 60 and 604800') })
    expect(await run(['export', 'pdf'])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot export "pdf" (only osquery-pack)') })
    expect(await run(['export'])).toMatchObject({ code: 2, stderr: expect.stringContaining('say what to export') })
    expect(await run(['export', 'osquery-pack', '--output', join(dir, 'no', 'such', 'dir.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot write') })
  })
})

/**
 * The queries run in SQLite (sql.js) over tables shaped like osquery's `certificates` (specs/certificates.table,
 * with the Windows columns) and `file`: proof that the SQL parses and selects what it should, on a machine
 * without osquery.
 */
describe('the pack queries, run by SQLite over osquery-shaped tables', () => {
  const qaznet = blocklist.byId.get('kz-qaznet-2016')!
  const superfish = blocklist.byId.get('superfish')!
  type Row = readonly [cn: string, sha1: string, path: string, store?: string]
  let windows: Database
  let linux: Database

  beforeAll(async () => {
    const require = createRequire(import.meta.url)
    const wasm = readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'))
    const SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer })
    const machine = (certificates: readonly Row[], files: readonly [string, string][] = []) => {
      const db = new SQL.Database()
      db.run(`CREATE TABLE certificates (common_name TEXT, subject TEXT, issuer TEXT, ca INTEGER, self_signed INTEGER, not_valid_before INTEGER,
        not_valid_after INTEGER, signing_algorithm TEXT, key_algorithm TEXT, key_strength TEXT, key_usage TEXT, subject_key_id TEXT,
        authority_key_id TEXT, sha1 TEXT, path TEXT, serial TEXT, sid TEXT, store_location TEXT, store TEXT, username TEXT, store_id TEXT)`)
      db.run('CREATE TABLE file (path TEXT, directory TEXT, filename TEXT, type TEXT)')
      for (const [cn, sha1, path, store] of certificates) {
        db.run('INSERT INTO certificates (common_name, subject, issuer, sha1, path, store) VALUES (?, ?, ?, ?, ?, ?)', [cn, `CN=${cn}`, `CN=${cn}`, sha1, path, store ?? null])
      }
      for (const [path, type] of files) db.run('INSERT INTO file (path, type) VALUES (?, ?)', [path, type])
      return db
    }
    windows = machine([
      // Windows prints thumbprints in upper case: the queries compare in lower case.
      ['Qaznet Trust Network', qaznet.sha1!.toUpperCase(), '', 'Root'],
      ['Superfish, Inc.', superfish.sha1!, '', 'Disallowed'], // distrusted: good news, not reported
      ['Qaznet Trust Network', 'ffffffffffffffffffffffffffffffffffffffff', '', 'Root'], // a re-issue with a new key
      ['Some Public Root', '1111111111111111111111111111111111111111', '', 'Root'],
    ])
    linux = machine(
      [
        ['Qaznet Trust Network', qaznet.sha1!, '/etc/ssl/certs/ca-certificates.crt'],
        ['Superfish, Inc.', superfish.sha1!, '/usr/local/share/ca-certificates/extra/superfish.crt'],
        ['Superfish, Inc.', superfish.sha1!, '/home/someone/Downloads/superfish.pem'], // not a trust store
      ],
      [
        ['/usr/local/share/ca-certificates/extra/superfish.crt', 'regular'],
        ['/usr/local/share/ca-certificates/extra', 'directory'],
      ],
    )
  })

  const rows = (db: Database, name: string) => {
    const [result] = db.exec(pack.queries[name]!.query)
    return (result?.values ?? []).map((row) => Object.fromEntries(result!.columns.map((c, i) => [c, row[i]])))
  }

  it('Windows: finds listed thumbprints in any case, skips the Disallowed store, names the entry', () => {
    expect(rows(windows, 'certaudit_known_bad_roots_windows').map((r) => [r.entry_id, r.store, r.severity])).toEqual([['kz-qaznet-2016', 'Root', 'critical']])
  })

  it('Linux: finds listed certificates in the system bundle and in anchor folders, not elsewhere', () => {
    expect(rows(linux, 'certaudit_known_bad_roots_linux').map((r) => [r.entry_id, r.path]).sort()).toEqual([
      ['kz-qaznet-2016', '/etc/ssl/certs/ca-certificates.crt'],
      ['superfish', '/usr/local/share/ca-certificates/extra/superfish.crt'],
    ])
  })

  it('look-alikes by CN catch a re-issue with a new key, and leave other CAs alone', () => {
    const found = rows(windows, 'certaudit_lookalike_roots_windows')
    expect(found.map((r) => [r.pattern_id, r.sha1])).toEqual([
      ['qaznet-common-name', qaznet.sha1!.toUpperCase()],
      ['qaznet-common-name', 'ffffffffffffffffffffffffffffffffffffffff'],
    ])
    expect(rows(linux, 'certaudit_lookalike_roots_linux').map((r) => r.path)).toEqual(['/etc/ssl/certs/ca-certificates.crt'])
  })

  it('macOS: the same SHA-1 query over every keychain', () => {
    expect(rows(windows, 'certaudit_known_bad_roots_macos').map((r) => r.entry_id).sort()).toEqual(['kz-qaznet-2016', 'superfish'])
  })
})

const osqueryi = spawnSync('osqueryi', ['--version'], { encoding: 'utf8' })
const haveOsquery = osqueryi.status === 0
if (!haveOsquery) console.warn('[skipped] osqueryi test: osqueryi is not installed (https://osquery.io/downloads; not in Debian\'s repositories)')

describe.skipIf(!haveOsquery)(`the pack in real osquery${haveOsquery ? '' : ' (skipped: osqueryi is not installed)'}`, () => {
  it('finds a listed certificate in a bundle with osqueryi', () => {
    const cert = makeCertificate({ subject: [['CN', 'CertAudit osquery test root']] })
    const bundle = join(dir, 'osquery-bundle.pem')
    writeFileSync(bundle, cert.pem)
    const list = blocklistWith(cert, { id: 'test-osquery' })
    const query = osqueryPack(list, { linuxBundles: [bundle], linuxAnchorPatterns: [] }).queries[`certaudit_known_bad_roots_${process.platform === 'darwin' ? 'macos' : 'linux'}`]!.query
    const output = execFileSync('osqueryi', ['--json', query], { encoding: 'utf8' })
    expect(JSON.parse(output)).toEqual(expect.arrayContaining([expect.objectContaining({ entry_id: 'test-osquery', sha1: cert.sha1 })]))
  })
})
