/**
 * Bad input for the certificate reader (pem.ts, der.ts, certificate.ts) and the auditor behind it:
 * random bytes, real certificates cut short or with bits flipped, PEM blocks between junk, DER
 * lengths that claim gigabytes. Nothing may throw but DerError (turned into a problem by the
 * callers), every problem has a code and a message, and no input takes a second.
 */
import { rootCertificates } from 'node:tls'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { describe as describeCertificate, identify } from '../../src/audit/certificate.js'
import { DerError, readTlv } from '../../src/audit/der.js'
import { CertificateStreamReader, readCertificates, type ReadItem } from '../../src/audit/pem.js'
import { mozillaRoots } from '../../src/audit/references.js'
import { makeCertificate, makeKey, toPem } from '../support/certificates.js'
import { expectStructured, FUZZ_TIMEOUT_MS, mutate, mutations, runs, withinASecond } from './fuzz-support.js'

const PROBLEM_CODES = new Set(['corrupt-pem', 'truncated-pem', 'not-a-certificate', 'corrupt-der', 'no-certificates'])

/** Real certificates of every shape the reader meets: Node's Mozilla roots, and our own RSA, EC, Ed25519, v1, BMPString ones. */
const seeds: Buffer[] = [
  ...rootCertificates.slice(0, 40).map((pem) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
  makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'rsa', bits: 1024 }), hash: 'sha1' }).der,
  makeCertificate({ subject: [['CN', 'EC root']], key: makeKey({ type: 'ec', curve: 'P-384' }), nameConstraint: 'example.kz' }).der,
  makeCertificate({ subject: [['CN', 'Ed root']], key: makeKey({ type: 'ed25519' }) }).der,
  makeCertificate({ subject: [['O', 'Version one']], version: 1 }).der,
  makeCertificate({ subject: [['CN', 'Қазақстан']], stringType: 'bmp', issuer: [['CN', 'Другой']] }).der,
]
const seed = fc.constantFrom(...seeds)
const blocklist = loadBlocklist()
const publicRoots = mozillaRoots()

/** Every item is a certificate with bytes, or a problem with a known code and a message. */
function expectItems(items: readonly ReadItem[]): void {
  for (const item of items) {
    if (item.type === 'certificate') expect(item.der).toBeInstanceOf(Uint8Array)
    else {
      expect(PROBLEM_CODES.has(item.code), item.code).toBe(true)
      expect(item.message.length).toBeGreaterThan(0)
    }
  }
}

/** identify, describe and the auditor on any bytes: an answer, or a DerError; the auditor never throws. */
function auditAnything(der: Uint8Array): void {
  for (const [name, fn] of [['identify', identify], ['describe', describeCertificate]] as const) {
    try {
      withinASecond(() => fn(der), name)
    } catch (error) {
      expectStructured(error, [DerError], name)
    }
  }
  const auditor = new Auditor({ blocklist, publicRoots })
  withinASecond(() => auditor.add({ der, storeId: 'fuzz', kind: 'file', location: '/fuzz', entry: 'x', trust: 'trusted' }), 'Auditor.add')
  const findings = withinASecond(() => auditor.findings('en'), 'Auditor.findings')
  expect(() => JSON.stringify(findings)).not.toThrow()
  for (const problem of auditor.problems) expect(problem).toMatchObject({ code: 'corrupt-certificate', message: expect.any(String) })
}

/** Reads `bytes` through the streaming reader in the given chunk sizes. */
function readInChunks(bytes: Uint8Array, sizes: readonly number[]): ReadItem[] {
  const reader = new CertificateStreamReader()
  const items: ReadItem[] = []
  let at = 0
  for (const size of sizes) {
    if (at >= bytes.length) break
    items.push(...reader.push(bytes.subarray(at, at + size)))
    at += size
  }
  if (at < bytes.length) items.push(...reader.push(bytes.subarray(at)))
  return [...items, ...reader.end()]
}

/** Text between PEM blocks: anything but a PEM marker (those are tested by the marker property). */
const junk = fc.string({ unit: 'binary', maxLength: 300 }).map((s) => s.replaceAll('-----', '---'))

/** A fresh certificate for each serial (one EC key, so making one is cheap): its last bytes are random signature bytes. */
const roundTripKey = makeKey({ type: 'ec' })
const fresh = fc.integer({ min: 1, max: 0xffffff }).map((serial) => Buffer.from(makeCertificate({ subject: [['CN', 'Round trip']], key: roundTripKey, serial: serial.toString(16) }).der))
const whitespace = fc.string({ unit: fc.constantFrom('\n', '\r', ' '), maxLength: 3 })

