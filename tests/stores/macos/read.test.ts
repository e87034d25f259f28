/**
 * The macOS reader against recorded `security` output (tests/fixtures/macos): `security` cannot run
 * on Linux, so find-certificate's output and trust-settings-export's file are replayed in their
 * documented formats, with certificates generated here. What is real: reading a private copy of the
 * keychain file, the parsing and its checks, and the trust rules.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { parsePlist } from '../../../src/stores/shared/plist.js'
import { createMacosStore } from '../../../src/stores/macos/index.js'
import { MACOS_SEARCH_LIST, macKeychains } from '../../../src/stores/macos/discover.js'
import { decide, parseTrustExport, restoreFlags } from '../../../src/stores/macos/trust-settings.js'
import { StoreError, type ListItem, type StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { asResult, replay, type Replayed } from '../../support/recorded-output.js'
import { tempDir } from '../../support/temp.js'
import { SimulatedMac } from './simulator.js'

const ca = (cn: string, country = 'KZ') => makeCertificate({ subject: [['C', country], ['CN', cn]] })
const certs = { qaznet: ca('Qaznet Trust Network'), russian: ca('Russian Trusted Root CA', 'RU'), corp: ca('Example Corp Root', 'US'), limited: ca('Intranet Root', 'US'), other: ca('Other Root', 'US') }
const noOthers = { certificates: async () => [] }

interface Recording {
  readonly find: string
  readonly user?: string
  readonly admin?: string
}

/** A Mac whose `security` answers with recorded fixtures; records what it was asked. */
function recordedMac(recording: Recording): { env: Environment; calls: string[][]; login: string } {
  const dir = tempDir()
  const env0 = createEnvironment({ platform: 'darwin', home: join(dir, 'Users/aigerim'), systemRoot: join(dir, 'root'), env: {} })
  const login = macKeychains(env0)[2]!.path
  new SimulatedMac().keychain(login) // a real file to copy
  const calls: string[][] = []
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args])
    const answer = (name: string): Replayed => replay('macos', name, certs)
    if (args[0] === 'find-certificate') return asResult([command, ...args], answer(recording.find))
    const fixture = args.includes('-d') ? recording.admin : recording.user
    const replayed = answer(fixture ?? 'trust-settings-none')
    if (replayed.file) writeFileSync(args.at(-1)!, replayed.file)
    return asResult([command, ...args], replayed)
  }
  return { env: { ...env0, run }, calls, login }
}

async function listAll(location: StoreLocation, env: Environment, reader = createMacosStore(noOthers)): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of reader.list(location, env)) items.push(item)
  return items
}

const loginOf = (login: string): StoreLocation => ({ id: `macos:${login}`, kind: 'macos', location: login })
const nameOf = (der: Uint8Array) => Object.entries(certs).find(([, c]) => c.der.equals(der))?.[0] ?? '?'
const named = (items: readonly ListItem[]) => items.map((i) => (i.type === 'entry' ? `${nameOf(i.der)}:${i.trust}` : `problem:${i.code}`))

