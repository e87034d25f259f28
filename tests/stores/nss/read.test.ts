import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import type { ScanReport } from '../../../src/audit/report.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { createNssStore } from '../../../src/stores/nss/index.js'
import { STORES } from '../../../src/stores/registry.js'
import { makeCertificate, makeKey, type MadeCertificate } from '../../support/certificates.js'
import { certificateFacts, CORPUS_ABSENT_REASON, corpusAvailable, factPem } from '../../support/corpus.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutilInstalled, makeNssDb, runnerWithoutCertutil, writeIni } from './fixtures.js'

const dir = tempDir('certaudit-nss-scan-')
const home = join(dir, 'home')
// Fresh keys with the names of real interception roots: the look-alike rule must catch the next re-run.
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'rsa' }) })
const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
const realQaznet = corpusAvailable ? certificateFacts().find((f) => f.id === 'kz-qaznet-2016') : undefined
const flatpakProfile = join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/q1w2e3r4.default-release')
const chromiumDb = join(home, '.pki/nssdb')
const thunderbirdProfile = join(home, '.thunderbird/t5y6u7i8.default')

/** Only the parts of a scan the NSS adapter decides, so scans by different readers compare equal. */
const essentials = (report: ScanReport) => ({
  stores: report.stores,
  findings: report.findings.map((f) => ({ rule: f.rule, sha256: f.certificate.sha256, locations: f.locations })),
  problems: report.problems,
})

describe.skipIf(!certutilInstalled)(`certaudit scan over NSS databases${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  if (certutilInstalled) {
    writeIni(join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/profiles.ini'), { Profile0: { Name: 'default-release', IsRelative: '1', Path: 'q1w2e3r4.default-release', Default: '1' } })
    makeNssDb(flatpakProfile, [{ nickname: 'Qaznet Trust Network', trust: 'C,,', cert: qaznet }])
    makeNssDb(chromiumDb, [{ nickname: 'ISCA', trust: 'C,,', cert: isca }])
  }
  const env = createEnvironment({ home, systemRoot: join(dir, 'no-system'), env: {} })
  const context = { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots(), now: new Date('2026-01-01T00:00:00Z') }

  it('finds fresh-key look-alikes in a Flatpak Firefox profile and in Chromium’s database, by nickname', async () => {
    const report = await scan({ kinds: ['nss'] }, context)
    expect(report.stores).toEqual([
      { id: `nss:${flatpakProfile}`, kind: 'nss', location: flatpakProfile, note: 'Firefox (Flatpak) profile default-release', facts: { program: 'firefox', profile: 'default-release' }, entryCount: 1, status: 'ok' },
      { id: `nss:${chromiumDb}`, kind: 'nss', location: chromiumDb, note: 'Chromium and Google Chrome', facts: { program: 'chromium' }, entryCount: 1, status: 'ok' },
    ])
    const finding = (cert: MadeCertificate) => report.findings.find((f) => f.certificate.sha256 === cert.sha256)
    expect(finding(qaznet)).toMatchObject({
      rule: 'lookalike',
      locations: [{ storeId: `nss:${flatpakProfile}`, kind: 'nss', location: flatpakProfile, entry: 'Qaznet Trust Network', trust: 'trusted' }],
    })
    expect(finding(isca)).toMatchObject({
      rule: 'lookalike',
      locations: [{ storeId: `nss:${chromiumDb}`, kind: 'nss', location: chromiumDb, entry: 'ISCA', trust: 'trusted' }],
    })
    expect(report.problems).toEqual([])
    expect(report.verdict.level).toBe('high')
  })

  it('gives the same report with certutil, with SQLite, and on a machine without certutil', async () => {
    const viaCertutil = essentials(await scan({ kinds: ['nss'] }, { ...context, stores: { ...STORES, nss: createNssStore({ reader: 'certutil' }) } }))
    const viaSqlite = essentials(await scan({ kinds: ['nss'] }, { ...context, stores: { ...STORES, nss: createNssStore({ reader: 'sqlite' }) } }))
    const { run, calls } = runnerWithoutCertutil()
    const withoutCertutil = essentials(await scan({ kinds: ['nss'] }, { ...context, env: createEnvironment({ home, systemRoot: join(dir, 'no-system'), env: {}, run }) }))
    expect(viaCertutil.findings.length).toBeGreaterThanOrEqual(2)
    expect(viaSqlite).toEqual(viaCertutil)
    expect(withoutCertutil).toEqual(viaCertutil)
    expect(calls.every(([command]) => command === 'certutil')).toBe(true)
  })

  it.skipIf(!realQaznet)(`flags the real 2019 Qaznet root in a Thunderbird profile as known interception${realQaznet ? '' : ` (skipped: ${CORPUS_ABSENT_REASON})`}`, async () => {
    writeIni(join(home, '.thunderbird/profiles.ini'), { Profile0: { Name: 'default', IsRelative: '1', Path: 't5y6u7i8.default', Default: '1' } })
    makeNssDb(thunderbirdProfile, [{ nickname: 'qazca', trust: 'C,C,', cert: { pem: factPem(realQaznet!)! } }])
    const report = await scan({ kinds: ['nss'] }, context)
    const finding = report.findings.find((f) => f.certificate.sha256 === realQaznet!.sha256)
    expect(finding).toMatchObject({
      rule: 'known-interception',
      blocklistEntry: { id: 'kz-qaznet-2016' },
      locations: [{ storeId: `nss:${thunderbirdProfile}`, kind: 'nss', location: thunderbirdProfile, entry: 'qazca', trust: 'trusted' }],
    })
  })
})
