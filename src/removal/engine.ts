import { rm } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import type { Language } from '../audit/blocklist.js'
import { identify, sha256Hex } from '../audit/certificate.js'
import { readCertificates } from '../audit/pem.js'
import { STORES, type StoreRegistry } from '../stores/registry.js'
import { commandFailure, shellFor, type Shell } from '../stores/shared/command-text.js'
import type { Environment } from '../stores/shared/environment.js'
import { StoreError, type Backup, type ChangeOutcome, type Elevation, type EntryTarget, type StoreAdapter } from '../stores/types.js'
import { changeDir, dataDir } from './data-dir.js'
import { interruptedChanges } from './history.js'
import { DamagedRecordError, DataFolderError, Journal, readBackup, readJournal, type EntryStatus, type JournalRecord, type PlannedChange, type RemovalPlan } from './journal.js'
import { acquireLock } from './lock.js'

/** Everything a change needs: the machine, the store adapters, and the elevation module. */
export interface RemovalContext {
  readonly env: Environment
  readonly elevation: Elevation
  /** The adapters; {@link STORES} unless a test replaces some (recorded Windows output…). */
  readonly stores?: StoreRegistry
  /** Called after each journal record is on disk: where crash tests inject their fault. */
  readonly onJournalRecord?: (record: JournalRecord) => void
}

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

/** A change id that names no change in the data folder (a typo, or a change from another machine). */
export class UnknownChangeError extends Error {
  readonly code = 'unknown-change'
  constructor(readonly changeId: string) {
    super(`There is no change "${changeId}" (see "certaudit history").`)
    this.name = 'UnknownChangeError'
  }
}

