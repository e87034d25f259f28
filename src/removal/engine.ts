/**
 * A removal and its resume: backup each entry (verified by reading it back), change it with its
 * store's tool, verify by re-reading the store, journaling before and after every step. Undo and its
 * preview are in undo.ts; what re-reading a store says, in store-state.ts.
 */
import { rm } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import { shellFor } from '../stores/shared/command-text.js'
import { identify } from '../audit/certificate.js'
import { readCertificates } from '../audit/pem.js'
import { StoreError, type Backup, type ChangeOutcome, type EntryTarget } from '../stores/types.js'
import { adapterFor, journalOf, now, openJournal, planOf, recordOf, storesOf, type RemovalContext } from './context.js'
import { dataDir } from './data-dir.js'
import { interruptedChanges } from './history.js'
import { DataFolderError, readBackup, type EntryStatus, type Journal, type JournalRecord, type PlannedChange, type RemovalPlan } from './journal.js'
import { acquireLock } from './lock.js'
import { describeFailure, report, result, stopped, withNote, type ChangeReport, type EntryResult } from './results.js'
import { isDone, presence, repairIfCutOff } from './store-state.js'

export { UnknownChangeError, type RemovalContext } from './context.js'
export type { ChangeReport, EntryResult } from './results.js'
export { previewUndo, undoChange, type UndoPreview, type UndoPreviewEntry } from './undo.js'

/** A new change while another stopped part-way: finishing or rolling back that one comes first. */
export class ChangeInterruptedError extends Error {
  readonly code = 'change-interrupted'
  constructor(readonly changeId: string) {
    super(
      `Change ${changeId} was interrupted before it finished. Run "certaudit resume --change ${changeId}" to finish it, ` +
        `or "certaudit undo --change ${changeId}" to roll it back, before starting another (in the app: Home → the interrupted change).`,
    )
    this.name = 'ChangeInterruptedError'
  }
}

/** Runs a new plan: backup every entry, change it, re-read the store, journaling each step. */
export async function applyPlan(plan: RemovalPlan, ctx: RemovalContext): Promise<ChangeReport> {
  const release = await acquireLock(dataDir(ctx.env))
  try {
    // Two half-made changes would leave nobody able to tell which backup is the original: one at a time, whole.
    const [interrupted] = await interruptedChanges(ctx.env)
    if (interrupted) throw new ChangeInterruptedError(interrupted.id)
    const journal = await openJournal(plan.id, ctx)
    try {
      await journal.append({ step: 'planned', at: now(), plan })
    } catch (error) {
      // Not even the plan could be recorded: nothing was changed, and no half-made change is left to list.
      await rm(journal.dir, { recursive: true, force: true }).catch(() => {})
      throw error
    }
    return await runChange(plan, [], journal, ctx)
  } finally {
    await release()
  }
}

/** Finishes a change that was interrupted (a crash, a kill, a power cut) from where its journal stops. */
export async function resumeChange(changeId: string, ctx: RemovalContext): Promise<ChangeReport> {
  const release = await acquireLock(dataDir(ctx.env))
  try {
    const { records } = await journalOf(ctx, changeId)
    const plan = planOf(records, changeId)
    return await runChange(plan, records, await openJournal(changeId, ctx), ctx)
  } finally {
    await release()
  }
}

async function runChange(plan: RemovalPlan, records: readonly JournalRecord[], journal: Journal, ctx: RemovalContext): Promise<ChangeReport> {
  const results: EntryResult[] = []
  for (const [index, change] of plan.changes.entries()) {
    const done = recordOf(records, 'verified', index)
    if (done) {
      results.push(result(index, change, done.status, done.detail, undefined))
      continue
    }
    try {
      if (change.action === 'manual') {
        await journal.append({ step: 'verified', at: now(), index, status: 'manual', detail: change.instructions ?? '' })
        results.push(result(index, change, 'manual', change.instructions, undefined))
        continue
      }
      results.push(await changeOne(index, change, records, journal, ctx))
    } catch (error) {
      if (!(error instanceof DataFolderError)) throw error
      return stopped(plan, 'remove', results, error, ctx)
    }
  }
  await journal.append({ step: 'done', at: now() }).catch((error: unknown) => {
    // Every entry is done and verified; without this record the change shows as interrupted, and resume finishes it at once.
    if (!(error instanceof DataFolderError)) throw error
  })
  return report(plan, 'remove', results, ctx)
}

