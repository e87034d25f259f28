/**
 * A whole machine, planted: real interception roots from ../shared/corpus in seven different stores,
 * a fresh-key look-alike in Chromium's NSS DB, then one `certaudit scan` over the temp home and system
 * root. Every store is made by its real tool (certutil, keytool, update-ca-certificates).
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../src/api/scan.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import type { ScanReport } from '../../src/audit/report.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { STORES } from '../../src/stores/index.js'
import { createNssStore } from '../../src/stores/nss/index.js'
import { makeCertificate } from '../support/certificates.js'
import { CORPUS_ABSENT_REASON, corpusAvailable, factPem, loadFacts } from '../support/corpus.js'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'
import { certutilInstalled, makeNssDb } from './nss/fixtures.js'

const haveKeytool = existsSync('/usr/bin/keytool')
const ready = corpusAvailable && certutilInstalled && haveKeytool && haveUpdateCaCertificates
const reason = !corpusAvailable ? CORPUS_ABSENT_REASON : 'certutil, keytool and update-ca-certificates are needed (./scripts/setup-system.sh installs them)'

/** The corpus certificate of a fact, as PEM and DER. */
function corpusCert(id: string): { pem: string; der: Buffer; sha256: string } {
  const fact = loadFacts().find((f) => f.id === id)!
  const pem = factPem(fact)!
  return { pem, der: new X509Certificate(pem).raw, sha256: fact.sha256! }
}

function firefoxProfile(mozillaDir: string, name: string, pem: string, nickname: string): string {
  put(mozillaDir, 'profiles.ini', `[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=default-release\nIsRelative=1\nPath=${name}\nDefault=1\n`)
  return makeNssDb(join(mozillaDir, name), [{ nickname, trust: 'C,,', cert: { pem } }])
}

describe('a planted machine, scanned end to end', () => {
  if (!ready) {
    it.skip(`skipped: ${reason}`, () => {})
    return
  }
  const home = tempDir('certaudit-planted-home-')
  const root = tempDir('certaudit-planted-root-')
  const qaznet = corpusCert('kz-qaznet-2016')
  const iscaCa = corpusCert('kz-isca-ca-2020')
  const isca0704 = corpusCert('kz-isca-2020-0704')
  const isca0643 = corpusCert('kz-isca-2020-0643')
  const superfish = corpusCert('superfish')
  const edellroot = corpusCert('dell-edellroot')
  const russian = corpusCert('ru-mincifry-root-2022')
  const lookalike = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })

  const xdgConfig = join(home, 'xdg-config')
  const flatpakProfile = firefoxProfile(join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox'), 'fp1.default-release', qaznet.pem, 'Qaznet Trust Network')
  const xdgProfile = firefoxProfile(join(xdgConfig, 'mozilla/firefox'), 'xdg1.default-release', iscaCa.pem, 'ISCA CA')
  const localShareNssdb = makeNssDb(join(home, '.local/share/pki/nssdb'), [{ nickname: 'isca 2024', trust: 'C,,', cert: { pem: isca0704.pem } }])
  const pkiNssdb = makeNssDb(join(home, '.pki/nssdb'), [{ nickname: 'national security certificate', trust: 'C,,', cert: lookalike }])
  buildDebianTree(root, { local: { 'qazca.crt': isca0643.der } })
  const fedoraAnchor = put(root, 'etc/pki/ca-trust/source/anchors/superfish.pem', superfish.pem)
  const keystore = join(root, 'usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts')
  mkdirSync(join(keystore, '..'), { recursive: true })
  const edellPem = put(home, 'edellroot.pem', edellroot.pem)
  execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'edellroot', '-file', edellPem, '-keystore', keystore, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'pipe' })
  const sslCertFile = put(home, 'proxy-bundle.pem', russian.pem)
  const envVars = { SSL_CERT_FILE: sslCertFile, XDG_CONFIG_HOME: xdgConfig }

  it('reports each planted root with the right kind and location, and the look-alike as lookalike', async () => {
    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C', ...envVars } }
    const code = await main(['scan', '--json', '--home', home, '--system-root', root], io)
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as ScanReport
    const placesOf = (sha256: string) => report.findings.find((f) => f.certificate.sha256 === sha256)?.locations.map((l) => [l.kind, l.location, l.entry])
    const severityOf = (sha256: string) => report.findings.find((f) => f.certificate.sha256 === sha256)?.severity

    expect(placesOf(qaznet.sha256)).toEqual([['nss', flatpakProfile, 'Qaznet Trust Network']])
    expect(placesOf(iscaCa.sha256)).toEqual([['nss', xdgProfile, 'ISCA CA']])
    expect(placesOf(isca0704.sha256)).toEqual([['nss', localShareNssdb, 'isca 2024']])
    expect(placesOf(isca0643.sha256)).toContainEqual(['linux-system', join(root, 'etc/ssl/certs/ca-certificates.crt'), join(root, 'usr/local/share/ca-certificates/qazca.crt')])
    expect(placesOf(superfish.sha256)).toEqual([['linux-system', join(root, 'etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'), fedoraAnchor]])
    expect(placesOf(edellroot.sha256)).toEqual([['java', keystore, 'edellroot']])
    expect(placesOf(russian.sha256)).toEqual([['env-bundle', sslCertFile, expect.stringMatching(/^certificate 1 \(line 1\), added/)]])
    for (const sha of [qaznet, iscaCa, isca0704, isca0643].map((c) => c.sha256)) expect(severityOf(sha)).toBe('critical')
    for (const sha of [superfish, edellroot].map((c) => c.sha256)) expect(severityOf(sha)).toBe('high')
    expect(report.findings.find((f) => f.certificate.sha256 === russian.sha256)).toMatchObject({ rule: 'government-ca', severity: 'medium' })
    expect(report.findings.find((f) => f.certificate.sha256 === lookalike.sha256)).toMatchObject({
      rule: 'lookalike',
      severity: 'high',
      locations: [expect.objectContaining({ kind: 'nss', location: pkiNssdb, entry: 'national security certificate' })],
    })
    expect(report.stores.filter((s) => s.status !== 'ok').map((s) => s.problem)).toEqual([])
  })

  it('gives the same findings whether NSS databases are read by certutil or directly with sql.js', async () => {
    const env = createEnvironment({ home, systemRoot: root, env: envVars })
    const context = { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots(), now: new Date('2026-11-26T00:00:00Z') }
    const viaCertutil = await scan({}, { ...context, stores: { ...STORES, nss: createNssStore({ reader: 'certutil' }) } })
    const viaSqlite = await scan({}, { ...context, stores: { ...STORES, nss: createNssStore({ reader: 'sqlite' }) } })
    expect(viaSqlite.findings).toEqual(viaCertutil.findings)
    expect(viaSqlite.stores).toEqual(viaCertutil.stores)
    expect(viaCertutil.findings.filter((f) => f.locations.some((l) => l.kind === 'nss'))).toHaveLength(4)
  })

  it('--store narrows the scan to one kind', async () => {
    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C', ...envVars } }
    await main(['scan', '--json', '--home', home, '--system-root', root, '--store', 'java'], io)
    expect((JSON.parse(stdout) as ScanReport).stores.map((s) => s.kind)).toEqual(['java'])
  })
})
