/**
 * Chromium-family policies in the Windows registry. PowerShell and the registry cannot run on Linux:
 * the listing is replayed from tests/fixtures/windows/chromium-policy-listing.json (its documented
 * JSON shape, certificates generated here), and a simulated registry (simulator.ts) answers the same
 * script for planted machines. What is real: the script CertAudit sends (decoded by the simulator),
 * the parsing, Chromium's registry conventions, the trust rules and the steps shown to people.
 */
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { chromiumPolicyStore } from '../../../src/stores/chromium-policy/index.js'
import type { CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { StoreError, type EntryTarget, type ListItem, type StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { inWords } from '../../support/notices.js'
import { asResult, replay } from '../../support/recorded-output.js'
import { tempDir } from '../../support/temp.js'
import { SimulatedRegistry } from './simulator.js'

const ca = (cn: string, country = 'US') => makeCertificate({ subject: [['C', country], ['CN', cn]] })
const certs = { qaznet: ca('Qaznet Trust Network', 'KZ'), russian: ca('Russian Trusted Root CA', 'RU'), corp: ca('Example Corp Root'), hint: ca('Example Intermediate') }
const b64 = (c: { der: Buffer }) => c.der.toString('base64')
const name = (der: Uint8Array) => Object.entries(certs).find(([, c]) => c.sha256 === sha256Hex(der))?.[0] ?? '?'
const windows = (run: CommandRunner): Environment => createEnvironment({ platform: 'win32', home: tempDir(), systemRoot: tempDir(), env: { SystemRoot: 'C:\\Windows' }, run })
const replaying = (fixture: string): Environment => windows(async (command, args) => asResult([command, ...args], replay('windows', fixture, certs)))

async function listAll(location: StoreLocation, env: Environment): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of chromiumPolicyStore.list(location, env)) items.push(item)
  return items
}
const summary = (items: readonly ListItem[]) => items.map((i) => (i.type === 'entry' ? `${name(i.der)} ${i.trust} ${i.entry}` : `problem ${i.code}`))

