/**
 * What every part of a change (engine.ts: remove and resume; undo.ts: undo and its preview) shares:
 * the machine and its adapters, and a change's journal as read from the data folder.
 */
import { STORES, type StoreRegistry } from '../stores/registry.js'
import type { Environment } from '../stores/shared/environment.js'
import type { Elevation, EntryTarget, StoreAdapter } from '../stores/types.js'
import { changeDir } from './data-dir.js'
import { Journal, readJournal, type JournalRecord, type RemovalPlan } from './journal.js'

/** Everything a change needs: the machine, the store adapters, and the elevation module. */
export interface RemovalContext {
  readonly env: Environment
  readonly elevation: Elevation
  /** The adapters; {@link STORES} unless a test replaces some (recorded Windows output…). */
  readonly stores?: StoreRegistry
  /** Called after each journal record is on disk: where crash tests inject their fault. */
  readonly onJournalRecord?: (record: JournalRecord) => void
}

/** A change id that names no change in the data folder (a typo, or a change from another machine). */
export class UnknownChangeError extends Error {
  readonly code = 'unknown-change'
  constructor(readonly changeId: string) {
    super(`There is no change "${changeId}" (see "certaudit history").`)
    this.name = 'UnknownChangeError'
  }
}

/** A change's journal; its absence is an {@link UnknownChangeError}, not a file system error. */
export async function journalOf(ctx: RemovalContext, changeId: string): Promise<{ dir: string; records: JournalRecord[] }> {
  const dir = changeDir(ctx.env, changeId)
  try {
    return { dir, records: await readJournal(dir) }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnknownChangeError(changeId)
    throw error
  }
}

export function planOf(records: readonly JournalRecord[], changeId: string): RemovalPlan {
  const planned = records.find((r): r is Extract<JournalRecord, { step: 'planned' }> => r.step === 'planned')
  if (!planned) throw new Error(`The journal of change ${changeId} has no plan: it cannot be resumed or undone.`)
  return planned.plan
}

export function openJournal(changeId: string, ctx: RemovalContext): Promise<Journal> {
  return Journal.open(changeDir(ctx.env, changeId), ctx.onJournalRecord)
}

/** The record of one step of one entry, if the journal has it. */
export function recordOf<S extends JournalRecord['step']>(records: readonly JournalRecord[], step: S, index: number): Extract<JournalRecord, { step: S }> | undefined {
  return records.find((r): r is Extract<JournalRecord, { step: S }> => r.step === step && 'index' in r && r.index === index)
}

export function storesOf(ctx: RemovalContext): StoreRegistry {
  return ctx.stores ?? STORES
}

export function adapterFor(target: EntryTarget, ctx: RemovalContext): StoreAdapter {
  return storesOf(ctx)[target.kind]
}

export function now(): string {
  return new Date().toISOString()
}
