/**
 * Bad input for the NSS readers: a real cert9.db (made by certutil) with pages zeroed, overwritten,
 * bit-flipped or cut off, and random write-ahead logs and rollback journals beside it. sql.js, the
 * WAL and journal replay, and the whole reader either read it or throw a StoreError with a code and
 * a message; the WebAssembly module keeps working; no input takes a second.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { readNssSqlite } from '../../src/stores/nss/sqlite.js'
import { readNssDatabase } from '../../src/stores/nss/read.js'
import { applyJournal, applyWal } from '../../src/stores/shared/sqlite-snapshot.js'
import { StoreError } from '../../src/stores/types.js'
import { makeCertificate } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'
import { certutilInstalled, copyDb, makeNssDb } from '../stores/nss/fixtures.js'
import { expectStructured, FUZZ_TIMEOUT_MS, mutate, mutations, runs, withinASecond, withinASecondAsync } from './fuzz-support.js'

const PAGE = 4096

/** A WAL header (magic, version, page size, salts, checksum left as given) followed by random frames. */
const wal = fc.record({
  bigEndian: fc.boolean(),
  pageSize: fc.constantFrom(512, 1024, 4096, 65536, 1, 3000),
  body: fc.uint8Array({ maxLength: 3 * (24 + PAGE) }),
  header: fc.uint8Array({ minLength: 20, maxLength: 20 }),
})

/** A rollback journal header claiming any page count and size, then random records. */
const journal = fc.record({
  records: fc.oneof(fc.nat(), fc.constant(0xffffffff)),
  originalPages: fc.oneof(fc.nat({ max: 64 }), fc.constant(0xffffffff), fc.nat()),
  sectorSize: fc.constantFrom(512, 4096, 32, 65536, 7),
  pageSize: fc.constantFrom(512, 4096, 1, 65536, 3000),
  body: fc.uint8Array({ maxLength: 2 * (PAGE + 8) }),
})

describe.skipIf(!certutilInstalled)('fuzz: NSS cert9.db', () => {
  const dir = tempDir('certaudit-fuzz-nss-')
  const good = makeNssDb(join(dir, 'good'), [
    { nickname: 'Qaznet Trust Network', trust: 'C,,', cert: makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }) },
    { nickname: 'distrusted', trust: 'p,p,p', cert: makeCertificate({ subject: [['CN', 'Distrusted root']] }) },
    { nickname: 'plain', trust: ',,', cert: makeCertificate({ subject: [['CN', 'Plain root']] }) },
  ])
  const image = readFileSync(join(good, 'cert9.db'))
  const env = createEnvironment({ home: dir, systemRoot: join(dir, 'root'), env: {} })

  /** The direct reader on damaged bytes: a reading, or a StoreError. */
  async function readDirect(bytes: Buffer): Promise<void> {
    try {
      const reading = await withinASecondAsync(() => readNssSqlite(bytes, '/fuzz/cert9.db'), 'readNssSqlite')
      for (const record of reading.records) expect(record.der).toBeInstanceOf(Uint8Array)
      for (const problem of reading.problems) expect(problem).toMatchObject({ code: expect.any(String), message: expect.any(String) })
    } catch (error) {
      expectStructured(error, [StoreError], 'readNssSqlite')
    }
  }

  it('damaged pages: SQLite reads what is left or says the database is damaged, and keeps working', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, fc.array(fc.nat({ max: Math.ceil(image.length / PAGE) }), { maxLength: 3 }), async (damage, zeroPages) => {
        const bytes = mutate(image, damage)
        for (const page of zeroPages) bytes.fill(0, Math.min(bytes.length, page * PAGE), Math.min(bytes.length, (page + 1) * PAGE))
        await readDirect(bytes)
      }),
      { numRuns: runs(150) },
    )
    expect((await readNssSqlite(image, 'good')).records).toHaveLength(3) // the WebAssembly module survived
  }, FUZZ_TIMEOUT_MS)

  it('random write-ahead logs and rollback journals are replayed or ignored, never trusted to allocate gigabytes', () => {
    fc.assert(
      fc.property(wal, journal, (w, j) => {
        const walBytes = Buffer.alloc(32 + w.body.length)
        walBytes.writeUInt32BE(w.bigEndian ? 0x377f0683 : 0x377f0682, 0)
        walBytes.writeUInt32BE(w.pageSize, 8)
        Buffer.from(w.header).copy(walBytes, 12)
        Buffer.from(w.body).copy(walBytes, 32)
        const journalBytes = Buffer.alloc(28 + j.body.length)
        Buffer.from('d9d505f920a163d7', 'hex').copy(journalBytes, 0)
        journalBytes.writeUInt32BE(j.records, 8)
        journalBytes.writeUInt32BE(j.originalPages, 16)
        journalBytes.writeUInt32BE(j.sectorSize, 20)
        journalBytes.writeUInt32BE(j.pageSize, 24)
        Buffer.from(j.body).copy(journalBytes, 28)
        try {
          const replayed = withinASecond(() => applyJournal(applyWal(image, walBytes), journalBytes), 'WAL and journal replay')
          expect(replayed.length).toBeLessThanOrEqual(256 * 1024 * 1024)
        } catch (error) {
          expectStructured(error, [StoreError], 'WAL and journal replay')
          expect((error as StoreError).code).toBe('too-large')
        }
      }),
      { numRuns: runs(500) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('a write-ahead log with good checksums that claims 4 billion pages is refused, not allocated', () => {
    const pageSize = 512
    const sums = (data: Buffer, start: number, length: number, [a, b]: [number, number]): [number, number] => {
      for (let i = start; i < start + length; i += 8) {
        a = (a + data.readUInt32BE(i) + b) >>> 0
        b = (b + data.readUInt32BE(i + 4) + a) >>> 0
      }
      return [a, b]
    }
    const log = Buffer.alloc(32 + 24 + pageSize)
    log.writeUInt32BE(0x377f0683, 0) // big-endian checksums
    log.writeUInt32BE(3007000, 4)
    log.writeUInt32BE(pageSize, 8)
    log.writeUInt32BE(0x01020304, 16)
    log.writeUInt32BE(0x05060708, 20)
    let s = sums(log, 0, 24, [0, 0])
    log.writeUInt32BE(s[0], 24)
    log.writeUInt32BE(s[1], 28)
    log.writeUInt32BE(1, 32) // page 1
    log.writeUInt32BE(0xffffffff, 36) // a commit frame: the database now has 4 billion pages
    log.copy(log, 40, 16, 24) // the salts
    s = sums(log, 32, 8, s)
    s = sums(log, 56, pageSize, s)
    log.writeUInt32BE(s[0], 48)
    log.writeUInt32BE(s[1], 52)
    expect(() => applyWal(image, log)).toThrow(expect.objectContaining({ code: 'too-large' }))
  })

  it('the whole reader (certutil, then SQLite) on a damaged database: entries, or a failed store with a reason', async () => {
    const damaged = join(dir, 'damaged')
    copyDb(good, damaged)
    await fc.assert(
      fc.asyncProperty(mutations, async (damage) => {
        writeFileSync(join(damaged, 'cert9.db'), mutate(image, damage))
        try {
          // certutil runs as a process here: allow it its start-up, on top of the second for the rest.
          const reading = await withinASecondAsync(() => readNssDatabase(env, damaged, 'auto'), 'readNssDatabase')
          expect(Array.isArray(reading.records)).toBe(true)
        } catch (error) {
          expectStructured(error, [StoreError], 'readNssDatabase')
        }
      }),
      { numRuns: runs(15) },
    )
  }, FUZZ_TIMEOUT_MS)
})
