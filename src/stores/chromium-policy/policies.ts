/**
 * The certificate policies of Chromium-family browsers, whatever carries them (a JSON file on Linux,
 * a property list on macOS, registry values on Windows), and what each one does to a certificate.
 * Policy templates: components/policy/resources/templates/policy_definitions/CertificateManagement/
 * (https://source.chromium.org/chromium/chromium/src/+/main:components/policy/resources/templates/policy_definitions/CertificateManagement/);
 * how the browser applies them: ProfileNetworkContextService::GetCertificatePolicy
 * (https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/net/profile_network_context_service.cc).
 */
import { identify } from '../../audit/certificate.js'
import type { ListItem, TrustState } from '../types.js'

/**
 * What each policy does to the certificates it lists:
 * - CACertificates: trust anchors for server authentication (trust_anchors_with_enforced_constraints).
 * - CACertificatesWithConstraints: trust anchors limited to `permitted_dns_names` / `permitted_cidrs`;
 *   an entry with no constraint at all, or a constraint that is not a string, is skipped by the browser.
 * - CADistrustedCertificates: distrusted, by public key (any certificate with the same SPKI).
 * - CAHintCertificates: neither trusted nor distrusted, only used to build paths (all_certificates).
 */
export const CA_POLICIES = {
  CACertificates: 'trusted',
  CACertificatesWithConstraints: 'trusted',
  CADistrustedCertificates: 'distrusted',
  CAHintCertificates: 'not-trusted',
} as const satisfies Readonly<Record<string, TrustState>>

export type CaPolicy = keyof typeof CA_POLICIES

/** Whether the user-added roots of the operating system's store are used too (default true). */
export const PLATFORM_INTEGRATION = 'CAPlatformIntegrationEnabled'

/** The policies that trust what they list: what a removal takes a certificate out of. */
export const TRUSTING_POLICIES: readonly CaPolicy[] = ['CACertificates', 'CACertificatesWithConstraints']

/** A value as any policy source gives it: JSON, a property list (Maps, bytes, dates) or the registry. */
export type PolicyValue = string | number | boolean | null | Uint8Array | { readonly date: string } | readonly PolicyValue[] | ReadonlyMap<string, PolicyValue>

/** One policy as found: its name as written, its value, and (registry) the name of each item. */
export interface FoundPolicy {
  readonly name: string
  readonly value: PolicyValue
  readonly itemLabels?: readonly string[]
  /** Why the browser does not apply this value at all (a registry type it does not read …). */
  readonly ignored?: string
}

/**
 * The certificate policy a name means, or null. Names match whatever their case: Chromium itself
 * matches them exactly (a mis-cased name is an unknown policy it ignores), but a root in a policy
 * file is reported rather than missed, and removing it from there does no harm.
 */
export function caPolicy(name: string): CaPolicy | null {
  const lower = name.toLowerCase()
  return (Object.keys(CA_POLICIES) as CaPolicy[]).find((p) => p.toLowerCase() === lower) ?? null
}

/** The certificates the policies list, as entries of the store `where`; anything unusable is a problem and the rest is still read. */
export function* policyItems(policies: Iterable<FoundPolicy>, where: string): Generator<ListItem> {
  for (const found of policies) {
    const policy = caPolicy(found.name)
    if (!policy) continue
    const problem = (message: string): ListItem => ({ type: 'problem', path: where, code: 'bad-policy', message: `${where}: ${message}` })
    if (!Array.isArray(found.value)) {
      yield problem(`${found.name} is ${describeValue(found.value)}, not a list of certificates, so the browser ignores it.`)
      continue
    }
    const list = found.value as readonly PolicyValue[]
    for (const [index, item] of list.entries()) {
      const label = `${policy}${found.itemLabels?.[index] !== undefined ? `\\${found.itemLabels[index]}` : ` #${index + 1}`}`
      const read = policy === 'CACertificatesWithConstraints' ? constrained(item) : plain(item)
      if ('error' in read) {
        yield problem(`${label}: ${read.error}; the browser ignores it.`)
        continue
      }
      const ignored = found.ignored ?? read.ignored
      const der = decodeCertificate(read.base64)
      if (typeof der === 'string') {
        yield problem(`${label} is not a base64 DER certificate (${der}); the browser ignores it.`)
        continue
      }
      const trust: TrustState = ignored ? 'not-trusted' : CA_POLICIES[policy]
      const detail = ignored ? ` (ignored by the browser: ${ignored})` : read.constraints ? ` (only for ${read.constraints})` : ''
      yield { type: 'entry', der, entry: `${label}${detail}`, trust }
    }
  }
}

