import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { rootCertificates } from 'node:tls'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CertificateRecord, describe as describeCertificate, identify } from '../../src/audit/certificate.js'
import { DerError } from '../../src/audit/der.js'
import { makeCertificate, makeKey, type KeySpec } from '../support/certificates.js'
import { certificateFacts, CORPUS_ABSENT_REASON, corpusAvailable, decodeOpensslEscapes, factPem } from '../support/corpus.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()

/** What OpenSSL says about a certificate: the reference our parser must agree with. */
function openssl(der: Buffer): { subject: string; issuer: string; serial: string } {
  const file = join(dir, `c-${Math.random().toString(16).slice(2)}.der`)
  writeFileSync(file, der)
  const out = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', file, '-noout', '-subject', '-issuer', '-serial', '-nameopt', 'RFC2253,-esc_msb'], {
    encoding: 'utf8',
  })
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(out)?.[1] ?? ''
  return { subject: field('subject'), issuer: field('issuer'), serial: field('serial') }
}

describe('identify (fast path)', () => {
  const keys: [string, KeySpec][] = [
    ['RSA 2048', { type: 'rsa', bits: 2048 }],
    ['EC P-256', { type: 'ec', curve: 'P-256' }],
    ['EC P-384', { type: 'ec', curve: 'P-384' }],
    ['Ed25519', { type: 'ed25519' }],
  ]
  it.each(keys)('computes the certificate, SHA-1 and SPKI hashes of a %s certificate', (_name, spec) => {
    const made = makeCertificate({ subject: [['CN', 'Test']], key: makeKey(spec) })
    const x509 = new X509Certificate(made.der)
    const identity = identify(made.der)
    expect(identity).toEqual({ sha256: made.sha256, sha1: made.sha1, spkiSha256: made.spkiSha256 })
    expect(identity.sha256).toBe(x509.fingerprint256.replaceAll(':', '').toLowerCase())
    expect(identity.sha1).toBe(x509.fingerprint.replaceAll(':', '').toLowerCase())
  })

  it('rejects bytes that are not a certificate, and trailing bytes', () => {
    const made = makeCertificate({ subject: [['CN', 'Test']] })
    expect(() => identify(made.der.subarray(0, made.der.length - 10))).toThrow(DerError)
    expect(() => identify(Buffer.concat([made.der, Buffer.from([0])]))).toThrow(/unexpected bytes after/)
    expect(() => identify(Buffer.from('not a certificate'))).toThrow(DerError)
    expect(() => identify(Buffer.alloc(0))).toThrow(DerError)
    expect(() => identify(Buffer.from([0x30, 0x80, 0, 0]))).toThrow(/indefinite length/)
    expect(() => identify(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toThrow(/claims/)
  })
})

describe('describe (full parse)', () => {
  it('reads every field of an RSA CA and agrees with OpenSSL and node:crypto', () => {
    const made = makeCertificate({
      subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']],
      key: makeKey({ type: 'rsa', bits: 2048 }),
      serial: '00c0ffee',
      notBefore: new Date('2020-02-28T05:39:51Z'),
      notAfter: new Date('2050-02-28T05:39:51Z'),
    })
    const details = describeCertificate(made.der)
    const reference = openssl(made.der)
    expect(details.subject).toBe('CN=Information Security Certification Authority,O=ISCA,C=KZ')
    expect(details.subject).toBe(reference.subject)
    expect(details.issuer).toBe(reference.issuer)
    expect(details.serial).toBe(reference.serial.replace(/^0+/, ''))
    expect(details.notBefore).toBe('2020-02-28T05:39:51Z')
    expect(details.notAfter).toBe('2050-02-28T05:39:51Z') // GeneralizedTime from 2050 on
    expect(new Date(details.notAfter).getTime()).toBe(new Date(new X509Certificate(made.der).validTo).getTime())
    expect(details).toMatchObject({
      version: 3,
      isCA: true,
      selfSigned: true,
      keyAlgorithm: 'RSA',
      keySize: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      hasNameConstraints: false,
    })
  })

  it('keeps Cyrillic and Kazakh names intact (UTF8String and BMPString) and escapes RFC 4514 specials', () => {
    const name: [string, string][] = [['C', 'KZ'], ['O', 'Қазақстан, "ҰКО"'], ['CN', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ']]
    for (const stringType of ['utf8', 'bmp'] as const) {
      const made = makeCertificate({ subject: name, stringType })
      const details = describeCertificate(made.der)
      expect(details.subject).toBe('CN=НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ,O=Қазақстан\\, \\"ҰКО\\",C=KZ')
      expect(details.subject).toBe(openssl(made.der).subject)
    }
  })

  it('reads EC and Ed25519 keys, which node-forge cannot parse', () => {
    const ec = describeCertificate(makeCertificate({ subject: [['CN', 'EC']], key: makeKey({ type: 'ec', curve: 'P-384' }), hash: 'sha384' }).der)
    expect(ec).toMatchObject({ keyAlgorithm: 'EC', keySize: 384, curve: 'P-384', signatureAlgorithm: 'ecdsa-with-SHA384' })
    const ed = describeCertificate(makeCertificate({ subject: [['CN', 'Ed']], key: makeKey({ type: 'ed25519' }) }).der)
    expect(ed).toMatchObject({ keyAlgorithm: 'Ed25519', keySize: 256, signatureAlgorithm: 'Ed25519' })
  })

  it('tells a CA from a leaf, and a self-signed certificate from an issued one', () => {
    const root = makeCertificate({ subject: [['CN', 'Root']] })
    const leaf = makeCertificate({ subject: [['CN', 'leaf.example']], issuer: [['CN', 'Root']], issuerKey: root.key, ca: false })
    expect(describeCertificate(leaf.der)).toMatchObject({ isCA: false, selfSigned: false, issuer: 'CN=Root' })
    // Same name as its issuer but a different key: a cross-signed CA, not self-signed.
    const sameName = makeCertificate({ subject: [['CN', 'Root']], issuerKey: root.key })
    expect(describeCertificate(sameName.der).selfSigned).toBe(false)
    // A version 1 self-signed certificate is treated as a CA, as OpenSSL and NSS do.
    expect(describeCertificate(makeCertificate({ subject: [['CN', 'Old']], version: 1 }).der)).toMatchObject({ version: 1, isCA: true, selfSigned: true })
  })

  it('reports SHA-1 signatures, short keys and name constraints', () => {
    const old = makeCertificate({ subject: [['CN', 'Old']], key: makeKey({ type: 'rsa', bits: 1024 }), hash: 'sha1', nameConstraint: 'example.com' })
    expect(describeCertificate(old.der)).toMatchObject({ keySize: 1024, signatureAlgorithm: 'sha1WithRSAEncryption', hasNameConstraints: true })
  })

  it('parses lazily: a damaged body only fails when details are asked for', () => {
    const made = makeCertificate({ subject: [['CN', 'Lazy']] })
    const damaged = Buffer.from(made.der)
    // Corrupt the validity dates: the walk to the SPKI still works, the full parse does not.
    const at = damaged.indexOf(Buffer.from('200101000000Z'))
    damaged.write('20XX01000000Z', at, 'latin1')
    const record = new CertificateRecord(damaged)
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(() => record.details).toThrow(/malformed UTCTime/)
  })

  it('writes PEM that OpenSSL and node:crypto read back to the same bytes', () => {
    const made = makeCertificate({ subject: [['CN', 'Round trip']] })
    const pem = new CertificateRecord(made.der).toPem()
    expect(new X509Certificate(pem).raw.equals(made.der)).toBe(true)
  })
})

describe('the shared corpus of real certificates', () => {
  if (!corpusAvailable) {
    it.skip(`skipped: ${CORPUS_ABSENT_REASON}`, () => {})
    return
  }
  const facts = certificateFacts()

  it.each(facts.map((f) => [f.id, f] as const))('%s: hashes and names match facts.json', (_id, fact) => {
    const record = new CertificateRecord(new X509Certificate(factPem(fact)!).raw)
    expect(record.sha256).toBe(fact.sha256)
    expect(record.spkiSha256).toBe(fact.spki_sha256)
    expect(record.sha1).toBe(fact.sha1)
    expect(record.details.subject).toBe(decodeOpensslEscapes(fact.subject!))
    expect(record.details.issuer).toBe(decodeOpensslEscapes(fact.issuer!))
    expect(record.details.notBefore).toBe(fact.not_before)
    expect(record.details.notAfter).toBe(fact.not_after)
  })
})

describe('validity dates', () => {
  // der.ts reads the usual UTCTime (YYMMDDHHMMSSZ) without a regular expression: it must give what
  // node:crypto's X509Certificate gives, on every root Node ships and at the edges of UTCTime.
  it('match X509Certificate on every root in Node, and at 1950, 2049 and 29 February', () => {
    const ders = rootCertificates.map((pem) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
    const edges = [
      [new Date('1950-01-01T00:00:00Z'), new Date('2049-12-31T23:59:59Z')],
      [new Date('2000-02-29T12:00:00Z'), new Date('2024-02-29T23:59:59Z')],
    ].map(([notBefore, notAfter]) => makeCertificate({ subject: [['CN', 'Edges']], notBefore: notBefore!, notAfter: notAfter! }).der)
    for (const der of [...ders, ...edges]) {
      const details = describeCertificate(der)
      const reference = new X509Certificate(der)
      expect([details.notBefore, details.notAfter], reference.subject).toEqual([iso(reference.validFrom), iso(reference.validTo)])
    }
    expect(edges.map((der) => [describeCertificate(der).notBefore, describeCertificate(der).notAfter])).toEqual([
      ['1950-01-01T00:00:00Z', '2049-12-31T23:59:59Z'],
      ['2000-02-29T12:00:00Z', '2024-02-29T23:59:59Z'],
    ])
  })
})

/** X509Certificate's "Jan  1 00:00:00 1950 GMT" as ISO 8601 without milliseconds. */
function iso(text: string): string {
  return new Date(text).toISOString().replace('.000Z', 'Z')
}

