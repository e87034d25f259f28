/**
 * Reads every Windows certificate store CertAudit audits, in one PowerShell run, each place from the
 * registry key Windows keeps its own certificates in (its *physical* store). The `Cert:` drive shows
 * *logical* stores instead: CurrentUser\Root also lists the computer's roots, LocalMachine\Root also
 * AuthRoot, Group Policy and Enterprise roots ("System Store Locations":
 * https://learn.microsoft.com/windows/win32/seccrypto/system-store-locations), so a certificate in both
 * the user's and the computer's store could not be told from one in the computer's alone, and
 * removing it from the computer would leave the user's copy trusted.
 */
import type { z as Zod } from 'zod'
import { identify } from '../../audit/certificate.js'
import { formatCommand } from '../shared/command-text.js'
import { encodePowerShell, POWERSHELL_FLAGS, powerShellPath } from '../shared/elevation-scripts.js'
import type { Environment } from '../shared/environment.js'
import { StoreError } from '../types.js'

export const WINDOWS_LOCATIONS = ['CurrentUser', 'LocalMachine', 'CurrentUserGroupPolicy', 'LocalMachineGroupPolicy', 'LocalMachineEnterprise'] as const
export const WINDOWS_STORES = ['Root', 'CA', 'AuthRoot', 'TrustedPeople', 'Disallowed'] as const
export type WindowsLocationName = (typeof WINDOWS_LOCATIONS)[number]
export type WindowsStoreName = (typeof WINDOWS_STORES)[number]

/** One system store at one location: `Cert:\LocalMachine\Root`. */
export interface WindowsPlace {
  readonly location: WindowsLocationName
  readonly store: WindowsStoreName
}

/** The names certmgr.msc and certutil show for each store. */
export const STORE_TITLES: Readonly<Record<WindowsStoreName, string>> = {
  Root: 'Trusted Root Certification Authorities',
  CA: 'Intermediate Certification Authorities',
  AuthRoot: 'Third-Party Root Certification Authorities',
  TrustedPeople: 'Trusted People',
  Disallowed: 'Untrusted Certificates',
}

/** Registry homes of the stores that have no `Cert:` drive (CERT_GROUP_POLICY_SYSTEM_STORE_REGPATH and the enterprise store). */
const REGISTRY: Readonly<Partial<Record<WindowsLocationName, string>>> = {
  CurrentUserGroupPolicy: 'HKCU\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates',
  LocalMachineGroupPolicy: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates',
  LocalMachineEnterprise: 'HKLM\\SOFTWARE\\Microsoft\\EnterpriseCertificates',
}

/** Where each place's own certificates are: `<key>\<store>\Certificates\<thumbprint>`, value Blob (CERT_SYSTEM_STORE_CURRENT_USER / _LOCAL_MACHINE). */
const OWN_CERTIFICATES: Readonly<Record<WindowsLocationName, string>> = {
  CurrentUser: 'HKCU\\SOFTWARE\\Microsoft\\SystemCertificates',
  LocalMachine: 'HKLM\\SOFTWARE\\Microsoft\\SystemCertificates',
  CurrentUserGroupPolicy: REGISTRY.CurrentUserGroupPolicy!,
  LocalMachineGroupPolicy: REGISTRY.LocalMachineGroupPolicy!,
  LocalMachineEnterprise: REGISTRY.LocalMachineEnterprise!,
}

/** How people and IT staff find a place: its `Cert:` path, or its registry key for policy stores. */
export function placeLabel(place: WindowsPlace): string {
  const registry = REGISTRY[place.location]
  return registry ? `${registry}\\${place.store}` : `Cert:\\${place.location}\\${place.store}`
}

/** The place a label names, or null. */
export function parsePlace(label: string): WindowsPlace | null {
  for (const location of WINDOWS_LOCATIONS) for (const store of WINDOWS_STORES) if (placeLabel({ location, store }) === label) return { location, store }
  return null
}

/** True for stores an organisation fills (Group Policy, Active Directory enterprise roots). */
export function isManaged(place: WindowsPlace): boolean {
  return REGISTRY[place.location] !== undefined
}

/** One certificate as PowerShell exported it, checked: its thumbprint is the SHA-1 of its bytes. */
export interface WindowsCertificate {
  readonly der: Uint8Array
  readonly sha256: string
  /** Upper-case SHA-1, as Windows shows it and certutil takes it. */
  readonly thumbprint: string
  readonly friendlyName: string
}

