/**
 * Judges a presented certificate chain: does it reach a public root, link by link, by name and
 * signature? Which CA stands at its top? Is any of its certificates on the blocklist? Pure: no sockets.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import type { Blocklist, BlocklistCategory } from '../audit/blocklist.js'
import { CertificateRecord, type CertificateDetails } from '../audit/certificate.js'
import { attributeValues, type DistinguishedName } from '../audit/names.js'
import { evaluateDetails, isPublicRoot, matchBlocklist, severityRank, type RuleMatch } from '../audit/rules.js'
import type { TrustAnchors } from './trust-anchors.js'

/** A blocklist entry that one certificate of the chain matched. */
export interface ChainBlocklistMatch {
  readonly id: string
  readonly name: string
  readonly category: BlocklistCategory
  readonly country: string | null
  readonly severity: 'critical' | 'high' | 'medium'
  readonly matchedBy: 'sha256' | 'spkiSha256' | 'sha1' | 'name'
}

export interface ChainCertificate {
  readonly subject: string
  readonly issuer: string
  readonly sha256: string
  readonly spkiSha256: string
  readonly sha1: string
  readonly notBefore: string
  readonly notAfter: string
  readonly isCA: boolean
  readonly selfSigned: boolean
  /** In the reference root set, by certificate or key hash. */
  readonly publicRoot: boolean
  readonly blocklistEntry: ChainBlocklistMatch | null
  readonly pem: string
}

export type ChainWarning = 'name-mismatch' | 'expired' | 'unreadable-certificate'

export interface ChainJudgement {
  readonly verdict: 'ok' | 'intercepted'
  readonly chain: readonly ChainCertificate[]
  /** How many certificates, from the leaf, are each signed by the next one. */
  readonly linkedLength: number
  /** The public root the chain reaches: a certificate of the chain, or a root that signed its top. */
  readonly anchor: { readonly subject: string; readonly sha256: string; readonly how: 'in-chain' | 'signed-by-root' } | null
  /** The CA at the top of the chain: the one that vouches for the connection. */
  readonly issuingCa: { readonly name: string; readonly subject: string } | null
  /** The most serious blocklist match in the chain, if any. */
  readonly blocklistEntry: ChainBlocklistMatch | null
  readonly warnings: readonly ChainWarning[]
}

export interface JudgeOptions {
  readonly host: string
  readonly anchors: TrustAnchors
  readonly blocklist: Blocklist
  readonly now: Date
}

interface Parsed {
  readonly der: Buffer
  readonly record: CertificateRecord | null
  readonly details: CertificateDetails | null
  readonly x509: X509Certificate | null
}

function parse(der: Buffer): Parsed {
  let record: CertificateRecord | null = null
  let details: CertificateDetails | null = null
  let x509: X509Certificate | null = null
  try {
    record = new CertificateRecord(der)
    details = record.details
  } catch {
    // Reported as the 'unreadable-certificate' warning; OpenSSL accepted it, our stricter walker did not.
  }
  try {
    x509 = new X509Certificate(der)
  } catch {
    x509 = null
  }
  return { der, record, details, x509 }
}

/** True when `child` names `parent` as its issuer and `parent`'s key verifies its signature. */
function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey)
  } catch {
    return false
  }
}

/** The name people know a CA by: its CN, else its O, else the whole DN. */
function displayName(name: DistinguishedName | undefined, fallback: string): string {
  if (!name) return fallback
  return attributeValues(name, 'CN')[0] ?? attributeValues(name, 'O')[0] ?? fallback
}

function blocklistMatch(cert: Parsed, options: JudgeOptions): ChainBlocklistMatch | null {
  if (!cert.record) return null
  const listed = matchBlocklist(cert.record, options.blocklist)
  const byName = listed || !cert.details
    ? null
    : evaluateDetails(cert.details, cert.record, options.blocklist, options.anchors.roots, options.now).find((m): m is Extract<RuleMatch, { matchedBy: 'name' }> => m.matchedBy === 'name')
  const match = listed ?? byName
  if (!match?.entry || !match.matchedBy) return null
  const { id, name, category, country, severity } = match.entry
  return { id, name, category, country, severity, matchedBy: match.matchedBy }
}