describe('fuzz: certificate reader', () => {
  it('every valid certificate reads back byte for byte: DER alone, with whitespace after, back to back; PEM with LF or CRLF; any chunking', () => {
    fc.assert(
      fc.property(fc.oneof(seed, fresh), fresh, whitespace, fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 8 }), (a, b, after, sizes) => {
        const pem = (der: Buffer, eol: string) => toPem(der).replaceAll('\n', eol)
        const cases: [string, Buffer, Buffer[]][] = [
          ['DER', a, [a]],
          ['DER + whitespace', Buffer.concat([a, Buffer.from(after)]), [a]],
          ['DER, newline, DER', Buffer.concat([a, Buffer.from('\n'), b, Buffer.from(after)]), [a, b]],
          ['PEM', Buffer.from(pem(a, '\n') + pem(b, '\n')), [a, b]],
          ['PEM CRLF', Buffer.from(pem(a, '\r\n') + after + pem(b, '\r\n')), [a, b]],
        ]
        for (const [what, bytes, want] of cases) {
          const items = withinASecond(() => readInChunks(bytes, sizes), what)
          expect(items.map((i) => (i.type === 'certificate' ? Buffer.from(i.der).toString('hex') : `${i.code}: ${i.message}`)), what).toEqual(want.map((d) => d.toString('hex')))
        }
      }),
      { numRuns: runs(200) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('random bytes never throw; each item is a certificate or a structured problem', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const items = withinASecond(() => readCertificates(bytes), 'readCertificates')
        expectItems(items)
        for (const item of items) if (item.type === 'certificate') auditAnything(item.der)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('real DER cut short is a corrupt-der problem, never a certificate', () => {
    fc.assert(
      fc.property(seed, fc.nat(), (der, cut) => {
        const truncated = der.subarray(0, cut % der.length)
        const items = withinASecond(() => readCertificates(truncated), 'readCertificates')
        expectItems(items)
        expect(items.some((i) => i.type === 'certificate')).toBe(false)
        expect(() => identify(truncated)).toThrow(DerError)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('real DER with flipped bits, overwritten or zeroed runs: an answer or a DerError, and the auditor goes on', () => {
    fc.assert(
      fc.property(seed, mutations, (der, damage) => {
        const damaged = mutate(der, damage)
        expectItems(withinASecond(() => readCertificates(damaged), 'readCertificates'))
        auditAnything(damaged)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('PEM blocks between junk are all found, in order, whatever the chunks the file arrives in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(junk, seed), { minLength: 1, maxLength: 6 }), junk, fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 30 }), (parts, tail, chunks) => {
        // A leading letter: a file that starts like DER (0x30 0x82) is read as DER.
        const text = 'x' + parts.map(([before, der]) => `${before}\n${toPem(der)}`).join('') + tail
        const bytes = Buffer.from(text, 'latin1')
        const whole = withinASecond(() => readCertificates(bytes), 'readCertificates')
        expectItems(whole)
        expect(whole.filter((i) => i.type === 'certificate').map((i) => Buffer.from((i as { der: Uint8Array }).der).toString('hex'))).toEqual(parts.map(([, der]) => der.toString('hex')))
        expect(readInChunks(bytes, chunks)).toEqual(whole)
      }),
      { numRuns: runs(200) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('damaged PEM (markers cut, labels changed, bodies garbled) gives structured problems, never an exception', () => {
    const markers = fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN TRUSTED CERTIFICATE-----', '-----BEGIN PRIVATE KEY-----', '-----BEGIN ', '-----', '\n', '=', 'MII')
    fc.assert(
      fc.property(fc.array(fc.oneof(markers, junk, seed.map((d) => toPem(d))), { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 20 }), (pieces, chunks) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1')
        const whole = withinASecond(() => readCertificates(bytes), 'readCertificates')
        expectItems(whole)
        expect(readInChunks(bytes, chunks)).toEqual(whole)
        for (const item of whole) if (item.type === 'certificate') auditAnything(item.der)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('absurd DER lengths (long forms of 1 to 8 bytes, values past the end) are DerErrors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 64 }), (lengthBytes, value, rest) => {
        const bytes = Buffer.concat([Buffer.from([0x30, 0x80 | lengthBytes]), Buffer.from(value.subarray(0, lengthBytes)), Buffer.from(rest)])
        try {
          const tlv = withinASecond(() => readTlv(bytes, 0), 'readTlv')
          expect(tlv.end).toBeLessThanOrEqual(bytes.length)
        } catch (error) {
          expectStructured(error, [DerError], 'readTlv')
        }
        expectItems(withinASecond(() => readCertificates(bytes), 'readCertificates'))
        auditAnything(bytes)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('reads 16 MB of junk with certificates in it in under a second', () => {
    const junkBlock = Buffer.alloc(1 << 20, 'Not a certificate; -----BEGIN nothing ----- ')
    const bytes = Buffer.concat([Buffer.from('x'), ...Array.from({ length: 16 }, (_, i) => Buffer.concat([junkBlock, Buffer.from(toPem(seeds[i % seeds.length]!))]))])
    const items = withinASecond(() => readCertificates(bytes), 'readCertificates of 16 MB')
    expect(items.filter((i) => i.type === 'certificate')).toHaveLength(16)
  })
})
