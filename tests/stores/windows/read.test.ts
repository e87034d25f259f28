/**
 * The Windows reader against recorded PowerShell output (tests/fixtures/windows): PowerShell and the
 * Cert: drive cannot run on Linux, so the listing is replayed in its documented JSON shape, with
 * certificates generated here. What is real: the parsing, the attribution of each certificate to the
 * store that holds it, the trust rules, and the Firefox profile discovery on real folders.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { nssStore } from '../../../src/stores/nss/index.js'
import { StoreError, type ListItem, type StoreLocation } from '../../../src/stores/types.js'
import { LIST_SCRIPT } from '../../../src/stores/windows/query.js'
import { createWindowsStore } from '../../../src/stores/windows/index.js'
import { WINDOWS_EFFECTIVE } from '../../../src/stores/windows/discover.js'
import { makeCertificate } from '../../support/certificates.js'
import { asResult, replay } from '../../support/recorded-output.js'
import { tempDir } from '../../support/temp.js'
import { decodePowerShell } from './simulator.js'

const ca = (cn: string, country = 'KZ') => makeCertificate({ subject: [['C', country], ['CN', cn]] })
const certs = {
  qaznet: ca('Qaznet Trust Network'),
  russian: ca('Russian Trusted Root CA', 'RU'),
  corp: ca('Example Corp Root', 'US'),
  authroot: ca('Third-Party Root From Windows Update', 'US'),
  policy: ca('Group Policy Root', 'US'),
  enterprise: ca('Enterprise Root', 'US'),
  intermediate: ca('Example Intermediate', 'US'),
  other: ca('Other Root', 'US'),
  smartcard: ca('Smart Card Root', 'US'),
}
const noRoots = { effectiveRoots: async () => [] }

/** An environment whose PowerShell prints a recorded fixture (and that counts the runs). */
function replaying(fixture: string | null): { env: Environment; calls: string[][] } {
  const calls: string[][] = []
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args])
    if (fixture === null) return { command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn powershell.exe ENOENT' }
    return asResult([command, ...args], replay('windows', fixture, certs))
  }
  return { env: createEnvironment({ platform: 'win32', home: tempDir(), env: { SystemRoot: 'C:\\Windows' }, run }), calls }
}

async function listAll(location: StoreLocation, env: Environment, reader = createWindowsStore(noRoots)): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of reader.list(location, env)) items.push(item)
  return items
}

const named = (items: readonly ListItem[]) =>
  items.map((item) => (item.type === 'entry' ? `${Object.entries(certs).find(([, c]) => c.der.equals(item.der))?.[0] ?? '?'}:${item.trust}` : `problem:${item.code}`))

