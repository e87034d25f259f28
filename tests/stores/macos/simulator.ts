/**
 * A simulated Mac for the macOS tests: `security` and osascript cannot run on Linux, so this
 * CommandRunner keeps keychains and the user and admin trust settings in memory and answers each
 * command the way `man security` documents it, with the recorded output of tests/fixtures/macos (the
 * one place mocks are right: the tools cannot exist here). Keychain files are real files whose
 * content names the keychain, so reading a private copy finds the same certificates. The osascript
 * shell line is split back into words by the real /bin/sh, so a quoting mistake shows up here.
 */
import { spawnSync } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { CommandResult, CommandRunner } from '../../../src/stores/shared/command.js'
import { asResult, replay } from '../../support/recorded-output.js'

/** One usage constraint as the plist holds it (policy: base64 of the OID content bytes). */
export interface SimSetting {
  readonly policy?: string
  readonly policyName?: string
  readonly result?: number
  readonly policyString?: string
}

type Domain = 'user' | 'admin'
const POLICIES: Readonly<Record<string, readonly [string, string]>> = {
  ssl: ['KoZIhvdjZAED', 'sslServer'],
  basic: ['KoZIhvdjZAEC', 'basicX509'],
  smime: ['KoZIhvdjZAEI', 'SMIME'],
  eap: ['KoZIhvdjZAEJ', 'EAP'],
  codeSign: ['KoZIhvdjZAEQ', 'CodeSigning'],
}
const RESULTS: Readonly<Record<string, number>> = { trustRoot: 1, trustAsRoot: 2, deny: 3, unspecified: 4 }
const MARK = 'simulated keychain: '

const sha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex')
const sha1 = (der: Uint8Array) => createHash('sha1').update(der).digest('hex').toUpperCase()
const fail = (command: readonly string[], stderr: string, exitCode = 1): CommandResult => ({ command, exitCode, stdout: Buffer.alloc(0), stderr })
const ok = (command: readonly string[], stdout = ''): CommandResult => ({ command, exitCode: 0, stdout: Buffer.from(stdout), stderr: '' })

export class SimulatedMac {
  /** Keychains by their live path, then SHA-256. */
  readonly keychains = new Map<string, Map<string, Buffer>>()
  readonly trust: Record<Domain, Map<string, SimSetting[]>> = { user: new Map(), admin: new Map() }
  /** Every `security` command CertAudit ran, and whether it ran as root (through the admin prompt). */
  readonly calls: { readonly command: readonly string[]; readonly root: boolean }[] = []
  /** The answer in the administrator password dialog of osascript. */
  adminPrompt = true
  /** The answer in the password dialog macOS shows for a change of the user's own trust settings. */
  userPassword = true
  /** security says it succeeded and changes nothing. */
  lie = false
  /** Replaces what find-certificate prints (bad output tests). */
  findOutput: ReturnType<typeof replay> | null = null

