/**
 * The real browser as the oracle: Debian's Chromium (Chrome 131+ code) opens an https page on
 * 127.0.0.1 whose certificate chains to a root planted in its profile's ServerCertificate database.
 * What CertAudit lists as trusted, Chromium trusts (a row whose hash lies too); what it lists as not
 * trusted (Unspecified, damaged trust settings), Chromium does not; after CertAudit distrusts or
 * deletes the root, Chromium refuses the page; after undo, it trusts it again. So the schema, the trust
 * settings CertAudit writes and its swap of the file are the browser's own, not only sqlite3's.
 * Chromium runs headless with HOME and its user data folder in a temp dir; nothing dials out.
 */
import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { applyPlan, undoChange } from '../../../src/removal/engine.js'
import { chromiumStore } from '../../../src/stores/chromium/index.js'
import { STORES } from '../../../src/stores/registry.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { ListItem, RemovalMode } from '../../../src/stores/types.js'
import { CHROMIUM_ABSENT_REASON, CHROMIUM_ARGS, chromiumPath } from '../../e2e/support/chromium.js'
import { tempDir } from '../../support/temp.js'
import { haveOpenssl } from '../../support/tools.js'
import { haveSqlite3, insertSql, metadata, sha256, sqlite3, TRUSTED, UNSPECIFIED } from './fixtures.js'

const ready = chromiumPath !== null && haveSqlite3 && haveOpenssl
const MARKER = 'certaudit-oracle-page'

/** A root and a server certificate for IP 127.0.0.1 signed by it, made by openssl (Chromium wants subjectAltName). */
function makeChain(dir: string): { root: Buffer; rootPem: string; leafPem: string; keyPem: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=CertAudit Oracle Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  run(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1'])
  const extensions = join(dir, 'leaf.ext')
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > '${extensions}'`])
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', extensions])
  const rootPem = readFileSync(join(dir, 'ca.pem'), 'utf8')
  return { root: execFileSync('openssl', ['x509', '-in', join(dir, 'ca.pem'), '-outform', 'DER']), rootPem, leafPem: readFileSync(join(dir, 'leaf.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'leaf.key'), 'utf8') }
}

describe.skipIf(!ready)('the real Chromium as the oracle', () => {
  const home = tempDir('certaudit-chromium-oracle-')
  const userData = join(home, '.config/chromium')
  const file = join(userData, 'Default/ServerCertificate')
  const chain = makeChain(tempDir('certaudit-chromium-chain-'))
  let server: Server | undefined
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  async function url(): Promise<string> {
    server ??= createServer({ key: chain.keyPem, cert: chain.leafPem + chain.rootPem }, (_request, response) => response.end(`<html><body>${MARKER}</body></html>`))
    if (!server.listening) await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
  }

  /** Whether headless Chromium, with this profile, loads the page (it shows nothing when it does not trust the server). */
  async function chromiumTrusts(): Promise<boolean> {
    const { stdout } = await promisify(execFile)(chromiumPath!, ['--headless=new', ...CHROMIUM_ARGS, `--user-data-dir=${userData}`, '--dump-dom', await url()], {
      env: { ...process.env, HOME: home },
      timeout: 60_000,
    })
    return stdout.includes(MARKER)
  }

  const env = createEnvironment({ home, systemRoot: '/', env: {} })
  const location = { id: `chromium:${file}`, kind: 'chromium' as const, location: file }
  const listed = async () => {
    const items: ListItem[] = []
    for await (const item of chromiumStore.list(location, env)) items.push(item)
    return items.flatMap((i) => (i.type === 'entry' && sha256(i.der) === sha256(chain.root) ? [i] : []))
  }

  let plans = 0
  async function change(mode: RemovalMode) {
    const [entry] = await listed()
    const target = { storeId: location.id, kind: 'chromium' as const, location: file, entry: entry!.entry, sha256: sha256(chain.root), pem: chain.rootPem, trust: entry!.trust }
    const ctx = { env, stores: STORES, elevation: createElevation(env) }
    const id = `20260101T000000Z-${(++plans).toString(16).padStart(4, '0')}`
    const applied = await applyPlan({ id, createdAt: new Date().toISOString(), mode, findings: [{ id: 'oracle', sha256: target.sha256, title: 'oracle' }], changes: [{ target, action: mode, needsAdmin: false }] }, ctx)
    return { applied, undo: () => undoChange(id, ctx) }
  }

  it('trusts exactly what CertAudit lists as trusted; after distrust or delete it refuses; after undo it trusts again', async () => {
    // The browser's first run makes the profile and its ServerCertificate database; the root is not in it yet.
    expect(await chromiumTrusts()).toBe(false)
    expect(sqlite3(file, "SELECT value FROM meta WHERE key = 'version';").trim()).toBe('1')

    // UNSPECIFIED is a hint for path building, never an anchor: CertAudit says not trusted, and so does Chromium.
    sqlite3(file, insertSql([{ der: chain.root, trust: metadata(UNSPECIFIED) }]))
    expect((await listed()).map((e) => e.trust)).toEqual(['not-trusted'])
    expect(await chromiumTrusts()).toBe(false)

    // Trust settings that do not parse: the browser skips the row; CertAudit says not trusted (and reports it).
    sqlite3(file, "UPDATE certificates SET trust_settings = X'0a0908';")
    expect((await listed()).map((e) => e.trust)).toEqual(['not-trusted'])
    expect(await chromiumTrusts()).toBe(false)

    // TRUSTED under a hash that is not the certificate's: the browser trusts the certificate anyway, and CertAudit says so.
    sqlite3(file, `UPDATE certificates SET sha256hash_hex = '${'00'.repeat(32)}', trust_settings = X'${metadata(TRUSTED).toString('hex')}';`)
    expect((await listed()).map((e) => e.trust)).toEqual(['trusted'])
    expect(await chromiumTrusts()).toBe(true)

    // TRUSTED, as the certificate manager's import writes it: CertAudit says trusted, and so does Chromium.
    sqlite3(file, `UPDATE certificates SET sha256hash_hex = '${sha256(chain.root)}';`)
    expect((await listed()).map((e) => e.trust)).toEqual(['trusted'])
    expect(await chromiumTrusts()).toBe(true)
    const rows = sqlite3(file, 'SELECT rowid, sha256hash_hex, hex(der_cert), hex(trust_settings) FROM certificates;')

    for (const mode of ['distrust', 'delete'] as const) {
      const { applied, undo } = await change(mode)
      expect(applied.results.map((r) => [r.status, r.detail]), mode).toEqual([[mode === 'delete' ? 'removed' : 'distrusted', undefined]])
      expect(await chromiumTrusts(), `${mode}: Chromium must refuse the page`).toBe(false)
      expect((await undo()).results.map((r) => r.status), mode).toEqual(['restored'])
      expect(sqlite3(file, 'SELECT rowid, sha256hash_hex, hex(der_cert), hex(trust_settings) FROM certificates;'), mode).toBe(rows)
      expect(await chromiumTrusts(), `${mode} undone: Chromium must trust the page again`).toBe(true)
    }
  })
})

if (!ready) describe.skip(`the real Chromium as the oracle (skipped: ${chromiumPath === null ? CHROMIUM_ABSENT_REASON : 'sqlite3 and openssl are needed'})`, () => it('needs Chromium', () => {}))
