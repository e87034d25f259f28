/**
 * Chromium-family policies in the Windows registry: every key under HKLM and HKCU
 * `SOFTWARE\Policies` (and the 32-bit view's `SOFTWARE\WOW6432Node\Policies`) that holds a CA
 * certificate policy, read in one PowerShell run, whichever browser the key belongs to.
 *
 * The browser reads a list policy from a subkey whose values are numbered (`…\Chrome\CACertificates`,
 * values `1`, `2` …), or from one string value holding the list as JSON; a dictionary item (of
 * CACertificatesWithConstraints) is a JSON string or a numbered subkey of its own. Value names that
 * are not numbers and registry types other than strings and DWORDs are ignored. `…\Recommended`
 * holds the recommended level. RegistryDict::ConvertToJSON and ConvertRegistryValue:
 * https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/registry_dict.cc
 */
import { z } from 'zod'
import { formatCommand } from '../shared/command-text.js'
import { encodePowerShell, POWERSHELL_FLAGS, powerShellPath } from '../shared/elevation-scripts.js'
import type { Environment } from '../shared/environment.js'
import { StoreError } from '../types.js'
import { CA_POLICIES, caPolicy, PLATFORM_INTEGRATION, type FoundPolicy, type PolicyValue } from './policies.js'
import { parsePolicyJson, plainValue } from './policy-json.js'

/** The names the script looks for (PowerShell's -contains ignores case, as the registry does). */
const NAMES = [...Object.keys(CA_POLICIES), PLATFORM_INTEGRATION]
/** How deep below Policies the script looks for browser keys (Policies\Vendor\Browser\Recommended is 3). */
const KEY_DEPTH = 5
/** How deep a list's subkeys are read (List\1\constraints\permitted_dns_names is 3). */
const TREE_DEPTH = 4

/** First line of the script: how tests (and people reading a process list) recognise it. */
export const POLICY_SCRIPT_MARKER = '# CertAudit: list the Chromium certificate policies'

/**
 * One row per key holding a certificate policy (Key, Values: those values, Lists: those subkeys as
 * trees of Values and Keys), or Key and Error for a key that could not be read. Registry data comes
 * as the .NET RegistryKey gives it: strings, numbers, string arrays (REG_MULTI_SZ), base64 (binary).
 */
export const POLICY_SCRIPT = [
  POLICY_SCRIPT_MARKER,
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
  `$names = @(${NAMES.map((n) => `'${n}'`).join(', ')})`,
  '$rows = New-Object System.Collections.ArrayList',
  'function Read-Values($key, [bool]$onlyNamed) {',
  '  foreach ($name in $key.GetValueNames()) {',
  '    if ($onlyNamed -and -not ($names -contains $name)) { continue }',
  '    $data = $key.GetValue($name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)',
  '    if ($data -is [byte[]]) { $data = [Convert]::ToBase64String($data) }',
  '    [ordered]@{ Name = $name; Kind = $key.GetValueKind($name).ToString(); Data = $data }',
  '  }',
  '}',
  'function Read-Tree($key, [int]$depth) {',
  '  $keys = @()',
  `  if ($depth -lt ${TREE_DEPTH}) {`,
  '    $keys = @(foreach ($name in $key.GetSubKeyNames()) { $sub = $key.OpenSubKey($name); if ($sub) { [ordered]@{ Name = $name; Tree = (Read-Tree $sub ($depth + 1)) } } })',
  '  }',
  '  [ordered]@{ Values = @(Read-Values $key $false); Keys = $keys }',
  '}',
  'function Visit($key, [string]$path, [int]$depth) {',
  '  try {',
  '    $lists = @(foreach ($name in $key.GetSubKeyNames()) { if ($names -contains $name) { [ordered]@{ Name = $name; Tree = (Read-Tree ($key.OpenSubKey($name)) 0) } } })',
  '    $values = @(Read-Values $key $true)',
  '    if ($lists.Count -or $values.Count) { [void]$rows.Add([ordered]@{ Key = $path; Values = $values; Lists = $lists }) }',
  `    if ($depth -ge ${KEY_DEPTH}) { return }`,
  '    foreach ($name in $key.GetSubKeyNames()) {',
  '      if ($names -contains $name) { continue }',
  '      try { $sub = $key.OpenSubKey($name) } catch { [void]$rows.Add([ordered]@{ Key = "$path\\$name"; Error = $_.Exception.Message }); continue }',
  '      if ($sub) { Visit $sub "$path\\$name" ($depth + 1) }',
  '    }',
  '  } catch { [void]$rows.Add([ordered]@{ Key = $path; Error = $_.Exception.Message }) }',
  '}',
  "foreach ($hive in @(@('HKLM', [Microsoft.Win32.Registry]::LocalMachine), @('HKCU', [Microsoft.Win32.Registry]::CurrentUser))) {",
  "  foreach ($root in @('SOFTWARE\\Policies', 'SOFTWARE\\WOW6432Node\\Policies')) {",
  '    $key = $hive[1].OpenSubKey($root)',
  '    if ($key) { Visit $key "$($hive[0])\\$root" 0 }',
  '  }',
  '}',
  'ConvertTo-Json -InputObject @($rows) -Depth 32 -Compress',
].join('\n')

