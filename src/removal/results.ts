/** What a change (a removal, its resume, its undo) reports, entry by entry. */
import type { Language } from '../audit/blocklist.js'
import { commandFailure, type Shell } from '../stores/shared/command-text.js'
import type { ChangeOutcome, EntryTarget } from '../stores/types.js'
import type { RemovalContext } from './context.js'
import { changeDir } from './data-dir.js'
import type { DataFolderError, EntryStatus, PlannedChange, RemovalPlan } from './journal.js'

export interface EntryResult {
  readonly index: number
  readonly target: EntryTarget
  readonly action: PlannedChange['action']
  readonly status: EntryStatus
  /** Why, in plain words: the failed command and its output (English), or the manual instructions (in the plan's language). */
  readonly detail?: string
  readonly commands: ChangeOutcome['commands']
  /** What the plan warned about, in the plan's language. */
  readonly planWarning?: string
  /** What the store said while changing (English). */
  readonly warnings: readonly string[]
}

export interface ChangeReport {
  readonly changeId: string
  readonly operation: 'remove' | 'undo'
  readonly results: readonly EntryResult[]
  /** The plan's language: that of the manual instructions and plan warnings (English when not recorded). */
  readonly language: Language
  /** True only when every entry ended as planned (manual entries count: the user was told; so do entries already gone, verified by re-reading). */
  readonly ok: boolean
  readonly backupDir: string
}

export function result(index: number, change: PlannedChange, status: EntryStatus, detail: string | undefined, outcome: ChangeOutcome | undefined): EntryResult {
  return {
    index,
    target: change.target,
    action: change.action,
    status,
    ...(detail ? { detail } : {}),
    commands: outcome?.commands ?? [],
    ...(change.warning ? { planWarning: change.warning } : {}),
    warnings: outcome?.warnings ?? [],
  }
}

export function report(plan: RemovalPlan, operation: 'remove' | 'undo', results: EntryResult[], ctx: RemovalContext): ChangeReport {
  const changeId = plan.id
  const planned = (r: EntryResult) =>
    operation === 'undo'
      ? r.status === 'restored' || r.status === 'skipped'
      : r.status === 'manual' || r.status === 'skipped' || (r.action === 'delete' ? r.status === 'removed' : r.status === 'distrusted' || r.status === 'removed')
  return { changeId, operation, results, language: plan.language ?? 'en', ok: results.every(planned), backupDir: changeDir(ctx.env, changeId) }
}

/**
 * The data folder stopped taking writes (a full disk) part-way: nothing more is changed, since no
 * change may go on without its journal and backups. Every entry not finished says why and what to
 * do; the journal (without "done") shows the change as interrupted, to resume or undo later.
 */
export function stopped(plan: RemovalPlan, operation: 'remove' | 'undo', results: EntryResult[], error: DataFolderError, ctx: RemovalContext): ChangeReport {
  const next = operation === 'remove' ? '"certaudit resume" to finish the change, or "certaudit undo" to roll it back' : '"certaudit undo" again to finish rolling it back'
  const detail = `${error.message} CertAudit stopped here and changed nothing more. When the folder can be written again, run ${next}.`
  const reached = new Set(results.map((r) => r.index))
  for (const [index, change] of plan.changes.entries()) if (!reached.has(index)) results.push(result(index, change, 'failed', detail, undefined))
  return report(plan, operation, results.sort((a, b) => a.index - b.index), ctx)
}

/** The result with a note for the user in front of its warnings (what resume or undo found and did first). */
export function withNote(entry: EntryResult, note: string | undefined): EntryResult {
  return note ? { ...entry, warnings: [note, ...entry.warnings] } : entry
}

/** The store's message, and the failed command with what it said unless the message quotes them already (the writers' usually do). */
export function describeFailure(outcome: ChangeOutcome | undefined, shell: Shell): string | undefined {
  if (!outcome || outcome.ok) return undefined
  const message = outcome.message ?? 'The change failed.'
  const last = [...outcome.commands].reverse().find((c) => c.exitCode !== 0)
  const said = last?.stderr.trim() ?? ''
  if (!last || (said !== '' && message.includes(said))) return message
  // Quoted for the shell people on this platform paste into (PowerShell on Windows).
  return `${message} ${commandFailure(last, undefined, shell)}`
}
