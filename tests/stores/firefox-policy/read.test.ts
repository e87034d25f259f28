import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { identify } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { firefoxPolicyStore } from '../../../src/stores/firefox-policy/index.js'
import type { ListItem } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Root']] })

describe('Firefox enterprise policies (Certificates.Install)', () => {
  const root = tempDir('certaudit-policies-root-')
  const home = tempDir('certaudit-policies-home-')
  const env = createEnvironment({ home, systemRoot: root, env: {} })
  const policies = put(root, 'etc/firefox/policies/policies.json', JSON.stringify({
    policies: { Certificates: { ImportEnterpriseRoots: true, Install: ['qazca.der', '/opt/corp/corp.pem', 'user.pem', 'gone.crt'] } },
  }))
  put(root, 'usr/lib/mozilla/certificates/qazca.der', qaznet.der)
  put(root, 'opt/corp/corp.pem', corp.pem)
  put(home, '.mozilla/certificates/user.pem', corp.pem)
  const broken = put(root, 'usr/lib/firefox/distribution/policies.json', '{ "policies": { "Certificates": ')

  it('finds every policies.json', async () => {
    expect((await firefoxPolicyStore.discover(env)).map((l) => [l.id, l.kind])).toEqual([
      [`firefox-policy:${policies}`, 'firefox-policy'],
      [`firefox-policy:${broken}`, 'firefox-policy'],
    ])
  })

  it('reports each certificate it installs with the file that installs it, and a missing one as a problem', async () => {
    const [location] = await firefoxPolicyStore.discover(env)
    const items: ListItem[] = []
    for await (const item of firefoxPolicyStore.list(location!, env)) items.push(item)
    expect(items.map((i) => (i.type === 'entry' ? [identify(i.der).sha256, i.entry, i.trust] : [i.code, i.message]))).toEqual([
      [qaznet.sha256, `${join(root, 'usr/lib/mozilla/certificates/qazca.der')} (installed by ${policies})`, 'trusted'],
      [corp.sha256, `${join(root, 'opt/corp/corp.pem')} (installed by ${policies})`, 'trusted'],
      [corp.sha256, `${join(home, '.mozilla/certificates/user.pem')} (installed by ${policies})`, 'trusted'],
      ['missing-policy-certificate', expect.stringContaining(`installs "gone.crt", but no such file was found`)],
    ])
  })

  it('a broken policies.json fails clearly and the scan goes on', async () => {
    const report = await scan({ kinds: ['firefox-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    expect(report.stores.map((s) => [s.location, s.status])).toEqual([
      [policies, 'partial'],
      [broken, 'failed'],
    ])
    expect(report.problems.find((p) => p.storeId === `firefox-policy:${broken}`)).toMatchObject({
      code: 'corrupt-policies',
      message: expect.stringContaining('is not valid JSON'),
    })
    expect(report.findings.find((f) => f.certificate.sha256 === qaznet.sha256)).toMatchObject({ rule: 'lookalike', locations: [expect.objectContaining({ kind: 'firefox-policy', location: policies })] })
  })
})

describe("Thunderbird's and LibreWolf's policies.json", () => {
  const places = [
    { path: 'etc/thunderbird/policies/policies.json', program: 'thunderbird', note: 'Thunderbird enterprise policy (Certificates.Install)' },
    { path: 'usr/lib/thunderbird/distribution/policies.json', program: 'thunderbird', note: 'Thunderbird enterprise policy (Certificates.Install)' },
    { path: 'etc/librewolf/policies/policies.json', program: 'firefox', note: 'LibreWolf enterprise policy (Certificates.Install)' },
    { path: 'usr/share/librewolf/distribution/policies.json', program: 'firefox', note: 'LibreWolf enterprise policy (Certificates.Install)' },
  ] as const

  for (const place of places) {
    it(`/${place.path}: the root it installs is found, named with the file and the program (before: not looked at)`, async () => {
      const root = tempDir('certaudit-policies-root-')
      const env = createEnvironment({ home: tempDir('certaudit-policies-home-'), systemRoot: root, env: {} })
      const policy = put(root, place.path, JSON.stringify({ policies: { Certificates: { Install: ['/opt/isp/qaznet.crt'] } } }))
      put(root, 'opt/isp/qaznet.crt', qaznet.pem)
      const locations = await firefoxPolicyStore.discover(env)
      expect(locations).toEqual([{ id: `firefox-policy:${policy}`, kind: 'firefox-policy', location: policy, note: place.note, facts: { program: place.program, ...(place.note.startsWith('LibreWolf') ? { browser: 'LibreWolf' } : {}) } }])
      const report = await scan({ kinds: ['firefox-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
      expect(report.verdict.level).toBe('high')
      expect(report.findings.find((f) => f.certificate.sha256 === qaznet.sha256)?.locations).toEqual([expect.objectContaining({ kind: 'firefox-policy', location: policy })])
    })
  }
})

describe('policies.json on macOS', () => {
  it("inside each application, with certificates from Mozilla's Certificates folders (before: only Linux paths were looked at)", async () => {
    const root = tempDir('certaudit-policies-root-')
    const home = tempDir('certaudit-policies-home-')
    const env = createEnvironment({ home, systemRoot: root, env: {}, platform: 'darwin' })
    const firefox = put(root, 'Applications/Firefox.app/Contents/Resources/distribution/policies.json', JSON.stringify({ policies: { Certificates: { Install: ['qazca.crt', 'user.pem'] } } }))
    const thunderbird = put(root, 'Applications/Thunderbird.app/Contents/Resources/distribution/policies.json', JSON.stringify({ policies: { Certificates: { Install: ['qazca.crt'] } } }))
    const system = put(root, 'Library/Application Support/Mozilla/Certificates/qazca.crt', qaznet.pem)
    const user = put(home, 'Library/Application Support/Mozilla/Certificates/user.pem', corp.pem)
    const locations = await firefoxPolicyStore.discover(env)
    expect(locations.map((l) => [l.location, l.facts])).toEqual([
      [firefox, { program: 'firefox' }],
      [thunderbird, { program: 'thunderbird' }],
    ])
    const items: ListItem[] = []
    for await (const item of firefoxPolicyStore.list(locations[0]!, env)) items.push(item)
    expect(items.map((i) => (i.type === 'entry' ? [identify(i.der).sha256, i.entry] : [i.code]))).toEqual([
      [qaznet.sha256, `${system} (installed by ${firefox})`],
      [corp.sha256, `${user} (installed by ${firefox})`],
    ])
  })
})
