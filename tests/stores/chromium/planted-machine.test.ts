/**
 * Machines planted with real interception and compromised roots (../shared/corpus) in the own
 * certificate stores of several Chromium-family browsers: ServerCertificate databases made by
 * sqlite3 in the layouts of a Linux home (native, snap, Flatpak, Opera's profile-less folder, a
 * crashed browser's write-ahead log, a row whose hash lies, a damaged Local State), a Windows home
 * and a macOS home (the platform set in the Environment). One scan each must find every planted
 * root with its kind, location, entry and trust, and nothing may be left out.
 */
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import type { ScanReport } from '../../../src/audit/report.js'
import { main, type CliIo } from '../../../src/cli/main.js'
import { STORES } from '../../../src/stores/registry.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { CORPUS_ABSENT_REASON, corpusAvailable, factPem, loadFacts } from '../../support/corpus.js'
import { tempDir } from '../../support/temp.js'
import { crashAfter, DISTRUSTED, haveSqlite3, insertSql, localState, makeServerCertificate, metadata, put, SQLITE3_ABSENT_REASON, TRUSTED, UNSPECIFIED } from './fixtures.js'

const ready = corpusAvailable && haveSqlite3

function corpusCert(id: string): { der: Buffer; sha256: string } {
  const fact = loadFacts().find((f) => f.id === id)!
  return { der: new X509Certificate(factPem(fact)!).raw, sha256: fact.sha256! }
}

/** Each finding's places, as [kind, location, entry, trust], by certificate. */
function placesOf(report: ScanReport, sha256: string) {
  return report.findings.find((f) => f.certificate.sha256 === sha256)?.locations.map((l) => [l.kind, l.location, l.entry, l.trust])
}
const severityOf = (report: ScanReport, sha256: string) => report.findings.find((f) => f.certificate.sha256 === sha256)?.severity

