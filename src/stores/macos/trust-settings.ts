/**
 * macOS trust settings, as `security trust-settings-export` writes them: a plist whose `trustList`
 * maps each certificate's SHA-1 (upper-case hex) to its `trustSettings`, an array of usage
 * constraints. An absent or empty array means "trusted as a root for everything"; otherwise the first
 * constraint that matches the use and has a definite result decides (Apple's TrustSettings.cpp,
 * evaluateCert). User settings override admin settings, which override the system's.
 * https://developer.apple.com/documentation/security/sectrustsettingsresult
 *
 * Trust settings are read with the export, not `security dump-trust-settings`: the dump names each
 * certificate only by its label (trusted_cert_dump.c prints SecCertificateInferLabel), so two
 * certificates with the same name, such as the Qaznet re-issues, could not be told apart. The export
 * keys every entry by the certificate's hash (STYLE.md 6).
 */
import { z } from 'zod'
import { decodeOid, Tag } from '../../audit/der.js'
import { asDict, parsePlist, type PlistValue } from '../shared/plist.js'

/** One usage constraint, reduced to what decides trust and what `add-trusted-cert` can write back. */
export interface TrustSetting {
  /** Dotted policy OID, when the constraint names a policy. */
  readonly policy?: string
  readonly policyName?: string
  /** kSecTrustSettingsResult: 1 trustRoot (the default), 2 trustAsRoot, 3 deny, 4 unspecified. */
  readonly result: number
  /** Limited to an application, a host or e-mail address, a key usage, or allowing an error. */
  readonly constrained: boolean
  /** Keys this reader does not know: such settings cannot be rewritten exactly. */
  readonly unknownKeys: readonly string[]
}

/** A domain's trust settings: SHA-1 (upper-case) → the certificate's constraints. */
export type TrustSettings = ReadonlyMap<string, readonly TrustSetting[]>

export const TRUST_ROOT = 1
export const TRUST_AS_ROOT = 2
export const DENY = 3
export const UNSPECIFIED = 4
const RESULT_FLAGS: Readonly<Record<number, string>> = { 1: 'trustRoot', 2: 'trustAsRoot', 3: 'deny', 4: 'unspecified' }

/** Apple's trust policy OIDs (oidsalg.c: appleTrustPolicy 1.2.840.113635.100.1.x) that `add-trusted-cert -p` can name. */
const APPLE_POLICY = '1.2.840.113635.100.1.'
const SSL = `${APPLE_POLICY}3`
const BASIC = `${APPLE_POLICY}2`
const POLICY_FLAGS: Readonly<Record<string, { readonly flag: string; readonly name: string }>> = {
  [BASIC]: { flag: 'basic', name: 'basicX509' },
  [SSL]: { flag: 'ssl', name: 'sslServer' },
  [`${APPLE_POLICY}8`]: { flag: 'smime', name: 'SMIME' },
  [`${APPLE_POLICY}9`]: { flag: 'eap', name: 'EAP' },
  [`${APPLE_POLICY}16`]: { flag: 'codeSign', name: 'CodeSigning' },
}
const KNOWN_KEYS = new Set(['kSecTrustSettingsPolicy', 'kSecTrustSettingsPolicyName', 'kSecTrustSettingsResult'])
const CONSTRAINT_KEYS = new Set(['kSecTrustSettingsApplication', 'kSecTrustSettingsPolicyString', 'kSecTrustSettingsKeyUsage', 'kSecTrustSettingsAllowedError'])

/** The content bytes of a DER OID as dotted text (the plist stores the OID without its tag). */
function oidText(bytes: Uint8Array): string {
  return decodeOid(bytes, { tag: Tag.Oid, start: 0, contentStart: 0, end: bytes.length })
}

/** Parses an exported trust settings file. Throws when it is not one (a damaged export is never guessed at). */
export function parseTrustExport(xml: string): TrustSettings {
  const root = asDict(parsePlist(xml))
  const list = asDict(root?.get('trustList'))
  if (!root || !list) throw new Error('the file has no trustList dictionary')
  const settings = new Map<string, TrustSetting[]>()
  for (const [hash, value] of list) {
    const entry = asDict(value)
    if (!entry) throw new Error(`the entry ${hash} is not a dictionary`)
    // The default root setting (kSecTrustSettingsDefaultRootCertSetting) has a key that is not a hash; it names no certificate.
    if (!/^[0-9A-Fa-f]{40}$/.test(hash)) continue
    const array = entry.get('trustSettings')
    if (array !== undefined && !Array.isArray(array)) throw new Error(`the trustSettings of ${hash} are not an array`)
    settings.set(hash.toUpperCase(), ((array ?? []) as PlistValue[]).map((item, index) => constraint(item, `${hash} #${index + 1}`)))
  }
  return settings
}

