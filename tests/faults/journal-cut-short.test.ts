/**
 * A journal record cut short (power lost mid-write, or the disk filled up mid-line) must not take
 * the records written after it down with it: the next run starts a new line, and reading skips only
 * the broken one. Without this, a `resume` after such a cut wrote records nobody could read.
 */
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Journal, readJournal, type RemovalPlan } from '../../src/removal/journal.js'
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

  it('ignores lines that are JSON but not records', async () => {
    const dir = join(faultTempDir('certaudit-journal-'), 'change')
    const journal = await Journal.open(dir)
    await journal.append({ step: 'planned', at: 'then', plan })
    appendFileSync(join(dir, 'journal.jsonl'), '1\nnull\n"text"\n[]\n')
    await journal.append({ step: 'done', at: 'now' })
    expect((await readJournal(dir)).map((r) => r.step)).toEqual(['planned', 'done'])
  })
})
