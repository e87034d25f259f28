/**
 * The guard's own files (src/guard/files.ts) are read by the one reader: whatever is put where
 * state.json, events.json or the schedule's manifest belongs — a FIFO, a device or a link to one, a
 * socket, a huge sparse file, a link loop — the read ends at once as "damaged", saying what is there,
 * and the next write puts a file of CertAudit's own in its place. Before, `readFile` waited forever on
 * a FIFO and read /dev/zero until memory ran out (these tests timed out or crashed).
 */
import { lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readJsonFile, writeFileAtomic } from '../../src/guard/files.js'
import { cannotMake, makeSpecial, SAYS, SPECIAL_KINDS } from '../support/special-files.js'
import { tempDir } from '../support/temp.js'

const schema = z.object({ version: z.literal(1) })

describe("the guard's files", () => {
  for (const kind of SPECIAL_KINDS) {
    it(`${kind} as state.json: damaged, in words, at once; the next write replaces it`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) {
        context.skip(reason)
        return
      }
      const path = join(tempDir(), 'state.json')
      makeSpecial(kind, path)
      const started = Date.now()
      const read = await readJsonFile(path, schema)
      expect(Date.now() - started).toBeLessThan(2000)
      expect(read.status).toBe('damaged')
      const problem = read.status === 'damaged' ? read.problem : ''
      expect(problem).toContain(path)
      // A link is not followed (the file is CertAudit's own): said with what it leads to.
      expect(problem).toMatch(SAYS[kind])
      if (kind === 'folder') return // a folder is not written over
      await writeFileAtomic(path, JSON.stringify({ version: 1 }))
      expect(lstatSync(path).isFile()).toBe(true)
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1 })
    })
  }

  it('a missing file is a first run, not a problem', async () => {
    expect(await readJsonFile(join(tempDir(), 'state.json'), schema)).toEqual({ status: 'missing' })
  })
})