describe('Chromium policies in the Windows registry, from recorded PowerShell output', () => {
  const env = replaying('chromium-policy-listing')

  it('finds every key holding a CA policy, whatever the browser, with its level and scope', async () => {
    expect((await chromiumPolicyStore.discover(env)).map((l) => [l.location, l.facts])).toEqual([
      ['HKCU\\SOFTWARE\\Policies\\Microsoft\\Edge', { browser: 'Microsoft Edge', policyLevel: 'managed', policyScope: 'user' }],
      ['HKCU\\SOFTWARE\\Policies\\Vivaldi', { browser: 'Vivaldi', policyLevel: 'managed', policyScope: 'user' }],
      ['HKLM\\SOFTWARE\\Policies\\BraveSoftware\\Brave', { browser: 'Brave', policyLevel: 'managed', policyScope: 'machine' }],
      ['HKLM\\SOFTWARE\\Policies\\Chromium', { browser: 'Chromium', policyLevel: 'managed', policyScope: 'machine' }],
      ['HKLM\\SOFTWARE\\Policies\\Google\\Chrome', { browser: 'Google Chrome', policyLevel: 'managed', policyScope: 'machine', caPlatformIntegration: false }],
      ['HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\Recommended', { browser: 'Google Chrome', policyLevel: 'recommended', policyScope: 'machine' }],
      ['HKLM\\SOFTWARE\\WOW6432Node\\Policies\\Thorium', { browser: 'Thorium', policyLevel: 'managed', policyScope: 'machine' }],
    ])
  })

  it('reads each layout the browser reads: numbered values, numbered subkeys, a JSON string; a type it ignores is not trusted', async () => {
    const byKey = new Map((await chromiumPolicyStore.discover(env)).map((l) => [l.location, l]))
    const read = async (key: string) => summary(await listAll(byKey.get(key)!, env))
    expect(await read('HKLM\\SOFTWARE\\Policies\\Google\\Chrome')).toEqual(['qaznet trusted CACertificates\\1', 'corp trusted CACertificates\\2', 'russian distrusted CADistrustedCertificates\\1'])
    expect(await read('HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\Recommended')).toEqual(['hint not-trusted CAHintCertificates\\1'])
    expect(await read('HKLM\\SOFTWARE\\Policies\\BraveSoftware\\Brave')).toEqual(['qaznet trusted CACertificatesWithConstraints\\1 (subkey) (only for 10.0.0.0/8)'])
    expect(await read('HKLM\\SOFTWARE\\Policies\\Chromium')).toEqual(['qaznet trusted CACertificates #1'])
    expect(await read('HKCU\\SOFTWARE\\Policies\\Microsoft\\Edge')).toEqual(['qaznet trusted CACertificatesWithConstraints #1 (only for kz)'])
    expect(await read('HKLM\\SOFTWARE\\WOW6432Node\\Policies\\Thorium')).toEqual(['qaznet not-trusted CACertificates #1 (ignored by the browser: a REG_MULTI_SZ value, which the browser does not read)'])
    await expect(listAll(byKey.get('HKCU\\SOFTWARE\\Policies\\Vivaldi')!, env)).rejects.toMatchObject({ code: 'windows-registry-unreadable', message: expect.stringContaining('Requested registry access is not allowed') })
  })

  it('plans each as manual, with the key, the entry and the exact PowerShell line that deletes it', async () => {
    const target = (location: string, entry: string, browser: string): EntryTarget => ({ storeId: `chromium-policy:${location}`, kind: 'chromium-policy', location, entry, sha256: certs.qaznet.sha256, pem: certs.qaznet.pem, trust: 'trusted', facts: { browser } })
    expect(inWords(await chromiumPolicyStore.capabilities(target('HKLM\\SOFTWARE\\Policies\\Google\\Chrome', 'CACertificates\\1', 'Google Chrome'), env))).toEqual({
      modes: [],
      needsAdmin: false,
      manual:
        "Google Chrome trusts this certificate because a policy in the Windows registry lists it: HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\CACertificates, entry 1. It comes back as long as the policy is there, so CertAudit does not change it. If your organisation manages this computer, Group Policy writes it again: ask your IT department to remove it from the policy. Otherwise delete the entry in PowerShell run as administrator, then restart Google Chrome: Remove-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Policies\\Google\\Chrome\\CACertificates' -Name 1",
    })
    const brave = inWords(await chromiumPolicyStore.capabilities(target('HKLM\\SOFTWARE\\Policies\\BraveSoftware\\Brave', 'CACertificatesWithConstraints\\1 (subkey) (only for 10.0.0.0/8)', 'Brave'), env))
    expect(brave.manual).toMatch(/: Remove-Item -LiteralPath 'HKLM:\\SOFTWARE\\Policies\\BraveSoftware\\Brave\\CACertificatesWithConstraints\\1' -Recurse$/)
    const edge = inWords(await chromiumPolicyStore.capabilities(target('HKCU\\SOFTWARE\\Policies\\Microsoft\\Edge', 'CACertificatesWithConstraints #1 (only for kz)', 'Microsoft Edge'), env))
    expect(edge.manual).toContain('the value CACertificatesWithConstraints of HKCU\\SOFTWARE\\Policies\\Microsoft\\Edge holds the list as text')
    await expect(chromiumPolicyStore.backup(target('HKLM\\SOFTWARE\\Policies\\Google\\Chrome', 'CACertificates\\1', 'Google Chrome'), env)).rejects.toMatchObject({ code: 'manual-only' })
  })
})