export interface WindowsSnapshot {
  /** The certificates each place holds itself (its physical store). Key: `Location\Store`. */
  readonly listed: ReadonlyMap<string, readonly WindowsCertificate[]>
  /** Rows that could not be used, and stores that could not be read, by place key. */
  readonly problems: readonly { readonly key: string; readonly code: string; readonly message: string }[]
}

export const placeKey = (place: WindowsPlace): string => `${place.location}\\${place.store}`

/** The certificates this place holds itself. */
export function attributed(snapshot: WindowsSnapshot, place: WindowsPlace): readonly WindowsCertificate[] {
  return snapshot.listed.get(placeKey(place)) ?? []
}

/** True when any Disallowed store holds the certificate: Windows then refuses it, whatever trusts it. */
export function isDisallowed(snapshot: WindowsSnapshot, sha256: string): boolean {
  return WINDOWS_LOCATIONS.some((location) => snapshot.listed.get(placeKey({ location, store: 'Disallowed' }))?.some((c) => c.sha256 === sha256))
}

/** First line of the listing script: how tests (and people reading a process list) recognise it. */
export const LIST_SCRIPT_MARKER = '# CertAudit: list the Windows certificate stores'

/**
 * Every certificate of every place, one JSON row each (Location, Store, Thumbprint, FriendlyName,
 * RawData as base64), and a row with Error for a store that could not be read. `-InputObject @(...)`
 * keeps a one-row result an array. Output is UTF-8, so friendly names in any script survive.
 */
export const LIST_SCRIPT = [
  LIST_SCRIPT_MARKER,
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
  `$stores = @(${WINDOWS_STORES.map((s) => `'${s}'`).join(', ')})`,
  '$rows = New-Object System.Collections.ArrayList',
  'function Add-Certificate([string]$location, [string]$store, $certificate) {',
  '  [void]$rows.Add([ordered]@{ Location = $location; Store = $store; Thumbprint = $certificate.Thumbprint; FriendlyName = $certificate.FriendlyName; RawData = [Convert]::ToBase64String($certificate.RawData) })',
  '}',
  'function Add-Failure([string]$location, [string]$store, $failure) {',
  '  [void]$rows.Add([ordered]@{ Location = $location; Store = $store; Error = $failure.Exception.Message })',
  '}',
  '$places = [ordered]@{',
  ...Object.entries(OWN_CERTIFICATES).map(([location, key]) => `  ${location} = '${key.replace('\\', ':\\')}'`),
  '}',
  'foreach ($location in $places.Keys) {',
  '  foreach ($store in $stores) {',
  '    $path = Join-Path $places[$location] "$store\\Certificates"',
  '    if (-not (Test-Path -LiteralPath $path)) { continue }',
  '    try {',
  '      foreach ($key in Get-ChildItem -LiteralPath $path) {',
  '        $blob = (Get-ItemProperty -LiteralPath $key.PSPath -Name Blob).Blob',
  '        Add-Certificate $location $store ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]]$blob))',
  '      }',
  '    } catch { Add-Failure $location $store $_ }',
  '  }',
  '}',
  'ConvertTo-Json -InputObject @($rows) -Compress',
].join('\n')

/** The listing command: `powershell.exe -NoProfile -NonInteractive -EncodedCommand <LIST_SCRIPT>`. */
export function listCommand(env: Environment): [string, string[]] {
  return [powerShellPath(env), [...POWERSHELL_FLAGS, '-EncodedCommand', encodePowerShell(LIST_SCRIPT)]]
}

function rowSchemas(z: typeof Zod) {
  const Place = { Location: z.enum(WINDOWS_LOCATIONS), Store: z.enum(WINDOWS_STORES) }
  return {
    CertificateRow: z.object({ ...Place, Thumbprint: z.string().regex(/^[0-9A-Fa-f]{40}$/), RawData: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/), FriendlyName: z.string().nullish() }),
    FailureRow: z.object({ ...Place, Error: z.string() }),
  }
}

let schemas: Promise<ReturnType<typeof rowSchemas>> | undefined

/** zod takes ~70 ms to load: only a Windows listing needs it, so a scan elsewhere never loads it. */
function loadRowSchemas(): Promise<ReturnType<typeof rowSchemas>> {
  schemas ??= import('zod').then(({ z }) => rowSchemas(z))
  return schemas
}

