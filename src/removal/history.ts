import { join } from 'node:path'
import type { StoreKind } from '../stores/registry.js'
import type { Environment } from '../stores/shared/environment.js'
import type { StoreFacts } from '../stores/types.js'
import { dataDir } from './data-dir.js'
import { listChangeIds, readJournal, type EntryStatus, type JournalRecord, type RemovalPlan } from './journal.js'

/**
 * `done`: applied and verified; `interrupted`: stopped part-way (offer to finish or roll back);
 * `undone`: rolled back; `undo-interrupted`: a rollback that stopped part-way.
 */
export type ChangeState = 'done' | 'interrupted' | 'undone' | 'undo-interrupted'

export interface ChangeSummary {
  readonly id: string
  readonly createdAt: string
  readonly mode: RemovalPlan['mode']
  readonly state: ChangeState
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

/** Every change CertAudit has made on this machine, newest first, read from the journals. */
export async function history(env: Environment): Promise<ChangeSummary[]> {
  const changesDir = join(dataDir(env), 'changes')
  const summaries: ChangeSummary[] = []
  for (const id of await listChangeIds(changesDir)) {
    let records: JournalRecord[]
    try {
      records = await readJournal(join(changesDir, id))
    } catch {
      continue // a folder without a journal: a change that never started
    }
    const planned = records.find((r): r is Extract<JournalRecord, { step: 'planned' }> => r.step === 'planned')
    if (!planned) continue
    const has = (step: JournalRecord['step']) => records.some((r) => r.step === step)
    const state: ChangeState = has('undo-started') ? (has('undo-done') ? 'undone' : 'undo-interrupted') : has('done') ? 'done' : 'interrupted'
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

/** Changes that stopped part-way: the app offers to finish or roll back each. */
export async function interruptedChanges(env: Environment): Promise<ChangeSummary[]> {
  return (await history(env)).filter((c) => c.state === 'interrupted' || c.state === 'undo-interrupted')
}