/** Backup (verified by re-reading it), apply, verify by re-listing the store: one entry. */
async function changeOne(index: number, change: PlannedChange, records: readonly JournalRecord[], journal: Journal, ctx: RemovalContext): Promise<EntryResult> {
  const action = change.action as Exclude<PlannedChange['action'], 'manual'>
  let backup: Backup
  const backedUp = recordOf(records, 'backed-up', index)
  try {
    backup = backedUp ? await readBackup(journal.dir, backedUp.file, storesOf(ctx), backedUp.evidence) : await makeBackup(index, change.target, journal, ctx)
  } catch (error) {
    if (error instanceof DataFolderError) throw error // the journal cannot be trusted to record more: stop
    const message = error instanceof StoreError ? error.message : `The backup could not be made: ${(error as Error).message}`
    await journal.append({ step: 'backup-failed', at: now(), index, message })
    // Gone since the plan (another change, or by hand): when re-reading the store shows the planned result
    // already holds, nothing needed doing; otherwise (it is there under another name, say) it failed.
    if (error instanceof StoreError && error.code === 'entry-missing' && isDone(action, await presence(change.target, ctx))) {
      const detail = `Nothing needed changing: ${message} Re-reading the store shows it is ${action === 'delete' ? 'not there' : 'not trusted there'}.`
      await journal.append({ step: 'verified', at: now(), index, status: 'skipped', detail })
      return result(index, change, 'skipped', detail, undefined)
    }
    await journal.append({ step: 'verified', at: now(), index, status: 'failed', detail: message })
    return result(index, change, 'failed', `Nothing was changed: ${message}`, undefined)
  }
  // Resuming after a kill inside the tool (after "applying", before "applied"): the store is brought back
  // together first (the bundle rebuilt, the database recovered), then read: the change may already be made.
  const repaired = await repairIfCutOff(index, change.target, records, journal, ctx)
  const before = await presence(change.target, ctx)
  let outcome: ChangeOutcome | undefined
  if (!recordOf(records, 'applied', index) && !(isDone(action, before) && !before.disagreement)) {
    await journal.append({ step: 'applying', at: now(), index })
    outcome = await adapterFor(change.target, ctx).apply(backup, action, ctx.env, ctx.elevation)
    await journal.append({ step: 'applied', at: now(), index, outcome })
  }
  const after = await presence(change.target, ctx)
  // Gone from the sources is not done while the bundle (or the database's journal) still says otherwise.
  const done = isDone(action, after)
  const status: EntryStatus = after.error || (done && after.disagreement) ? 'failed' : done ? (after.present ? 'distrusted' : 'removed') : outcome && !outcome.ok ? 'failed' : 'still-present'
  const detail =
    after.error ??
    (status === 'still-present'
      ? [after.disagreement ?? `The tools reported success, but the certificate is still trusted in ${change.target.location}.`, ...(outcome?.warnings ?? [])].join(' ')
      : status === 'failed'
        ? [after.disagreement, describeFailure(outcome, shellFor(ctx.env.platform))].filter(Boolean).join(' ')
        : undefined)
  await journal.append({ step: 'verified', at: now(), index, status, ...(detail ? { detail } : {}) })
  return withNote(result(index, change, status, detail, outcome), repaired)
}

async function makeBackup(index: number, target: EntryTarget, journal: Journal, ctx: RemovalContext): Promise<Backup> {
  const backup = await adapterFor(target, ctx).backup(target, ctx.env)
  if (pemSha256(backup.exportedPem) !== target.sha256) {
    throw new StoreError('backup-mismatch', `The certificate exported from ${target.location} is not the one planned (its SHA-256 differs); nothing was changed.`)
  }
  const { file, sha256 } = await journal.writeBackup(index, backup)
  // What undo will check the backup against: it may only put back these bytes, for this certificate.
  const evidence = { certificate: target.sha256, backup: sha256 }
  // Read it back from disk, as undo will, before touching the store: the backup must be there, intact and usable.
  const reread = await readBackup(journal.dir, file, storesOf(ctx), evidence).catch((error: unknown) => {
    throw new StoreError('backup-unreadable', `The backup written to ${journal.dir} did not read back intact (${(error as Error).message}); nothing was changed.`)
  })
  // The same values, whatever order the schema gives the keys (a backup's JSON is data, not text to match).
  if (!isDeepStrictEqual(reread, JSON.parse(JSON.stringify(backup)))) {
    throw new StoreError('backup-unreadable', `The backup written to ${journal.dir} did not read back intact; nothing was changed.`)
  }
  await journal.append({ step: 'backed-up', at: now(), index, file, evidence })
  return backup
}

function pemSha256(pem: string): string {
  const [item] = readCertificates(Buffer.from(pem, 'latin1'))
  return item?.type === 'certificate' ? identify(item.der).sha256 : ''
}