describe('macOS keychains, from recorded security output', () => {
  it('lists the login keychain with the trust the user set: Always Trust is trusted, Never Trust is distrusted', async () => {
    const { env, login } = recordedMac({ find: 'find-certificate-login', user: 'trust-settings-user' })
    const items = await listAll(loginOf(login), env)
    expect(named(items)).toEqual(['qaznet:trusted', 'russian:distrusted'])
    expect(items[0]).toMatchObject({ entry: certs.qaznet.sha1.toUpperCase() })
  })

  it('reads a private copy of the keychain file, never the live one, and both trust domains', async () => {
    const { env, calls, login } = recordedMac({ find: 'find-certificate-login' })
    await listAll(loginOf(login), env)
    const find = calls.find((c) => c[1] === 'find-certificate')!
    expect(find.slice(0, 5)).toEqual(['/usr/bin/security', 'find-certificate', '-a', '-Z', '-p'])
    expect(find[5]).not.toBe(login)
    expect(find[5]).toMatch(/certaudit-keychain-.*login\.keychain-db$/)
    // The user and admin exports run at the same time: their order is not fixed.
    expect(calls.filter((c) => c[1] === 'trust-settings-export').map((c) => c.slice(1, -1).join(' ')).sort()).toEqual(['trust-settings-export', 'trust-settings-export -d'])
    expect(readFileSync(login, 'utf8')).toContain('simulated keychain') // untouched
  })

  it('without trust settings, only Apple roots are trusted: a certificate in the System keychain is merely present', async () => {
    const { env, login } = recordedMac({ find: 'find-certificate-sha1-only' })
    const [systemRoots, system] = macKeychains(env)
    for (const keychain of [systemRoots!, system!]) new SimulatedMac().keychain(keychain.path)
    expect(named(await listAll(loginOf(systemRoots!.path), env))).toEqual(['qaznet:trusted'])
    expect(named(await listAll(loginOf(system!.path), env))).toEqual(['qaznet:not-trusted'])
    expect(named(await listAll(loginOf(login), env))).toEqual(['qaznet:not-trusted'])
  })

  it('admin settings count for every user; a hostname-limited trust still counts as trusted', async () => {
    const { env } = recordedMac({ find: 'find-certificate-login', admin: 'trust-settings-admin' })
    const system = macKeychains(env)[1]!
    new SimulatedMac().keychain(system.path)
    const admin = parseTrustExport(replay('macos', 'trust-settings-admin', certs).file)
    expect(decide(admin.get(certs.corp.sha1.toUpperCase()))).toBe('trusted')
    expect(decide(admin.get(certs.limited.sha1.toUpperCase()))).toBe('trusted')
    expect(restoreFlags(admin.get(certs.limited.sha1.toUpperCase())!)).toBeNull() // cannot be written back exactly
    expect(restoreFlags(admin.get(certs.corp.sha1.toUpperCase())!)).toEqual([])
  })

  it('turns output cut short into a problem and keeps the certificates before it', async () => {
    const { env, login } = recordedMac({ find: 'find-certificate-truncated', user: 'trust-settings-user' })
    const items = await listAll(loginOf(login), env)
    expect(named(items)).toEqual(['problem:macos-truncated-output', 'qaznet:trusted'])
    expect(items[0]).toMatchObject({ message: expect.stringMatching(/^The output of "\/usr\/bin\/security find-certificate -a -Z -p .*login\.keychain-db" ends inside a certificate: it may have been cut short/) })
  })

  it('refuses a certificate whose printed hashes are not its own, and reports lines it does not understand', async () => {
    const { env, login } = recordedMac({ find: 'find-certificate-mismatch', user: 'trust-settings-user' })
    expect(named(await listAll(loginOf(login), env))).toEqual(['problem:macos-hash-mismatch', 'problem:macos-unexpected-output', 'qaznet:trusted'])
  })

  it('reads a keychain without certificates (exit code 44) as empty, and a missing keychain as a clear error', async () => {
    const { env, login } = recordedMac({ find: 'find-certificate-empty' })
    expect(await listAll(loginOf(login), env)).toEqual([])
    const system = macKeychains(env)[1]!
    const error = await listAll(loginOf(system.path), env).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toMatchObject({ code: 'enoent', message: expect.stringContaining('System.keychain') })
  })

  it('reports trust settings it cannot read, and then counts every certificate as trusted rather than hide one', async () => {
    const { env, login } = recordedMac({ find: 'find-certificate-login', user: 'trust-settings-truncated' })
    const items = await listAll(loginOf(login), env)
    expect(named(items)).toEqual(['problem:macos-bad-trust-settings', 'qaznet:trusted', 'russian:trusted'])
    expect(items[0]).toMatchObject({ message: expect.stringContaining('could not be read: the document ends early (it may have been cut short). Every certificate here is reported as trusted') })
  })

  it('discovers the keychains that exist on a Mac, the search list only when mac-ca sees more, and nothing elsewhere', async () => {
    const { env } = recordedMac({ find: 'find-certificate-empty' })
    const reader = createMacosStore({ certificates: async () => [certs.other.der] })
    const found = await reader.discover(env)
    expect(found.map((l) => l.location)).toEqual([macKeychains(env)[2]!.path, MACOS_SEARCH_LIST.location])
    expect(named(await listAll(MACOS_SEARCH_LIST, env, reader))).toEqual(['other:not-trusted'])
    expect((await createMacosStore(noOthers).discover(env)).map((l) => l.id)).not.toContain(MACOS_SEARCH_LIST.id)
    for (const platform of ['linux', 'win32'] as const) expect(await reader.discover({ ...env, platform })).toEqual([])
  })

  it('decides trust as Apple does: the first matching constraint with a definite result wins', () => {
    const ssl = '1.2.840.113635.100.1.3'
    const basic = '1.2.840.113635.100.1.2'
    const s = (policy: string | undefined, result: number, constrained = false) => ({ ...(policy ? { policy } : {}), result, constrained, unknownKeys: [] })
    expect(decide(undefined)).toBeUndefined()
    expect(decide([])).toBe('trusted')
    expect(decide([s(ssl, 3), s(undefined, 1)])).toBe('distrusted')
    expect(decide([s(basic, 3), s(ssl, 4), s(undefined, 1)])).toBe('trusted')
    expect(decide([s(ssl, 3, true)])).toBeUndefined() // a deny limited to one host does not distrust it everywhere
    expect(decide([s('1.2.840.113635.100.1.8', 1)])).toBeUndefined() // S/MIME only: says nothing about websites
    expect(restoreFlags([s(ssl, 2), s(basic, 2)])).toEqual(['-r', 'trustAsRoot', '-p', 'ssl', '-p', 'basic'])
    expect(restoreFlags([s(ssl, 1), s(basic, 3)])).toBeNull()
  })

  it('reads only well-formed property lists', () => {
    const plist = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">${body}</plist>`
    expect(parsePlist(plist('<dict><key>a &amp; b</key><array><integer>-3</integer><true/><data>AQI=</data><string/></array></dict>'))).toEqual(new Map([['a & b', [-3, true, new Uint8Array([1, 2]), '']]]))
    for (const bad of ['<dict><key>a</key></dict>', '<dict><key>a</key><integer>1.5</integer></dict>', '<dict><key>a</key><string>x</string><key>a</key><string>y</string></dict>', '<array><string>cut', '<dict><foo/></dict>']) {
      expect(() => parsePlist(plist(bad)), bad).toThrow()
    }
  })
})