/** The command: `powershell.exe -NoProfile -NonInteractive -EncodedCommand <POLICY_SCRIPT>`. */
export function policyCommand(env: Environment): [string, string[]] {
  return [powerShellPath(env), [...POWERSHELL_FLAGS, '-EncodedCommand', encodePowerShell(POLICY_SCRIPT)]]
}

const registryValue = z.object({ Name: z.string(), Kind: z.string(), Data: z.unknown() })
type RegistryValue = z.infer<typeof registryValue>
interface Tree {
  readonly Values: readonly RegistryValue[]
  readonly Keys: readonly { readonly Name: string; readonly Tree: Tree }[]
}
const tree: z.ZodType<Tree> = z.lazy(() => z.object({ Values: z.array(registryValue), Keys: z.array(z.object({ Name: z.string(), Tree: tree })) }))
const keyPath = z.string().regex(/^HK(LM|CU)\\/i)
const policyRow = z.object({ Key: keyPath, Values: z.array(registryValue), Lists: z.array(z.object({ Name: z.string(), Tree: tree })) })
const failureRow = z.object({ Key: keyPath, Error: z.string() })

/** What the script found: each key's policies (by key, as printed), and keys that could not be read. */
export interface RegistryPolicies {
  readonly keys: ReadonlyMap<string, readonly FoundPolicy[]>
  readonly failures: ReadonlyMap<string, string>
  /** Rows that were not in the expected shape. */
  readonly problems: readonly string[]
}

const inFlight = new WeakMap<Environment, Promise<RegistryPolicies>>()

/**
 * Every key's certificate policies. Reads that start while another runs share it (a scan lists every
 * key at once); a later read runs PowerShell again, so the re-read after a change never sees the
 * registry from before it. Throws {@link StoreError} when PowerShell cannot run or prints garbage.
 */
export function readRegistryPolicies(env: Environment): Promise<RegistryPolicies> {
  const running = inFlight.get(env)
  if (running) return running
  const reading = runScript(env).finally(() => inFlight.delete(env))
  inFlight.set(env, reading)
  return reading
}

async function runScript(env: Environment): Promise<RegistryPolicies> {
  const [command, args] = policyCommand(env)
  const shown = `${formatCommand([command, ...args.slice(0, -1)], 'powershell')} <policy listing script>`
  const result = await env.run(command, args, { timeoutMs: 120_000 })
  if (result.spawnError) throw new StoreError('windows-powershell-missing', `Windows PowerShell could not be started (${result.spawnError}), so the browsers' registry policies could not be read. Command: ${shown}`)
  const stdout = result.stdout.toString('utf8').replace(/^\uFEFF/, '').trim()
  if (result.exitCode !== 0) {
    throw new StoreError('windows-powershell-failed', `Windows PowerShell could not read the browsers' registry policies (exit code ${result.exitCode}): ${result.stderr.trim() || stdout.slice(0, 500) || 'it printed nothing'}. Command: ${shown}`)
  }
  return parsePolicyRows(stdout, shown)
}

