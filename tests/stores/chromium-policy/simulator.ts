/**
 * A simulated Windows registry for the Chromium policy tests: PowerShell and the registry cannot
 * exist on Linux, so this CommandRunner keeps keys and values in memory and answers the policy
 * listing script (registry.ts) with the rows that script prints, in the shape ConvertTo-Json gives
 * them (tests/fixtures/windows/chromium-policy-listing.json is one such output, written down). It
 * walks the keys as the script does: HKLM and HKCU, SOFTWARE\Policies and SOFTWARE\WOW6432Node\Policies,
 * names compared without case as the registry and PowerShell's -contains compare them.
 */
import type { CommandRunner } from '../../../src/stores/shared/command.js'
import { CA_POLICIES, PLATFORM_INTEGRATION } from '../../../src/stores/chromium-policy/policies.js'
import { POLICY_SCRIPT_MARKER } from '../../../src/stores/chromium-policy/registry.js'
import { asResult, type Replayed } from '../../support/recorded-output.js'
import { decodePowerShell } from '../windows/simulator.js'

/** .NET's RegistryValueKind names, as GetValueKind().ToString() prints them. */
export type ValueKind = 'String' | 'ExpandString' | 'DWord' | 'QWord' | 'MultiString' | 'Binary'

interface Key {
  readonly name: string
  readonly values: Map<string, { readonly name: string; readonly kind: ValueKind; readonly data: unknown }>
  readonly keys: Map<string, Key>
}

const NAMES = new Set([...Object.keys(CA_POLICIES), PLATFORM_INTEGRATION].map((n) => n.toLowerCase()))
const newKey = (name: string): Key => ({ name, values: new Map(), keys: new Map() })

export class SimulatedRegistry {
  readonly hives = { HKLM: newKey('HKLM'), HKCU: newKey('HKCU') }
  /** Keys whose opening fails (access denied), by path as the script prints it. */
  readonly denied = new Set<string>()
  /** Replaces what PowerShell prints (bad output tests). */
  listing: Replayed | null = null
  runs = 0

  /** Sets a value at `path` (`HKLM\SOFTWARE\Policies\Google\Chrome\CACertificates`), creating the keys. */
  set(path: string, name: string, kind: ValueKind, data: unknown): this {
    this.#key(path).values.set(name.toLowerCase(), { name, kind, data })
    return this
  }

  /** Deletes a value (what the manual steps tell people to do). */
  delete(path: string, name: string): void {
    this.#key(path).values.delete(name.toLowerCase())
  }

  readonly run: CommandRunner = async (command, args) => {
    if (!command.toLowerCase().endsWith('powershell.exe') || !decodePowerShell(args).startsWith(POLICY_SCRIPT_MARKER)) throw new Error(`the simulated registry has no ${command}`)
    this.runs++
    return asResult([command, ...args], this.listing ?? { exitCode: 0, stdout: JSON.stringify(this.rows()), stderr: '', file: '' })
  }

  /** What the script prints: a row per key holding a CA policy (or an error row), walked as the script walks. */
  rows(): object[] {
    const rows: object[] = []
    const visit = (key: Key, path: string, depth: number) => {
      if (this.denied.has(path)) return void rows.push({ Key: path, Error: 'Requested registry access is not allowed.' })
      const lists = [...key.keys.values()].filter((k) => NAMES.has(k.name.toLowerCase())).map((k) => ({ Name: k.name, Tree: tree(k, 0) }))
      const values = [...key.values.values()].filter((v) => NAMES.has(v.name.toLowerCase())).map(valueRow)
      if (lists.length || values.length) rows.push({ Key: path, Values: values, Lists: lists })
      if (depth >= 5) return
      for (const sub of key.keys.values()) if (!NAMES.has(sub.name.toLowerCase())) visit(sub, `${path}\\${sub.name}`, depth + 1)
    }
    for (const hive of ['HKLM', 'HKCU'] as const) {
      for (const root of ['SOFTWARE\\Policies', 'SOFTWARE\\WOW6432Node\\Policies']) {
        const key = this.#find(`${hive}\\${root}`)
        if (key) visit(key, `${hive}\\${root}`, 0)
      }
    }
    return rows
  }

  #find(path: string): Key | undefined {
    const [hive, ...parts] = path.split('\\')
    let key: Key | undefined = this.hives[hive as 'HKLM' | 'HKCU']
    for (const part of parts) key = key?.keys.get(part.toLowerCase())
    return key
  }

  #key(path: string): Key {
    const [hive, ...parts] = path.split('\\')
    let key: Key = this.hives[hive as 'HKLM' | 'HKCU']
    for (const part of parts) {
      const next = key.keys.get(part.toLowerCase()) ?? newKey(part)
      key.keys.set(part.toLowerCase(), next)
      key = next
    }
    return key
  }
}

function valueRow(value: { readonly name: string; readonly kind: ValueKind; readonly data: unknown }): object {
  return { Name: value.name, Kind: value.kind, Data: value.data instanceof Uint8Array ? Buffer.from(value.data).toString('base64') : value.data }
}

function tree(key: Key, depth: number): object {
  return { Values: [...key.values.values()].map(valueRow), Keys: depth < 4 ? [...key.keys.values()].map((k) => ({ Name: k.name, Tree: tree(k, depth + 1) })) : [] }
}
