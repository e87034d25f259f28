import type { Blocklist, Language } from './blocklist.js'
import { CertificateRecord, type CertificateDetails } from './certificate.js'
import type { PublicRoots } from './references.js'
import { evaluateDetails, hygiene, isPublicRoot, matchBlocklist, severityRank, type RuleMatch } from './rules.js'
import { disguiseDifferences, textsFor, type Texts } from './texts.js'
import type { Finding, FindingLocation, Problem, Severity, StoreKind, TrustState } from './report.js'

/** One certificate as a store holds it. */
export interface AuditEntry {
  readonly der: Uint8Array
  readonly storeId: string
  readonly kind: StoreKind
  readonly location: string
  readonly entry: string
  readonly trust: TrustState
  readonly origin?: { readonly file: string; readonly confLine?: number }
}

interface Flagged {
  readonly record: CertificateRecord
  readonly matches: readonly RuleMatch[]
  readonly locations: FindingLocation[]
}

export interface AuditorOptions {
  readonly blocklist: Blocklist
  readonly publicRoots: PublicRoots
  readonly now?: Date
}

/**
 * Audits certificates one at a time as stores stream them in. It keeps only the certificates that
 * are worth reporting (with every place they were found) and the hashes of the rest, so a store of
 * 100,000 certificates never sits in memory as parsed objects.
 */
export class Auditor {
  readonly #blocklist: Blocklist
  readonly #publicRoots: PublicRoots
  readonly #now: Date
  readonly #flagged = new Map<string, Flagged>()
  readonly #clean = new Set<string>()
  /** Certificates whose body cannot be read, by SHA-256, with why. */
  readonly #damaged = new Map<string, string>()
  readonly #problems: Problem[] = []
  /** Unreadable certificates per store: a store whose certificates cannot all be checked is not read in full. */
  readonly #unreadable = new Map<string, number>()
  #entries = 0

  constructor(options: AuditorOptions) {
    this.#blocklist = options.blocklist
    this.#publicRoots = options.publicRoots
    this.#now = options.now ?? new Date()
  }