  /** Creates a keychain file at `path` (its content names it) holding these certificates. */
  keychain(path: string, certificates: readonly { readonly der: Uint8Array }[] = []): this {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, `${MARK}${path}\n`)
    this.keychains.set(path, new Map(certificates.map((c) => [sha256(c.der), Buffer.from(c.der)])))
    return this
  }

  setTrust(domain: Domain, certificate: { readonly der: Uint8Array }, settings: SimSetting[]): this {
    this.trust[domain].set(sha1(certificate.der), settings)
    return this
  }

  readonly run: CommandRunner = async (command, args) => {
    if (command === '/usr/bin/security') return this.#security([command, ...args], false)
    if (command === '/usr/bin/osascript') return this.#osascript([command, ...args])
    throw new Error(`the simulated Mac has no ${command}`)
  }

  /** `do shell script … with administrator privileges`: /bin/sh splits the line, the command runs as root. */
  #osascript(argv: readonly string[]): CommandResult {
    const script = argv.slice(1, 7)
    if (script.join('\n') !== '-e\non run argv\n-e\ndo shell script (item 1 of argv) with prompt (item 2 of argv) with administrator privileges without altering line endings\n-e\nend run') {
      throw new Error(`unexpected AppleScript: ${script.join(' ')}`)
    }
    if (!this.adminPrompt) return asResult(argv, replay('macos', 'osascript-cancelled'))
    const words = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${argv[7]}`], { encoding: 'buffer' }).stdout.toString('utf8').split('\0').slice(0, -1)
    if (words[0] !== '/usr/bin/security') throw new Error(`the admin prompt ran ${words[0]}`)
    const result = this.#security(words, true)
    if (result.exitCode === 0) return ok(argv, `${result.stdout.toString('utf8')}\n`)
    return fail(argv, `0:152: execution error: ${result.stderr.trim()} (${result.exitCode})\n`)
  }

  #security(argv: readonly string[], root: boolean): CommandResult {
    this.calls.push({ command: argv, root })
    const [verb, ...rest] = argv.slice(1)
    const file = rest.at(-1)!
    const domain: Domain = rest.includes('-d') ? 'admin' : 'user'
    const denied = (what: string) => fail(argv, `${what}: The authorization was denied since no user interaction was possible.\n`)
    switch (verb) {
      case 'find-certificate': {
        if (this.findOutput) return asResult(argv, this.findOutput)
        const held = [...this.#keychainIn(file).values()]
        if (held.length === 0) return asResult(argv, replay('macos', 'find-certificate-empty'))
        return ok(argv, held.map((der) => `SHA-256 hash: ${sha256(der).toUpperCase()}\nSHA-1 hash: ${sha1(der)}\n${new X509Certificate(der).toString()}`).join(''))
      }
      case 'trust-settings-export': {
        if (this.trust[domain].size === 0) return asResult(argv, replay('macos', 'trust-settings-none'))
        writeFileSync(file, this.#plist(domain))
        return ok(argv)
      }
      case 'add-trusted-cert':
      case 'remove-trusted-cert': {
        if (domain === 'admin' && !root) return denied('SecTrustSettingsSetTrustSettings')
        if (domain === 'user' && !this.userPassword) return asResult(argv, replay('macos', 'trust-authorization-cancelled'))
        const hash = sha1(this.#certificateIn(file))
        if (verb === 'remove-trusted-cert') {
          if (!this.trust[domain].has(hash)) return fail(argv, 'SecTrustSettingsRemoveTrustSettings: The specified item could not be found in the keychain.\n')
          if (!this.lie) this.trust[domain].delete(hash)
          return ok(argv)
        }
        if (rest.includes('-k')) throw new Error('add-trusted-cert -k would add the certificate to a keychain')
        if (!this.lie) this.trust[domain].set(hash, settingsFrom(rest))
        return ok(argv)
      }
      case 'delete-certificate': {
        const [, hash, keychain] = rest as [string, string, string]
        if (keychain.endsWith('/System.keychain') && !root) return asResult(argv, replay('macos', 'delete-certificate-denied'))
        const held = this.keychains.get(keychain)!
        const found = [...held.entries()].find(([, der]) => sha1(der) === hash)
        if (!found) return fail(argv, `Unable to delete certificate matching "${hash}"\n`)
        if (!this.lie) held.delete(found[0])
        return ok(argv)
      }
      case 'add-certificates': {
        const keychain = rest[1]!
        if (keychain.endsWith('/System.keychain') && !root) return fail(argv, 'SecCertificateAddToKeychain: Write permissions error.\n')
        const der = this.#certificateIn(file)
        if (!this.lie) this.keychains.get(keychain)!.set(sha256(der), der)
        return ok(argv)
      }
      default:
        throw new Error(`the simulated security has no ${verb}`)
    }
  }

  /** The keychain a (copied) keychain file names. */
  #keychainIn(file: string): Map<string, Buffer> {
    const path = readFileSync(file, 'utf8').trim().slice(MARK.length)
    const held = this.keychains.get(path)
    if (!held) throw new Error(`${file} is not a simulated keychain`)
    return held
  }

  #certificateIn(file: string): Buffer {
    return Buffer.from(new X509Certificate(readFileSync(file)).raw)
  }

  /** The domain's settings as trust-settings-export writes them (an XML plist keyed by SHA-1). */
  #plist(domain: Domain): string {
    const entries = [...this.trust[domain]].map(([hash, settings]) => {
      const dicts = settings.map((s) => {
        const keys = [
          s.policy ? `<key>kSecTrustSettingsPolicy</key><data>${s.policy}</data>` : '',
          s.policyName ? `<key>kSecTrustSettingsPolicyName</key><string>${s.policyName}</string>` : '',
          s.policyString ? `<key>kSecTrustSettingsPolicyString</key><string>${s.policyString}</string>` : '',
          s.result !== undefined ? `<key>kSecTrustSettingsResult</key><integer>${s.result}</integer>` : '',
        ]
        return `<dict>${keys.join('')}</dict>`
      })
      const array = dicts.length ? `<array>${dicts.join('')}</array>` : '<array/>'
      return `<key>${hash}</key><dict><key>issuerName</key><data>AA==</data><key>modDate</key><date>2024-09-30T08:15:02Z</date><key>serialNumber</key><data>AQ==</data><key>trustSettings</key>${array}</dict>`
    })
    return `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>trustList</key><dict>${entries.join('')}</dict><key>trustVersion</key><integer>1</integer></dict></plist>\n`
  }
}

/** The constraints add-trusted-cert writes for its options (trusted_cert_add.c): one per -p, each with the -r result. */
function settingsFrom(args: readonly string[]): SimSetting[] {
  let result = 1
  const policies: string[] = []
  let constrained = false
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-r') {
      result = RESULTS[args[++i]!]!
      constrained = true
    } else if (args[i] === '-p') {
      policies.push(args[++i]!)
      constrained = true
    }
  }
  if (!constrained) return []
  const withResult = result === 1 ? {} : { result }
  if (policies.length === 0) return [withResult]
  return policies.map((p) => ({ policy: POLICIES[p]![0], policyName: POLICIES[p]![1], ...withResult }))
}
