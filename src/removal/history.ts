import { join } from 'node:path'
import type { StoreKind } from '../stores/registry.js'
import type { Environment } from '../stores/shared/environment.js'
import type { StoreFacts } from '../stores/types.js'
import { dataDir } from './data-dir.js'
import { listChangeIds, readJournalUpToDamage, type EntryStatus, type JournalRecord, type RemovalPlan } from './journal.js'

/**
 * `done`: applied and verified; `interrupted`: stopped part-way (offer to finish or roll back);
 * `undone`: rolled back; `undo-interrupted`: a rollback that stopped part-way; `damaged`: its journal
 * cannot be read (or was changed by something else), so CertAudit will neither undo nor finish it.
 */
export type ChangeState = 'done' | 'interrupted' | 'undone' | 'undo-interrupted' | 'damaged'

export interface ChangeSummary {
  readonly id: string
  readonly createdAt: string
  /** Absent only for a damaged journal whose plan cannot be read. */
  readonly mode?: RemovalPlan['mode']
  readonly state: ChangeState
  /** Why a `damaged` change is not acted on, in English (the journal's own words). */
  readonly problem?: string
  readonly findings: RemovalPlan['findings']
  /** Last known status of each planned entry, in plan order, with its store's kind and facts (for the window to name it). */
  readonly entries: readonly {
    readonly storeId: string
    readonly kind: StoreKind
    readonly location: string
    readonly facts?: StoreFacts
    readonly entry: string
    readonly status: EntryStatus | 'pending'
  }[]
}

/**
 * Every change CertAudit has made on this machine, newest first, read from the journals. A change
 * whose journal is damaged is listed too, as `damaged` with why (and what its plan said, when that
 * part can still be read): never left out, and never offered for undo or resume.
 */
export async function history(env: Environment): Promise<ChangeSummary[]> {
  const changesDir = join(dataDir(env), 'changes')
  const summaries: ChangeSummary[] = []
  for (const id of await listChangeIds(changesDir)) {
    let read: Awaited<ReturnType<typeof readJournalUpToDamage>>
    try {
      read = await readJournalUpToDamage(join(changesDir, id))
    } catch {
      continue // a folder without a journal: a change that never started
    }
    const { records, damage } = read
    const planned = records.find((r): r is Extract<JournalRecord, { step: 'planned' }> => r.step === 'planned')
    if (!planned) {
      const createdAt = createdAtOf(id)
      if (damage && createdAt) summaries.push({ id, createdAt, state: 'damaged', problem: damage.message, findings: [], entries: [] })
      continue
    }
    const has = (step: JournalRecord['step']) => records.some((r) => r.step === step)
    const state: ChangeState = damage ? 'damaged' : has('undo-started') ? (has('undo-done') ? 'undone' : 'undo-interrupted') : has('done') ? 'done' : 'interrupted'
    const statusOf = (index: number): EntryStatus | 'pending' => {
      let status: EntryStatus | 'pending' = 'pending'
      for (const r of records) {
        if ((r.step === 'verified' || r.step === 'restored') && r.index === index) status = r.status
      }
      return status
    }
    summaries.push({
      id,
      createdAt: planned.plan.createdAt,
      mode: planned.plan.mode,
      state,
      ...(damage ? { problem: damage.message } : {}),
      findings: planned.plan.findings,
      entries: planned.plan.changes.map(({ target }, index) => ({
        storeId: target.storeId,
        kind: target.kind,
        location: target.location,
        ...(target.facts ? { facts: target.facts } : {}),
        entry: target.entry,
        status: statusOf(index),
      })),
    })
  }
  return summaries.reverse()
}

/** When a change was made, from its id (20261205T084047Z-1d43, journal.ts); null for a folder CertAudit did not name. */
function createdAtOf(id: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]+$/.exec(id)
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z` : null
}

/** Changes that stopped part-way: the app offers to finish or roll back each. */
export async function interruptedChanges(env: Environment): Promise<ChangeSummary[]> {
  return (await history(env)).filter((c) => c.state === 'interrupted' || c.state === 'undo-interrupted')
}
