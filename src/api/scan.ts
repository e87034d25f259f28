import { Auditor } from '../audit/auditor.js'
import type { Blocklist, Language } from '../audit/blocklist.js'
import type { BlocklistOrigin } from '../audit/blocklist-store.js'
import type { PublicRoots } from '../audit/references.js'
import { SCHEMA_VERSION, type Finding, type Problem, type ScanReport, type Severity, type StoreKind, type StoreReport, type Verdict, type VerdictLevel } from '../audit/report.js'
import { textsFor } from '../audit/texts.js'
import { placeFindings } from '../stores/shared/placed-by.js'
import { fileLocation, StoreError, STORE_KINDS, STORES, type Environment, type StoreLocation, type StoreReader, type StoreRegistry } from '../stores/index.js'

export interface ScanRequest {
  /** Certificate files or bundles to scan, in addition to (or, with `kinds: []`, instead of) discovered stores. */
  readonly files?: readonly string[]
  /** Store kinds to discover; all by default. */
  readonly kinds?: readonly StoreKind[]
  readonly language?: Language
}

export type ScanProgress =
  | { readonly type: 'store-started'; readonly store: StoreLocation }
  | { readonly type: 'store-finished'; readonly store: StoreReport }

export interface ScanContext {
  readonly env: Environment
  readonly blocklist: Blocklist
  /** Where the list came from and whether CertAudit's key signed it; a list of unknown origin is reported unsigned. */
  readonly blocklistOrigin?: BlocklistOrigin
  readonly publicRoots: PublicRoots
  readonly now?: Date
  readonly onProgress?: (event: ScanProgress) => void
  /** The adapters; {@link STORES} unless a test replaces some (recorded Windows output, a pinned NSS reader…). */
  readonly stores?: StoreRegistry
}

/**
 * One scan: find the stores, read them all at once (one failing never stops the others), audit
 * every entry as it streams in, and assemble the report.
 */
export async function scan(request: ScanRequest, context: ScanContext): Promise<ScanReport> {
  const language = request.language ?? 'en'
  const now = context.now ?? new Date()
  const auditor = new Auditor({ blocklist: context.blocklist, publicRoots: context.publicRoots, now })
  const problems: Problem[] = []
  const stores = context.stores ?? STORES
  const readers = STORE_KINDS.filter((kind) => !request.kinds || request.kinds.includes(kind)).map((kind) => stores[kind])

  const targets: { reader: StoreReader; location: StoreLocation }[] = (request.files ?? []).map((file) => ({
    reader: stores.file,
    location: fileLocation(file),
  }))
  for (const reader of readers) {
    try {
      for (const location of await reader.discover(context.env)) targets.push({ reader, location })
    } catch (error) {
      problems.push({ code: 'discovery-failed', message: `Could not look for ${reader.kind} stores: ${(error as Error).message}` })
    }
  }

  const reports = await Promise.all(
    targets.map(async ({ reader, location }): Promise<StoreReport> => {
      context.onProgress?.({ type: 'store-started', store: location })
      const report = await readStore(reader, location, context.env, auditor, problems)
      context.onProgress?.({ type: 'store-finished', store: report })
      return report
    }),
  )
  problems.push(...auditor.problems)

  // What put each finding's certificate in each place (policy, package, variable …), once per scan.
  const placed = await placeFindings(auditor.findings(language), reports, { env: context.env, registry: stores, requested: readers.map((r) => r.kind) })
  for (const message of placed.problems) problems.push({ code: 'placed-by-unknown', message })
  const findings = placed.findings
  const counts = auditor.counts
  const origin = context.blocklistOrigin ?? { source: 'file', signed: false }
  return {
    schemaVersion: SCHEMA_VERSION,
    scannedAt: now.toISOString(),
    platform: context.env.platform,
    language,
    blocklist: { version: context.blocklist.version, updated: context.blocklist.updated, source: origin.source, signed: origin.signed },
    verdict: verdictFor(findings, reports, problems, language),
    summary: { certificates: counts.certificates, entries: counts.entries, findings: countBySeverity(findings) },
    stores: reports,
    findings,
    problems: boundedProblems(problems),
  }
}

/** A store lists this many problems at most; the rest are counted (a folder of 100,000 junk files is one line, not 100,000). */
export const MAX_PROBLEMS_PER_STORE = 1000

