/**
 * Folder walks (listFiles in shared/paths.ts, readFolder in shared/folder-listing.ts) are bounded and
 * say what they did not read: entries that are no file (FIFOs, sockets, devices, links to them), link
 * loops of every shape, folders too deep, folders with more entries than any store. On the old code a
 * FIFO or a link to /dev/zero in a certificate folder was skipped without a word, and a walk had no
 * bound at all.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_WALK_DEPTH, readFolder, readFolderSync } from '../../../src/stores/shared/folder-listing.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { listFiles, type WalkLimits } from '../../../src/stores/shared/paths.js'
import { cannotMake, makeManyFiles, makeSpecial, SAYS, type SpecialKind } from '../../support/special-files.js'
import { tempDir } from '../../support/temp.js'

async function walk(dir: string, options: { root?: string; limits?: WalkLimits } = {}) {
  const env = createEnvironment({ systemRoot: options.root ?? '/', home: tempDir(), env: {} })
  const problems: { code: string; message: string; path: string }[] = []
  const files = await listFiles(env, dir, (error, path) => problems.push({ code: error.code, message: error.message, path }), { recursive: true, ...(options.limits ? { limits: options.limits } : {}) })
  return { files: files.map((f) => f.path), problems }
}

describe('entries that are no file are problems, never opened', () => {
  for (const kind of ['fifo', 'socket', 'char-device', 'block-device', 'zero-link', 'urandom-link'] as const satisfies readonly SpecialKind[]) {
    it(`${kind}, directly in the folder and through a link`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const dir = tempDir()
      writeFileSync(join(dir, 'good.crt'), 'x')
      makeSpecial(kind, join(dir, 'special.crt'))
      symlinkSync(join(dir, 'special.crt'), join(dir, 'link-to-special.crt'))
      const { files, problems } = await walk(dir)
      expect(files).toEqual([join(dir, 'good.crt')])
      expect(problems.map((p) => p.path).sort()).toEqual([join(dir, 'link-to-special.crt'), join(dir, 'special.crt')])
      for (const problem of problems) {
        expect(problem.code).toBe('not-a-file')
        expect(problem.message).toMatch(kind.endsWith('link') ? /character device/ : SAYS[kind])
      }
    })
  }
})

describe('link loops of every shape end the branch with a problem; the walk goes on', () => {
  it('a link to itself, two links to each other, a chain of 50 links, a folder linked to its parent and to the root of the walk', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'good.crt'), 'x')
    symlinkSync(join(dir, 'self.crt'), join(dir, 'self.crt'))
    symlinkSync('b.crt', join(dir, 'a.crt'))
    symlinkSync('a.crt', join(dir, 'b.crt'))
    for (let i = 0; i < 50; i++) symlinkSync(`chain-${i + 1}.crt`, join(dir, `chain-${i}.crt`))
    writeFileSync(join(dir, 'chain-50.crt'), 'end of a long chain')
    mkdirSync(join(dir, 'sub/deeper'), { recursive: true })
    symlinkSync('..', join(dir, 'sub/up'))
    symlinkSync(dir, join(dir, 'sub/deeper/top'))
    const started = Date.now()
    const { files, problems } = await walk(dir)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(files).toContain(join(dir, 'good.crt'))
    expect(files).toContain(join(dir, 'chain-50.crt'))
    // Linux follows 40 links in a path; so does the walk: the first links of the chain are a loop to it.
    const loops = problems.filter((p) => p.code === 'eloop').map((p) => p.path)
    expect(loops).toEqual(expect.arrayContaining([join(dir, 'self.crt'), join(dir, 'a.crt'), join(dir, 'b.crt'), join(dir, 'chain-0.crt'), join(dir, 'sub/up'), join(dir, 'sub/deeper/top')]))
  })

  it('inside --system-root, an absolute link to / is the root of the image, and is a loop', async () => {
    const root = tempDir()
    const dir = join(root, 'usr/local/share/ca-certificates')
    mkdirSync(dir, { recursive: true })
    symlinkSync('/', join(dir, 'everything'))
    const { problems } = await walk(dir, { root })
    expect(problems.map((p) => p.code)).toEqual(['eloop'])
  })
})

describe('bounds', () => {
  it(`deeper than the limit (${MAX_WALK_DEPTH} folders by default): reported, the files above it read`, async () => {
    const dir = tempDir()
    let deep = dir
    for (let i = 0; i < 40; i++) {
      deep = join(deep, `d${i}`)
      mkdirSync(deep)
      writeFileSync(join(deep, 'x.crt'), 'x')
    }
    const { files, problems } = await walk(dir)
    expect(files).toHaveLength(MAX_WALK_DEPTH)
    expect(problems).toEqual([expect.objectContaining({ code: 'too-deep', message: expect.stringMatching(/more than 32 folders below .*; what it holds was not read/) })])
  })

  it('more entries than the limit: the walk stops there and says so', async () => {
    const dir = tempDir()
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `f${i}.crt`), 'x')
    mkdirSync(join(dir, 'sub'))
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, 'sub', `g${i}.crt`), 'x')
    const { files, problems } = await walk(dir, { limits: { entries: 40 } })
    expect(files.length).toBeLessThanOrEqual(40)
    expect(problems).toEqual([expect.objectContaining({ code: 'too-many-files', message: expect.stringContaining(`${dir} holds more than 40 files and folders`) })])
  })

  it('a folder of 100,000 entries is listed in batches, to the limit asked for', async () => {
    const dir = tempDir()
    makeManyFiles(dir, 100_000)
    expect(readFolderSync(dir, 10).entries).toHaveLength(10)
    expect(readFolderSync(dir, 10).more).toBe(true)
    const all = readFolderSync(dir, 200_000)
    expect(all).toMatchObject({ more: false })
    expect(all.entries).toHaveLength(100_000)
    expect((await readFolder(dir, 99_999)).more).toBe(true)
    expect((await readFolder(dir, 100_000)).more).toBe(false)
  })
})
