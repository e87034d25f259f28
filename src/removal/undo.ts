/**
 * Undo: puts back what a change took away, and only that. A backup is evidence, not an instruction:
 * before anything is written, it must be the file the journal recorded when the change ran (its
 * SHA-256), hold the certificate the plan named, and name the very place and trust of the plan's
 * target; anything else fails that entry with the reason while the others are restored. What undo
 * will put back where is shown first ({@link previewUndo}): the CLI and the window ask before running it.
 */
import { shellFor } from '../stores/shared/command-text.js'
import { CertificateRecord } from '../audit/certificate.js'
import { readCertificates } from '../audit/pem.js'
import type { Backup, ChangeOutcome, EntryTarget } from '../stores/types.js'
import { adapterFor, journalOf, now, openJournal, planOf, recordOf, storesOf, type RemovalContext } from './context.js'
import { dataDir } from './data-dir.js'
import { DamagedRecordError, DataFolderError, readBackup, type Journal, type JournalRecord, type PlannedChange } from './journal.js'
import { acquireLock } from './lock.js'
import { describeFailure, report, result, stopped, withNote, type ChangeReport, type EntryResult } from './results.js'
import { presence, repairIfCutOff, type Presence } from './store-state.js'

/** Undoes a change (or rolls back an interrupted one): every entry that was touched is put back from its backup. */
export async function undoChange(changeId: string, ctx: RemovalContext): Promise<ChangeReport> {
  const release = await acquireLock(dataDir(ctx.env))
  try {
    const { dir, records } = await journalOf(ctx, changeId)
    const plan = planOf(records, changeId)
    const journal = await openJournal(changeId, ctx)
    if (!records.some((r) => r.step === 'undo-started')) await journal.append({ step: 'undo-started', at: now() })
    const results: EntryResult[] = []
    const inPlanOrder = () => results.sort((a, b) => a.index - b.index)
    try {
      // Last change first: two entries of one file (two certificates cut from one anchor) go back as they came off.
      for (const [index, change] of [...plan.changes.entries()].reverse()) {
        const backedUp = recordOf(records, 'backed-up', index)
        if (!backedUp) results.push(result(index, change, 'skipped', change.action === 'manual' ? change.instructions : 'Nothing was changed here, so there is nothing to undo.', undefined))
        // Even an entry an earlier undo restored is judged by reading its store again: never by the journal's word.
        else results.push(await restoreFromBackup(index, change, dir, backedUp, records, journal, ctx))
      }
      await journal.append({ step: 'undo-done', at: now() })
    } catch (error) {
      if (!(error instanceof DataFolderError)) throw error
      return stopped(plan, 'undo', results, error, ctx)
    }
    return report(plan, 'undo', inPlanOrder(), ctx)
  } finally {
    await release()
  }
}

/** What undo would do with one entry, said before it runs. */
export interface UndoPreviewEntry {
  readonly index: number
  readonly target: EntryTarget
  /** `put-back`: the certificate is added again; `trust-again`: it is there, its trust is given back; `nothing`: nothing to do (never changed, or already back); `refused`: its backup cannot be used. */
  readonly action: 'put-back' | 'trust-again' | 'nothing' | 'refused'
  /** The certificate's subject, as people read it. */
  readonly subject: string
  /** What the backup puts back besides the certificate (nickname and NSS trust flags, alias, file, conf line). */
  readonly facts: Readonly<Record<string, string | number>>
  /** The OS will ask for administrator rights for it. */
  readonly needsAdmin: boolean
  /** Why nothing is done, or why it is refused (English). */
  readonly detail?: string
}

export interface UndoPreview {
  readonly changeId: string
  readonly entries: readonly UndoPreviewEntry[]
  /** Something will run with administrator rights. */
  readonly needsAdmin: boolean
}

/** The backup facts shown before undo: what it writes back, by name. */
const SHOWN_FACTS = ['nickname', 'trustFlags', 'alias', 'file', 'confLine', 'confText'] as const

