/**
 * The macOS writer's commands, on a simulated Mac (macos-simulator.ts) that answers with the recorded
 * `security` and osascript output of tests/fixtures/macos, because neither can run on Linux.
 * Checked here: every `security` command as an argument array with the right flags, the admin prompt
 * asked for exactly for the System keychain and the admin trust domain, undo writing back the very
 * trust settings the user had, and a cancelled password prompt reported as such.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { macKeychains, MACOS_SEARCH_LIST, type KeychainKind } from '../../../src/stores/macos/discover.js'
import { macosWriter } from '../../../src/stores/macos/write.js'
import type { Elevation, EntryTarget } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { SimulatedMac, type SimSetting } from './simulator.js'
import { inWords } from '../../support/notices.js'

const SECURITY = '/usr/bin/security'
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const SHA1 = qaznet.sha1.toUpperCase()
const SSL_AND_BASIC: SimSetting[] = [
  { policy: 'KoZIhvdjZAED', policyName: 'sslServer' },
  { policy: 'KoZIhvdjZAEC', policyName: 'basicX509' },
]

function machine(kind: KeychainKind, setup: (mac: SimulatedMac) => void = () => {}) {
  const dir = tempDir()
  const base = createEnvironment({ platform: 'darwin', home: join(dir, 'Users/aigerim'), systemRoot: join(dir, 'root'), env: {} })
  const mac = new SimulatedMac()
  for (const keychain of macKeychains(base).slice(0, 3)) mac.keychain(keychain.path, keychain.kind === kind ? [qaznet] : [])
  setup(mac)
  const env: Environment = { ...base, run: mac.run }
  const real = createElevation(env, { isRoot: false })
  const asked: { command: string[]; admin: boolean }[] = []
  const elevation: Elevation = { run: (command, args, options) => (asked.push({ command: [command, ...args], admin: options.admin }), real.run(command, args, options)) }
  const path = macKeychains(base).find((k) => k.kind === kind)!.path
  const target: EntryTarget = { storeId: `macos:${path}`, kind: 'macos', location: path, entry: SHA1, sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }
  return { mac, env, elevation, asked, path, target }
}

/** The certificate file argument is a fresh temp path: shown as <file>. */
const shown = (asked: readonly { command: string[]; admin: boolean }[]) => asked.map((a) => ({ ...a, command: a.command.map((arg) => (arg.endsWith('certificate.pem') ? '<file>' : arg)) }))

