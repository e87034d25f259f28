/**
 * Chromium-family policies on a planted Mac: managed preferences (what MDM configuration profiles
 * write, for the machine and for one user) and ordinary preference files (recommended policies), as
 * real binary and XML property lists written by Python's plistlib. macOS cannot run here; the files
 * are the formats a Mac keeps, in the folders it keeps them in, and the environment says darwin.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { chromiumPolicyStore } from '../../../src/stores/chromium-policy/index.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { StoreError, type EntryTarget, type ListItem, type StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { inWords } from '../../support/notices.js'
import { CANNOT_WRITE_PLISTS, writePlist } from '../../support/plists.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const ca = (cn: string, country = 'US') => makeCertificate({ subject: [['C', country], ['CN', cn]] })
const certs = { qaznet: ca('Qaznet Trust Network', 'KZ'), russian: ca('Russian Trusted Root CA', 'RU'), corp: ca('Example Corp Root'), hint: ca('Example Intermediate'), other: ca('Other Root') }
const b64 = (c: { der: Buffer }) => c.der.toString('base64')
const name = (der: Uint8Array) => Object.entries(certs).find(([, c]) => c.sha256 === sha256Hex(der))?.[0] ?? '?'

describe.skipIf(CANNOT_WRITE_PLISTS !== null)(`Chromium policies on macOS${CANNOT_WRITE_PLISTS ? ` (skipped: ${CANNOT_WRITE_PLISTS})` : ''}`, () => {
  const root = tempDir('certaudit-mac-root-')
  const home = tempDir('certaudit-mac-home-')
  const env = createEnvironment({ platform: 'darwin', home, systemRoot: root, env: {} })
  const managed = join(root, 'Library/Managed Preferences')
  const planted = {
    chrome: writePlist(join(managed, 'com.google.Chrome.plist'), {
      CACertificates: [b64(certs.qaznet)],
      CACertificatesWithConstraints: [{ certificate: b64(certs.corp), constraints: { permitted_dns_names: ['corp.example'] } }],
      CAPlatformIntegrationEnabled: false,
    }),
    edgeForAlice: writePlist(join(managed, 'alice/com.microsoft.Edge.plist'), { CACertificates: [b64(certs.qaznet)] }),
    unknownBrowser: writePlist(join(managed, 'com.example.Browser.plist'), { CACertificates: [b64(certs.qaznet)], CADistrustedCertificates: [b64(certs.russian)] }),
    unknownRecommended: writePlist(join(home, 'Library/Preferences/com.example.Browser.plist'), { CAHintCertificates: [b64(certs.hint)] }),
    braveRecommended: writePlist(join(home, 'Library/Preferences/com.brave.Browser.plist'), { CACertificates: [b64(certs.other), b64(certs.qaznet)], CAHintCertificates: [b64(certs.hint)] }),
    chromeByHost: writePlist(join(home, 'Library/Preferences/ByHost/com.google.Chrome.0A1B2C3D-1111-2222-3333-444455556666.plist'), { CACertificates: [b64(certs.other)] }),
    chromiumMachine: writePlist(join(root, 'Library/Preferences/org.chromium.Chromium.plist'), { CACertificates: [b64(certs.qaznet), { $data: b64(certs.corp) }] }, 'xml'),
    brokenKnown: put(root, 'Library/Managed Preferences/bob/com.brave.Browser.plist', 'bplist00 cut short'),
    // A browser no table names, with recommended policies only: found by what its preferences say.
    unknownOnlyRecommended: writePlist(join(home, 'Library/Preferences/net.example.Helium.plist'), { CACertificates: [b64(certs.qaznet)] }),
  }
  writePlist(join(home, 'Library/Preferences/com.apple.finder.plist'), { ShowPathbar: true })
  // Not a browser's: no CA policy, or unreadable and of an unknown domain.
  writePlist(join(managed, 'com.apple.screensaver.plist'), { idleTime: 300 })
  put(root, 'Library/Managed Preferences/com.apple.broken.plist', 'garbage')

  const locations = () => chromiumPolicyStore.discover(env)
  async function listAll(location: StoreLocation): Promise<ListItem[]> {
    const items: ListItem[] = []
    for await (const item of chromiumPolicyStore.list(location, env)) items.push(item)
    return items
  }
  const summary = (items: readonly ListItem[]) => items.map((i) => (i.type === 'entry' ? `${name(i.der)} ${i.trust} ${i.entry}` : `problem ${i.code}`))

  it('finds managed preferences (machine and per user) and preference files, for known and unknown browsers', async () => {
    const found = new Map((await locations()).map((l) => [l.location, l.facts]))
    expect(Object.fromEntries(Object.entries(planted).map(([key, path]) => [key, found.get(path)]))).toEqual({
      chrome: { browser: 'Google Chrome', policyLevel: 'managed', policyScope: 'machine', caPlatformIntegration: false },
      edgeForAlice: { browser: 'Microsoft Edge', policyLevel: 'managed', policyScope: 'user' },
      unknownBrowser: { browser: 'com.example.Browser', policyLevel: 'managed', policyScope: 'machine' },
      unknownRecommended: { browser: 'com.example.Browser', policyLevel: 'recommended', policyScope: 'user' },
      braveRecommended: { browser: 'Brave', policyLevel: 'recommended', policyScope: 'user' },
      chromeByHost: { browser: 'Google Chrome', policyLevel: 'recommended', policyScope: 'user' },
      chromiumMachine: { browser: 'Chromium', policyLevel: 'recommended', policyScope: 'machine' },
      brokenKnown: { browser: 'Brave', policyLevel: 'managed', policyScope: 'user' },
      unknownOnlyRecommended: { browser: 'net.example.Helium', policyLevel: 'recommended', policyScope: 'user' },
    })
    expect(found.size).toBe(Object.keys(planted).length)
  })

  it('reads each policy with its trust; a <data> item the browser drops is not trusted', async () => {
    const byPath = new Map((await locations()).map((l) => [l.location, l]))
    expect(summary(await listAll(byPath.get(planted.chrome)!))).toEqual(['qaznet trusted CACertificates #1', 'corp trusted CACertificatesWithConstraints #1 (only for corp.example)'])
    expect(summary(await listAll(byPath.get(planted.braveRecommended)!))).toEqual(['other trusted CACertificates #1', 'qaznet trusted CACertificates #2', 'hint not-trusted CAHintCertificates #1'])
    expect(summary(await listAll(byPath.get(planted.chromiumMachine)!))).toEqual(['qaznet trusted CACertificates #1', 'corp not-trusted CACertificates #2 (ignored by the browser: binary <data>, where the browser takes only base64 strings)'])
    const error: unknown = await listAll(byPath.get(planted.brokenKnown)!).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toMatchObject({ code: 'corrupt-policy', message: expect.stringContaining('is not a property list macOS can read') })
  })

  it('a scan finds the planted root in every place, and the broken file as failed', async () => {
    const report = await scan({ kinds: ['chromium-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const qaznet = report.findings.find((f) => f.certificate.sha256 === certs.qaznet.sha256)!
    expect(qaznet.locations.map((l) => [l.location, l.trust]).sort()).toEqual(
      [planted.chrome, planted.edgeForAlice, planted.unknownBrowser, planted.braveRecommended, planted.chromiumMachine, planted.unknownOnlyRecommended].map((p) => [p, 'trusted']).sort(),
    )
    expect(report.stores.find((s) => s.location === planted.brokenKnown)?.status).toBe('failed')
  })

  it('explains what to do by hand: the configuration profile, or the exact PlistBuddy command', async () => {
    const target = (location: string, entry: string, browser: string): EntryTarget => ({ storeId: `chromium-policy:${location}`, kind: 'chromium-policy', location, entry, sha256: certs.qaznet.sha256, pem: certs.qaznet.pem, trust: 'trusted', facts: { browser } })
    expect(inWords(await chromiumPolicyStore.capabilities(target(planted.chrome, 'CACertificates #1', 'Google Chrome'), env))).toEqual({
      modes: [],
      needsAdmin: false,
      manual: `Google Chrome trusts this certificate because a configuration profile sets the policy CACertificates (${planted.chrome}). It comes back as long as the profile is installed, so CertAudit does not change it. If your organisation manages this Mac, ask them to remove the certificate from the profile. Otherwise remove the profile in System Settings → General → Device Management (System Preferences → Profiles on older macOS); "sudo profiles show -type configuration" lists the installed profiles.`,
    })
    const user = inWords(await chromiumPolicyStore.capabilities(target(planted.braveRecommended, 'CACertificates #2', 'Brave'), env))
    expect(user.manual).toContain(`Quit Brave, run this command in Terminal, then log out and back in (macOS keeps preferences in memory): /usr/libexec/PlistBuddy -c 'Delete :CACertificates:1' ${planted.braveRecommended}`)
    const machine = inWords(await chromiumPolicyStore.capabilities(target(planted.chromiumMachine, 'CACertificates #1', 'Chromium'), env))
    expect(machine.manual).toContain(`sudo /usr/libexec/PlistBuddy -c 'Delete :CACertificates:0' ${planted.chromiumMachine}`)
  })
})
