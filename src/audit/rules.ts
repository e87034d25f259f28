import type { Blocklist, BlocklistCategory, BlocklistEntry } from './blocklist.js'
import type { CertificateDetails, CertificateIdentity } from './certificate.js'
import { isWeakSignatureAlgorithm } from './algorithms.js'
import { findIssuer, type IssuerProof } from './issuers.js'
import type { NameDisguise } from './name-disguise.js'
import { matchNamePatterns } from './name-patterns.js'
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
      /** What that CA is: an interception CA, or a state CA outside the public root programs. */
      readonly imitated: 'interception' | 'state-ca'
      /** How the name differs from the listed one, when it matched only once disguises were undone (name-patterns.ts). */
      readonly disguise?: NameDisguise
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
