/**
 * Many distinct, real, signed X.509 certificates, fast, for `npm run bench`.
 *
 * tests/support/certificates.ts builds a certificate in ~400 µs (node-forge's ASN.1), which is 40 s
 * for 100,000. Here forge builds one template TBSCertificate per key; each certificate is a copy of
 * its template with a new serial number and a new number in its CN, signed by node:crypto (ECDSA
 * P-256, ~40 µs). Certificates may share a key: they are still distinct certificates (their own
 * name, serial, SHA-256 and signature), as re-issued certificates are in real stores.
 */
import { sign } from 'node:crypto'
import { readTlv, Tag } from '../../src/audit/der.js'
import { makeCertificate, makeKey, type KeyPair, type NameSpec } from '../../tests/support/certificates.js'

/** What one certificate of the bench store is, for the statement printed with the figures. */
export type BenchKind = 'issued-ca' | 'unknown-root' | 'lookalike'

export interface BenchCertificate {
  readonly der: Buffer
  readonly kind: BenchKind
}

/** One in this many certificates is a self-signed root outside the public programs (a finding). */
export const ROOT_EVERY = 100
/** Digits patched into the template's CN; enough for 10 million certificates. */
const DIGITS = 7
const PLACEHOLDER = '0'.repeat(DIGITS)

const ISSUER: NameSpec = [['C', 'US'], ['O', 'CertAudit Bench'], ['CN', 'CertAudit Bench Issuing CA']]

interface Template {
  readonly tbs: Buffer
  /** Offsets of the CN digits (twice in a self-signed certificate: issuer and subject). */
  readonly digitOffsets: readonly number[]
  /** Offset and length of the serial number's content bytes. */
  readonly serialAt: number
  readonly serialLength: number
  /** Signature AlgorithmIdentifier and signing key. */
  readonly algorithm: Buffer
  readonly signer: KeyPair
}

/** The TBS of a certificate made by forge, with where its CN digits (`names` times) and serial sit. */
function templateOf(der: Buffer, signer: KeyPair, names: number): Template {
  const certificate = readTlv(der, 0)
  const tbsTlv = readTlv(der, certificate.contentStart, certificate.end)
  const tbs = Buffer.from(der.subarray(tbsTlv.start, tbsTlv.end))
  const algorithmTlv = readTlv(der, tbsTlv.end, certificate.end)
  const version = readTlv(tbs, readTlv(tbs, 0).contentStart)
  const serial = readTlv(tbs, version.end)
  if (serial.tag !== Tag.Integer) throw new Error('template: no serial number')
  const digitOffsets: number[] = []
  for (let at = tbs.indexOf(PLACEHOLDER); at >= 0; at = tbs.indexOf(PLACEHOLDER, at + DIGITS)) digitOffsets.push(at)
  if (digitOffsets.length !== names) throw new Error(`template: found the CN digits ${digitOffsets.length} times, expected ${names}`)
  return {
    tbs,
    digitOffsets,
    serialAt: serial.contentStart,
    serialLength: serial.end - serial.contentStart,
    algorithm: Buffer.from(der.subarray(algorithmTlv.start, algorithmTlv.end)),
    signer,
  }
}

function derHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length])
  if (length < 0x100) return Buffer.from([tag, 0x81, length])
  if (length < 0x10000) return Buffer.from([tag, 0x82, length >> 8, length & 0xff])
  return Buffer.from([tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff])
}

/** A copy of the template numbered `n`, signed. */
function fromTemplate(template: Template, n: number): Buffer {
  const tbs = Buffer.from(template.tbs)
  const digits = String(n).padStart(DIGITS, '0')
  for (const at of template.digitOffsets) tbs.write(digits, at, 'latin1')
  // A positive serial of fixed length: 0x01 then n, big-endian (distinct for every n).
  tbs.fill(0, template.serialAt + 1, template.serialAt + template.serialLength)
  tbs.writeUIntBE(n, template.serialAt + template.serialLength - 6, 6)
  const signature = sign('sha256', tbs, template.signer.privateKey)
  const bitString = Buffer.concat([derHeader(Tag.BitString, signature.length + 1), Buffer.from([0]), signature])
  const body = Buffer.concat([tbs, template.algorithm, bitString])
  return Buffer.concat([derHeader(Tag.Sequence, body.length), body])
}

export interface BenchKeys {
  readonly issuer: KeyPair
  readonly subjects: readonly KeyPair[]
  readonly roots: readonly KeyPair[]
}

/** Keys shared by the bench certificates: RSA 2048 for most (as in real stores), some EC. */
export function makeBenchKeys(): BenchKeys {
  return {
    issuer: makeKey({ type: 'ec', curve: 'P-256' }),
    subjects: [
      ...Array.from({ length: 6 }, () => makeKey({ type: 'rsa', bits: 2048 })),
      makeKey({ type: 'ec', curve: 'P-256' }),
      makeKey({ type: 'ec', curve: 'P-384' }),
    ],
    roots: [makeKey({ type: 'ec', curve: 'P-256' }), makeKey({ type: 'ec', curve: 'P-384' })],
  }
}

/**
 * `count` distinct certificates. Certificate i is a self-signed root outside the public programs
 * (an `unknown-root` finding) when i % ROOT_EVERY === ROOT_EVERY / 2, the Qaznet look-alike (a
 * `lookalike` finding: same name as the 2019 Kazakh interception root, new key) when i is 0, and
 * otherwise a CA certificate issued by the bench's issuing CA (parsed and checked, as it is outside
 * the public programs, but no rule fires). The first n certificates of a larger run are the same as
 * those of a smaller one, so stores of 1,000, 10,000 and 100,000 are prefixes of one list.
 */
export function* benchCertificates(count: number, keys: BenchKeys = makeBenchKeys()): Generator<BenchCertificate> {
  const issuedTemplates = keys.subjects.map((key, k) =>
    templateOf(
      makeCertificate({
        subject: [['C', 'US'], ['O', `Bench Org ${k}`], ['OU', 'Certification Services'], ['CN', `Bench Intermediate CA ${PLACEHOLDER}`]],
        issuer: ISSUER,
        key,
        issuerKey: keys.issuer,
        serial: '01' + '00'.repeat(7),
      }).der,
      keys.issuer,
      1,
    ),
  )
  const rootTemplates = keys.roots.map((key, k) =>
    templateOf(
      makeCertificate({
        subject: [['C', 'DE'], ['O', `Bench Proxy Vendor ${k}`], ['CN', `Bench Proxy Root CA ${PLACEHOLDER}`]],
        key,
        serial: '01' + '00'.repeat(7),
      }).der,
      key,
      2,
    ),
  )
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      yield { der: makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }).der, kind: 'lookalike' }
    } else if (i % ROOT_EVERY === ROOT_EVERY / 2) {
      yield { der: fromTemplate(rootTemplates[i % rootTemplates.length]!, i), kind: 'unknown-root' }
    } else {
      yield { der: fromTemplate(issuedTemplates[i % issuedTemplates.length]!, i), kind: 'issued-ca' }
    }
  }
}

/** How many certificates of each kind a store of `count` holds (matches {@link benchCertificates}). */
export function benchComposition(count: number): Record<BenchKind, number> {
  let roots = 0
  for (let i = 1; i < count; i++) if (i % ROOT_EVERY === ROOT_EVERY / 2) roots++
  return { lookalike: count > 0 ? 1 : 0, 'unknown-root': roots, 'issued-ca': Math.max(0, count - 1 - roots) }
}
