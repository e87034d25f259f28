/**
 * The one reader of files (src/stores/shared/regular-file.ts), against every kind of file that is not
 * a certificate file, made for real: each read ends at once with a StoreError that names the file and
 * says what it is. Before this reader, `readFile` on a FIFO waited forever and on /dev/zero grew until
 * memory ran out (the tests below would time out or crash on the old code).
 */
import { appendFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  openRegularFile,
  readRegularFile,
  readRegularFileChunks,
  readRegularFileHead,
  readRegularFileHeadSync,
  readRegularFileSync,
  readRegularFileWithInfo,
  syncFolder,
  type ReadLimits,
} from '../../../src/stores/shared/regular-file.js'
import { StoreError } from '../../../src/stores/types.js'
import { cannotMake, CODES, makeSpecial, SAYS, SPECIAL_KINDS } from '../../support/special-files.js'
import { tempDir } from '../../support/temp.js'

const LIMITS: ReadLimits = { maxBytes: 1024 * 1024, what: 'test file' }

/** The ways to read, each to the end (or its first bytes). */
const READERS = {
  readRegularFileWithInfo: async (path: string, limits: ReadLimits) => (await readRegularFileWithInfo(path, limits)).bytes,
  readRegularFile: (path: string, limits: ReadLimits) => readRegularFile(path, limits),
  readRegularFileSync: async (path: string, limits: ReadLimits) => readRegularFileSync(path, limits),
  readRegularFileChunks: async (path: string, limits: ReadLimits) => {
    const chunks: Buffer[] = []
    for await (const chunk of readRegularFileChunks(path, { ...limits, chunkBytes: 4096 })) chunks.push(chunk)
    return Buffer.concat(chunks)
  },
} as const

/** The readers of a file's first bytes (no size cap: only the head is read): refuse the same files. */
const HEAD_READERS = {
  readRegularFileHead: (path: string, { maxBytes: _, ...limits }: ReadLimits) => readRegularFileHead(path, 16, limits),
  readRegularFileHeadSync: async (path: string, { maxBytes: _, ...limits }: ReadLimits) => readRegularFileHeadSync(path, 16, limits),
} as const

/** The error a read ends with, and how long it took. */
async function refusal(read: () => Promise<unknown>): Promise<{ error: StoreError; ms: number }> {
  const started = Date.now()
  try {
    await read()
  } catch (error) {
    return { error: error as StoreError, ms: Date.now() - started }
  }
  throw new Error('the read succeeded')
}

describe('readRegularFile and its twins refuse whatever is not a regular file, at once', () => {
  for (const kind of SPECIAL_KINDS) {
    for (const [name, read] of Object.entries({ ...READERS, ...HEAD_READERS })) {
      it(`${name}: ${kind}`, async (context) => {
        const reason = cannotMake(kind)
        if (reason) {
          context.skip(reason)
          return
        }
        const path = join(tempDir(), `cert9.db`)
        makeSpecial(kind, path)
        if (kind === 'sparse' && name in HEAD_READERS) {
          // A head is a few bytes of a file of any size: a sparse one's are read (and only those).
          expect(await read(path, LIMITS)).toEqual(Buffer.alloc(16))
          return
        }
        const { error, ms } = await refusal(() => read(path, LIMITS))
        expect(error).toBeInstanceOf(StoreError)
        expect(CODES[kind]).toContain(error.code)
        expect(error.message).toContain(path)
        expect(error.message).toMatch(SAYS[kind])
        expect(ms).toBeLessThan(2000)
      })
    }
  }

  it('names a link to a device as the link, and says where it leads', async () => {
    const dir = tempDir()
    const link = join(dir, 'ca-bundle.pem')
    symlinkSync('/dev/urandom', link)
    const { error } = await refusal(() => readRegularFile(link, LIMITS))
    expect(error.message).toBe(`${link} is a character device (like /dev/zero or /dev/urandom), which never ends, not a regular file (it is a link to /dev/urandom); CertAudit did not read it.`)
  })

  it('noFollow: a link is refused, not followed, even to a good file', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'real.pem'), 'x')
    symlinkSync(join(dir, 'real.pem'), join(dir, 'link.pem'))
    const { error } = await refusal(() => readRegularFile(join(dir, 'link.pem'), { ...LIMITS, noFollow: true }))
    expect(error.code).toBe('not-a-file')
    expect(error.message).toBe(`${join(dir, 'link.pem')} is a symbolic link to ${join(dir, 'real.pem')}, a regular file; CertAudit does not follow links here, and did not read it.`)
    await expect(readRegularFile(join(dir, 'link.pem'), LIMITS)).resolves.toEqual(Buffer.from('x'))
  })

  it('noFollow: a link to a device or into a loop says what is there, looked at without opening it', async () => {
    const dir = tempDir()
    symlinkSync('/dev/zero', join(dir, 'state.json'))
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'))
    const device = await refusal(() => readRegularFile(join(dir, 'state.json'), { ...LIMITS, noFollow: true, shown: '/home/a/state.json' }))
    expect(device.error.message).toBe(`/home/a/state.json (at ${join(dir, 'state.json')}) is a symbolic link to /dev/zero, a character device (like /dev/zero or /dev/urandom), which never ends; CertAudit does not follow links here, and did not read it.`)
    const loop = await refusal(async () => readRegularFileSync(join(dir, 'loop'), { ...LIMITS, noFollow: true }))
    expect(loop.error.message).toBe(`${join(dir, 'loop')} is a symbolic link to ${join(dir, 'loop')}, part of a link loop; CertAudit does not follow links here, and did not read it.`)
  })

  it('shown: the message names the file as people know it, and where its links led', async () => {
    const dir = tempDir()
    makeSpecial('fifo', join(dir, 'real'))
    const { error } = await refusal(() => readRegularFile(join(dir, 'real'), { ...LIMITS, noFollow: true, shown: '/home/a/.mozilla/firefox/p/cert9.db' }))
    expect(error.message).toBe(`/home/a/.mozilla/firefox/p/cert9.db is a named pipe (FIFO), which can wait forever for a writer, not a regular file (it leads to ${join(dir, 'real')}); CertAudit did not read it.`)
  })
})

