/**
 * Chromium-family policy files on a planted Linux machine: real JSON files in the folders each
 * browser reads (and in folders of browsers CertAudit has never heard of, laid out the same way),
 * both levels, flatpak extension points, and damaged files next to good ones.
 */
import { symlinkSync, truncateSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { chromiumPolicyStore } from '../../../src/stores/chromium-policy/index.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { StoreError, type ListItem, type StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const ca = (cn: string, country = 'US') => makeCertificate({ subject: [['C', country], ['CN', cn]] })
export const certs = {
  qaznet: ca('Qaznet Trust Network', 'KZ'),
  russian: ca('Russian Trusted Root CA', 'RU'),
  corp: ca('Example Corp Root'),
  hint: ca('Example Intermediate'),
  other: ca('Other Root'),
}
const b64 = (c: { der: Buffer }) => c.der.toString('base64')
const name = (der: Uint8Array) => Object.entries(certs).find(([, c]) => c.sha256 === sha256Hex(der))?.[0] ?? '?'

async function listAll(location: StoreLocation, env = envOf()): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of chromiumPolicyStore.list(location, env)) items.push(item)
  return items
}
const summary = (items: readonly ListItem[]) => items.map((i) => (i.type === 'entry' ? `${name(i.der)} ${i.trust} ${i.entry}` : `problem ${i.code}: ${i.message}`))

const root = tempDir('certaudit-chromium-root-')
const home = tempDir('certaudit-chromium-home-')
function envOf() {
  return createEnvironment({ platform: 'linux', home, systemRoot: root, env: {} })
}

const FULL = `{
  // deployed by IT
  "CACertificates": ["${b64(certs.qaznet)}",],
  "CACertificatesWithConstraints": [{ "certificate": "${b64(certs.corp)}", "constraints": { "permitted_dns_names": ["corp.example"], "permitted_cidrs": ["10.1.0.0/16"] } }],
  "CADistrustedCertificates": ["${b64(certs.russian)}"],
  "CAHintCertificates": ["${b64(certs.hint)}"],
  "CAPlatformIntegrationEnabled": false,
}`
const one = (c: { der: Buffer }, policy = 'CACertificates') => JSON.stringify({ [policy]: [b64(c)] })

const planted = {
  chrome: put(root, 'etc/opt/chrome/policies/managed/corp.json', FULL),
  // The browser reads every file in the folder, whatever its name: no .json, hidden.
  chromeRecommended: put(root, 'etc/opt/chrome/policies/recommended/defaults', one(certs.other)),
  chromium: put(root, 'etc/chromium/policies/managed/.hidden', one(certs.qaznet)),
  ubuntuChromium: put(root, 'etc/chromium-browser/policies/managed/snap.json', one(certs.qaznet)),
  testing: put(root, 'etc/opt/chrome_for_testing/policies/managed/cft.json', one(certs.qaznet)),
  edge: put(root, 'etc/opt/edge/policies/recommended/edge.json', one(certs.qaznet)),
  brave: put(root, 'etc/brave/policies/managed/brave.json', one(certs.qaznet, 'CACertificatesWithConstraints').replace(/"(MII[^"]+)"/, '{"certificate": "$1", "constraints": {"permitted_dns_names": ["kz"]}}')),
  vivaldi: put(root, 'etc/opt/vivaldi/policies/managed/v.json', one(certs.qaznet)),
  yandex: put(root, 'etc/opt/yandex/browser/policies/managed/y.json', one(certs.qaznet)),
  // Browsers no table names: any folder laid out as a policy folder is read.
  thorium: put(root, 'etc/thorium/policies/managed/t.json', one(certs.qaznet)),
  nested: put(root, 'etc/opt/acme/superbrowser/policies/recommended/s.json', one(certs.qaznet)),
  nestedEtc: put(root, 'etc/corp/browser/policies/managed/n.json', one(certs.qaznet)),
  flatpak: put(root, 'var/lib/flatpak/extension/org.chromium.Chromium.Extension.system-policies/x86_64/1/policies/managed/p.json', one(certs.qaznet)),
  flatpakUser: put(home, '.local/share/flatpak/extension/com.brave.Browser.Extension.corp/x86_64/1/policies/recommended/r.json', one(certs.qaznet)),
}
mkdirSync(join(root, 'etc/opt/chrome/policies/managed/a-folder'), { recursive: true }) // skipped, as the browser skips it
// A link out of the system root (to this machine's folders) is followed inside the root, where it leads nowhere.
const outside = tempDir('certaudit-chromium-outside-')
put(outside, 'policies/managed/host.json', one(certs.qaznet))
symlinkSync(outside, join(root, 'etc/hostlink'))