const inFlight = new WeakMap<Environment, Promise<WindowsSnapshot>>()

/**
 * One snapshot of every place. Reads that start while another is running share it (a scan lists
 * every place at once); a read that starts after it finished runs PowerShell again, so the re-read
 * that verifies a change never sees the store from before it. Throws {@link StoreError} when
 * PowerShell cannot run or what it printed is not the listing.
 */
export function readWindowsStores(env: Environment): Promise<WindowsSnapshot> {
  const running = inFlight.get(env)
  if (running) return running
  const reading = runListing(env).finally(() => inFlight.delete(env))
  inFlight.set(env, reading)
  return reading
}

async function runListing(env: Environment): Promise<WindowsSnapshot> {
  const [command, args] = listCommand(env)
  const shown = `${formatCommand([command, ...args.slice(0, -1)], 'powershell')} <listing script>`
  const result = await env.run(command, args, { timeoutMs: 120_000 })
  if (result.spawnError) throw new StoreError('windows-powershell-missing', `Windows PowerShell could not be started (${result.spawnError}), so the Windows certificate stores could not be read. Command: ${shown}`)
  const stdout = result.stdout.toString('utf8').replace(/^\uFEFF/, '').trim()
  if (result.exitCode !== 0) {
    throw new StoreError('windows-powershell-failed', `Windows PowerShell could not list the certificate stores (exit code ${result.exitCode}): ${result.stderr.trim() || stdout.slice(0, 500) || 'it printed nothing'}. Command: ${shown}`)
  }
  return await parseListing(stdout, shown)
}

/** The rows PowerShell printed, checked one by one: a bad row is a problem, output that is not the listing is an error. */
export async function parseListing(stdout: string, shown: string): Promise<WindowsSnapshot> {
  const { CertificateRow, FailureRow } = await loadRowSchemas()
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    const what = stdout === '' ? 'printed nothing' : `printed something that is not the expected JSON (it may have been cut short): "${stdout.slice(0, 80)}${stdout.length > 80 ? '…' : ''}"`
    throw new StoreError('windows-bad-output', `Windows PowerShell ${what}, so the Windows certificate stores could not be read. Command: ${shown}`)
  }
  // ConvertTo-Json of one row may print a bare object: accept both.
  const rows: unknown[] = Array.isArray(parsed) ? parsed : [parsed]
  const listed = new Map<string, WindowsCertificate[]>()
  const problems: { key: string; code: string; message: string }[] = []
  rows.forEach((row, index) => {
    const failure = FailureRow.safeParse(row)
    if (failure.success) {
      const key = `${failure.data.Location}\\${failure.data.Store}`
      problems.push({ key, code: 'windows-store-unreadable', message: `${placeLabel({ location: failure.data.Location, store: failure.data.Store })} could not be read: ${failure.data.Error}` })
      return
    }
    const parsedRow = CertificateRow.safeParse(row)
    if (!parsedRow.success) {
      problems.push({ key: '', code: 'windows-unexpected-output', message: `Row ${index + 1} of the Windows certificate listing is not a certificate row (${parsedRow.error.issues[0]?.message ?? 'unexpected shape'}); it was skipped.` })
      return
    }
    const { Location: location, Store: store, Thumbprint: thumbprint, RawData: rawData, FriendlyName: friendlyName } = parsedRow.data
    const key = placeKey({ location, store })
    const der = new Uint8Array(Buffer.from(rawData, 'base64'))
    let identity: ReturnType<typeof identify>
    try {
      identity = identify(der)
    } catch (error) {
      problems.push({ key, code: 'windows-bad-certificate', message: `The certificate ${thumbprint} in ${placeLabel({ location, store })} is damaged: ${(error as Error).message}.` })
      return
    }
    if (identity.sha1 !== thumbprint.toLowerCase()) {
      problems.push({ key, code: 'windows-thumbprint-mismatch', message: `The certificate listed as ${thumbprint} in ${placeLabel({ location, store })} has other bytes (SHA-1 ${identity.sha1.toUpperCase()}); the listing is inconsistent, so it was skipped.` })
      return
    }
    const found = listed.get(key) ?? []
    if (!found.some((c) => c.sha256 === identity.sha256)) found.push({ der, sha256: identity.sha256, thumbprint: thumbprint.toUpperCase(), friendlyName: friendlyName ?? '' })
    listed.set(key, found)
  })
  return { listed, problems }
}