describe('macosWriter, on a simulated Mac', () => {
  it('offers what each keychain allows, asks for admin rights where they are needed, and explains the rest', async () => {
    const login = machine('login', (mac) => mac.setTrust('user', qaznet, SSL_AND_BASIC))
    expect(inWords(await macosWriter.capabilities(login.target, login.env))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: false, warning: 'macOS asks for your password to change your own trust settings.' })
    const system = machine('system', (mac) => mac.setTrust('admin', qaznet, []))
    expect(inWords(await macosWriter.capabilities(system.target, system.env))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: true })
    const roots = machine('system-roots')
    expect(inWords(await macosWriter.capabilities(roots.target, roots.env))).toMatchObject({ modes: ['distrust'], needsAdmin: true, warning: expect.stringContaining('distrusted for every user of this Mac instead of deleted') })
    const limited = machine('login', (mac) => mac.setTrust('user', qaznet, [{ policy: 'KoZIhvdjZAED', policyString: 'intranet.example.kz' }]))
    expect(inWords(await macosWriter.capabilities(limited.target, limited.env))).toMatchObject({ modes: [], manual: expect.stringContaining('could not put back exactly') })
    expect(inWords(await macosWriter.capabilities({ ...login.target, location: MACOS_SEARCH_LIST.location }, login.env))).toMatchObject({ modes: [], manual: expect.stringContaining('Keychain Access') })
  })

  it('deletes from the login keychain as the user (trust settings first), and undo re-adds it with its original trust', async () => {
    const { mac, env, elevation, asked, path, target } = machine('login', (m) => m.setTrust('user', qaznet, SSL_AND_BASIC))
    const backup = await macosWriter.backup(target, env)
    expect(backup.data).toMatchObject({ keychain: path, kind: 'login', sha1: SHA1, adminTrust: null })
    expect(await macosWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: true })
    expect([mac.keychains.get(path)!.size, mac.trust.user.size]).toEqual([0, 0])
    expect(await macosWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(mac.keychains.get(path)!.has(qaznet.sha256)).toBe(true)
    expect(mac.trust.user.get(SHA1)).toEqual(SSL_AND_BASIC)
    expect(shown(asked)).toEqual([
      { command: [SECURITY, 'remove-trusted-cert', '<file>'], admin: false },
      { command: [SECURITY, 'delete-certificate', '-Z', SHA1, path], admin: false },
      { command: [SECURITY, 'add-certificates', '-k', path, '<file>'], admin: false },
      { command: [SECURITY, 'add-trusted-cert', '-r', 'trustRoot', '-p', 'ssl', '-p', 'basic', '<file>'], admin: false },
    ])
    expect(mac.calls.every((c) => !c.root)).toBe(true)
  })

  it('changes the System keychain and the admin trust settings through the administrator prompt', async () => {
    const { mac, env, elevation, asked, path, target } = machine('system', (m) => m.setTrust('admin', qaznet, []))
    const backup = await macosWriter.backup(target, env)
    expect(await macosWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: true })
    expect(await macosWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(mac.trust.admin.get(SHA1)).toEqual([])
    expect(shown(asked)).toEqual([
      { command: [SECURITY, 'remove-trusted-cert', '-d', '<file>'], admin: true },
      { command: [SECURITY, 'delete-certificate', '-Z', SHA1, path], admin: true },
      { command: [SECURITY, 'add-certificates', '-k', path, '<file>'], admin: true },
      { command: [SECURITY, 'add-trusted-cert', '-d', '<file>'], admin: true },
    ])
    // Each ran as root, through osascript's administrator prompt; only the reads ran as the user.
    expect(mac.calls.filter((c) => c.root).map((c) => c.command[1])).toEqual(['remove-trusted-cert', 'delete-certificate', 'add-certificates', 'add-trusted-cert'])
    expect(mac.calls.filter((c) => !c.root).every((c) => ['find-certificate', 'trust-settings-export'].includes(c.command[1]!))).toBe(true)
  })

  it("distrusts Apple's own root in the admin domain with add-trusted-cert -d -r deny, never adding it to a keychain, and undo removes the setting", async () => {
    const { mac, env, elevation, asked, target } = machine('system-roots')
    const backup = await macosWriter.backup(target, env)
    expect(await macosWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: false, message: expect.stringContaining('choose distrust') })
    expect(await macosWriter.apply(backup, 'distrust', env, elevation)).toMatchObject({ ok: true })
    expect(mac.trust.admin.get(SHA1)).toEqual([{ result: 3 }])
    expect(await macosWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(mac.trust.admin.size).toBe(0)
    expect(shown(asked)).toEqual([
      { command: [SECURITY, 'add-trusted-cert', '-d', '-r', 'deny', '<file>'], admin: true },
      { command: [SECURITY, 'remove-trusted-cert', '-d', '<file>'], admin: true },
    ])
  })

  it("also denies in the user's own domain when the user trusts a System keychain root (user settings override admin ones)", async () => {
    const { mac, env, elevation, asked, target } = machine('system', (m) => m.setTrust('admin', qaznet, []).setTrust('user', qaznet, SSL_AND_BASIC))
    const backup = await macosWriter.backup(target, env)
    expect(await macosWriter.apply(backup, 'distrust', env, elevation)).toMatchObject({ ok: true })
    expect(shown(asked)).toEqual([
      { command: [SECURITY, 'add-trusted-cert', '-d', '-r', 'deny', '<file>'], admin: true },
      { command: [SECURITY, 'add-trusted-cert', '-r', 'deny', '<file>'], admin: false },
    ])
    expect(await macosWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect([mac.trust.admin.get(SHA1), mac.trust.user.get(SHA1)]).toEqual([[], SSL_AND_BASIC])
  })

  it('reports a cancelled password prompt (the administrator one, or the one macOS shows for user trust), with nothing changed', async () => {
    const system = machine('system', (m) => m.setTrust('admin', qaznet, []))
    system.mac.adminPrompt = false
    const denied = await macosWriter.apply(await macosWriter.backup(system.target, system.env), 'delete', system.env, system.elevation)
    expect(denied).toMatchObject({ ok: false, message: expect.stringContaining('the password prompt was cancelled') })
    expect(denied.commands[0]!.stderr).toBe('The macOS administrator password prompt was cancelled; nothing was changed.')
    expect(system.mac.keychains.get(system.path)!.size).toBe(1)

    const login = machine('login', (m) => m.setTrust('user', qaznet, SSL_AND_BASIC))
    login.mac.userPassword = false
    const refused = await macosWriter.apply(await macosWriter.backup(login.target, login.env), 'distrust', login.env, login.elevation)
    expect(refused).toMatchObject({ ok: false, message: 'security could not change the user trust settings (add-trusted-cert): the password prompt was cancelled.' })
    expect(login.mac.trust.user.get(SHA1)).toEqual(SSL_AND_BASIC)
  })

  it('names the command and what security said when it fails, and says what already ran', async () => {
    const { mac, env, elevation, target } = machine('system', (m) => m.setTrust('admin', qaznet, []))
    const backup = await macosWriter.backup(target, env)
    // As if the delete skipped the admin prompt: the admin setting goes, then the System keychain refuses the delete.
    const partly: Elevation = { run: (command, args, options) => elevation.run(command, args, args[0] === 'delete-certificate' ? { admin: false } : options) }
    const outcome = await macosWriter.apply(backup, 'delete', env, partly)
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/^security could not delete it from .*System\.keychain: \/usr\/bin\/security delete-certificate -Z \w{40} .*System\.keychain failed \(exit code 1\): SecKeychainItemDelete: Write permissions error\. The command before it did run; undo puts everything back\.$/) })
    expect(mac.trust.admin.size).toBe(0)
    expect(await macosWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(mac.trust.admin.get(SHA1)).toEqual([])
  })

  it('refuses a backup whose facts do not match, and a certificate that is gone', async () => {
    const { env, elevation, asked, target, mac, path } = machine('login', (m) => m.setTrust('user', qaznet, SSL_AND_BASIC))
    const backup = await macosWriter.backup(target, env)
    for (const data of [{ ...backup.data, sha1: '0'.repeat(40) }, { ...backup.data, kind: 'system' as const }, { ...backup.data, userTrust: '[{"policy":1}]' }]) {
      expect(await macosWriter.apply({ ...backup, data }, 'delete', env, elevation)).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('cannot be used') })
    }
    mac.keychains.get(path)!.clear()
    await expect(macosWriter.backup(target, env)).rejects.toMatchObject({ code: 'entry-missing' })
    expect(await macosWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: true, commands: [], warnings: [expect.stringContaining('already gone')] })
    expect(asked).toEqual([])
  })
})