function constraint(item: PlistValue, where: string): TrustSetting {
  const dict = asDict(item)
  if (!dict) throw new Error(`the trust setting ${where} is not a dictionary`)
  const policyValue = dict.get('kSecTrustSettingsPolicy')
  const policy = policyValue instanceof Uint8Array ? oidText(policyValue) : typeof policyValue === 'string' ? policyValue : undefined
  if (policyValue !== undefined && policy === undefined) throw new Error(`the policy of trust setting ${where} is neither an OID nor a string`)
  const result = dict.get('kSecTrustSettingsResult') ?? TRUST_ROOT
  if (typeof result !== 'number' || !Number.isInteger(result)) throw new Error(`the result of trust setting ${where} is not a number`)
  const policyName = dict.get('kSecTrustSettingsPolicyName')
  return {
    ...(policy ? { policy } : {}),
    ...(typeof policyName === 'string' ? { policyName } : {}),
    result,
    constrained: [...dict.keys()].some((key) => CONSTRAINT_KEYS.has(key)),
    unknownKeys: [...dict.keys()].filter((key) => !KNOWN_KEYS.has(key) && !CONSTRAINT_KEYS.has(key)),
  }
}

export type TrustDecision = 'trusted' | 'distrusted'

/**
 * What one domain says about a certificate for websites (the SSL policy), or undefined when it says
 * nothing. Apple's rule: the first matching constraint with a definite result decides. Where the
 * settings could trust the certificate in some narrower use (one application, one host, the basic
 * X.509 policy), it is reported as trusted: an auditor must not hide a root that can be used.
 */
export function decide(settings: readonly TrustSetting[] | undefined): TrustDecision | undefined {
  if (settings === undefined) return undefined
  if (settings.length === 0) return 'trusted'
  let mayTrust = false
  for (const setting of settings) {
    const trusting = setting.result === TRUST_ROOT || setting.result === TRUST_AS_ROOT
    const forWebsites = setting.policy === undefined || setting.policy === SSL
    if (!forWebsites || setting.constrained) {
      mayTrust ||= trusting && (forWebsites || setting.policy === BASIC)
      continue
    }
    if (trusting) return 'trusted'
    if (setting.result === DENY) return 'distrusted'
  }
  return mayTrust ? 'trusted' : undefined
}

/**
 * `security add-trusted-cert` flags that write these settings back exactly (`-r RESULT -p POLICY…`,
 * or none for "always trust"), or null when they cannot be expressed (mixed results, application or
 * host limits, policies it cannot name): such a certificate is changed by hand, never lossily.
 * (trusted_cert_add.c builds one constraint per -p, all with the -r result.)
 */
export function restoreFlags(settings: readonly TrustSetting[]): string[] | null {
  if (settings.length === 0) return []
  const [first] = settings
  if (settings.some((s) => s.constrained || s.unknownKeys.length > 0 || s.result !== first!.result) || !RESULT_FLAGS[first!.result]) return null
  const flags = ['-r', RESULT_FLAGS[first!.result]!]
  if (settings.length === 1 && first!.policy === undefined) return first!.policyName === undefined ? flags : null
  const seen = new Set<string>()
  for (const setting of settings) {
    const known = setting.policy === undefined ? undefined : POLICY_FLAGS[setting.policy]
    if (!known || seen.has(known.flag) || (setting.policyName !== undefined && setting.policyName !== known.name)) return null
    seen.add(known.flag)
    flags.push('-p', known.flag)
  }
  return flags
}

/** The settings in a comparable, JSON-safe form (policy and result of each constraint, in order). */
export function normalizedTrust(settings: readonly TrustSetting[] | undefined): string | null {
  return settings === undefined ? null : JSON.stringify(settings.map((s) => ({ policy: s.policy ?? null, result: s.result, constrained: s.constrained })))
}

/** Settings as trustToJson wrote them, and nothing else. */
const trustSettings = z.array(
  z.object({ policy: z.string().optional(), policyName: z.string().optional(), result: z.number().int(), constrained: z.boolean(), unknownKeys: z.array(z.string()) }).strict(),
)

/** Settings as a backup keeps them: JSON text, or null for "none in this domain". */
export function trustToJson(settings: readonly TrustSetting[] | undefined): string | null {
  return settings === undefined ? null : JSON.stringify(settings)
}

/** Settings read back from a backup; throws when the backup's text is not settings. */
export function trustFromJson(text: unknown): readonly TrustSetting[] | undefined {
  if (text === null) return undefined
  if (typeof text !== 'string') throw new Error('the saved trust settings are not text')
  const parsed = trustSettings.safeParse(JSON.parse(text))
  if (!parsed.success) throw new Error('the saved trust settings are not in the expected form')
  return parsed.data
}