describe('Windows certificate stores, from recorded PowerShell output', () => {
  it('attributes every certificate to the store that holds it, and distrusts what Untrusted Certificates holds', async () => {
    const { env } = replaying('store-listing')
    const reader = createWindowsStore(noRoots)
    const locations = await reader.discover(env)
    const listed: Record<string, string[]> = {}
    for (const location of locations) listed[location.location] = named(await listAll(location, env, reader))
    expect(listed).toEqual({
      'Cert:\\CurrentUser\\Root': ['qaznet:trusted', 'russian:distrusted'],
      'Cert:\\CurrentUser\\CA': ['intermediate:not-trusted'],
      'Cert:\\CurrentUser\\TrustedPeople': ['problem:windows-store-unreadable'],
      'Cert:\\CurrentUser\\Disallowed': ['russian:distrusted'],
      'Cert:\\LocalMachine\\Root': ['corp:trusted'],
      'Cert:\\LocalMachine\\AuthRoot': ['authroot:trusted'],
      'HKLM\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\Root': ['policy:trusted'],
      'HKLM\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root': ['enterprise:trusted'],
    })
    expect(locations.find((l) => l.location === 'Cert:\\LocalMachine\\Root')).toMatchObject({ id: 'windows:LocalMachine\\Root', kind: 'windows', note: 'Trusted Root Certification Authorities, every user of this computer' })
    const [qaznet] = await listAll(locations[0]!, env, reader)
    expect(qaznet).toMatchObject({ type: 'entry', entry: `Qaznet Trust Network (${certs.qaznet.sha1.toUpperCase()})` })
  })

  it('runs PowerShell by its absolute path with the listing script as -EncodedCommand, once for reads that overlap', async () => {
    const { env, calls } = replaying('store-listing')
    const reader = createWindowsStore(noRoots)
    const locations = (await reader.discover(env)).slice(0, 4)
    calls.length = 0
    await Promise.all(locations.map((l) => listAll(l, env, reader)))
    expect(calls).toHaveLength(1)
    expect(calls[0]!.slice(0, 4)).toEqual(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', '-NoProfile', '-NonInteractive', '-EncodedCommand'])
    expect(decodePowerShell(calls[0]!)).toBe(LIST_SCRIPT)
    await listAll(locations[0]!, env, reader) // a later read runs again: a verification never sees an old listing
    expect(calls).toHaveLength(2)
  })

  it('accepts one row printed as a bare object', async () => {
    const { env } = replaying('store-listing-one-row')
    expect(named(await listAll({ id: 'windows:CurrentUser\\Root', kind: 'windows', location: 'Cert:\\CurrentUser\\Root' }, env))).toEqual(['qaznet:trusted'])
  })

  it('turns output cut short into a clear error that names the command', async () => {
    const { env } = replaying('store-listing-truncated')
    const error = await listAll({ id: 'windows:CurrentUser\\Root', kind: 'windows', location: 'Cert:\\CurrentUser\\Root' }, env).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toMatchObject({ code: 'windows-bad-output', message: expect.stringMatching(/not the expected JSON \(it may have been cut short\).*Command: & 'C:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe' -NoProfile -NonInteractive -EncodedCommand <listing script>/) })
  })

  it('reports rows it cannot use and keeps the good ones', async () => {
    const { env } = replaying('store-listing-unexpected')
    const items = await listAll({ id: 'windows:CurrentUser\\Root', kind: 'windows', location: 'Cert:\\CurrentUser\\Root' }, env)
    expect(named(items)).toEqual(['problem:windows-thumbprint-mismatch', 'problem:windows-unexpected-output', 'problem:windows-unexpected-output', 'problem:windows-bad-certificate', 'qaznet:trusted'])
    expect(items[0]).toMatchObject({ message: expect.stringContaining(`has other bytes (SHA-1 ${certs.russian.sha1.toUpperCase()})`) })
  })

  it('says why when PowerShell fails or is missing, and still reports the roots win-ca sees, unattributed', async () => {
    const failed = replaying('powershell-failed')
    const error = await listAll({ id: 'windows:CurrentUser\\Root', kind: 'windows', location: 'Cert:\\CurrentUser\\Root' }, failed.env).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'windows-powershell-failed', message: expect.stringContaining('Method invocation is supported only on core types in this language mode') })

    const missing = replaying(null)
    const reader = createWindowsStore({ effectiveRoots: async () => [certs.qaznet.der] })
    const locations = await reader.discover(missing.env)
    expect(locations.map((l) => l.location)).toEqual(['Cert:\\CurrentUser\\Root', 'Cert:\\LocalMachine\\Root', WINDOWS_EFFECTIVE.location])
    await expect(listAll(locations[0]!, missing.env, reader)).rejects.toMatchObject({ code: 'windows-powershell-missing' })
    const effective = await listAll(WINDOWS_EFFECTIVE, missing.env, reader)
    expect(named(effective)).toEqual(['problem:windows-unattributed', 'qaznet:trusted'])
  })

  it('a damaged certificate from win-ca is a problem of its own; the other roots are still reported', async () => {
    const { env } = replaying('store-listing')
    const damaged = Buffer.from(certs.smartcard.der.subarray(0, 100))
    const reader = createWindowsStore({ effectiveRoots: async () => [damaged, certs.smartcard.der] })
    expect(named(await listAll(WINDOWS_EFFECTIVE, env, reader))).toEqual(['problem:windows-bad-certificate', 'smartcard:trusted'])
  })

  it("reports win-ca's trusted roots that no store explains (a smart card root)", async () => {
    const { env } = replaying('store-listing')
    const reader = createWindowsStore({ effectiveRoots: async () => [certs.qaznet.der, certs.corp.der, certs.smartcard.der] })
    const locations = await reader.discover(env)
    expect(locations.at(-1)).toEqual(WINDOWS_EFFECTIVE)
    expect(named(await listAll(WINDOWS_EFFECTIVE, env, reader))).toEqual(['smartcard:trusted'])
    // Nothing unexplained: no such location.
    const quiet = createWindowsStore({ effectiveRoots: async () => [certs.qaznet.der] })
    expect((await quiet.discover(env)).map((l) => l.id)).not.toContain(WINDOWS_EFFECTIVE.id)
  })

  it('finds nothing, and runs nothing, on Linux and macOS', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const calls: string[][] = []
      const env = createEnvironment({ platform, home: tempDir(), env: {}, run: async (command, args) => (calls.push([command, ...args]), { command: [command], exitCode: 1, stdout: Buffer.alloc(0), stderr: '' }) })
      expect(await createWindowsStore({ effectiveRoots: async () => [certs.qaznet.der] }).discover(env)).toEqual([])
      expect(calls).toEqual([])
    }
  })

  it('finds Firefox profiles under %APPDATA%\\Mozilla\\Firefox\\Profiles, notes that they trust the Windows store, and no Chromium database', async () => {
    const home = tempDir()
    const firefox = join(home, 'AppData', 'Roaming', 'Mozilla', 'Firefox')
    for (const profile of ['Profiles/abcd1234.default-release', 'Profiles/old.profile', 'Profiles/strict.profile']) {
      mkdirSync(join(firefox, profile), { recursive: true })
      writeFileSync(join(firefox, profile, 'cert9.db'), '')
    }
    mkdirSync(join(home, '.pki/nssdb'), { recursive: true })
    writeFileSync(join(firefox, 'Profiles/strict.profile/prefs.js'), 'user_pref("security.enterprise_roots.enabled", false);\n')
    writeFileSync(join(firefox, 'profiles.ini'), '[Profile0]\nName=default-release\nIsRelative=1\nPath=Profiles/abcd1234.default-release\n\n[Profile1]\nName=strict\nIsRelative=1\nPath=Profiles/strict.profile\n')
    const env = createEnvironment({ platform: 'win32', home, env: { APPDATA: join(home, 'AppData', 'Roaming') } })
    const locations = await nssStore.discover(env)
    expect(locations.map((l) => [l.location.slice(firefox.length + 1), l.note])).toEqual([
      ['Profiles/abcd1234.default-release', 'Firefox profile default-release; also trusts the roots added to the Windows certificate store (security.enterprise_roots.enabled)'],
      ['Profiles/strict.profile', 'Firefox profile strict'],
      ['Profiles/old.profile', 'Firefox profile folder old.profile (not listed in profiles.ini); also trusts the roots added to the Windows certificate store (security.enterprise_roots.enabled)'],
    ])
  })

  it('finds Firefox profiles on macOS under ~/Library/Application Support/Firefox/Profiles', async () => {
    const home = tempDir()
    const firefox = join(home, 'Library', 'Application Support', 'Firefox')
    mkdirSync(join(firefox, 'Profiles', 'x1.default-release'), { recursive: true })
    writeFileSync(join(firefox, 'profiles.ini'), '[Profile0]\nName=default-release\nIsRelative=1\nPath=Profiles/x1.default-release\n')
    const locations = await nssStore.discover(createEnvironment({ platform: 'darwin', home, env: {} }))
    expect(locations.map((l) => [l.location, l.note])).toEqual([
      [join(firefox, 'Profiles', 'x1.default-release'), 'Firefox profile default-release; also trusts the roots added to the macOS keychains (security.enterprise_roots.enabled)'],
    ])
  })
})
