/**
 * Bad input for the Java keystore readers (keystore-jks.ts, keystore-pkcs12.ts): real JKS, JCEKS and
 * PKCS #12 keystores damaged at random, random bytes behind each magic number, and a PKCS #12 file
 * asking for the JDK's maximum of password hashing. Reading either yields entries and structured
 * problems or throws a StoreError with a code and a message; no file takes a second.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readKeystore } from '../../src/stores/java/keystore.js'
import { StoreError, type ListItem } from '../../src/stores/types.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'
import { expectStructured, FUZZ_TIMEOUT_MS, mutate, mutations, runs, withinASecond } from './fuzz-support.js'
import { haveOpenssl } from '../support/tools.js'

const certificates = [makeCertificate({ subject: [['CN', 'JKS root one']] }), makeCertificate({ subject: [['CN', 'JKS root two']], key: makeKey({ type: 'rsa', bits: 1024 }) })]

/** A JKS (or JCEKS) keystore of trusted certificates as the JDK writes it, integrity digest included. */
function jks(magic: number, password = 'changeit'): Buffer {
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
  const utf = (text: string) => Buffer.concat([Buffer.from([text.length >> 8, text.length & 0xff]), Buffer.from(text, 'utf8')])
  const body = Buffer.concat([
    u32(magic),
    u32(2),
    u32(certificates.length),
    ...certificates.flatMap((c, i) => [u32(2), utf(`alias${i}`), Buffer.alloc(8), utf('X.509'), u32(c.der.length), c.der]),
  ])
  const digest = createHash('sha1').update(Buffer.from(password, 'utf16le').swap16()).update('Mighty Aphrodite').update(body).digest()
  return Buffer.concat([body, digest])
}

/** A PKCS #12 trust store made by OpenSSL (certificates only), with the password hashing asked for. */
function pkcs12(dir: string, iterations: number, legacy = false): Buffer {
  const pem = join(dir, 'certs.pem')
  writeFileSync(pem, certificates.map((c) => c.pem).join(''))
  const out = join(dir, `store-${iterations}-${legacy}.p12`)
  const cipher = legacy ? ['-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'] : []
  execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', pem, '-out', out, '-passout', 'pass:changeit', '-iter', String(iterations), ...cipher], { stdio: 'pipe' })
  return readFileSync(out)
}

/** Reads a keystore to the end: its items, or the StoreError it threw (anything else fails the test). */
function readAll(bytes: Buffer): ListItem[] {
  try {
    return withinASecond(() => [...readKeystore(bytes, '/fuzz/cacerts', 'changeit')], 'readKeystore')
  } catch (error) {
    expectStructured(error, [StoreError], 'readKeystore')
    return []
  }
}

function expectListItems(items: readonly ListItem[]): void {
  for (const item of items) {
    if (item.type === 'entry') expect(item.der).toBeInstanceOf(Uint8Array)
    else expect(item).toMatchObject({ code: expect.any(String), message: expect.stringContaining('/fuzz/cacerts') })
  }
}

describe('fuzz: Java keystores', () => {
  const dir = tempDir('certaudit-fuzz-keystores-')
  const seeds = [jks(0xfeedfeed), jks(0xcececece), jks(0xfeedfeed, 'other password'), ...(haveOpenssl ? [pkcs12(dir, 2048), pkcs12(dir, 2048, true)] : [])]
  if (!haveOpenssl) console.warn('fuzz: Java keystores: openssl is not installed, so no PKCS #12 seed is made: the damaged-keystore property fuzzes JKS and JCEKS only.')

  it('reads the undamaged seeds', () => {
    for (const seed of seeds) expect(readAll(seed).filter((i) => i.type === 'entry')).toHaveLength(2)
  })

  it('damaged keystores give entries and structured problems, or a StoreError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), mutations, (seed, damage) => expectListItems(readAll(mutate(seed, damage)))),
      { numRuns: runs(400) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('random bytes behind a keystore magic number, and absurd counts and lengths, give a StoreError', () => {
    const magic = fc.constantFrom(Buffer.from('feedfeed', 'hex'), Buffer.from('cececece', 'hex'), Buffer.from('3082', 'hex'), Buffer.from('3080020103', 'hex'), Buffer.from('308402010330', 'hex'))
    fc.assert(
      fc.property(magic, fc.uint8Array({ maxLength: 2048 }), (prefix, rest) => expectListItems(readAll(Buffer.concat([prefix, Buffer.from(rest)])))),
      { numRuns: runs(400) },
    )
  }, FUZZ_TIMEOUT_MS)

  it.skipIf(!haveOpenssl)(`a PKCS #12 file asking for a million rounds of password hashing (the JDK allows 5 million) is reported at once, not read for seconds${haveOpenssl ? '' : ' (skipped: openssl, which makes it, is not installed)'}`, () => {
    const items = readAll(pkcs12(dir, 1_000_000))
    expect(items.filter((i) => i.type === 'problem').map((i) => (i as { code: string }).code)).toEqual(['integrity-unverified', 'unsupported-encryption'])
    expect(JSON.stringify(items)).toContain('1,000,000 rounds of password hashing')
  })
})
