/**
 * A simulated Windows for the Windows tests: PowerShell, UAC and certutil.exe cannot run on Linux, so
 * this CommandRunner keeps the certificate stores in memory and answers each command the way the real
 * tool does, with the recorded output of tests/fixtures/windows (the one place mocks are right: the
 * tools cannot exist here). It decodes what CertAudit really sends: the listing script, and the UAC
 * wrapper whose elevated script it takes apart with its own reading of PowerShell's quoting rules, so
 * a quoting mistake in elevation-scripts.ts shows up as a wrong command here.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { CommandResult, CommandRunner } from '../../../src/stores/shared/command.js'
import { LIST_SCRIPT_MARKER, STORE_TITLES, type WindowsLocationName, type WindowsStoreName } from '../../../src/stores/windows/query.js'
import { asResult, replay, type Replayed } from '../../support/recorded-output.js'

interface Held {
  readonly der: Buffer
  readonly friendlyName: string
}

const sha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex')
const sha1 = (der: Uint8Array) => createHash('sha1').update(der).digest('hex').toUpperCase()
const QUOTES = `'\u2018\u2019\u201a\u201b`

/** The single-quoted literals of a line of PowerShell, unescaped: a doubled quote character is one quote. */
export function powerShellLiterals(line: string): string[] {
  const literal = new RegExp(`'((?:[^${QUOTES}]|([${QUOTES}])\\2)*)'`, 'g')
  return [...line.matchAll(literal)].map((m) => m[1]!.replace(new RegExp(`([${QUOTES}])\\1`, 'g'), '$1'))
}

/** A PowerShell script from `-EncodedCommand`'s argument (base64 of UTF-16LE). */
export function decodePowerShell(args: readonly string[]): string {
  const at = args.indexOf('-EncodedCommand')
  if (at < 0) throw new Error(`PowerShell was started without -EncodedCommand: ${args.join(' ')}`)
  return Buffer.from(args[at + 1]!, 'base64').toString('utf16le')
}

export class SimulatedWindows {
  /** Physical stores, by `Location\Store`, then SHA-256. */
  readonly physical = new Map<string, Map<string, Held>>()
  /** Every command CertAudit ran, and whether it ran elevated (through the UAC wrapper). */
  readonly calls: { readonly command: readonly string[]; readonly elevated: boolean }[] = []
  /** The user's answer in Windows' own confirmation window for this user's Root store. */
  confirm = true
  /** The user's answer in the UAC dialog. */
  uac = true
  /** certutil says it succeeded and changes nothing. */
  lie = false
  /** Replaces the listing PowerShell prints (bad output tests). */
  listing: Replayed | null = null

  put(location: WindowsLocationName, store: WindowsStoreName, certificate: { readonly der: Uint8Array }, friendlyName = ''): this {
    const key = `${location}\\${store}`
    const held = this.physical.get(key) ?? new Map<string, Held>()
    held.set(sha256(certificate.der), { der: Buffer.from(certificate.der), friendlyName })
    this.physical.set(key, held)
    return this
  }

  has(location: WindowsLocationName, store: WindowsStoreName, certificate: { readonly sha256: string }): boolean {
    return this.physical.get(`${location}\\${store}`)?.has(certificate.sha256) ?? false
  }

  readonly run: CommandRunner = async (command, args) => {
    const name = command.split('\\').pop()!.toLowerCase()
    if (name === 'powershell.exe') {
      const script = decodePowerShell(args)
      if (script.startsWith(LIST_SCRIPT_MARKER)) {
        this.calls.push({ command: [command, '<listing script>'], elevated: false })
        return asResult([command, ...args], this.listing ?? { exitCode: 0, stdout: JSON.stringify(this.rows()), stderr: '', file: '' })
      }
      if (script.includes('Start-Process')) return this.#uac(command, args, script)
    }
    if (name === 'certutil.exe') return this.#certutil([command, ...args], false)
    throw new Error(`the simulated Windows has no ${command}`)
  }

  /** What the listing script prints: each place's own (physical) store, read from the registry. */
  rows(): object[] {
    const rows: object[] = []
    for (const location of ['CurrentUser', 'LocalMachine', 'CurrentUserGroupPolicy', 'LocalMachineGroupPolicy', 'LocalMachineEnterprise'] as const) {
      for (const store of Object.keys(STORE_TITLES) as WindowsStoreName[]) {
        for (const held of this.physical.get(`${location}\\${store}`)?.values() ?? []) {
          rows.push({ Location: location, Store: store, Thumbprint: sha1(held.der), FriendlyName: held.friendlyName, RawData: held.der.toString('base64') })
        }
      }
    }
    return rows
  }

  /** The UAC wrapper: take the elevated script out of Start-Process, run its command elevated, write its output file. */
  #uac(command: string, args: readonly string[], script: string): CommandResult {
    if (!this.uac) return asResult([command, ...args], replay('windows', 'uac-cancelled'))
    const start = script.split('\n').find((line) => line.includes('Start-Process'))!
    const literals = powerShellLiterals(start)
    const elevated = Buffer.from(literals[literals.indexOf('-EncodedCommand') + 1]!, 'base64').toString('utf16le')
    const call = elevated.split('\n').find((line) => line.startsWith('& '))!
    const [beforeRedirect, afterRedirect] = call.split(' 2>&1 ')
    const argv = powerShellLiterals(beforeRedirect!)
    const outFile = powerShellLiterals(afterRedirect!)[0]!
    if (!/-NoClobber/.test(afterRedirect!)) throw new Error('the elevated script may write through a file planted at its output path')
    const result = this.#certutil(argv, true)
    if (existsSync(outFile)) throw new Error(`Out-File -NoClobber: ${outFile} exists already`)
    writeFileSync(outFile, `\uFEFF${result.stdout.toString('utf8')}`)
    return { command: [command, ...args], exitCode: result.exitCode, stdout: Buffer.alloc(0), stderr: '' }
  }

  #certutil(argv: readonly string[], elevated: boolean): CommandResult {
    this.calls.push({ command: argv, elevated })
    const args = argv.slice(1)
    const user = args[0] === '-user'
    const [verb, store, operand] = args.slice(user ? 1 : 0) as [string, WindowsStoreName, string]
    const location: WindowsLocationName = user ? 'CurrentUser' : 'LocalMachine'
    const values = { store, title: STORE_TITLES[store], verb: verb.slice(1) }
    if (!user && !elevated) return asResult(argv, replay('windows', 'certutil-access-denied', values))
    if (user && store === 'Root' && !this.confirm) return asResult(argv, replay('windows', 'certutil-cancelled', values))
    const key = `${location}\\${store}`
    const held = this.physical.get(key) ?? new Map<string, Held>()
    this.physical.set(key, held)
    if (verb === '-delstore') {
      const found = [...held.entries()].find(([, h]) => sha1(h.der) === operand.toUpperCase())
      if (!found) return asResult(argv, replay('windows', 'certutil-delstore-absent', values))
      if (!this.lie) held.delete(found[0])
      return asResult(argv, replay('windows', 'certutil-delstore', { ...values, cert: { der: found[1].der } }))
    }
    if (verb === '-addstore') {
      const bytes = readFileSync(operand)
      const der = bytes.includes('-----BEGIN') ? Buffer.from(new X509Certificate(bytes).raw) : bytes
      if (!this.lie) held.set(sha256(der), { der, friendlyName: '' })
      return asResult(argv, replay('windows', 'certutil-addstore', { ...values, cert: { der } }))
    }
    throw new Error(`the simulated certutil does not know ${verb}`)
  }
}
