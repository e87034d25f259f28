/**
 * What CertAudit removed or distrusted, read from the journals of its changes (src/removal): for each
 * certificate, each change that took it out of at least one store, and from which stores. A change that
 * was undone (or whose undo started) took nothing out for good. Journals are parsed by the removal
 * module's schemas; a damaged one is a problem to report, and the others still count.
 */
import { join } from 'node:path'
import { dataDir } from '../removal/data-dir.js'
import { listChangeIds, readJournal, type JournalRecord } from '../removal/journal.js'
import type { Environment } from '../stores/shared/environment.js'
import type { StoreKind } from '../stores/registry.js'
import { guardFile, readJsonFile, writeFileAtomic } from './files.js'
import { removalNotes, type RemovalNotes } from './schemas.js'

/** One certificate taken out of some stores by one change. */
export interface Removal {
  readonly changeId: string
  /** When the change finished taking it out (its last verified step). */
  readonly at: string
  readonly sha256: string
  readonly takenOut: readonly { readonly storeId: string; readonly kind: StoreKind; readonly location: string; readonly entry: string }[]
}

/** Every removal on record, oldest first, and the journals that could not be read. */
export async function readRemovals(env: Environment): Promise<{ readonly removals: Removal[]; readonly problems: string[] }> {
  const changesDir = join(dataDir(env), 'changes')
  const removals: Removal[] = []
  const problems: string[] = []
  for (const id of await listChangeIds(changesDir).catch(() => [])) {
    let records: JournalRecord[]
    try {
      records = await readJournal(join(changesDir, id))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue // a change that never started
      problems.push(`The guard could not read change ${id}: ${(error as Error).message}`)
      continue
    }
    const planned = records.find((r): r is Extract<JournalRecord, { step: 'planned' }> => r.step === 'planned')
    if (!planned || records.some((r) => r.step === 'undo-started')) continue
    const bySha = new Map<string, { at: string; takenOut: Removal['takenOut'][number][] }>()
    for (const record of records) {
      if (record.step !== 'verified' || (record.status !== 'removed' && record.status !== 'distrusted')) continue
      const target = planned.plan.changes[record.index]?.target
      if (!target) continue
      const entry = bySha.get(target.sha256) ?? { at: record.at, takenOut: [] }
      entry.at = record.at > entry.at ? record.at : entry.at
      entry.takenOut.push({ storeId: target.storeId, kind: target.kind, location: target.location, entry: target.entry })
      bySha.set(target.sha256, entry)
    }
    for (const [sha256, { at, takenOut }] of bySha) removals.push({ changeId: id, at, sha256, takenOut })
  }
  return { removals, problems }
}

/** The latest removal of a certificate, or undefined. */
export function latestRemoval(removals: readonly Removal[], sha256: string): Removal | undefined {
  let latest: Removal | undefined
  for (const removal of removals) if (removal.sha256 === sha256 && (!latest || removal.at >= latest.at)) latest = removal
  return latest
}

/** Notes older than this many changes are dropped: only recent removals need them. */
const MAX_NOTED_CHANGES = 200

/**
 * Notes the places a change left alone: where the certificates it planned for were trusted at the
 * scan it was planned from, less the places it changed. Read back by {@link readRemovalNotes}.
 */
export async function noteRemoval(env: Environment, changeId: string, left: readonly { readonly sha256: string; readonly storeId: string }[]): Promise<void> {
  const path = guardFile(env, 'removals')
  const read = await readJsonFile(path, removalNotes)
  const changes: RemovalNotes['changes'] = read.status === 'ok' ? { ...read.value.changes } : {}
  changes[changeId] = { left: left.map(({ sha256, storeId }) => ({ sha256, storeId })) }
  const kept = Object.keys(changes).sort().slice(-MAX_NOTED_CHANGES)
  const next: RemovalNotes = { version: 1, changes: Object.fromEntries(kept.map((id) => [id, changes[id]!])) }
  await writeFileAtomic(path, JSON.stringify(next, null, 2) + '\n', { what: "the guard's notes of a removal" })
}

/** The places each change left alone, by change id and certificate; a damaged file is a problem and no notes. */
export async function readRemovalNotes(env: Environment): Promise<{ readonly left: (changeId: string, sha256: string) => ReadonlySet<string> | undefined; readonly problem?: string }> {
  const read = await readJsonFile(guardFile(env, 'removals'), removalNotes)
  const changes = read.status === 'ok' ? read.value.changes : {}
  const left = (changeId: string, sha256: string) => {
    const note = Object.hasOwn(changes, changeId) ? changes[changeId] : undefined
    return note ? new Set(note.left.filter((l) => l.sha256 === sha256).map((l) => l.storeId)) : undefined
  }
  return read.status === 'damaged' ? { left, problem: read.problem } : { left }
}
