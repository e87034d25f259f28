/**
 * The truth about an entry, re-derived by reading its store, never taken from the journal: whether
 * the certificate is there and trusted, and whether the store's parts agree (a kill inside
 * update-ca-certificates or certutil can leave them apart). Resume and undo bring a store a kill may
 * have cut off back together first ({@link repairIfCutOff}), with a journal record before the tool runs.
 */
import { sha256Hex } from '../audit/certificate.js'
import type { EntryTarget } from '../stores/types.js'
import { adapterFor, now, type RemovalContext } from './context.js'
import type { Journal, JournalRecord } from './journal.js'

export interface Presence {
  readonly present: boolean
  /** Trusted in at least one entry of the store. */
  readonly trusted: boolean
  /** The store could not be re-read. */
  readonly error?: string
  /** The store's parts disagree (a bundle not rebuilt, a database with a hot journal): nothing it says is final. */
  readonly disagreement?: string
}

/** Re-lists the store and looks for the certificate by SHA-256, and asks the store whether its parts agree: the only proof of a change. */
export async function presence(target: EntryTarget, ctx: RemovalContext): Promise<Presence> {
  let present = false
  let trusted = false
  const adapter = adapterFor(target, ctx)
  try {
    for await (const item of adapter.list({ id: target.storeId, kind: target.kind, location: target.location }, ctx.env)) {
      if (item.type !== 'entry' || sha256Hex(item.der) !== target.sha256) continue
      present = true
      trusted ||= item.trust === 'trusted'
    }
  } catch (error) {
    return { present, trusted, error: `${target.location} could not be re-read to verify the change: ${(error as Error).message}` }
  }
  const settled = await adapter.settle?.(target, ctx.env).catch((error: unknown) => ({ consistent: false, detail: (error as Error).message }))
  return { present, trusted, ...(settled && !settled.consistent ? { disagreement: settled.detail ?? `${target.location} is not whole.` } : {}) }
}

/** The planned result holds: gone (delete) or no longer trusted (distrust). A store whose parts disagree is judged by what it holds: still there is never done. */
export function isDone(action: 'delete' | 'distrust', p: Presence): boolean {
  return !p.error && (action === 'delete' ? !p.present : !p.trusted)
}

/**
 * True when a tool of this entry may have been cut off by a kill: the last step recorded for it is
 * one taken before a tool ran (applying, restoring, repairing) with no record of the tool's end.
 */
export function cutOff(records: readonly JournalRecord[], index: number): boolean {
  let last: JournalRecord['step'] | undefined
  for (const r of records) {
    if ('index' in r && r.index === index && ['applying', 'applied', 'restoring', 'restored', 'repairing', 'repaired'].includes(r.step)) last = r.step
  }
  return last === 'applying' || last === 'restoring' || last === 'repairing'
}

/**
 * After a kill inside a tool of this entry: brings its store back together (the bundle rebuilt from
 * the sources, a database's hot journal rolled back), journaled before and after. Every later
 * judgement reads the store again; this only makes what it reads whole. Returns what to tell the user.
 */
export async function repairIfCutOff(index: number, target: EntryTarget, records: readonly JournalRecord[], journal: Journal, ctx: RemovalContext): Promise<string | undefined> {
  const adapter = adapterFor(target, ctx)
  if (!adapter.settle || !cutOff(records, index)) return undefined
  await journal.append({ step: 'repairing', at: now(), index })
  const settled = await adapter.settle(target, ctx.env, ctx.elevation).catch((error: unknown) => ({ consistent: false, detail: (error as Error).message, outcome: undefined }))
  await journal.append({
    step: 'repaired',
    at: now(),
    index,
    consistent: settled.consistent,
    ...(settled.outcome ? { outcome: settled.outcome } : {}),
    ...(settled.detail ? { detail: settled.detail } : {}),
  })
  const ran = settled.outcome?.commands.length ? ' (it ran what the store needed to be whole again)' : ''
  return settled.consistent
    ? `The last run stopped inside the tool that changes ${target.location}; CertAudit checked the store${ran} before going on.`
    : `The last run stopped inside the tool that changes ${target.location}, and the store could not be made whole again: ${settled.detail ?? 'its parts disagree.'}`
}
