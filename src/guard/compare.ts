/**
 * The heart of the guard, pure: a scan compared with the last watch state and with what CertAudit
 * removed before, giving the events of this check and the state to keep for the next one.
 *
 * - `new`: a critical or high finding trusted somewhere that the last check did not see (on the first
 *   check, everything present: the baseline).
 * - `returned`: a certificate a change removed or distrusted is trusted again in a place that change
 *   took it out of, or in a place it was not known to be left in (the places a removal left alone on
 *   purpose are noted when it is applied, or known from the check before it). Each return is told once
 *   per removal; a later removal that is undone again starts over.
 * - `gone`: a certificate the last check saw trusted is trusted nowhere now.
 *
 * A store that could not be read this time proves nothing: what the last check saw there is kept, and
 * never reported as gone (that would be a false all-clear).
 */
import type { Finding, FindingLocation, ScanReport, StoreReport } from '../audit/report.js'
import { latestRemoval, type Removal } from './removals.js'
import type { GuardEvent, GuardEventKind, GuardLocation, WatchedFinding, WatchState } from './schemas.js'

export interface CompareInput {
  /** The last watch state; null on the first check (or after a damaged one). */
  readonly previous: WatchState | null
  readonly report: ScanReport
  readonly removals: readonly Removal[]
  /** The stores a change left alone on purpose, by certificate; undefined when not noted. */
  readonly left: (changeId: string, sha256: string) => ReadonlySet<string> | undefined
}

export interface CompareResult {
  readonly events: GuardEvent[]
  readonly state: WatchState
  /** Certificates kept as seen only because their stores could not be read this time. */
  readonly unverified: readonly WatchedFinding[]
}

const isSerious = (severity: Finding['severity']) => severity === 'critical' || severity === 'high'

export function compare({ previous, report, removals, left }: CompareInput): CompareResult {
  const now = report.scannedAt
  const storeById = new Map<string, StoreReport>(report.stores.map((s) => [s.id, s]))
  const unreadable = new Set(report.stores.filter((s) => s.status === 'failed').map((s) => s.id))
  const before = new Map((previous?.findings ?? []).map((f) => [f.findingId, f]))
  const events: GuardEvent[] = []
  const findings: WatchedFinding[] = []
  const unverified: WatchedFinding[] = []

  for (const finding of report.findings) {
    const trusted = finding.locations.filter((l) => l.trust === 'trusted').map((l) => guardLocation(l, storeById))
    const removal = latestRemoval(removals, finding.certificate.sha256)
    const prev = before.get(finding.id)
    // What the last check saw in stores that could not be read now is still there, as far as anyone knows.
    const carried = (prev?.locations ?? []).filter((l) => unreadable.has(l.storeId) && !trusted.some((t) => same(t, l)))
    const locations = [...trusted, ...carried]
    if (locations.length === 0 || (!isSerious(finding.severity) && !removal)) continue
    before.delete(finding.id)
    let returns = prev?.returns?.changeId === removal?.changeId ? prev?.returns : undefined
    const event = (kind: GuardEventKind, where: readonly GuardLocation[], removedBy: string | null) => events.push(makeEvent(kind, finding, where, removedBy, now))

    const back = removal ? returnedPlaces(trusted, removal, prev, left(removal.changeId, finding.certificate.sha256)) : []
    const told = new Set(returns?.storeIds ?? [])
    if (removal && back.some((l) => !told.has(l.storeId))) {
      event('returned', back, removal.changeId)
      returns = { changeId: removal.changeId, storeIds: [...new Set([...told, ...back.map((l) => l.storeId)])] }
    } else if (!prev && trusted.length > 0) {
      event('new', trusted, null)
    }
    findings.push({
      findingId: finding.id,
      sha256: finding.certificate.sha256,
      subject: finding.certificate.subject,
      title: titleOf(finding),
      severity: finding.severity,
      locations,
      firstSeen: prev?.firstSeen ?? now,
      lastSeen: trusted.length > 0 ? now : (prev?.lastSeen ?? now),
      ...(returns ? { returns } : {}),
    })
  }

  // Seen last time, not trusted anywhere now: gone, unless its stores could not be read.
  for (const prev of before.values()) {
    const carried = prev.locations.filter((l) => unreadable.has(l.storeId))
    if (carried.length > 0) {
      const kept = { ...prev, locations: carried }
      findings.push(kept)
      unverified.push(kept)
      continue
    }
    const removal = latestRemoval(removals, prev.sha256)
    const removedBy = removal && removal.at >= prev.lastSeen ? removal.changeId : null
    events.push({
      id: eventId(now, 'gone', prev.findingId),
      at: now,
      kind: 'gone',
      findingId: prev.findingId,
      certificate: { sha256: prev.sha256, subject: prev.subject },
      title: prev.title,
      severity: prev.severity,
      locations: prev.locations,
      removedBy,
    })
  }
  for (const finding of findings) if (finding.lastSeen !== now && !unverified.includes(finding)) unverified.push(finding)
  return { events, state: { version: 1, checkedAt: now, findings }, unverified }
}

/**
 * The places a removed certificate is back in: those the change took it out of, and those it was not
 * known to be left in (noted at the change; else what the check before the change saw, less what the
 * change took out; else, after the change, what the last check saw and had not reported as back).
 * With nothing known, every place counts: saying "it came back" where it was only left is the lesser
 * error than keeping quiet.
 */
function returnedPlaces(trusted: readonly GuardLocation[], removal: Removal, prev: WatchedFinding | undefined, noted: ReadonlySet<string> | undefined): GuardLocation[] {
  const takenOut = new Set(removal.takenOut.map((t) => t.storeId))
  let kept: ReadonlySet<string>
  if (noted) kept = noted
  else if (prev && prev.lastSeen < removal.at) kept = new Set(prev.locations.map((l) => l.storeId).filter((id) => !takenOut.has(id)))
  else if (prev) {
    const told = new Set(prev.returns?.changeId === removal.changeId ? prev.returns.storeIds : [])
    kept = new Set(prev.locations.map((l) => l.storeId).filter((id) => !told.has(id)))
  } else kept = new Set()
  return trusted.filter((l) => takenOut.has(l.storeId) || !kept.has(l.storeId))
}

/** A finding's location with its store's facts (and anything else its store adds), as the guard keeps it. */
function guardLocation(location: FindingLocation, stores: ReadonlyMap<string, StoreReport>): GuardLocation {
  const facts = (location as { facts?: GuardLocation['facts'] }).facts ?? stores.get(location.storeId)?.facts
  return { ...(location as GuardLocation), ...(facts ? { facts } : {}) }
}

function same(a: GuardLocation, b: GuardLocation): boolean {
  return a.storeId === b.storeId && a.entry === b.entry
}

function titleOf(finding: Finding): string {
  if (finding.blocklistEntry) return finding.blocklistEntry.name
  return /(?:^|,)CN=((?:\\.|[^,\\])+)/.exec(finding.certificate.subject)?.[1]?.replace(/\\(.)/g, '$1') ?? finding.certificate.subject
}

export function eventId(at: string, kind: GuardEventKind, findingId: string): string {
  return `${at.replace(/[^0-9TZ]/g, '')}-${kind}-${findingId}`
}

function makeEvent(kind: GuardEventKind, finding: Finding, locations: readonly GuardLocation[], removedBy: string | null, at: string): GuardEvent {
  return {
    id: eventId(at, kind, finding.id),
    at,
    kind,
    findingId: finding.id,
    certificate: { sha256: finding.certificate.sha256, subject: finding.certificate.subject },
    title: titleOf(finding),
    severity: finding.severity,
    locations,
    removedBy,
  }
}
