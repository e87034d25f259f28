import type { Blocklist, BlocklistCategory, BlocklistEntry, NamePattern } from './blocklist.js'
import type { CertificateDetails, CertificateIdentity } from './certificate.js'
import { isWeakSignatureAlgorithm } from './algorithms.js'
import { findIssuer, type IssuerProof } from './issuers.js'
import { attributeValues, type DistinguishedName } from './names.js'
import type { PublicRoots } from './references.js'
import type { RuleId, Severity } from './report.js'

/** Why a certificate is worth reporting. The auditor turns this into a finding with texts. */
export type RuleMatch =
  | {
      readonly rule: 'known-interception' | 'known-compromised' | 'government-ca'
      readonly severity: Severity
      readonly entry: BlocklistEntry
      readonly matchedBy: 'sha256' | 'spkiSha256' | 'sha1'
    }
  | {
      /** Issued by a listed CA: the CA's severity, and its entry's texts after "issued by …". */
      readonly rule: 'issued-by'
      readonly severity: Severity
      readonly entry: BlocklistEntry
      readonly matchedBy: 'issuer'
      readonly proof: IssuerProof
    }
  | {
      readonly rule: 'lookalike' | 'government-ca'
      readonly severity: Severity
      readonly entry: BlocklistEntry
      readonly matchedBy: 'name'
      /** The CA it looks like, as the pattern names it. */
      readonly lookalikeOf: string
    }
  | { readonly rule: 'unknown-root'; readonly severity: 'review'; readonly entry: null; readonly matchedBy: null }
  | { readonly rule: 'retired-root' | 'expired' | 'weak-key' | 'weak-signature'; readonly severity: 'info'; readonly entry: null; readonly matchedBy: null }

const RULE_FOR_CATEGORY: Readonly<Record<BlocklistCategory, 'known-interception' | 'known-compromised' | 'government-ca'>> = {
  'government-interception': 'known-interception',
  'interception-software': 'known-interception',
  test: 'known-interception',
  'government-ca-outside-root-programs': 'government-ca',
  'compromised-ca': 'known-compromised',
  'distrusted-ca': 'known-compromised',
  misissued: 'known-compromised',
  'leaked-private-key': 'known-compromised',
}

/**
 * Step 1, the fast path: the blocklist by certificate hash, then by key (a re-issued certificate),
 * then by SHA-1 (entries for which a source published only a thumbprint). Needs no parsing.
 */
export function matchBlocklist(identity: CertificateIdentity, blocklist: Blocklist): Extract<RuleMatch, { matchedBy: 'sha256' | 'spkiSha256' | 'sha1' }> | null {
  const bySha256 = blocklist.bySha256.get(identity.sha256)
  const bySpki = bySha256 ? undefined : blocklist.bySpkiSha256.get(identity.spkiSha256)
  const bySha1 = bySha256 || bySpki ? undefined : blocklist.bySha1.get(identity.sha1)
  const entry = bySha256 ?? bySpki ?? bySha1
  if (!entry) return null
  return {
    rule: RULE_FOR_CATEGORY[entry.category],
    severity: entry.severity,
    entry,
    matchedBy: bySha256 ? 'sha256' : bySpki ? 'spkiSha256' : 'sha1',
  }
}

/** A root that the public programs once included and have since removed (a stale distro package still ships it). */
export function isRetiredRoot(identity: CertificateIdentity, roots: PublicRoots): boolean {
  return roots.retired.sha256.has(identity.sha256) || roots.retired.spkiSha256.has(identity.spkiSha256)
}

/** A certificate (or its key) that the public root programs include. */
export function isPublicRoot(identity: CertificateIdentity, roots: PublicRoots): boolean {
  return roots.sha256.has(identity.sha256) || roots.spkiSha256.has(identity.spkiSha256)
}

/**
 * Step 2, for certificates that are neither listed nor public roots: issued by a listed CA (its
 * signature proves it), names like a listed CA (look-alikes), self-signed CAs outside the root
 * programs, and hygiene. Returns the most serious match first, then the hygiene rules it also broke.
 * `der` is the certificate itself, for the signature check; without it the issued-by rule is skipped.
 */
export function evaluateDetails(
  details: CertificateDetails,
  identity: CertificateIdentity,
  blocklist: Blocklist,
  roots: PublicRoots,
  now: Date,
  der?: Uint8Array,
): RuleMatch[] {
  const matches: RuleMatch[] = []
  const issuer = der ? findIssuer(der, details, blocklist.issuers) : null
  const named = matchNamePatterns(details, blocklist)
  if (issuer && !(named && severityRank(named.severity) < severityRank(issuer.entry.severity))) {
    matches.push({ rule: 'issued-by', severity: issuer.entry.severity, entry: issuer.entry, matchedBy: 'issuer', proof: issuer.proof })
  } else if (named) matches.push(named)
  else if (details.selfSigned && details.isCA) {
    matches.push(
      isRetiredRoot(identity, roots)
        ? { rule: 'retired-root', severity: 'info', entry: null, matchedBy: null }
        : { rule: 'unknown-root', severity: 'review', entry: null, matchedBy: null },
    )
  }
  matches.push(...hygiene(details, now))
  return matches
}