/** The rows the script printed, each checked: a bad row is a problem, output that is not the listing an error. */
export function parsePolicyRows(stdout: string, shown: string): RegistryPolicies {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    throw new StoreError('windows-bad-output', `Windows PowerShell printed something that is not the expected JSON ("${stdout.slice(0, 80)}${stdout.length > 80 ? '…' : ''}"), so the browsers' registry policies could not be read. Command: ${shown}`)
  }
  const keys = new Map<string, FoundPolicy[]>()
  const failures = new Map<string, string>()
  const problems: string[] = []
  ;(Array.isArray(parsed) ? parsed : [parsed]).forEach((row, index) => {
    const failure = failureRow.safeParse(row)
    if (failure.success) return void failures.set(failure.data.Key, failure.data.Error)
    const found = policyRow.safeParse(row)
    if (!found.success) return void problems.push(`Row ${index + 1} of the registry policy listing is not in the expected shape (${found.error.issues[0]?.message ?? 'unexpected'}); it was skipped.`)
    const policies = [...found.data.Values.map(fromValue), ...found.data.Lists.flatMap((l) => fromSubkey(l.Name, l.Tree))]
    keys.set(found.data.Key, [...(keys.get(found.data.Key) ?? []), ...policies])
  })
  return { keys, failures, problems }
}

const STRING_KINDS = ['String', 'ExpandString']

/** A policy written as one value: a JSON list in a string (or, for the switch, a DWORD). */
function fromValue(value: RegistryValue): FoundPolicy {
  const { Name: name, Kind: kind, Data: data } = value
  if (STRING_KINDS.includes(kind) && typeof data === 'string') return { name, value: caPolicy(name) ? jsonOr(data) : data }
  if (kind === 'DWord' && typeof data === 'number') return { name, value: data }
  if (kind === 'MultiString' && Array.isArray(data)) return { name, value: data.filter((d): d is string => typeof d === 'string'), ignored: 'a REG_MULTI_SZ value, which the browser does not read' }
  return { name, value: null, ignored: `a registry value of type ${kind}, which the browser does not read` }
}

/**
 * A list policy written as a subkey: its numbered subkeys (dictionary items), then its numbered
 * values, in the browser's order. Items under a name that is not a number are skipped by the
 * browser: they are still listed, as not trusted.
 */
function fromSubkey(name: string, list: Tree): FoundPolicy[] {
  const constrained = caPolicy(name) === 'CACertificatesWithConstraints'
  const items = [
    // A subkey item says so in its label: deleting it by hand is deleting a key, not a value.
    ...list.Keys.map((sub) => ({ name: sub.Name, label: `${sub.Name} (subkey)`, value: constrained ? treeToObject(sub.Tree) : null })),
    ...list.Values.map((value) => {
      const text = STRING_KINDS.includes(value.Kind) && typeof value.Data === 'string' ? value.Data : null
      return { name: value.Name, label: value.Name, value: text === null ? null : constrained ? jsonOr(text) : text }
    }),
  ]
  const policy = (chosen: typeof items, ignored?: string): FoundPolicy => ({ name, value: chosen.map((i) => i.value), itemLabels: chosen.map((i) => i.label), ...(ignored ? { ignored } : {}) })
  const kept = items.filter((i) => numbered(i.name))
  const skipped = items.filter((i) => !numbered(i.name))
  return [...(kept.length || !skipped.length ? [policy(kept)] : []), ...(skipped.length ? [policy(skipped, 'the browser reads only values named 1, 2, 3…')] : [])]
}

/** A dictionary item written as a subkey: string values, and subkeys for nested lists (`constraints\permitted_dns_names\1`). */
function treeToObject(node: Tree): ReadonlyMap<string, PolicyValue> {
  const result = new Map<string, PolicyValue>()
  for (const value of node.Values) if (STRING_KINDS.includes(value.Kind) && typeof value.Data === 'string') result.set(value.Name, value.Name === 'certificate' ? value.Data : jsonOr(value.Data))
  for (const sub of node.Keys) {
    const numberedValues = sub.Tree.Values.filter((v) => numbered(v.Name))
    result.set(sub.Name, numberedValues.length > 0 ? numberedValues.map((v) => (typeof v.Data === 'string' ? v.Data : null)) : treeToObject(sub.Tree))
  }
  return result
}

/** base::StringToInt: an optional sign and digits. */
function numbered(name: string): boolean {
  return /^[+-]?\d+$/.test(name)
}

/** A string's JSON value (lists and dictionaries may be written as JSON), or the string itself. */
function jsonOr(text: string): PolicyValue {
  try {
    return plainValue(parsePolicyJson(Buffer.from(text, 'utf8')))
  } catch {
    return text
  }
}
