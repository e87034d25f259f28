import { randomBytes } from 'node:crypto'
import type { Language } from '../audit/blocklist.js'
import type { Finding, FindingLocation, ScanReport } from '../audit/report.js'
import type { Environment } from '../stores/shared/environment.js'
import { commonNotices, noticesText, noticeText, type Notice } from '../stores/shared/notices.js'
import { adviceNotice } from '../stores/shared/placed-by-notices.js'
import { STORES, type StoreRegistry } from '../stores/registry.js'
import type { EntryTarget, RemovalMode } from '../stores/types.js'
import type { PlannedChange, RemovalPlan } from './journal.js'

/** A finding id the user gave that matches nothing (or more than one finding). */
export class UnknownFindingError extends Error {
  constructor(readonly findingId: string, reason: string) {
    super(`No finding "${findingId}" ${reason}. Run "certaudit scan" to see the findings and their ids.`)
    this.name = 'UnknownFindingError'
  }
}

/** A finding by its id, or by a prefix of its certificate's SHA-256 (at least 8 hex digits). */
export function findFinding(report: ScanReport, id: string): Finding {
  const wanted = id.toLowerCase()
  const matches = report.findings.filter((f) => f.id === wanted || (wanted.length >= 8 && f.certificate.sha256.startsWith(wanted)))
  if (matches.length === 1) return matches[0]!
  throw new UnknownFindingError(id, matches.length ? 'is ambiguous (give more digits)' : 'in this scan')
}

/** A new change id: sortable by time, unique. */
export function newChangeId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`
}

export interface PlanOptions {
  readonly now?: Date
  /** The language of what to do by hand and of the warnings. */
  readonly language?: Language
  /** Stores the user leaves out of the change, by location (as the plan shows it) or store id. */
  readonly skip?: readonly string[]
  readonly stores?: StoreRegistry
}

/**
 * The plan for removing (or distrusting) the chosen findings: every place on this machine where
 * each certificate is trusted, what will be done there, and whether it needs the admin prompt.
 * Stores that CertAudit must not edit (environment bundles, enterprise policies, files named on the
 * command line) are planned as `manual`, with what the user should do instead. What the user must
 * do by hand and the warnings are written in `language` (the plan is shown before anything changes).
 */
export async function planRemoval(
  report: ScanReport,
  findingIds: readonly string[],
  mode: RemovalMode,
  env: Environment,
  options: PlanOptions = {},
): Promise<RemovalPlan> {
  const { now = new Date(), language = 'en', skip = [], stores = STORES } = options
  const findings = [...new Map(findingIds.map((id) => findFinding(report, id)).map((f) => [f.id, f])).values()]
  const changes: PlannedChange[] = []
  for (const finding of findings) {
    for (const place of finding.locations) {
      if (place.trust !== 'trusted') continue // already not trusted there: nothing to take away
      if (skip.includes(place.location) || skip.includes(place.storeId)) continue // the user left this store out of the change
      const facts = report.stores.find((s) => s.id === place.storeId)?.facts
      const target: EntryTarget = {
        storeId: place.storeId,
        kind: place.kind,
        location: place.location,
        entry: place.entry,
        sha256: finding.certificate.sha256,
        pem: finding.certificate.pem,
        trust: place.trust,
        ...(place.origin ? { origin: place.origin } : {}),
        ...(facts ? { facts } : {}),
      }
      const can = await stores[target.kind].capabilities(target, env)
      const cause = causeOf(place, language)
      if (can.modes.length === 0) {
        changes.push({ target, action: 'manual', needsAdmin: false, instructions: noticeText(can.manual ?? commonNotices.notice('manual-default'), language), ...cause })
        continue
      }
      const action = can.modes.includes(mode) ? mode : can.modes[0]!
      const fallback = action === mode ? [] : [commonNotices.notice(action === 'delete' ? 'mode-fallback-delete' : 'mode-fallback-distrust', { mode })]
      const modeWarning = can.modeWarnings?.[action]
      const warnings: Notice[] = [...(can.warnings ?? []), ...(modeWarning ? [modeWarning] : []), ...fallback]
      const warning = noticesText(warnings, language)
      // Each kind's "close this program" warning ends in -program-running and names the program.
      const running = warnings.find((w) => w.code.endsWith('-program-running'))?.values?.program
      changes.push({ target, action, needsAdmin: can.needsAdmin, ...(warning ? { warning } : {}), ...(running !== undefined ? { runningProgram: String(running) } : {}), ...cause })
    }
  }
  return {
    id: newChangeId(now),
    createdAt: now.toISOString(),
    mode,
    language,
    findings: findings.map((f) => ({ id: f.id, sha256: f.certificate.sha256, title: f.blocklistEntry?.name ?? f.certificate.subject })),
    changes,
  }
}

/**
 * What put the certificate in a place (the scan's answer) and, where that puts it back, the advice to
 * remove the cause first, naming it. A policy store whose change takes the certificate out of the
 * policy itself (a browser's policy file) needs no such advice: the change is the removal of the cause.
 */
function causeOf(place: FindingLocation, language: Language): Pick<PlannedChange, 'placedBy' | 'advice'> {
  const placed = place.placedBy
  if (!placed) return {}
  const removesTheCause = placed.by === 'policy' && placed.file === place.location && (place.kind === 'chromium-policy' || place.kind === 'firefox-policy')
  const advice = removesTheCause ? null : adviceNotice(placed)
  return { placedBy: placed, ...(advice ? { advice: noticeText(advice, language) } : {}) }
}
