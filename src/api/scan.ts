import { Auditor } from '../audit/auditor.js'
import type { Blocklist, Language } from '../audit/blocklist.js'
import type { PublicRoots } from '../audit/references.js'
import { SCHEMA_VERSION, type Finding, type Problem, type ScanReport, type Severity, type StoreKind, type StoreReport, type VerdictLevel } from '../audit/report.js'
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
  return {
    schemaVersion: SCHEMA_VERSION,
    scannedAt: now.toISOString(),
    platform: context.env.platform,
    language,
    blocklist: { version: context.blocklist.version, updated: context.blocklist.updated },
    verdict: verdictFor(findings, reports, language),
    summary: { certificates: counts.certificates, entries: counts.entries, findings: countBySeverity(findings) },
    stores: reports,
    findings,
    problems,
  }
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
  if (problemCount === 0) return { ...base, entryCount, status: 'ok' }
  const status = entryCount === 0 ? 'failed' : 'partial'
  const problem = problems.filter((p) => p.storeId === location.id).map((p) => p.message)[0]
  return { ...base, entryCount, status, ...(problem ? { problem } : {}) }
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, review: 0, info: 0 }
  for (const finding of findings) counts[finding.severity]++
  return counts
}

function verdictFor(findings: readonly Finding[], stores: readonly StoreReport[], language: Language): ScanReport['verdict'] {
  const texts = textsFor(language).verdict
  if (!stores.some((s) => s.status !== 'failed')) return { level: 'nothing-scanned', text: texts.nothingScanned }
  const counts = countBySeverity(findings)
  const level: VerdictLevel = counts.critical ? 'critical' : counts.high ? 'high' : counts.medium ? 'medium' : counts.review ? 'review' : 'clean'
  const text = level === 'review' ? texts.review(counts.review) : level === 'clean' ? texts.clean : texts[level]
  return { level, text }
}
