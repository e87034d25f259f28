/**
 * Bad input for the Chromium-family store: random and damaged trust settings (the protobuf reader
 * and writer), damaged ServerCertificate databases (made by sqlite3, then bit-flipped, overwritten,
 * cut), and random Local State files through the whole discovery. Each either reads, or fails with a
 * structured error (ProtobufError, StoreError) or a reported problem; nothing takes a second.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { discover } from '../../src/stores/chromium/discover.js'
import { parseMetadata, ProtobufError, TrustType, withTrustType } from '../../src/stores/chromium/protobuf.js'
import { list } from '../../src/stores/chromium/read.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { StoreError, type ListItem } from '../../src/stores/types.js'
import { makeCertificate } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'
import { haveSqlite3, makeServerCertificate, metadata, put, TRUSTED, UNSPECIFIED } from '../stores/chromium/fixtures.js'
import { expectStructured, FUZZ_TIMEOUT_MS, mutate, mutations, runs, withinASecond, withinASecondAsync } from './fuzz-support.js'

/** Protobuf-shaped bytes: tags and values of every wire type, nested, sometimes cut or wrong. */
const protobufish: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.tuple(fc.nat({ max: 40 }), fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7), fc.uint8Array({ maxLength: 10 })).map(([field, wire, rest]) => Uint8Array.from([(field << 3) | wire, ...rest])),
      fc.uint8Array({ maxLength: 8 }).map((payload) => Uint8Array.from([0x0a, payload.length, ...payload])),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])))

describe('fuzz: Chromium ServerCertificate trust settings', () => {
  it('any bytes: a reading or a ProtobufError; a distrusted copy of what reads keeps reading, as distrusted', () => {
    fc.assert(
      fc.property(fc.oneof(protobufish, fc.uint8Array({ maxLength: 64 })), (bytes) => {
        let read = true
        try {
          const metadata = withinASecond(() => parseMetadata(bytes), 'parseMetadata')
          expect(Number.isInteger(metadata.trustType)).toBe(true)
        } catch (error) {
          read = false
          expectStructured(error, [ProtobufError], 'parseMetadata')
        }
        if (!read) return
        const distrusted = withTrustType(bytes, TrustType.DISTRUSTED)
        expect(parseMetadata(distrusted)).toEqual({ ...parseMetadata(bytes), trustType: TrustType.DISTRUSTED })
      }),
      { numRuns: runs(2000) },
    )
  }, FUZZ_TIMEOUT_MS)
})

describe.skipIf(!haveSqlite3)('fuzz: Chromium ServerCertificate databases and Local State', () => {
  const dir = tempDir('certaudit-fuzz-chromium-')
  const env = createEnvironment({ home: dir, systemRoot: join(dir, 'root'), env: {} })
  const good = makeServerCertificate(join(dir, 'good'), [
    { der: makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }).der, trust: metadata(TRUSTED, { dns: ['example.kz'] }) },
    { der: makeCertificate({ subject: [['CN', 'Hint']] }).der, trust: metadata(UNSPECIFIED) },
  ])
  const image = readFileSync(good)

  it('a damaged database: entries and problems, or a StoreError; the WebAssembly module keeps working', async () => {
    const damaged = put(join(dir, 'damaged/ServerCertificate'), image)
    await fc.assert(
      fc.asyncProperty(mutations, async (damage) => {
        writeFileSync(damaged, mutate(image, damage))
        try {
          const items = await withinASecondAsync(async () => {
            const all: ListItem[] = []
            for await (const item of list({ id: `chromium:${damaged}`, kind: 'chromium', location: damaged }, env)) all.push(item)
            return all
          }, 'chromium list')
          for (const item of items) expect(item.type === 'entry' ? item.der : item.code).toBeTruthy()
        } catch (error) {
          expectStructured(error, [StoreError], 'chromium list')
        }
      }),
      { numRuns: runs(150) },
    )
    const items: ListItem[] = []
    for await (const item of list({ id: `chromium:${good}`, kind: 'chromium', location: good }, env)) items.push(item)
    expect(items).toHaveLength(2)
  }, FUZZ_TIMEOUT_MS)

  it('any Local State: the profile folder is still found, and a damaged file is a reported problem', async () => {
    const home = tempDir('certaudit-fuzz-local-state-')
    const file = put(join(home, '.config/google-chrome/Default/ServerCertificate'), image)
    const homeEnv = createEnvironment({ home, systemRoot: join(home, 'root'), env: {} })
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ profile: { info_cache: v } }))), async (text) => {
        put(join(home, '.config/google-chrome/Local State'), text)
        const found = await withinASecondAsync(() => discover(homeEnv), 'chromium discover')
        expect(found.filter((l) => !l.problem).map((l) => l.location)).toContain(file)
        for (const place of found) if (place.problem) expect(place.problem).toMatchObject({ code: expect.any(String), message: expect.any(String) })
      }),
      { numRuns: runs(200) },
    )
  }, FUZZ_TIMEOUT_MS)
})
