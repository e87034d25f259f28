/**
 * The guard's events as the data folder keeps them (guard/events.json): what each check found, whether
 * a notification reached the user, whether the window has shown it. The window's history reads it
 * ("came back on … in …"), and events no notification delivered are shown at the next start.
 */
import type { Environment } from '../stores/shared/environment.js'
import { guardFile, readJsonFile, withGuardLock, writeFileAtomic, type GuardLock } from './files.js'
import { eventLog, MAX_EVENTS, type EventLog, type GuardEvent, type LoggedEvent } from './schemas.js'

/** Every logged event, oldest first; a damaged log is a problem, and an empty one. */
export async function readEvents(env: Environment): Promise<{ readonly events: readonly LoggedEvent[]; readonly problem?: string }> {
  const read = await readJsonFile(guardFile(env, 'events'), eventLog)
  if (read.status === 'ok') return { events: read.value.events }
  return read.status === 'damaged' ? { events: [], problem: `${read.problem}; the guard's earlier events are not shown.` } : { events: [] }
}

/** Reads, changes and writes the log with the guard's lock held (taken here unless the caller holds it). */
async function update(env: Environment, change: (events: LoggedEvent[]) => LoggedEvent[], lock?: GuardLock): Promise<readonly LoggedEvent[]> {
  const write = async () => {
    const { events } = await readEvents(env)
    const next: EventLog = { version: 1, events: change([...events]).slice(-MAX_EVENTS) }
    await writeFileAtomic(guardFile(env, 'events'), JSON.stringify(next, null, 2) + '\n', { what: "the guard's events" })
    return next.events
  }
  return lock ? write() : withGuardLock(env, write)
}

/** Adds a check's events (not yet notified, not yet shown); `lock` when the check already holds it. */
export async function appendEvents(env: Environment, events: readonly GuardEvent[], lock?: GuardLock): Promise<void> {
  if (events.length === 0) return
  await update(env, (logged) => [...logged.filter((e) => !events.some((n) => n.id === e.id)), ...events.map((e) => ({ ...e, notified: false, acknowledged: false }))], lock)
}

/** Marks events as delivered by a notification. */
export async function markNotified(env: Environment, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await update(env, (logged) => logged.map((e) => (ids.includes(e.id) ? { ...e, notified: true } : e)))
}

/** Marks events as shown in the window; returns the log. */
export async function acknowledge(env: Environment, ids: readonly string[]): Promise<readonly LoggedEvent[]> {
  if (ids.length === 0) return (await readEvents(env)).events
  return update(env, (logged) => logged.map((e) => (ids.includes(e.id) ? { ...e, acknowledged: true } : e)))
}

/** The events to show at start: a certificate found or back that no notification told the user about. */
export function pendingEvents(events: readonly LoggedEvent[]): LoggedEvent[] {
  return events.filter((e) => e.kind !== 'gone' && !e.notified && !e.acknowledged).reverse()
}