async function scanned(home: string, root: string, platform: NodeJS.Platform): Promise<ScanReport> {
  const env = createEnvironment({ home, systemRoot: root, env: {}, platform })
  return scan({ kinds: ['chromium'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots(), now: new Date('2026-11-26T00:00:00Z'), stores: STORES })
}

describe('machines planted in Chromium-family browsers’ own stores', () => {
  if (!ready) {
    it.skip(`skipped: ${corpusAvailable ? SQLITE3_ABSENT_REASON : CORPUS_ABSENT_REASON}`, () => {})
    return
  }
  const qaznet = corpusCert('kz-qaznet-2016')
  const iscaCa = corpusCert('kz-isca-ca-2020')
  const isca0539 = corpusCert('kz-isca-2020-0539')
  const superfish = corpusCert('superfish')
  const edellroot = corpusCert('dell-edellroot')
  const russian = corpusCert('ru-mincifry-root-2022')
  const diginotar = corpusCert('diginotar-root')
  const sennheiser = corpusCert('sennheiser-root')

  it('Linux: native, snap and Flatpak browsers, every profile, by the command line', async () => {
    const home = tempDir('certaudit-chromium-home-')
    const root = tempDir('certaudit-chromium-root-')
    const config = join(home, '.config')
    localState(join(config, 'google-chrome'), { Default: 'Person 1', 'Profile 1': 'Work' })
    const chrome = makeServerCertificate(join(config, 'google-chrome/Default'), [{ der: qaznet.der, trust: metadata(TRUSTED) }])
    const work = makeServerCertificate(join(config, 'google-chrome/Profile 1'), [{ der: iscaCa.der, trust: metadata(DISTRUSTED) }])
    const snap = makeServerCertificate(join(home, 'snap/chromium/common/chromium/Default'), [{ der: isca0539.der, trust: metadata(TRUSTED, { dns: ['kz'] }) }])
    // A Flatpak Brave that crashed: its root is only in the write-ahead log.
    const brave = makeServerCertificate(join(home, '.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/Default'), [], { wal: true })
    await crashAfter(brave, insertSql([{ der: superfish.der, trust: metadata(TRUSTED) }]), { wal: true })
    const edge = makeServerCertificate(join(config, 'microsoft-edge/Profile 2'), [{ der: edellroot.der, key: '00'.repeat(32), trust: metadata(TRUSTED) }])
    const yandex = makeServerCertificate(join(config, 'yandex-browser/Default'), [{ der: russian.der, trust: metadata(TRUSTED) }])
    const opera = makeServerCertificate(join(config, 'opera'), [{ der: diginotar.der, trust: metadata(UNSPECIFIED) }])
    const vivaldiState = put(join(config, 'vivaldi/Local State'), 'not json {')
    const vivaldi = makeServerCertificate(join(config, 'vivaldi/Default'), [{ der: sennheiser.der, trust: metadata(TRUSTED) }])

    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C' } }
    expect(await main(['scan', '--json', '--home', home, '--system-root', root, '--store', 'chromium'], io)).toBe(1)
    const report = JSON.parse(stdout) as ScanReport

    expect(placesOf(report, qaznet.sha256)).toEqual([['chromium', chrome, 'Qaznet Trust Network', 'trusted']])
    expect(placesOf(report, iscaCa.sha256)).toEqual([['chromium', work, expect.any(String), 'distrusted']])
    expect(placesOf(report, isca0539.sha256)).toEqual([['chromium', snap, expect.stringMatching(/ \(only for kz\)$/), 'trusted']])
    expect(placesOf(report, superfish.sha256)).toEqual([['chromium', brave, expect.stringMatching(/Superfish/), 'trusted']])
    expect(placesOf(report, edellroot.sha256)).toEqual([['chromium', edge, expect.stringMatching(/eDellRoot \(stored as "0{24}…"\)/), 'trusted']])
    expect(placesOf(report, russian.sha256)).toEqual([['chromium', yandex, expect.any(String), 'trusted']])
    expect(placesOf(report, diginotar.sha256)).toEqual([['chromium', opera, expect.any(String), 'not-trusted']])
    expect(placesOf(report, sennheiser.sha256)).toEqual([['chromium', vivaldi, expect.any(String), 'trusted']])
    for (const sha of [qaznet, isca0539].map((c) => c.sha256)) expect(severityOf(report, sha)).toBe('critical')
    for (const sha of [superfish, edellroot, sennheiser].map((c) => c.sha256)) expect(severityOf(report, sha)).toBe('high')
    expect(severityOf(report, russian.sha256)).toBe('medium')
    // Not trusted where it was found: reported, harmless now.
    for (const sha of [iscaCa, diginotar].map((c) => c.sha256)) expect(severityOf(report, sha)).toBe('info')

    // Each store named for the window; the damaged Local State and the lying row are reported, nothing else.
    const store = (location: string) => report.stores.find((s) => s.location === location)
    expect(store(work)?.facts).toEqual({ program: 'chrome', browser: 'Google Chrome', profile: 'Work' })
    expect(store(snap)?.facts).toEqual({ program: 'chromium', browser: 'Chromium (snap)', profile: 'Default' })
    expect(store(brave)?.facts).toEqual({ program: 'brave', browser: 'Brave (Flatpak)', profile: 'Default' })
    expect(report.stores.filter((s) => s.status === 'failed').map((s) => s.location)).toEqual([vivaldiState])
    expect(report.problems.map((p) => [p.code, p.path ?? p.storeId])).toEqual(
      expect.arrayContaining([
        ['chromium-bad-local-state', expect.stringContaining('vivaldi')],
        ['chromium-hash-mismatch', edge],
      ]),
    )
    expect(report.stores.filter((s) => s.status !== 'failed')).toHaveLength(8)
  })

  it('Windows: %LOCALAPPDATA% and Opera GX in %APPDATA%', async () => {
    const home = tempDir('certaudit-chromium-win-')
    const chrome = makeServerCertificate(join(home, 'AppData/Local/Google/Chrome/User Data/Default'), [{ der: qaznet.der, trust: metadata(TRUSTED) }])
    const operaGx = makeServerCertificate(join(home, 'AppData/Roaming/Opera Software/Opera GX Stable'), [{ der: isca0539.der, trust: metadata(TRUSTED) }])
    const edge = makeServerCertificate(join(home, 'AppData/Local/Microsoft/Edge/User Data/Profile 1'), [{ der: superfish.der, trust: metadata(TRUSTED) }])
    const report = await scanned(home, tempDir(), 'win32')
    expect(placesOf(report, qaznet.sha256)).toEqual([['chromium', chrome, 'Qaznet Trust Network', 'trusted']])
    expect(placesOf(report, isca0539.sha256)).toEqual([['chromium', operaGx, expect.any(String), 'trusted']])
    expect(placesOf(report, superfish.sha256)).toEqual([['chromium', edge, expect.any(String), 'trusted']])
    expect(report.stores.map((s) => s.facts?.browser)).toEqual(['Google Chrome', 'Microsoft Edge', 'Opera GX'])
    expect(report.verdict.level).toBe('critical')
  })

  it('macOS: ~/Library/Application Support', async () => {
    const home = tempDir('certaudit-chromium-mac-')
    const support = join(home, 'Library/Application Support')
    localState(join(support, 'Google/Chrome'), { 'Profile 3': 'Family' })
    const chrome = makeServerCertificate(join(support, 'Google/Chrome/Profile 3'), [{ der: isca0539.der, trust: metadata(TRUSTED) }])
    const yandex = makeServerCertificate(join(support, 'Yandex/YandexBrowser/Default'), [{ der: russian.der, trust: metadata(TRUSTED) }])
    const report = await scanned(home, tempDir(), 'darwin')
    expect(placesOf(report, isca0539.sha256)).toEqual([['chromium', chrome, expect.any(String), 'trusted']])
    expect(placesOf(report, russian.sha256)).toEqual([['chromium', yandex, expect.any(String), 'trusted']])
    expect(report.stores.map((s) => [s.facts?.browser, s.facts?.profile])).toEqual([
      ['Google Chrome', 'Family'],
      ['Yandex Browser', 'Default'],
    ])
  })
})