describe('Chromium policies on a planted Windows machine (simulated registry)', () => {
  function planted(): SimulatedRegistry {
    return new SimulatedRegistry()
      .set('HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\CACertificates', '1', 'String', b64(certs.qaznet))
      .set('HKLM\\SOFTWARE\\Policies\\Google\\Chrome', 'HomepageLocation', 'String', 'https://intranet.example')
      .set('HKCU\\SOFTWARE\\Policies\\Google\\Chrome\\Recommended\\CACertificates', '1', 'String', b64(certs.qaznet))
      .set('HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge\\CACertificates', '1', 'ExpandString', b64(certs.qaznet))
      .set('HKLM\\SOFTWARE\\Policies\\YandexBrowser\\cacertificates', '1', 'String', b64(certs.qaznet)) // names match without case
      .set('HKLM\\SOFTWARE\\Policies\\Vendor\\Product\\Channel\\Beta\\CACertificates', '1', 'String', b64(certs.qaznet)) // deep, unknown vendor
      .set('HKLM\\SOFTWARE\\Policies\\Opera Software\\Opera\\CACertificates', 'first', 'String', b64(certs.qaznet)) // not numbered: skipped by the browser
      .set('HKLM\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\Root\\Certificates\\AB', 'Blob', 'Binary', new Uint8Array([1, 2])) // not a browser policy
  }

  it('a scan finds the root in every browser key, trusted where the browser reads it', async () => {
    const registry = planted()
    const report = await scan({ kinds: ['chromium-policy'] }, { env: windows(registry.run), blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    expect(registry.runs).toBe(2) // one run finds the keys; one more, shared, serves every listing
    const qaznet = report.findings.find((f) => f.certificate.sha256 === certs.qaznet.sha256)!
    expect(qaznet.locations.map((l) => [l.location, l.entry, l.trust])).toEqual([
      ['HKCU\\SOFTWARE\\Policies\\Google\\Chrome\\Recommended', 'CACertificates\\1', 'trusted'],
      ['HKLM\\SOFTWARE\\Policies\\Google\\Chrome', 'CACertificates\\1', 'trusted'],
      ['HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge', 'CACertificates\\1', 'trusted'],
      ['HKLM\\SOFTWARE\\Policies\\Opera Software\\Opera', 'CACertificates\\first (ignored by the browser: the browser reads only values named 1, 2, 3…)', 'not-trusted'],
      ['HKLM\\SOFTWARE\\Policies\\Vendor\\Product\\Channel\\Beta', 'CACertificates\\1', 'trusted'],
      ['HKLM\\SOFTWARE\\Policies\\YandexBrowser', 'CACertificates\\1', 'trusted'], // the registry ignores case: the entry says the policy's own name
    ])
    expect(report.stores.map((s) => s.facts?.browser)).toEqual(['Google Chrome', 'Google Chrome', 'Microsoft Edge', 'Opera', 'Vendor Product Channel Beta', 'Yandex Browser'])
  })

  it('the plan is manual everywhere, and once the value is gone the next scan shows it gone', async () => {
    const registry = planted()
    const env = windows(registry.run)
    const report = await scan({ kinds: ['chromium-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const plan = await planRemoval(report, [report.findings.find((f) => f.certificate.sha256 === certs.qaznet.sha256)!.id], 'delete', env, { language: 'ru' })
    expect(plan.changes.every((c) => c.action === 'manual')).toBe(true)
    expect(plan.changes[1]!.instructions).toMatch(/^Google Chrome доверяет этому сертификату, потому что его перечисляет политика в реестре Windows: HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\CACertificates, запись 1\..*Remove-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Policies\\Google\\Chrome\\CACertificates' -Name 1$/)
    registry.delete('HKLM\\SOFTWARE\\Policies\\Google\\Chrome\\CACertificates', '1')
    const after = await scan({ kinds: ['chromium-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    expect(after.findings.find((f) => f.certificate.sha256 === certs.qaznet.sha256)!.locations.map((l) => l.location)).not.toContain('HKLM\\SOFTWARE\\Policies\\Google\\Chrome')
  })

  it('PowerShell that cannot run, or prints garbage, fails the registry policies in the report: never an all-clear', async () => {
    const missing = windows(async (command, args) => ({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn powershell.exe ENOENT' }))
    for (const [env, code, message] of [
      [missing, 'windows-powershell-missing', /Windows PowerShell could not be started/],
      [replaying('powershell-failed'), 'windows-powershell-failed', /Method invocation is supported only on core types/],
      [replaying('store-listing-truncated'), 'windows-bad-output', /printed something that is not the expected JSON/],
    ] as const) {
      const report = await scan({ kinds: ['chromium-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
      expect(report.stores.map((s) => [s.location, s.status])).toEqual([['HKLM\\SOFTWARE\\Policies', 'failed']])
      expect(report.problems[0]).toMatchObject({ code, message: expect.stringMatching(message) })
    }
    const error: unknown = await listAll({ id: 'x', kind: 'chromium-policy', location: 'HKLM\\SOFTWARE\\Policies' }, missing).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
  })

  it('rows in an unexpected shape are problems of the key searched from; the good rows are read', async () => {
    const registry = planted()
    registry.listing = { exitCode: 0, stdout: JSON.stringify([...registry.rows(), { Key: 'HKLM\\SOFTWARE\\Policies\\X', Values: 'nope' }, 42]), stderr: '', file: '' }
    const env = windows(registry.run)
    const locations = await chromiumPolicyStore.discover(env)
    const searched = locations.find((l) => l.location === 'HKLM\\SOFTWARE\\Policies')!
    expect(summary(await listAll(searched, env))).toEqual(['problem windows-unexpected-output', 'problem windows-unexpected-output'])
    expect(locations).toHaveLength(7)
  })
})
