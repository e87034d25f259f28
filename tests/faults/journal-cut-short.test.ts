/**
 * A journal record cut short (power lost mid-write, or the disk filled up mid-line) must not take
 * the records written after it down with it: the next run starts a new line, and reading skips only
 * the broken one. Without this, a `resume` after such a cut wrote records nobody could read.
 */
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DamagedRecordError, Journal, readJournal, type RemovalPlan } from '../../src/removal/journal.js'
import { faultTempDir } from './machine.js'

const plan: RemovalPlan = { id: '20260101T000000Z-abcd', createdAt: '2026-01-01T00:00:00.000Z', mode: 'delete', findings: [], changes: [] }

describe('a journal record cut short', () => {
  it('is skipped, and what later runs append is read', async () => {
    const dir = join(faultTempDir('certaudit-journal-'), 'change')
    const first = await Journal.open(dir)
    await first.append({ step: 'planned', at: 'then', plan })
    appendFileSync(join(dir, 'journal.jsonl'), '{"step":"backed-up","at":"then","ind') // the cut
    const second = await Journal.open(dir) // a later resume
    await second.append({ step: 'backup-failed', at: 'now', index: 0, message: 'disk full' })
    await second.append({ step: 'done', at: 'now' })
    expect((await readJournal(dir)).map((r) => r.step)).toEqual(['planned', 'backup-failed', 'done'])
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(4)
  })

  it('is told apart from a whole line that is not a record CertAudit writes: that journal is damaged, and nothing acts on it', async () => {
    // A cut line is never complete JSON (a record is an object); a complete line of another shape was written by something else.
    for (const line of ['1', 'null', '"text"', '[]', '{"step":"verified","at":"now","index":0,"status":"gone"}', '{"step":"backed-up","at":"now","index":0,"file":"../../elsewhere.json"}', '{"step":"done","at":"now","extra":true}']) {
      const dir = join(faultTempDir('certaudit-journal-'), 'change')
      const journal = await Journal.open(dir)
      await journal.append({ step: 'planned', at: 'then', plan })
      appendFileSync(join(dir, 'journal.jsonl'), `${line}\n`)
      await journal.append({ step: 'done', at: 'now' })
      const error = await readJournal(dir).catch((e: unknown) => e)
      expect(error, line).toBeInstanceOf(DamagedRecordError)
      expect((error as Error).message, line).toMatch(/is damaged \(line 2: .+\), so CertAudit will not act on it/)
    }
  })

  it('a plan whose change id could name another folder is damaged', async () => {
    const dir = join(faultTempDir('certaudit-journal-'), 'change')
    const journal = await Journal.open(dir)
    await journal.append({ step: 'planned', at: 'then', plan: { ...plan, id: '../../../etc' } })
    await expect(readJournal(dir)).rejects.toThrow(/line 1: plan\.id: not a change id/)
  })
})