/** Hygiene: expired, short keys, forgeable signatures. Informational only. */
export function hygiene(details: CertificateDetails, now: Date): RuleMatch[] {
  const out: RuleMatch[] = []
  const info = (rule: 'expired' | 'weak-key' | 'weak-signature'): RuleMatch => ({ rule, severity: 'info', entry: null, matchedBy: null })
  if (Date.parse(details.notAfter) < now.getTime()) out.push(info('expired'))
  if (isWeakKey(details)) out.push(info('weak-key'))
  // A root's own signature is never checked by anyone, so only a signature made by another CA matters.
  if (!details.selfSigned && isWeakSignatureAlgorithm(details.signatureAlgorithm)) out.push(info('weak-signature'))
  return out
}

function isWeakKey({ keyAlgorithm, keySize }: CertificateDetails): boolean {
  if (keySize === null) return false
  if (keyAlgorithm === 'RSA' || keyAlgorithm === 'RSA-PSS' || keyAlgorithm === 'DSA') return keySize < 2048
  if (keyAlgorithm === 'EC') return keySize < 224
  return false
}

/** Printable ASCII (and nothing else): NFKC leaves it as it is, so the costly normalisation can be skipped. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

function normalize(value: string): string {
  // Every certificate outside the public programs is checked against every pattern: most names are
  // plain ASCII, where this gives exactly what the general case gives, ten times faster.
  if (PRINTABLE_ASCII.test(value)) return value.toLowerCase().replace(/ {2,}/g, ' ').trim()
  return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** A pattern's own values, normalised once per pattern instead of once per certificate. */
const normalizedPatterns = new WeakMap<NamePattern, { readonly equals?: string; readonly contains?: string }>()

function normalizedPattern(pattern: NamePattern): { readonly equals?: string; readonly contains?: string } {
  let normalized = normalizedPatterns.get(pattern)
  if (!normalized) {
    normalized = {
      ...(pattern.equals !== undefined ? { equals: normalize(pattern.equals) } : {}),
      ...(pattern.contains !== undefined ? { contains: normalize(pattern.contains) } : {}),
    }
    normalizedPatterns.set(pattern, normalized)
  }
  return normalized
}

/** A name's attribute values by type, found and normalised on first use: each is compared with several patterns. */
class NameValues {
  readonly #raw = new Map<string, string[]>()
  readonly #normalized = new Map<string, string[]>()

  constructor(private readonly name: DistinguishedName) {}

  raw(type: string): string[] {
    let values = this.#raw.get(type)
    if (!values) {
      values = attributeValues(this.name, type)
      this.#raw.set(type, values)
    }
    return values
  }

  normalized(type: string): readonly string[] {
    let values = this.#normalized.get(type)
    if (!values) {
      values = this.raw(type).map(normalize)
      this.#normalized.set(type, values)
    }
    return values
  }
}

function nameMatches(name: NameValues, pattern: NamePattern): boolean {
  if (pattern.country && !name.raw('C').some((c) => c.toUpperCase() === pattern.country)) return false
  const { equals, contains } = normalizedPattern(pattern)
  return name.normalized(pattern.attribute).some((value) => {
    if (equals !== undefined) return value === equals
    return contains !== undefined && value.includes(contains)
  })
}

/** Interception look-alikes outrank state-CA look-alikes; the subject counts before the issuer. */
function matchNamePatterns(details: CertificateDetails, blocklist: Blocklist): RuleMatch | null {
  let best: RuleMatch | null = null
  let subject: NameValues | undefined
  let issuer: NameValues | undefined
  for (const pattern of blocklist.namePatterns) {
    subject ??= new NameValues(details.subjectName)
    if (!nameMatches(subject, pattern)) {
      issuer ??= new NameValues(details.issuerName)
      if (!nameMatches(issuer, pattern)) continue
    }
    const entry = blocklist.byId.get(pattern.entryId)!
    const match: RuleMatch =
      pattern.rule === 'lookalike'
        ? { rule: 'lookalike', severity: 'high', entry, matchedBy: 'name', lookalikeOf: pattern.name }
        : { rule: 'government-ca', severity: 'medium', entry, matchedBy: 'name', lookalikeOf: pattern.name }
    if (match.rule === 'lookalike') return match
    best ??= match
  }
  return best
}

/** Order of severities, most serious first. */
export function severityRank(severity: Severity): number {
  return ['critical', 'high', 'medium', 'review', 'info'].indexOf(severity)
}

export const RULE_IDS: readonly RuleId[] = [
  'known-interception',
  'known-compromised',
  'government-ca',
  'issued-by',
  'lookalike',
  'unknown-root',
  'retired-root',
  'expired',
  'weak-key',
  'weak-signature',
]