function summarize(cert: Parsed, options: JudgeOptions): ChainCertificate {
  const hash = (algorithm: string) => createHash(algorithm).update(cert.der).digest('hex')
  const d = cert.details
  return {
    subject: d?.subject ?? cert.x509?.subject.replace(/\n/g, ',') ?? '(unreadable)',
    issuer: d?.issuer ?? cert.x509?.issuer.replace(/\n/g, ',') ?? '(unreadable)',
    sha256: cert.record?.sha256 ?? hash('sha256'),
    spkiSha256: cert.record?.spkiSha256 ?? '',
    sha1: cert.record?.sha1 ?? hash('sha1'),
    notBefore: d?.notBefore ?? '',
    notAfter: d?.notAfter ?? '',
    isCA: d?.isCA ?? false,
    selfSigned: d?.selfSigned ?? false,
    publicRoot: cert.record ? isPublicRoot(cert.record, options.anchors.roots) : false,
    blocklistEntry: blocklistMatch(cert, options),
    pem: `-----BEGIN CERTIFICATE-----\n${cert.der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
  }
}

/**
 * Judges `chain` (DER, leaf first). The connection is `ok` only when the certificates, linked from the
 * leaf by name and signature, reach a public root and none of them is on the blocklist. A public root
 * merely appended to the chain counts for nothing: it must have signed the certificate below it.
 */
export function judgeChain(chain: readonly Buffer[], options: JudgeOptions): ChainJudgement {
  const parsed = chain.map(parse)
  const certificates = parsed.map((cert) => summarize(cert, options))
  const warnings: ChainWarning[] = []
  if (parsed.some((c) => !c.record || !c.x509)) warnings.push('unreadable-certificate')

  let linkedLength = parsed.length ? 1 : 0
  while (linkedLength < parsed.length) {
    const child = parsed[linkedLength - 1]!.x509
    const parent = parsed[linkedLength]!.x509
    if (!child || !parent || !signedBy(child, parent)) break
    linkedLength++
  }

  let anchor: ChainJudgement['anchor'] = null
  let anchorName: DistinguishedName | undefined
  const inChain = certificates.slice(0, linkedLength).findIndex((c) => c.publicRoot)
  if (inChain >= 0) {
    const cert = certificates[inChain]!
    anchor = { subject: cert.subject, sha256: cert.sha256, how: 'in-chain' }
    anchorName = parsed[inChain]!.details?.subjectName
  }
  const top = parsed[linkedLength - 1]
  if (!anchor && top?.x509) {
    const root = options.anchors.certificates.find((candidate) => signedBy(top.x509!, candidate))
    if (root) {
      const details = parse(root.raw).details
      const sha256 = createHash('sha256').update(root.raw).digest('hex')
      anchor = { subject: details?.subject ?? root.subject.replace(/\n/g, ','), sha256, how: 'signed-by-root' }
      anchorName = details?.subjectName
    }
  }

  // The most serious match; between equals, the one nearest the root (the certificate users are asked to install).
  let blocklistEntry: ChainBlocklistMatch | null = null
  for (const cert of certificates) {
    const match = cert.blocklistEntry
    if (match && (!blocklistEntry || severityRank(match.severity) <= severityRank(blocklistEntry.severity))) blocklistEntry = match
  }

  let issuingCa: ChainJudgement['issuingCa'] = null
  if (anchor) {
    issuingCa = { name: displayName(anchorName, anchor.subject), subject: anchor.subject }
  } else if (top) {
    const topSummary = certificates[linkedLength - 1]!
    const useSubject = topSummary.selfSigned
    const name = useSubject ? top.details?.subjectName : top.details?.issuerName
    const subject = useSubject ? topSummary.subject : topSummary.issuer
    issuingCa = { name: displayName(name, subject), subject }
  }

  const leaf = parsed[0]?.x509
  if (leaf) {
    const matches = isIP(options.host) ? leaf.checkIP(options.host) : leaf.checkHost(options.host)
    if (!matches) warnings.push('name-mismatch')
    const now = options.now.getTime()
    if (now < Date.parse(leaf.validFrom) || now > Date.parse(leaf.validTo)) warnings.push('expired')
  }

  return {
    verdict: anchor && !blocklistEntry ? 'ok' : 'intercepted',
    chain: certificates,
    linkedLength,
    anchor,
    issuingCa,
    blocklistEntry,
    warnings,
  }
}