describe('Chromium policies on Linux: where they are', () => {
  it('finds every policy file of every browser, both levels, with its browser, level and scope', async () => {
    const found = await chromiumPolicyStore.discover(envOf())
    const byPath = new Map(found.map((l) => [l.location, l]))
    expect(found.every((l) => l.id === `chromium-policy:${l.location}` && l.kind === 'chromium-policy')).toBe(true)
    expect(Object.fromEntries(Object.entries(planted).map(([key, path]) => [key, byPath.get(path)?.facts]))).toEqual({
      chrome: { browser: 'Google Chrome', policyLevel: 'managed', policyScope: 'machine', caPlatformIntegration: false },
      chromeRecommended: { browser: 'Google Chrome', policyLevel: 'recommended', policyScope: 'machine' },
      chromium: { browser: 'Chromium', policyLevel: 'managed', policyScope: 'machine' },
      ubuntuChromium: { browser: 'Chromium', policyLevel: 'managed', policyScope: 'machine' },
      testing: { browser: 'Chrome for Testing', policyLevel: 'managed', policyScope: 'machine' },
      edge: { browser: 'Microsoft Edge', policyLevel: 'recommended', policyScope: 'machine' },
      brave: { browser: 'Brave', policyLevel: 'managed', policyScope: 'machine' },
      vivaldi: { browser: 'Vivaldi', policyLevel: 'managed', policyScope: 'machine' },
      yandex: { browser: 'Yandex Browser', policyLevel: 'managed', policyScope: 'machine' },
      thorium: { browser: 'thorium', policyLevel: 'managed', policyScope: 'machine' },
      nested: { browser: 'acme superbrowser', policyLevel: 'recommended', policyScope: 'machine' },
      nestedEtc: { browser: 'corp browser', policyLevel: 'managed', policyScope: 'machine' },
      flatpak: { browser: 'Chromium (flatpak)', policyLevel: 'managed', policyScope: 'machine' },
      flatpakUser: { browser: 'Brave (flatpak)', policyLevel: 'recommended', policyScope: 'user' },
    })
    expect(found).toHaveLength(Object.keys(planted).length)
  })

  it('reads nothing outside the system root, and nothing on an empty machine', async () => {
    expect((await chromiumPolicyStore.discover(envOf())).filter((l) => l.location.includes('hostlink') || l.location.startsWith(outside))).toEqual([])
    const empty = createEnvironment({ platform: 'linux', home: tempDir(), systemRoot: tempDir(), env: {} })
    expect(await chromiumPolicyStore.discover(empty)).toEqual([])
  })
})

