/**
 * The scan report: what `certaudit scan --json` prints and what the app shows. Changing a field's
 * meaning is a breaking change for scripts and fleet tools: bump {@link SCHEMA_VERSION}.
 */
import type { StoreKind } from '../stores/registry.js'
import type { PlacedBy, StoreFacts } from '../stores/types.js'
import type { BlocklistCategory, Language } from './blocklist.js'

export type { PlacedBy, StoreFacts, StoreKind }

export const SCHEMA_VERSION = 1

export type Severity = 'critical' | 'high' | 'medium' | 'review' | 'info'
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'review', 'info']

export type RuleId =
  | 'known-interception'
  | 'known-compromised'
  | 'government-ca'
  | 'issued-by'
  | 'lookalike'
  | 'unknown-root'
  | 'retired-root'
  | 'expired'
  | 'weak-key'
  | 'weak-signature'

/** What the store says about an entry: trusted as a CA, explicitly distrusted, or present without CA trust. */
export type TrustState = 'trusted' | 'distrusted' | 'not-trusted'

export interface FindingLocation {
  readonly storeId: string
  readonly kind: StoreKind
  readonly location: string
  /** Nickname, alias, file name or position in a bundle. */
  readonly entry: string
  readonly trust: TrustState
  /** The file (and conf line) that puts the certificate in this store, where the store has one: what removal changes. */
  readonly origin?: { readonly file: string; readonly confLine?: number }
  /** What put it in this place, and whether that will put it back after a removal (set by every scan; src/stores/shared/placed-by.ts). */
  readonly placedBy?: PlacedBy
}

export interface CertificateSummary {
  readonly sha256: string
  readonly spkiSha256: string
  readonly sha1: string
  readonly subject: string
  readonly issuer: string
  readonly serial: string
  readonly notBefore: string
  readonly notAfter: string
  readonly isCA: boolean
  readonly selfSigned: boolean
  readonly keyAlgorithm: string
  readonly keySize: number | null
  readonly signatureAlgorithm: string
  /** The names its name constraints limit a CA to (`corp.example`, `10.0.0.0/8` …); null when it is not limited. */
  readonly permittedNames: readonly string[] | null
  readonly pem: string
}

export interface Finding {
  /** Stable across scans: the first 16 hex digits of the certificate's SHA-256. */
  readonly id: string
  readonly rule: RuleId
  readonly severity: Severity
  /** Lesser rules the same certificate also broke (hygiene). */
  readonly alsoMatched: readonly RuleId[]
  readonly certificate: CertificateSummary
  readonly blocklistEntry: {
    readonly id: string
    readonly name: string
    readonly category: BlocklistCategory
    readonly country: string | null
  } | null
  /**
   * How the blocklist entry was matched; null when no entry is involved. `issuer`: the entry is the CA
   * that issued this certificate (its signature verifies with the listed key, or its authority key
   * identifier and issuer name match a CA known only by key identifier).
   */
  readonly matchedBy: 'sha256' | 'spkiSha256' | 'sha1' | 'name' | 'issuer' | null
  readonly locations: readonly FindingLocation[]
  readonly explanation: string
  readonly advice: string
  readonly references: readonly string[]
}

export interface StoreReport {
  readonly id: string
  readonly kind: StoreKind
  readonly location: string
  /** Which program or setting uses this store, e.g. "Firefox profile default-release" (English). */
  readonly note?: string
  /** The same as fields (program, profile, distribution, variables), for the window to say in the user's language. */
  readonly facts?: StoreFacts
  readonly entryCount: number
  /** `ok`: read in full; `partial`: read, with problems on some entries; `failed`: could not be read. */
  readonly status: 'ok' | 'partial' | 'failed'
  readonly problem?: string
}

export interface Problem {
  readonly storeId?: string
  readonly path?: string
  readonly code: string
  readonly message: string
}

/**
 * `clean` only when every place was read in full and nothing was found; `incomplete` when nothing was
 * found in what could be read but some place could not be (a failed or partial store, an unreadable
 * certificate, a discovery that failed); `nothing-scanned` when no place could be read at all.
 */
export type VerdictLevel = 'critical' | 'high' | 'medium' | 'review' | 'clean' | 'incomplete' | 'nothing-scanned'

/** The verdict, in the report's language; `unchecked` is how many places could not be checked in full (0: all were). */
export interface Verdict {
  readonly level: VerdictLevel
  readonly text: string
  readonly unchecked: number
}

/** Where the list the scan matched against came from, and whether CertAudit's release key vouches for it. */
export interface ReportBlocklist {
  readonly version: number
  readonly updated: string
  /** `bundled` with CertAudit, an `installed` signed update, or a `file` named with --blocklist. */
  readonly source: 'bundled' | 'installed' | 'file'
  /** False for a --blocklist file without a valid signature: it may leave certificates out or rate them lower. */
  readonly signed: boolean
}

export interface ScanReport {
  readonly schemaVersion: typeof SCHEMA_VERSION
  readonly scannedAt: string
  readonly platform: string
  readonly language: Language
  readonly blocklist: ReportBlocklist
  readonly verdict: Verdict
  readonly summary: {
    /** Distinct certificates seen, by SHA-256. */
    readonly certificates: number
    readonly entries: number
    readonly findings: Readonly<Record<Severity, number>>
  }
  readonly stores: readonly StoreReport[]
  readonly findings: readonly Finding[]
  readonly problems: readonly Problem[]
}

/** True when the report holds a critical or high finding: the CLI's exit code 1. */
export function hasSeriousFindings(report: Pick<ScanReport, 'findings'>): boolean {
  return report.findings.some((f) => f.severity === 'critical' || f.severity === 'high')
}
