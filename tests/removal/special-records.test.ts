/**
 * What undo, resume and history read back — a change's journal and its backups — replaced by a FIFO, a
 * link to /dev/zero, a socket or a huge sparse file (issue 14, class 1, removal side): refused at once
 * with what it is, never waited on or read without end. One backup that cannot be read fails its own
 * entry; the others are restored. On the old code undo waited forever on a FIFO backup.
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeDir } from '../../src/removal/data-dir.js'
import { cannotMake, makeSpecial, SAYS, type SpecialKind } from '../support/special-files.js'
import { cli, FAULT_TOOLS_REASON, faultToolsReady, findingId, fingerprint, plantMachine } from '../faults/machine.js'

const KINDS: readonly SpecialKind[] = ['fifo', 'zero-link', 'socket', 'sparse', 'link-loop']
/** In CertAudit's own folders a link is never followed: a link to /dev/zero is refused as a link, said with where it leads. */
const says = (kind: SpecialKind) => (kind === 'zero-link' ? /symbolic link to \S*\/dev\/zero, a character device.*CertAudit does not follow links here/ : SAYS[kind])
const PROMPT_MS = 20_000

describe('journals and backups that are not regular files', () => {
  if (!faultToolsReady) {
    it.skip(`skipped: ${FAULT_TOOLS_REASON}`, () => {})
    return
  }

  for (const kind of KINDS) {
    it(`a backup that became ${kind}: undo fails that entry, saying what it is, and restores the other`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const machine = plantMachine()
      const before = await fingerprint(machine)
      const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
      expect(removed.code, removed.stderr).toBe(0)
      const id = (JSON.parse(removed.stdout) as { result: { changeId: string } }).result.changeId
      const backup = join(changeDir(machine.env, id), 'backups', '000.json')
      makeSpecial(kind, backup)
      const started = Date.now()
      const undone = await cli(machine, ['undo', '--json', '--yes'])
      expect(Date.now() - started).toBeLessThan(PROMPT_MS)
      const { results } = JSON.parse(undone.stdout) as { results: { status: string; detail?: string }[] }
      expect(results.map((r) => r.status)).toEqual(['failed', 'restored'])
      expect(results[0]!.detail).toContain(`The backup ${backup} cannot be used`)
      expect(results[0]!.detail).toMatch(says(kind))
      expect(undone.code).toBe(1)
      // The NSS entry is back; the anchor whose backup was spoiled is not (nothing is guessed).
      expect((await fingerprint(machine)).flags).toBe(before.flags)
    })

    it(`a journal that became ${kind}: undo, resume and history answer at once`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const machine = plantMachine()
      const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
      const id = (JSON.parse(removed.stdout) as { result: { changeId: string } }).result.changeId
      const journal = join(changeDir(machine.env, id), 'journal.jsonl')
      rmSync(journal)
      makeSpecial(kind, journal)
      const started = Date.now()
      const undo = await cli(machine, ['undo', '--change', id])
      expect(undo.code).toBe(2)
      expect(undo.stderr).toMatch(says(kind))
      expect((await cli(machine, ['resume', '--change', id])).code).toBe(2)
      // history lists it as damaged, saying what is there, and offers nothing for it.
      const history = await cli(machine, ['history', '--json'])
      expect(history.code).toBe(0)
      expect(JSON.parse(history.stdout)).toEqual([{ id, createdAt: expect.any(String), state: 'damaged', problem: expect.stringMatching(says(kind)), findings: [], entries: [] }])
      expect(Date.now() - started).toBeLessThan(PROMPT_MS)
      expect(existsSync(join(changeDir(machine.env, id), 'backups', '000.json'))).toBe(true)
    })
  }
})
