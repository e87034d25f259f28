/**
 * One check of the guard (`certaudit watch --once`, the schedule, the window): a scan's report
 * compared with the last watch state and with the journals, the new state written atomically, and the
 * events logged. The guard reads stores and its own files only: it never changes a store.
 */
import { rename } from 'node:fs/promises'
import { hasSeriousFindings, type ScanReport } from '../audit/report.js'
import type { Environment } from '../stores/shared/environment.js'
import { compare } from './compare.js'
import { appendEvents } from './event-log.js'
import { guardFile, readJsonFile, withGuardLock, writeFileAtomic, type GuardLock } from './files.js'
import { readRemovalNotes, readRemovals } from './removals.js'
import { watchState, type GuardEvent, type WatchState } from './schemas.js'

export interface WatchResult {
  readonly checkedAt: string
  /** True when there was no earlier state (the first check, or the last one was damaged): this one is the baseline. */
  readonly baseline: boolean
  readonly events: readonly GuardEvent[]
  readonly verdict: ScanReport['verdict']
  /** Critical or high findings trusted now, or kept from stores that could not be read: the exit code's 1. */
  readonly serious: number
  /** What went wrong besides (a damaged state, an unreadable journal, a store that could not be read), in English. */
  readonly problems: readonly string[]
  /** Where the state is kept. */
  readonly statePath: string
}

/** A scan that read nothing cannot tell what is gone: the guard refuses it, and keeps its state. */
export class NothingScannedError extends Error {
  readonly code = 'nothing-scanned'
  constructor() {
    super('The guard could not read any trust store on this computer, so it cannot tell what changed; its last state is kept.')
    this.name = 'NothingScannedError'
  }
}

export async function watchOnce(report: ScanReport, env: Environment): Promise<WatchResult> {
  if (report.verdict.level === 'nothing-scanned') throw new NothingScannedError()
  // Two checks at once (the schedule and "Check now") would compare with the same state and one's
  // events could overwrite the other's: the state is read and written, and the events logged, by one at a time.
  return withGuardLock(env, (lock) => compareAndSave(report, env, lock))
}

async function compareAndSave(report: ScanReport, env: Environment, lock: GuardLock): Promise<WatchResult> {
  const statePath = guardFile(env, 'state')
  const problems: string[] = []
  const read = await readJsonFile(statePath, watchState)
  let previous: WatchState | null = null
  if (read.status === 'ok') previous = read.value
  else if (read.status === 'damaged') {
    // Kept beside it for whoever wants to look; this check becomes the new baseline.
    const aside = `${statePath}.damaged-${report.scannedAt.replace(/[^0-9TZ]/g, '')}`
    await rename(statePath, aside).catch(() => {})
    problems.push(`The guard's last state was damaged (${read.problem}); it was set aside as ${aside} and this check is a fresh baseline.`)
  }
  const { removals, problems: journalProblems } = await readRemovals(env)
  problems.push(...journalProblems)
  const notes = await readRemovalNotes(env)
  if (notes.problem) problems.push(notes.problem)

  const result = compare({ previous, report, removals, left: notes.left })
  for (const kept of result.unverified) {
    problems.push(`${kept.title} was trusted in ${kept.locations.map((l) => l.location).join(', ')} at the last check; that store could not be read now, so it is still counted.`)
  }
  for (const store of report.stores) if (store.status === 'failed') problems.push(`${store.location} could not be read: ${store.problem ?? 'unknown reason'}`)

  // Each place already says what put it there: the scan worked it out (src/stores/shared/placed-by.ts).
  const events = result.events
  await writeFileAtomic(statePath, JSON.stringify(result.state, null, 2) + '\n', { what: "the guard's state" })
  await appendEvents(env, events, lock)
  const seriousKept = result.unverified.filter((f) => (f.severity === 'critical' || f.severity === 'high') && !report.findings.some((r) => r.id === f.findingId && hasSeriousFindings({ findings: [r] })))
  const serious = report.findings.filter((f) => hasSeriousFindings({ findings: [f] })).length + seriousKept.length
  return { checkedAt: report.scannedAt, baseline: previous === null, events, verdict: report.verdict, serious, problems, statePath }
}