/** What {@link undoChange} would put back where, with every backup checked as undo checks it; changes nothing. */
export async function previewUndo(changeId: string, ctx: RemovalContext): Promise<UndoPreview> {
  const { dir, records } = await journalOf(ctx, changeId)
  const plan = planOf(records, changeId)
  const entries: UndoPreviewEntry[] = []
  for (const [index, change] of plan.changes.entries()) {
    const base = { index, target: change.target, subject: subjectOf(change.target.pem), facts: {}, needsAdmin: false }
    const backedUp = recordOf(records, 'backed-up', index)
    if (!backedUp) {
      entries.push({ ...base, action: 'nothing', detail: 'Nothing was changed here.' })
      continue
    }
    let backup: Backup
    try {
      backup = await evidenceBackup(dir, backedUp, change, ctx)
    } catch (error) {
      if (!(error instanceof DamagedRecordError)) throw error
      entries.push({ ...base, action: 'refused', detail: `${error.message} Nothing will be put back here.` })
      continue
    }
    const facts = Object.fromEntries(SHOWN_FACTS.flatMap((key) => (typeof backup.data[key] === 'string' || typeof backup.data[key] === 'number' ? [[key, backup.data[key]!]] : [])))
    const current = await presence(change.target, ctx)
    if (isBack(backup, current)) entries.push({ ...base, facts, action: 'nothing', detail: 'It is already back as it was.' })
    else entries.push({ ...base, facts, action: current.present ? 'trust-again' : 'put-back', needsAdmin: change.needsAdmin })
  }
  return { changeId, entries, needsAdmin: entries.some((e) => e.needsAdmin) }
}

/**
 * The backup of one entry, read as evidence: the file the journal recorded (by SHA-256) when the
 * change ran, for the certificate and the very place of the plan's target. Throws
 * {@link DamagedRecordError} saying what does not match.
 */
async function evidenceBackup(dir: string, backedUp: Extract<JournalRecord, { step: 'backed-up' }>, change: PlannedChange, ctx: RemovalContext): Promise<Backup> {
  const backup = await readBackup(dir, backedUp.file, storesOf(ctx), backedUp.evidence)
  const planned = change.target
  const differs: string[] = (['storeId', 'kind', 'location', 'entry', 'sha256', 'trust'] as const).filter((key) => backup.target[key] !== planned[key])
  if (JSON.stringify(backup.target.origin ?? null) !== JSON.stringify(planned.origin ?? null)) differs.push('origin')
  if (differs.length) {
    throw new DamagedRecordError(
      'damaged-backup',
      `The backup ${backedUp.file} of change ${dir} names another ${differs.join(', ')} than the change made (${planned.kind} ${planned.location}, "${planned.entry}"): undo only puts a certificate back where the change took it from, as trusted as it was there.`,
    )
  }
  return backup
}

/** One entry put back; a backup that cannot be used fails that entry alone, and says why. */
async function restoreFromBackup(
  index: number,
  change: PlannedChange,
  dir: string,
  backedUp: Extract<JournalRecord, { step: 'backed-up' }>,
  records: readonly JournalRecord[],
  journal: Journal,
  ctx: RemovalContext,
): Promise<EntryResult> {
  let backup: Backup
  try {
    backup = await evidenceBackup(dir, backedUp, change, ctx)
  } catch (error) {
    if (!(error instanceof DamagedRecordError)) throw error
    const detail = `${error.message} Nothing was put back here.`
    await journal.append({ step: 'restored', at: now(), index, status: 'failed', detail })
    return result(index, change, 'failed', detail, undefined)
  }
  // A kill inside the tool that removed or restored it: the store is brought back together before it is judged.
  const repaired = await repairIfCutOff(index, change.target, records, journal, ctx)
  let outcome: ChangeOutcome | undefined
  // Already back (never changed, or restored before a crash): restoring twice must not duplicate it.
  if (!isBack(backup, await presence(change.target, ctx))) {
    await journal.append({ step: 'restoring', at: now(), index })
    outcome = await adapterFor(change.target, ctx).restore(backup, ctx.env, ctx.elevation)
  }
  const after = await presence(change.target, ctx)
  const status = isBack(backup, after) ? 'restored' : 'failed'
  const detail = status === 'failed' ? (after.error ?? after.disagreement ?? describeFailure(outcome, shellFor(ctx.env.platform)) ?? `The certificate is not back in ${change.target.location} as it was.`) : undefined
  await journal.append({ step: 'restored', at: now(), index, status, ...(outcome ? { outcome } : {}), ...(detail ? { detail } : {}) })
  return withNote(result(index, change, status, detail, outcome), repaired)
}

/** Back as it was: there, exactly as trusted as the plan recorded, and the store whole (a bundle rebuilt, no hot journal). */
function isBack(backup: Backup, p: Presence): boolean {
  return !p.error && !p.disagreement && p.present && p.trusted === (backup.target.trust === 'trusted')
}

function subjectOf(pem: string): string {
  const [item] = readCertificates(Buffer.from(pem, 'latin1'))
  if (item?.type !== 'certificate') return '(unreadable certificate)'
  try {
    return new CertificateRecord(item.der).details.subject
  } catch {
    return '(unreadable certificate)'
  }
}
