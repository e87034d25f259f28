/**
 * The guard's files have one writer at a time (src/guard/files.ts, withGuardLock). A check logging its
 * events, a notification marking them delivered and the window acknowledging them each read, change and
 * write events.json: before the lock, two at once lost one's change — and a lost "returned" event is a
 * root that came back with nobody told. Measured before the lock (three runs): of 26 events (24 logged at
 * once, one marked, one acknowledged) 3 were left.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acknowledge, appendEvents, markNotified, readEvents } from '../../src/guard/event-log.js'
import { guardDir, guardFile, withGuardLock } from '../../src/guard/files.js'
import type { GuardEvent } from '../../src/guard/schemas.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { tempDir } from '../support/temp.js'

function machine() {
  const home = tempDir('certaudit-guard-lock-')
  return createEnvironment({ home, systemRoot: '/nonexistent-root', env: { HOME: home } })
}

function event(n: number): GuardEvent {
  const sha256 = createHash('sha256').update(`root ${n}`).digest('hex')
  return {
    id: `2026-12-05T08:00:00.000Z:returned:${n}`,
    at: '2026-12-05T08:00:00.000Z',
    kind: 'returned',
    findingId: sha256.slice(0, 16),
    certificate: { sha256, subject: `CN=Root ${n}` },
    title: `Root ${n}`,
    severity: 'critical',
    locations: [],
    removedBy: null,
  }
}

describe("the guard's lock", () => {
  it('events logged, marked and acknowledged all at once are all kept', async () => {
    const env = machine()
    await appendEvents(env, [event(0), event(1)])
    const events = Array.from({ length: 24 }, (_, i) => event(i + 2))
    await Promise.all([
      ...events.map((e) => appendEvents(env, [e])),
      markNotified(env, [event(0).id]),
      acknowledge(env, [event(1).id]),
    ])
    const { events: logged, problem } = await readEvents(env)
    expect(problem).toBeUndefined()
    expect(logged.map((e) => e.id).sort()).toEqual([event(0), event(1), ...events].map((e) => e.id).sort())
    expect(logged.find((e) => e.id === event(0).id)?.notified).toBe(true)
    expect(logged.find((e) => e.id === event(1).id)?.acknowledged).toBe(true)
    expect(existsSync(join(guardDir(env), 'guard.lock'))).toBe(false) // let go after each
  })

  it('a holder inside this process is waited for, and one that holds it does not wait for itself', async () => {
    const env = machine()
    let appended = false
    let waiting: Promise<unknown> = Promise.resolve()
    await withGuardLock(env, async (lock) => {
      waiting = appendEvents(env, [event(1)]).then(() => (appended = true))
      await appendEvents(env, [event(0)], lock) // the holder's own write goes through
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(appended).toBe(false)
    })
    await waiting
    expect((await readEvents(env)).events.map((e) => e.id)).toEqual([event(0).id, event(1).id])
  })

  it('another live process holding it is waited for; once it is gone its lock is taken over', async () => {
    const env = machine()
    const holder = spawn('sleep', ['2'], { stdio: 'ignore' })
    const gone = new Promise((resolve) => holder.once('exit', resolve))
    await appendEvents(env, [event(0)]) // makes the guard's folder as CertAudit makes it
    writeFileSync(join(guardDir(env), 'guard.lock'), JSON.stringify({ pid: holder.pid, since: new Date().toISOString() }), { mode: 0o600 })
    let done = false
    const appending = appendEvents(env, [event(1)]).then(() => (done = true))
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(done).toBe(false)
    expect((await readEvents(env)).events.map((e) => e.id)).toEqual([event(0).id])
    await gone
    await appending
    expect((await readEvents(env)).events.map((e) => e.id)).toEqual([event(0).id, event(1).id])
    expect(existsSync(guardFile(env, 'events'))).toBe(true)
  })

  it('a lock a minute old is taken over even when its process id is alive now (reused after a crash)', async () => {
    const env = machine()
    await appendEvents(env, [event(0)])
    const since = new Date(Date.now() - 120_000).toISOString()
    writeFileSync(join(guardDir(env), 'guard.lock'), JSON.stringify({ pid: process.pid, since }), { mode: 0o600 })
    const started = Date.now()
    await appendEvents(env, [event(1)])
    expect(Date.now() - started).toBeLessThan(5_000)
    expect((await readEvents(env)).events.map((e) => e.id)).toEqual([event(0).id, event(1).id])
  })
})