/** A change's journal; its absence is an {@link UnknownChangeError}, not a file system error. */
async function journalOf(ctx: RemovalContext, changeId: string): Promise<{ dir: string; records: JournalRecord[] }> {
  const dir = changeDir(ctx.env, changeId)
  try {
    return { dir, records: await readJournal(dir) }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnknownChangeError(changeId)
    throw error
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
    const done = records.find((r): r is Extract<JournalRecord, { step: 'verified' }> => r.step === 'verified' && r.index === index)
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

/**
 * The data folder stopped taking writes (a full disk) part-way: nothing more is changed, since no
 * change may go on without its journal and backups. Every entry not finished says why and what to
 * do; the journal (without "done") shows the change as interrupted, to resume or undo later.
 */
function stopped(plan: RemovalPlan, operation: 'remove' | 'undo', results: EntryResult[], error: DataFolderError, ctx: RemovalContext): ChangeReport {
  const next = operation === 'remove' ? '"certaudit resume" to finish the change, or "certaudit undo" to roll it back' : '"certaudit undo" again to finish rolling it back'
  const detail = `${error.message} CertAudit stopped here and changed nothing more. When the folder can be written again, run ${next}.`
  for (const [index, change] of plan.changes.entries()) if (index >= results.length) results.push(result(index, change, 'failed', detail, undefined))
  return report(plan, operation, results, ctx)
}

/** Backup (verified by re-reading it), apply, verify by re-listing the store: one entry. */
async function changeOne(index: number, change: PlannedChange, records: readonly JournalRecord[], journal: Journal, ctx: RemovalContext): Promise<EntryResult> {
  const action = change.action as Exclude<PlannedChange['action'], 'manual'>
  let backup: Backup
  const backedUp = records.find((r): r is Extract<JournalRecord, { step: 'backed-up' }> => r.step === 'backed-up' && r.index === index)
  try {
    backup = backedUp ? await readBackup(journal.dir, backedUp.file, storesOf(ctx)) : await makeBackup(index, change.target, journal, ctx)
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
  // Resuming after a crash between "applying" and "applied": the change may already be made.
  const before = await presence(change.target, ctx)
  let outcome: ChangeOutcome | undefined
  if (!records.some((r) => r.step === 'applied' && r.index === index) && !isDone(action, before)) {
    await journal.append({ step: 'applying', at: now(), index })
    outcome = await adapterFor(change.target, ctx).apply(backup, action, ctx.env, ctx.elevation)
    await journal.append({ step: 'applied', at: now(), index, outcome })
  }
  const after = await presence(change.target, ctx)
  const status: EntryStatus = after.error ? 'failed' : isDone(action, after) ? (after.present ? 'distrusted' : 'removed') : outcome && !outcome.ok ? 'failed' : 'still-present'
  const detail =
    after.error ??
    (status === 'still-present'
      ? `The tools reported success, but the certificate is still trusted in ${change.target.location}.`
      : status === 'failed'
        ? describeFailure(outcome, shellFor(ctx.env.platform))
        : undefined)
  await journal.append({ step: 'verified', at: now(), index, status, ...(detail ? { detail } : {}) })
  return result(index, change, status, detail, outcome)
}

async function makeBackup(index: number, target: EntryTarget, journal: Journal, ctx: RemovalContext): Promise<Backup> {
  const backup = await adapterFor(target, ctx).backup(target, ctx.env)
  if (pemSha256(backup.exportedPem) !== target.sha256) {
    throw new StoreError('backup-mismatch', `The certificate exported from ${target.location} is not the one planned (its SHA-256 differs); nothing was changed.`)
  }
  const file = await journal.writeBackup(index, backup)
  // Read it back from disk, as undo will, before touching the store: the backup must be there, intact and usable.
  const reread = await readBackup(journal.dir, file, storesOf(ctx)).catch((error: unknown) => {
    throw new StoreError('backup-unreadable', `The backup written to ${journal.dir} did not read back intact (${(error as Error).message}); nothing was changed.`)
  })
  // The same values, whatever order the schema gives the keys (a backup's JSON is data, not text to match).
  if (!isDeepStrictEqual(reread, JSON.parse(JSON.stringify(backup)))) {
    throw new StoreError('backup-unreadable', `The backup written to ${journal.dir} did not read back intact; nothing was changed.`)
  }
  await journal.append({ step: 'backed-up', at: now(), index, file })
  return backup
}

/** Undoes a change (or rolls back an interrupted one): every entry that was touched is put back from its backup. */
export async function undoChange(changeId: string, ctx: RemovalContext): Promise<ChangeReport> {
  const release = await acquireLock(dataDir(ctx.env))
  try {
    const { dir, records } = await journalOf(ctx, changeId)
    const plan = planOf(records, changeId)
    const journal = await openJournal(changeId, ctx)
    if (!records.some((r) => r.step === 'undo-started')) await journal.append({ step: 'undo-started', at: now() })
    const results: EntryResult[] = []
    try {
      for (const [index, change] of plan.changes.entries()) {
        const backedUp = records.find((r): r is Extract<JournalRecord, { step: 'backed-up' }> => r.step === 'backed-up' && r.index === index)
        const restored = records.find((r): r is Extract<JournalRecord, { step: 'restored' }> => r.step === 'restored' && r.index === index && r.status === 'restored')
        if (!backedUp) {
          results.push(result(index, change, 'skipped', change.action === 'manual' ? change.instructions : 'Nothing was changed here, so there is nothing to undo.', undefined))
        } else if (restored) {
          results.push(result(index, change, 'restored', undefined, undefined))
        } else {
          results.push(await restoreFromBackup(index, change, dir, backedUp.file, journal, ctx))
        }
      }
      await journal.append({ step: 'undo-done', at: now() })
    } catch (error) {
      if (!(error instanceof DataFolderError)) throw error
      return stopped(plan, 'undo', results, error, ctx)
    }
    return report(plan, 'undo', results, ctx)
  } finally {
    await release()
  }
}

/** One entry put back; a backup that cannot be used fails that entry alone, and says why. */
async function restoreFromBackup(index: number, change: PlannedChange, dir: string, file: string, journal: Journal, ctx: RemovalContext): Promise<EntryResult> {
  let backup: Backup
  try {
    backup = await readBackup(dir, file, storesOf(ctx))
  } catch (error) {
    if (!(error instanceof DamagedRecordError)) throw error
    const detail = `${error.message} Nothing was put back here.`
    await journal.append({ step: 'restored', at: now(), index, status: 'failed', detail })
    return result(index, change, 'failed', detail, undefined)
  }
  return restoreOne(index, change, backup, journal, ctx)
}

async function restoreOne(index: number, change: PlannedChange, backup: Backup, journal: Journal, ctx: RemovalContext): Promise<EntryResult> {
  const wasTrusted = backup.target.trust === 'trusted'
  const back = (p: Presence) => p.present && p.trusted === wasTrusted
  let outcome: ChangeOutcome | undefined
  // Already back (never changed, or restored before a crash): restoring twice must not duplicate it.
  if (!back(await presence(change.target, ctx))) {
    await journal.append({ step: 'restoring', at: now(), index })
    outcome = await adapterFor(change.target, ctx).restore(backup, ctx.env, ctx.elevation)
  }
  const after = await presence(change.target, ctx)
  const status = back(after) ? 'restored' : 'failed'
  const detail = status === 'failed' ? (after.error ?? describeFailure(outcome, shellFor(ctx.env.platform)) ?? `The certificate is not back in ${change.target.location} as it was.`) : undefined
  await journal.append({ step: 'restored', at: now(), index, status, ...(outcome ? { outcome } : {}), ...(detail ? { detail } : {}) })
  return result(index, change, status, detail, outcome)
}

interface Presence {
  readonly present: boolean
  /** Trusted in at least one entry of the store. */
  readonly trusted: boolean
  readonly error?: string
}

/** Re-lists the store and looks for the certificate by SHA-256: the only proof that a change happened. */
async function presence(target: EntryTarget, ctx: RemovalContext): Promise<Presence> {
  let present = false
  let trusted = false
  try {
    for await (const item of adapterFor(target, ctx).list({ id: target.storeId, kind: target.kind, location: target.location }, ctx.env)) {
      if (item.type !== 'entry' || sha256Hex(item.der) !== target.sha256) continue
      present = true
      trusted ||= item.trust === 'trusted'
    }
  } catch (error) {
    return { present, trusted, error: `${target.location} could not be re-read to verify the change: ${(error as Error).message}` }
  }
  return { present, trusted }
}

function isDone(action: 'delete' | 'distrust', p: Presence): boolean {
  return !p.error && (action === 'delete' ? !p.present : !p.trusted)
}

/** The store's message, and the failed command (quoted for the platform's shell) with what it said unless the message quotes them already (the writers' usually do). */
function describeFailure(outcome: ChangeOutcome | undefined, shell: Shell): string | undefined {
  if (!outcome || outcome.ok) return undefined
  const message = outcome.message ?? 'The change failed.'
  const last = [...outcome.commands].reverse().find((c) => c.exitCode !== 0)
  const said = last?.stderr.trim() ?? ''
  if (!last || (said !== '' && message.includes(said))) return message
  return `${message} ${commandFailure(last, undefined, shell)}`
}

function storesOf(ctx: RemovalContext): StoreRegistry {
  return ctx.stores ?? STORES
}

function adapterFor(target: EntryTarget, ctx: RemovalContext): StoreAdapter {
  return storesOf(ctx)[target.kind]
}

function result(index: number, change: PlannedChange, status: EntryStatus, detail: string | undefined, outcome: ChangeOutcome | undefined): EntryResult {
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

function report(plan: RemovalPlan, operation: 'remove' | 'undo', results: EntryResult[], ctx: RemovalContext): ChangeReport {
  const changeId = plan.id
  const planned = (r: EntryResult) =>
    operation === 'undo'
      ? r.status === 'restored' || r.status === 'skipped'
      : r.status === 'manual' || r.status === 'skipped' || (r.action === 'delete' ? r.status === 'removed' : r.status === 'distrusted' || r.status === 'removed')
  return { changeId, operation, results, language: plan.language ?? 'en', ok: results.every(planned), backupDir: changeDir(ctx.env, changeId) }
}

function planOf(records: readonly JournalRecord[], changeId: string): RemovalPlan {
  const planned = records.find((r): r is Extract<JournalRecord, { step: 'planned' }> => r.step === 'planned')
  if (!planned) throw new Error(`The journal of change ${changeId} has no plan: it cannot be resumed or undone.`)
  return planned.plan
}

async function openJournal(changeId: string, ctx: RemovalContext): Promise<Journal> {
  return Journal.open(changeDir(ctx.env, changeId), ctx.onJournalRecord)
}

function pemSha256(pem: string): string {
  const [item] = readCertificates(Buffer.from(pem, 'latin1'))
  return item?.type === 'certificate' ? identify(item.der).sha256 : ''
}


function now(): string {
  return new Date().toISOString()
}