function boundedProblems(problems: readonly Problem[]): Problem[] {
  const kept: Problem[] = []
  const counts = new Map<string | undefined, number>()
  for (const problem of problems) {
    const count = (counts.get(problem.storeId) ?? 0) + 1
    counts.set(problem.storeId, count)
    if (count <= MAX_PROBLEMS_PER_STORE) kept.push(problem)
  }
  for (const [storeId, count] of counts) {
    if (count <= MAX_PROBLEMS_PER_STORE) continue
    const more = count - MAX_PROBLEMS_PER_STORE
    kept.push({ ...(storeId !== undefined ? { storeId } : {}), code: 'more-problems', message: `${more} more problem${more === 1 ? '' : 's'}${storeId !== undefined ? ` in ${storeId}` : ''} are not listed; the first ${MAX_PROBLEMS_PER_STORE} are.` })
  }
  return kept
}

async function readStore(
  reader: StoreReader,
  location: StoreLocation,
  env: Environment,
  auditor: Auditor,
  problems: Problem[],
): Promise<StoreReport> {
  let entryCount = 0
  let problemCount = 0
  const base = { id: location.id, kind: location.kind, location: location.location, ...(location.note ? { note: location.note } : {}), ...(location.facts ? { facts: location.facts } : {}) }
  try {
    for await (const item of reader.list(location, env)) {
      if (item.type === 'entry') {
        entryCount++
        // Named fields, not a rest-and-spread copy: this runs once per certificate of every store.
        const { der, entry, trust, origin } = item
        auditor.add({ der, entry, trust, ...(origin ? { origin } : {}), storeId: location.id, kind: location.kind, location: location.location })
      } else {
        problemCount++
        const { type: _type, ...problem } = item
        problems.push({ storeId: location.id, ...problem })
      }
    }
  } catch (error) {
    const message = error instanceof StoreError ? error.message : `Unexpected error while reading ${location.location}: ${(error as Error).message}`
    problems.push({ storeId: location.id, path: location.location, code: error instanceof StoreError ? error.code : 'read-failed', message })
    return { ...base, entryCount, status: 'failed', problem: message }
  }
  // Certificates the store gave that the auditor could not read were not checked either: the store was not read in full.
  const unreadable = auditor.unreadableIn(location.id)
  if (problemCount + unreadable === 0) return { ...base, entryCount, status: 'ok' }
  const status = entryCount - unreadable <= 0 ? 'failed' : 'partial'
  const problem = (problems.find((p) => p.storeId === location.id) ?? auditor.problems.find((p) => p.storeId === location.id))?.message
  return { ...base, entryCount, status, ...(problem ? { problem } : {}) }
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, review: 0, info: 0 }
  for (const finding of findings) counts[finding.severity]++
  return counts
}

/**
 * The verdict says only what the scan can stand behind. `clean` needs every place read in full; when
 * some place failed or was read in part (or stores of a kind could not even be looked for), a scan that
 * found nothing is `incomplete`, and any other verdict says how many places could not be checked.
 */
function verdictFor(findings: readonly Finding[], stores: readonly StoreReport[], problems: readonly Problem[], language: Language): Verdict {
  const texts = textsFor(language).verdict
  const unchecked = stores.filter((s) => s.status !== 'ok').length + problems.filter((p) => p.storeId === undefined).length
  // A store that failed part-way may still have shown a certificate: what was found is never hidden behind "nothing scanned".
  if (findings.length === 0 && !stores.some((s) => s.status !== 'failed')) return { level: 'nothing-scanned', text: texts.nothingScanned, unchecked }
  const counts = countBySeverity(findings)
  const found: VerdictLevel = counts.critical ? 'critical' : counts.high ? 'high' : counts.medium ? 'medium' : counts.review ? 'review' : 'clean'
  if (found === 'clean') return unchecked ? { level: 'incomplete', text: texts.incomplete(unchecked), unchecked } : { level: 'clean', text: texts.clean, unchecked }
  // Browsers block the blocklist's certificates, not a new copy under the same name: that verdict says what it is.
  const onlyCopies = found === 'high' && findings.filter((f) => f.severity === 'high').every((f) => f.rule === 'lookalike')
  const text = found === 'review' ? texts.review(counts.review) : onlyCopies ? texts.highCopy : texts[found]
  return { level: found, text: unchecked ? `${text} ${texts.uncheckedPlaces(unchecked)}` : text, unchecked }
}