describe('the size cap', () => {
  for (const [name, read] of Object.entries(READERS)) {
    it(`${name}: a file of exactly the cap is read; one byte more is refused before anything is read`, async () => {
      const dir = tempDir()
      writeFileSync(join(dir, 'at-cap'), Buffer.alloc(1000, 0x41))
      writeFileSync(join(dir, 'over-cap'), Buffer.alloc(1001, 0x41))
      expect((await read(join(dir, 'at-cap'), { maxBytes: 1000 })).length).toBe(1000)
      const { error } = await refusal(() => read(join(dir, 'over-cap'), { maxBytes: 1000, what: 'test file' }))
      expect(error.code).toBe('too-large')
      expect(error.message).toBe(`${join(dir, 'over-cap')} is 1001 bytes, far larger than any test file (at most 1000 bytes); it was not read.`)
    })
  }

  it('a sparse file of a terabyte is refused from its size', async () => {
    const path = join(tempDir(), 'ca-certificates.crt')
    makeSpecial('sparse', path, 1024 ** 4)
    const { error, ms } = await refusal(() => readRegularFile(path, { maxBytes: 1024 ** 3, what: 'certificate bundle' }))
    expect(error.message).toBe(`${path} is 1.0 TB, far larger than any certificate bundle (at most 1.0 GB); it was not read.`)
    expect(ms).toBeLessThan(1000)
  })

  it('a file that grows past the cap after it was opened is refused once it passes, not read to its end', async () => {
    const path = join(tempDir(), 'growing.pem')
    writeFileSync(path, Buffer.alloc(100, 0x41))
    const { handle, size } = await openRegularFile(path, { maxBytes: 1000 })
    await handle.close()
    expect(size).toBe(100)
    // Grown between open and read: the chunked reader counts what it reads, not what fstat said.
    const chunks = readRegularFileChunks(path, { maxBytes: 1000, chunkBytes: 64 })
    const first = await chunks.next()
    appendFileSync(path, Buffer.alloc(5000, 0x42))
    const { error } = await refusal(async () => {
      for await (const _ of chunks) void _
    })
    expect(first.value).toHaveLength(64)
    expect(error.code).toBe('too-large')
  })
})

describe('the first bytes, a file with its stat, a folder synced', () => {
  it('a head is at most the bytes asked for, fewer for a shorter file', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'long'), Buffer.from('0123456789abcdefghij'))
    writeFileSync(join(dir, 'short'), Buffer.from('0123'))
    expect(readRegularFileHeadSync(join(dir, 'long'), 16).toString()).toBe('0123456789abcdef')
    expect((await readRegularFileHead(join(dir, 'short'), 16)).toString()).toBe('0123')
  })

  it('readRegularFileWithInfo gives the mode of the file it read', async () => {
    const path = join(tempDir(), 'policy.json')
    writeFileSync(path, '{}', { mode: 0o640 })
    const { bytes, info } = await readRegularFileWithInfo(path, LIMITS)
    expect(bytes.toString()).toBe('{}')
    expect(info.mode & 0o7777).toBe(0o640)
  })

  it('syncFolder syncs a folder, and refuses a FIFO in its place at once (O_DIRECTORY), never waiting on it', async () => {
    const dir = tempDir()
    await expect(syncFolder(dir)).resolves.toBeUndefined()
    makeSpecial('fifo', join(dir, 'not-a-folder'))
    const started = Date.now()
    await expect(syncFolder(join(dir, 'not-a-folder'))).rejects.toMatchObject({ code: 'ENOTDIR' })
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
