/**
 * Makes real X.509 certificates for tests: RSA, EC and Ed25519 keys from node:crypto, the DER
 * structure from node-forge's ASN.1 helpers (forge's own certificate code only does RSA), signed by
 * node:crypto. Look-alikes of the corpus use the same names with new keys, so no real interception
 * certificate needs to be copied into this repository.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import forge from 'node-forge'

const { asn1 } = forge

export type KeySpec = { type: 'rsa'; bits?: number } | { type: 'ec'; curve?: 'P-256' | 'P-384' } | { type: 'ed25519' }

export interface KeyPair {
  readonly publicKey: KeyObject
  readonly privateKey: KeyObject
  readonly spec: KeySpec
}

/** RDNs most significant first, as they appear in the DER: `[['C', 'KZ'], ['O', 'ISCA'], ['CN', '…']]`. */
export type NameSpec = readonly (readonly [string, string])[]

export interface CertificateSpec {
  readonly subject: NameSpec
  /** Defaults to the subject: a self-issued certificate. */
  readonly issuer?: NameSpec
  readonly key?: KeyPair
  /** The key that signs; defaults to `key` (self-signed). */
  readonly issuerKey?: KeyPair
  readonly serial?: string
  readonly notBefore?: Date
  readonly notAfter?: Date
  /** basicConstraints cA; omitted for version 1. */
  readonly ca?: boolean
  readonly version?: 1 | 3
  readonly hash?: 'sha256' | 'sha1' | 'sha384'
  /** Add a nameConstraints extension (permitted DNS subtree). */
  readonly nameConstraint?: string
  /** String type for attribute values other than C. */
  readonly stringType?: 'utf8' | 'printable' | 'bmp'
}

export interface MadeCertificate {
  readonly der: Buffer
  readonly pem: string
  readonly key: KeyPair
  /** SHA-256 of the DER, of the SPKI, and SHA-1 of the DER, computed independently of the code under test. */
  readonly sha256: string
  readonly spkiSha256: string
  readonly sha1: string
}

const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  serialNumber: '2.5.4.5',
  emailAddress: '1.2.840.113549.1.9.1',
  DC: '0.9.2342.19200300.100.1.25',
}

export function makeKey(spec: KeySpec = { type: 'ec' }): KeyPair {
  const pair =
    spec.type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: spec.bits ?? 2048 })
      : spec.type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: spec.curve ?? 'P-256' })
        : generateKeyPairSync('ed25519')
  return { ...pair, spec }
}

const bytes = (buffer: Buffer): string => buffer.toString('binary')
const oid = (dotted: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes())
const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items)
const fromDer = (der: Buffer) => asn1.fromDer(bytes(der))
const toDer = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary')

function nameNode(name: NameSpec, stringType: CertificateSpec['stringType']): forge.asn1.Asn1 {
  return seq(
    name.map(([type, value]) => {
      const attributeOid = ATTRIBUTE_OIDS[type] ?? type
      let node: forge.asn1.Asn1
      if (type === 'C') node = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value)
      else if (type === 'emailAddress') node = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.IA5STRING, false, value)
      else if (stringType === 'printable') node = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, value)
      // forge encodes a BMPString's JS string as UTF-16BE itself.
      else if (stringType === 'bmp') node = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, value)
      else node = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, bytes(Buffer.from(value, 'utf8')))
      return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [seq([oid(attributeOid), node])])
    }),
  )
}

function timeNode(date: Date): forge.asn1.Asn1 {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, iso.slice(2) + 'Z')
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, iso + 'Z')
}

function signatureAlgorithm(key: KeyPair, hash: NonNullable<CertificateSpec['hash']>): { node: forge.asn1.Asn1; digest: string | null } {
  const nul = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')
  if (key.spec.type === 'rsa') {
    const rsaOids = { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12' }
    return { node: seq([oid(rsaOids[hash]), nul]), digest: hash }
  }
  if (key.spec.type === 'ec') {
    const ecOids = { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3' }
    return { node: seq([oid(ecOids[hash])]), digest: hash }
  }
  return { node: seq([oid('1.3.101.112')]), digest: null }
}

function extension(id: string, critical: boolean, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  const parts = [oid(id)]
  if (critical) parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff'))
  parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()))
  return seq(parts)
}

let serialCounter = 0x1000

/** Makes and signs one certificate. */
export function makeCertificate(spec: CertificateSpec): MadeCertificate {
  const key = spec.key ?? makeKey()
  const issuerKey = spec.issuerKey ?? key
  const hash = spec.hash ?? 'sha256'
  const version = spec.version ?? 3
  const spki = key.publicKey.export({ type: 'spki', format: 'der' })
  const sigAlg = signatureAlgorithm(issuerKey, hash)
  const serialHex = spec.serial ?? (serialCounter++).toString(16).padStart(8, '0')
  const notBefore = spec.notBefore ?? new Date(Date.UTC(2020, 0, 1))
  const notAfter = spec.notAfter ?? new Date(Date.UTC(2045, 0, 1))

  const tbsParts: forge.asn1.Asn1[] = []
  if (version === 3) {
    tbsParts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x02')]))
  }
  tbsParts.push(
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes(minimalInteger(Buffer.from(serialHex.length % 2 ? '0' + serialHex : serialHex, 'hex')))),
    sigAlg.node,
    nameNode(spec.issuer ?? spec.subject, spec.stringType),
    seq([timeNode(notBefore), timeNode(notAfter)]),
    nameNode(spec.subject, spec.stringType),
    fromDer(spki),
  )
  if (version === 3) {
    const keyId = createHash('sha1').update(spki).digest()
    const issuerKeyId = createHash('sha1').update(issuerKey.publicKey.export({ type: 'spki', format: 'der' })).digest()
    const extensions = [
      extension('2.5.29.19', true, seq(spec.ca === false ? [] : [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, '\xff')])),
      extension('2.5.29.14', false, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes(keyId))),
      extension('2.5.29.35', false, seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, bytes(issuerKeyId))])),
    ]
    if (spec.nameConstraint) {
      const dns = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, spec.nameConstraint)
      extensions.push(extension('2.5.29.30', true, seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [seq([dns])])])))
    }
    tbsParts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [seq(extensions)]))
  }
  const tbs = toDer(seq(tbsParts))
  const signature = sign(sigAlg.digest, tbs, issuerKey.privateKey)
  // The signed TBS bytes go in as they are: a parse and re-encode by forge could change them and void the signature.
  const der = derSequence(
    Buffer.concat([tbs, toDer(sigAlg.node), toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + bytes(signature)))]),
  )
  return {
    der,
    pem: toPem(der),
    key,
    sha256: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
    spkiSha256: createHash('sha256').update(spki).digest('hex'),
  }
}

/** DER INTEGER content without redundant leading zero bytes (X.690 8.3.2), so strict parsers accept it. */
function minimalInteger(value: Buffer): Buffer {
  let start = 0
  while (start < value.length - 1 && value[start] === 0 && value[start + 1]! < 0x80) start++
  return value.subarray(start)
}

function derSequence(content: Buffer): Buffer {
  const length = content.length
  const header =
    length < 0x80 ? Buffer.from([0x30, length]) : length < 0x100 ? Buffer.from([0x30, 0x81, length]) : Buffer.from([0x30, 0x82, length >> 8, length & 0xff])
  return Buffer.concat([header, content])
}

export function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
}