  /** Audits one store entry. A certificate that cannot be read becomes a problem; nothing throws. */
  add(entry: AuditEntry): void {
    let record: CertificateRecord
    try {
      record = new CertificateRecord(entry.der)
    } catch (error) {
      this.#notChecked(entry, `${entry.entry} in ${entry.location} is not a readable certificate: ${(error as Error).message}.`)
      return
    }
    this.#entries++
    const known = this.#flagged.get(record.sha256)
    if (known) {
      known.locations.push(locationOf(entry))
      return
    }
    if (this.#clean.has(record.sha256)) return
    const damaged = this.#damaged.get(record.sha256)
    if (damaged !== undefined) {
      // Each copy is a place that could not be checked, not only the first one met.
      this.#notChecked(entry, `${entry.entry} in ${entry.location} has a damaged body and could not be checked: ${damaged}.`)
      return
    }
    const matches = this.#evaluate(record, entry)
    if (matches === null) return
    if (matches.length === 0) this.#clean.add(record.sha256)
    else this.#flagged.set(record.sha256, { record, matches, locations: [locationOf(entry)] })
  }

  /** The rules that match; null when the certificate's body cannot be read (a problem, never "clean"). */
  #evaluate(record: CertificateRecord, entry: AuditEntry): RuleMatch[] | null {
    const listed = matchBlocklist(record, this.#blocklist)
    if (!listed && isPublicRoot(record, this.#publicRoots)) return []
    let details: CertificateDetails
    try {
      details = record.details
    } catch (error) {
      if (listed) return [listed] // the hash is enough to know what it is
      this.#damaged.set(record.sha256, (error as Error).message)
      this.#notChecked(entry, `${entry.entry} in ${entry.location} has a damaged body and could not be checked: ${(error as Error).message}.`)
      return null
    }
    return listed ? [listed, ...hygiene(details, this.#now)] : evaluateDetails(details, record, this.#blocklist, this.#publicRoots, this.#now, record.der)
  }

  #notChecked(entry: AuditEntry, message: string): void {
    this.#problems.push({ storeId: entry.storeId, path: entry.location, code: 'corrupt-certificate', message })
    this.#unreadable.set(entry.storeId, (this.#unreadable.get(entry.storeId) ?? 0) + 1)
  }

  /** How many certificates of a store could not be checked (not readable, or a damaged body). */
  unreadableIn(storeId: string): number {
    return this.#unreadable.get(storeId) ?? 0
  }

  /** Problems met while auditing (unreadable certificates). */
  get problems(): readonly Problem[] {
    return this.#problems
  }

  /** Distinct certificates seen (by SHA-256) and entries read. */
  get counts(): { certificates: number; entries: number } {
    return { certificates: this.#clean.size + this.#flagged.size + this.#damaged.size, entries: this.#entries }
  }

  /** One finding per certificate, most serious first, in the given language. */
  findings(language: Language): Finding[] {
    const texts = textsFor(language)
    return [...this.#flagged.values()]
      .map((flagged) => toFinding(flagged, texts, language))
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.certificate.subject.localeCompare(b.certificate.subject))
  }
}

/** Where a flagged certificate was found (made only for flagged ones: clean ones keep just their hash). */
function locationOf(entry: AuditEntry): FindingLocation {
  return {
    storeId: entry.storeId,
    kind: entry.kind,
    location: entry.location,
    entry: entry.entry,
    trust: entry.trust,
    ...(entry.origin ? { origin: entry.origin } : {}),
  }
}

function toFinding({ record, matches, locations }: Flagged, texts: Texts, language: Language): Finding {
  const [primary, ...others] = matches as [RuleMatch, ...RuleMatch[]]
  const details = safeDetails(record)
  const described = describeMatch(primary, details, texts, language)
  const advice = described.advice
  let explanation = described.explanation
  if (primary.matchedBy === 'spkiSha256') explanation += ' ' + texts.sameKey
  // Present but distrusted wherever it was found: it cannot be used against the user now.
  const trustedSomewhere = locations.some((l) => l.trust === 'trusted')
  let severity: Severity = primary.severity
  if (!trustedSomewhere) {
    severity = 'info'
    explanation += ' ' + texts.distrustedEverywhere
  }
  return {
    id: record.sha256.slice(0, 16),
    rule: primary.rule,
    severity,
    alsoMatched: others.map((m) => m.rule),
    certificate: {
      sha256: record.sha256,
      spkiSha256: record.spkiSha256,
      sha1: record.sha1,
      subject: details?.subject ?? primary.entry?.subject ?? '(unreadable)',
      issuer: details?.issuer ?? primary.entry?.issuer ?? '(unreadable)',
      serial: details?.serial ?? '',
      notBefore: details?.notBefore ?? '',
      notAfter: details?.notAfter ?? '',
      isCA: details?.isCA ?? false,
      selfSigned: details?.selfSigned ?? false,
      keyAlgorithm: details?.keyAlgorithm ?? '',
      keySize: details?.keySize ?? null,
      signatureAlgorithm: details?.signatureAlgorithm ?? '',
      permittedNames: details?.permittedNames ?? null,
      pem: record.toPem(),
    },
    blocklistEntry: primary.entry
      ? { id: primary.entry.id, name: primary.entry.name, category: primary.entry.category, country: primary.entry.country }
      : null,
    matchedBy: primary.matchedBy,
    // Stores are read concurrently: sort so the same machine always gives the same report.
    locations: [...locations].sort((a, b) => a.storeId.localeCompare(b.storeId) || a.entry.localeCompare(b.entry)),
    explanation,
    advice,
    references: primary.entry?.references ?? [],
  }
}

function safeDetails(record: CertificateRecord): CertificateDetails | null {
  try {
    return record.details
  } catch {
    return null
  }
}

function describeMatch(match: RuleMatch, details: CertificateDetails | null, texts: Texts, language: Language): { explanation: string; advice: string } {
  switch (match.rule) {
    case 'known-interception':
    case 'known-compromised':
      return { explanation: match.entry.explanation[language], advice: match.entry.advice[language] }
    case 'government-ca':
      if (match.matchedBy !== 'name') return { explanation: match.entry.explanation[language], advice: match.entry.advice[language] }
      return { explanation: texts.governmentCaByName.explanation(match.lookalikeOf), advice: texts.governmentCaByName.advice }
    case 'issued-by':
      // The CA's own texts say why it is dangerous; what it issued is dangerous for the same reason.
      return { explanation: `${texts.issuedBy(match.entry.name, match.proof)} ${match.entry.explanation[language]}`, advice: match.entry.advice[language] }
    case 'lookalike':
      if (match.matchedBy === 'name' && match.disguise) {
        const differences = disguiseDifferences(texts, match.disguise)
        return { explanation: texts.disguisedName.explanation(match.lookalikeOf, match.imitated, differences), advice: texts.lookalike.advice }
      }
      return { explanation: texts.lookalike.explanation(match.lookalikeOf), advice: texts.lookalike.advice }
    case 'unknown-root':
      // Limited by its own name constraints to some names: it cannot vouch for anyone else's website.
      if (details?.permittedNames?.length) return { explanation: texts.unknownRootLimited.explanation(details.permittedNames.join(', ')), advice: texts.unknownRootLimited.advice }
      return texts.unknownRoot
    case 'retired-root':
      return texts.retiredRoot
    case 'expired':
      return { explanation: texts.expired.explanation(details?.notAfter.slice(0, 10) ?? '?'), advice: texts.expired.advice }
    case 'weak-key':
      return { explanation: texts.weakKey.explanation(details?.keyAlgorithm ?? '?', details?.keySize ?? 0), advice: texts.weakKey.advice }
    case 'weak-signature':
      return { explanation: texts.weakSignature.explanation(details?.signatureAlgorithm ?? '?'), advice: texts.weakSignature.advice }
  }
}