describe('Chromium policies on Linux: what they trust', () => {
  it('gives each policy its trust: trusted, trusted with its constraints, distrusted, a hint not trusted', async () => {
    const [chrome] = (await chromiumPolicyStore.discover(envOf())).filter((l) => l.location === planted.chrome)
    expect(summary(await listAll(chrome!))).toEqual([
      'qaznet trusted CACertificates #1',
      'corp trusted CACertificatesWithConstraints #1 (only for corp.example, 10.1.0.0/16)',
      'russian distrusted CADistrustedCertificates #1',
      'hint not-trusted CAHintCertificates #1',
    ])
  })

  it('a scan finds the planted root in every browser that trusts it, by kind, location and trust', async () => {
    const report = await scan({ kinds: ['chromium-policy'] }, { env: envOf(), blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const qaznet = report.findings.find((f) => f.certificate.sha256 === certs.qaznet.sha256)
    const planted_ = Object.entries(planted).filter(([key]) => !['chromeRecommended'].includes(key)).map(([, path]) => path)
    expect(qaznet?.locations.map((l) => [l.kind, l.location, l.trust]).sort()).toEqual(planted_.map((path) => ['chromium-policy', path, 'trusted']).sort())
    expect(report.findings.find((f) => f.certificate.sha256 === certs.russian.sha256)?.locations.map((l) => l.trust)).toEqual(['distrusted'])
    expect(report.stores.every((s) => s.status === 'ok')).toBe(true)
  })
})

describe('Chromium policies on Linux: bad input is a reported problem, and the scan goes on', () => {
  const bad = tempDir('certaudit-chromium-bad-')
  const dir = 'etc/opt/chrome/policies/managed'
  const files = {
    notJson: put(bad, `${dir}/broken.json`, '{ "CACertificates": ['),
    list: put(bad, `${dir}/list.json`, '[1, 2]'),
    notAList: put(bad, `${dir}/string.json`, JSON.stringify({ CACertificates: b64(certs.qaznet), CAHintCertificates: { a: 1 } })),
    items: put(bad, `${dir}/items.json`, JSON.stringify({ CACertificates: [123, '!!not base64!!', 'QUJD', b64(certs.qaznet), `-----BEGIN CERTIFICATE-----\n${b64(certs.corp)}\n-----END CERTIFICATE-----\n`] })),
    constraints: put(bad, `${dir}/constraints.json`, JSON.stringify({ CACertificatesWithConstraints: [{ certificate: b64(certs.qaznet) }, { certificate: b64(certs.corp), constraints: { permitted_dns_names: [1] } }, 'x'] })),
    twice: put(bad, `${dir}/twice.json`, `{"CACertificates": ["${b64(certs.qaznet)}"], "cacertificates": ["${b64(certs.corp)}"]}`),
    huge: put(bad, `${dir}/huge.json`, '{}'),
    loop: join(bad, dir, 'loop.json'),
    recommended: join(bad, 'etc/opt/chrome/policies/recommended'),
  }
  truncateSync(files.huge, 17 * 1024 * 1024)
  symlinkSync('loop.json', files.loop)
  symlinkSync('recommended', files.recommended) // a folder that is a link to itself
  const env = createEnvironment({ platform: 'linux', home: tempDir(), systemRoot: bad, env: {} })
  const locationOf = async (path: string) => (await chromiumPolicyStore.discover(env)).find((l) => l.location === path)!

  it('a file the browser cannot read as policies fails with why; one too large or a link loop is not read', async () => {
    for (const [path, code, message] of [
      [files.notJson, 'corrupt-policy', /is not a policy file the browser can read \(the file ends where a value belongs .* at line 1, column 22\): the browser ignores it/],
      [files.list, 'corrupt-policy', /holds a list where the browser expects an object of policies/],
      [files.huge, 'too-large', /is 17\.0 MB, far larger than any policy file/],
      [files.loop, 'eloop', /link that points back to itself/],
      [files.recommended, 'eloop', /link that points back to itself/],
    ] as const) {
      const error: unknown = await listAll(await locationOf(path), env).catch((e: unknown) => e)
      expect(error, path).toBeInstanceOf(StoreError)
      expect(error, path).toMatchObject({ code, message: expect.stringMatching(message) })
    }
  })

  it('a list that is not a list, or items that are not base64 DER, are problems; the good items are still read', async () => {
    expect(summary(await listAll(await locationOf(files.notAList), env))).toEqual([
      expect.stringMatching(/^problem bad-policy: .*string\.json: CACertificates is a string, not a list of certificates, so the browser ignores it\.$/),
      expect.stringMatching(/CAHintCertificates is an object, not a list/),
    ])
    expect(summary(await listAll(await locationOf(files.items), env))).toEqual([
      expect.stringMatching(/CACertificates #1: it is a number, not a base64 string; the browser ignores it/),
      expect.stringMatching(/CACertificates #2 is not a base64 DER certificate \(it holds characters that are not base64\)/),
      expect.stringMatching(/CACertificates #3 is not a base64 DER certificate \(its bytes are not a certificate: /),
      'qaznet trusted CACertificates #4',
      'corp trusted CACertificates #5',
    ])
  })

  it('an entry with constraints the browser skips is listed as not trusted, saying why', async () => {
    expect(summary(await listAll(await locationOf(files.constraints), env))).toEqual([
      'qaznet not-trusted CACertificatesWithConstraints #1 (ignored by the browser: it has no constraints, and the policy needs at least one)',
      'corp not-trusted CACertificatesWithConstraints #2 (ignored by the browser: its permitted_dns_names is not a list of strings)',
      expect.stringMatching(/CACertificatesWithConstraints #3: it is a string, not an object with "certificate" and "constraints"/),
    ])
  })

  it('a policy written twice (in any case) is read both times, and said', async () => {
    expect(summary(await listAll(await locationOf(files.twice), env))).toEqual([
      expect.stringMatching(/^problem duplicate-policy: twice\.json sets CACertificates more than once/),
      'qaznet trusted CACertificates #1',
      'corp trusted CACertificates #1',
    ])
  })

  it('the scan reports each broken file as failed and still reads the others', async () => {
    const report = await scan({ kinds: ['chromium-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const status = Object.fromEntries(report.stores.map((s) => [s.location, s.status]))
    // A file whose every policy is unusable reads as failed too; one with some good items as partial.
    expect([files.notJson, files.list, files.huge, files.loop, files.recommended, files.notAList].map((f) => status[f])).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'failed'])
    expect([files.items, files.constraints, files.twice].map((f) => status[f])).toEqual(['partial', 'partial', 'partial'])
    expect(report.findings.find((f) => f.certificate.sha256 === certs.qaznet.sha256)?.locations.filter((l) => l.trust === 'trusted').map((l) => l.location).sort()).toEqual([files.items, files.twice].sort())
  })
})