/** The CAPlatformIntegrationEnabled value when a policy sets it (a registry DWORD or string counts as the browser converts it). */
export function platformIntegration(policies: Iterable<FoundPolicy>): boolean | undefined {
  let result: boolean | undefined
  for (const { name, value } of policies) {
    if (name.toLowerCase() !== PLATFORM_INTEGRATION.toLowerCase()) continue
    if (typeof value === 'boolean') result = value
    else if (typeof value === 'number') result = value !== 0
    else if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) result = Number(value) !== 0
  }
  return result
}

/** The certificate one item of a policy names (whether or not the browser applies it), or null. */
export function certificateOf(policy: CaPolicy, item: PolicyValue): Uint8Array | null {
  const read = policy === 'CACertificatesWithConstraints' ? constrained(item) : plain(item)
  if ('error' in read) return null
  const der = decodeCertificate(read.base64)
  return typeof der === 'string' ? null : der
}

type ReadItem = { readonly base64: string | Uint8Array; readonly constraints?: string; readonly ignored?: string } | { readonly error: string }

/** An item of CACertificates, CADistrustedCertificates or CAHintCertificates: a base64 string. */
function plain(item: PolicyValue): ReadItem {
  if (typeof item === 'string') return { base64: item }
  // A property list <data> value: the browser's conversion drops it (policy/core/common/mac_util.cc).
  if (item instanceof Uint8Array) return { base64: item, ignored: 'binary <data>, where the browser takes only base64 strings' }
  return { error: `it is ${describeValue(item)}, not a base64 string` }
}

/** An item of CACertificatesWithConstraints: { certificate, constraints: { permitted_dns_names, permitted_cidrs } }. */
function constrained(item: PolicyValue): ReadItem {
  if (!(item instanceof Map)) return { error: `it is ${describeValue(item)}, not an object with "certificate" and "constraints"` }
  const certificate = item.get('certificate')
  if (typeof certificate !== 'string') return { error: `its "certificate" is ${describeValue(certificate ?? null)}, not a base64 string` }
  const constraints = item.get('constraints')
  const names: string[] = []
  let ignored: string | undefined
  if (constraints instanceof Map) {
    for (const field of ['permitted_dns_names', 'permitted_cidrs']) {
      const list = constraints.get(field)
      if (list === undefined) continue
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) ignored ??= `its ${field} is not a list of strings`
      else names.push(...(list as string[]))
    }
  }
  if (names.length === 0) ignored ??= 'it has no constraints, and the policy needs at least one'
  return ignored ? { base64: certificate, ignored } : { base64: certificate, constraints: names.join(', ') }
}

/**
 * The certificate's DER, or why it is not one. The browser's decoder (base::Base64Decode) is strict;
 * this one also takes line breaks, missing padding and PEM armour, so a root written that way is
 * still reported (the audit would rather show a certificate the browser ignores than miss one it uses).
 */
function decodeCertificate(value: string | Uint8Array): Uint8Array | string {
  let der: Uint8Array
  if (typeof value === 'string') {
    const text = value.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '')
    if (text === '') return 'it is empty'
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return 'it holds characters that are not base64'
    der = new Uint8Array(Buffer.from(text, 'base64'))
  } else der = value
  try {
    identify(der)
  } catch (error) {
    return `its bytes are not a certificate: ${(error as Error).message}`
  }
  return der
}

function describeValue(value: PolicyValue): string {
  if (value === null) return 'empty (null)'
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'number') return 'a number'
  if (typeof value === 'boolean') return 'true or false'
  if (value instanceof Uint8Array) return 'binary data'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Map) return 'an object'
  return 'a date'
}
