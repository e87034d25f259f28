import { hash } from 'node:crypto'
import {
  DerError,
  Tag,
  children,
  contentHex,
  decodeOid,
  decodeTime,
  expectTlv,
  readTlv,
  type Tlv,
} from './der.js'
import { formatName, parseName, type DistinguishedName } from './names.js'
import { keyAlgorithmName, signatureAlgorithmName, describePublicKey } from './algorithms.js'

/**
 * The three hashes that identify a certificate. Identity is always the SHA-256 of the whole DER
 * certificate, plus the SHA-256 of its SubjectPublicKeyInfo (so a re-issued certificate with the
 * same key is still recognised) and the SHA-1 thumbprint that Windows and macOS tools print.
 */
export interface CertificateIdentity {
  readonly sha256: string
  readonly sha1: string
  readonly spkiSha256: string
}

/** Where the parts of a certificate sit in its DER bytes: found by a walk, without decoding anything. */
interface Layout {
  readonly certificate: Tlv
  readonly tbs: Tlv
  readonly version: number
  readonly serial: Tlv
  readonly signatureAlgorithm: Tlv
  readonly issuer: Tlv
  readonly validity: Tlv
  readonly subject: Tlv
  readonly spki: Tlv
  readonly extensions: Tlv | null
}

/**
 * Walks the fixed prefix of a TBSCertificate (RFC 5280 4.1). Cheap: it reads a dozen headers.
 * Throws {@link DerError} when the bytes are not a certificate.
 */
function layoutOf(der: Uint8Array): Layout {
  const certificate = expectTlv(der, 0, der.length, Tag.Sequence, 'a certificate SEQUENCE')
  const tbs = expectTlv(der, certificate.contentStart, certificate.end, Tag.Sequence, 'the TBSCertificate SEQUENCE')
  let offset = tbs.contentStart
  let version = 1
  let next = readTlv(der, offset, tbs.end)
  if (next.tag === Tag.Context0) {
    const versionInt = expectTlv(der, next.contentStart, next.end, Tag.Integer, 'the version INTEGER')
    version = (der[versionInt.end - 1] ?? 0) + 1
    offset = next.end
    next = readTlv(der, offset, tbs.end)
  }
  const serial = next
  if (serial.tag !== Tag.Integer) throw new DerError('expected the serial number INTEGER', serial.start)
  const signatureAlgorithm = expectTlv(der, serial.end, tbs.end, Tag.Sequence, 'the signature AlgorithmIdentifier')
  const issuer = expectTlv(der, signatureAlgorithm.end, tbs.end, Tag.Sequence, 'the issuer Name')
  const validity = expectTlv(der, issuer.end, tbs.end, Tag.Sequence, 'the Validity SEQUENCE')
  const subject = expectTlv(der, validity.end, tbs.end, Tag.Sequence, 'the subject Name')
  const spki = expectTlv(der, subject.end, tbs.end, Tag.Sequence, 'the SubjectPublicKeyInfo')
  let extensions: Tlv | null = null
  for (let at = spki.end; at < tbs.end; ) {
    const field = readTlv(der, at, tbs.end)
    if (field.tag === Tag.Context3) extensions = expectTlv(der, field.contentStart, field.end, Tag.Sequence, 'the Extensions')
    at = field.end
  }
  return { certificate, tbs, version, serial, signatureAlgorithm, issuer, validity, subject, spki, extensions }
}

/** The certificate's subject Name as hex of its DER (NSS finds certificates by it). Throws {@link DerError}. */
export function subjectHex(der: Uint8Array): string {
  const { subject } = layoutOf(der)
  return Buffer.from(der.buffer, der.byteOffset + subject.start, subject.end - subject.start).toString('hex')
}

/** The certificate's SubjectPublicKeyInfo, exactly as its DER holds it (the bytes `spkiSha256` hashes). Throws {@link DerError}. */
export function spkiBytes(der: Uint8Array): Uint8Array {
  const { spki } = layoutOf(der)
  return der.subarray(spki.start, spki.end)
}

/** Length in bytes of the first DER element in `bytes` (a certificate may be followed by other data). */
export function firstElementLength(bytes: Uint8Array): number {
  return readTlv(bytes, 0, bytes.length).end
}

function sha(algorithm: 'sha256' | 'sha1', bytes: Uint8Array): string {
  // One-shot crypto.hash: about half the cost of a Hash object for a certificate-sized input.
  return hash(algorithm, bytes, 'hex')
}

/**
 * SHA-256s already computed, by DER buffer. A store reader hashes a certificate to attribute it (the
 * Linux store matches its bundle against its source files) and the auditor then identifies the same
 * buffer: remembering the hash saves a third of the hashing of a large store. Weak: a buffer that is
 * no longer used takes its hash with it.
 */
const sha256ByBuffer = new WeakMap<Uint8Array, string>()

/** Lower-case hex SHA-256 of a DER certificate (any bytes, parsed or not): its identity. */
export function sha256Hex(der: Uint8Array): string {
  let known = sha256ByBuffer.get(der)
  if (known === undefined) {
    known = sha('sha256', der)
    sha256ByBuffer.set(der, known)
  }
  return known
}

/**
 * The fast path: identity hashes from a walk to the SubjectPublicKeyInfo, no full parse.
 * `der` must be exactly one certificate.
 */
export function identify(der: Uint8Array): CertificateIdentity {
  const { certificate, spki } = layoutOf(der)
  if (certificate.end !== der.length) {
    throw new DerError(`${der.length - certificate.end} unexpected bytes after the certificate`, certificate.end)
  }
  return {
    sha256: sha256Hex(der),
    sha1: sha('sha1', der),
    spkiSha256: sha('sha256', der.subarray(spki.start, spki.end)),
  }
}

/** Everything we show about a certificate. Computed on demand from the DER. */
export interface CertificateDetails {
  readonly version: number
  readonly subject: string
  readonly issuer: string
  readonly subjectName: DistinguishedName
  readonly issuerName: DistinguishedName
  /** Serial number as upper-case hex, as browsers show it. */
  readonly serial: string
  readonly notBefore: string
  readonly notAfter: string
  /** basicConstraints cA=TRUE, or a v1 certificate that names itself as issuer (treated as a CA by OpenSSL and NSS). */
  readonly isCA: boolean
  /** The certificate names itself as issuer (and its key identifiers, where present, agree). */
  readonly selfSigned: boolean
  readonly keyAlgorithm: string
  /** Key size in bits (RSA modulus, EC curve size, 256 for Ed25519), or null when unknown. */
  readonly keySize: number | null
  readonly curve: string | null
  readonly signatureAlgorithm: string
  readonly hasNameConstraints: boolean
  /** The names a name-constrained CA may vouch for; null when it is not limited to some names. */
  readonly permittedNames: readonly string[] | null
  readonly subjectKeyId: string | null
  readonly authorityKeyId: string | null
}

const OID_BASIC_CONSTRAINTS = '2.5.29.19'
const OID_NAME_CONSTRAINTS = '2.5.29.30'
const OID_SUBJECT_KEY_ID = '2.5.29.14'
const OID_AUTHORITY_KEY_ID = '2.5.29.35'

interface Extensions {
  basicConstraintsCA: boolean | null
  hasNameConstraints: boolean
  permittedNames: string[] | null
  subjectKeyId: string | null
  authorityKeyId: string | null
}

function readExtensions(der: Uint8Array, extensions: Tlv | null): Extensions {
  const out: Extensions = { basicConstraintsCA: null, hasNameConstraints: false, permittedNames: null, subjectKeyId: null, authorityKeyId: null }
  if (!extensions) return out
  for (const extension of children(der, extensions)) {
    const parts = children(der, extension)
    const oidTlv = parts[0]
    const value = parts[parts.length - 1]
    if (!oidTlv || !value || oidTlv.tag !== Tag.Oid || value.tag !== Tag.OctetString) {
      throw new DerError('malformed extension', extension.start)
    }
    const oid = decodeOid(der, oidTlv)
    if (oid === OID_BASIC_CONSTRAINTS) {
      const seq = expectTlv(der, value.contentStart, value.end, Tag.Sequence, 'basicConstraints')
      const first = children(der, seq)[0]
      out.basicConstraintsCA = first?.tag === Tag.Boolean && der[first.contentStart] !== 0
    } else if (oid === OID_NAME_CONSTRAINTS) {
      out.hasNameConstraints = true
      out.permittedNames = permittedNames(der, expectTlv(der, value.contentStart, value.end, Tag.Sequence, 'nameConstraints'))
    } else if (oid === OID_SUBJECT_KEY_ID) {
      out.subjectKeyId = contentHex(der, expectTlv(der, value.contentStart, value.end, Tag.OctetString, 'subjectKeyIdentifier'))
    } else if (oid === OID_AUTHORITY_KEY_ID) {
      const seq = expectTlv(der, value.contentStart, value.end, Tag.Sequence, 'authorityKeyIdentifier')
      const keyId = children(der, seq).find((c) => c.tag === Tag.ContextPrimitive0)
      out.authorityKeyId = keyId ? contentHex(der, keyId) : null
    }
  }
  return out
}

/**
 * The names a CA is limited to by its nameConstraints (RFC 5280 4.2.1.10), as people read them:
 * `corp.example` (that domain and below), `email corp.example`, `10.0.0.0/8`, `URI …`, a directory
 * name in RFC 4514. Null when nothing is permitted explicitly (only exclusions: any other name goes).
 */
function permittedNames(der: Uint8Array, constraints: Tlv): string[] | null {
  const permitted = children(der, constraints).find((c) => c.tag === 0xa0) // [0] permittedSubtrees
  if (!permitted) return null
  const names = children(der, permitted).map((subtree) => {
    const base = children(der, expectTlv(der, subtree.start, subtree.end, Tag.Sequence, 'a GeneralSubtree'))[0]
    if (!base) throw new DerError('a GeneralSubtree without a name', subtree.start)
    return generalName(der, base)
  })
  return names.length ? names : null
}

function generalName(der: Uint8Array, name: Tlv): string {
  const ascii = () => Buffer.from(der.subarray(name.contentStart, name.end)).toString('latin1')
  switch (name.tag) {
    case 0x81: // rfc822Name
      return `email ${ascii()}`
    case 0x82: // dNSName
      return ascii()
    case 0x86: // uniformResourceIdentifier
      return `URI ${ascii()}`
    case 0x87: // iPAddress: address and mask
      return ipRange(der.subarray(name.contentStart, name.end))
    case 0xa4: {
      // directoryName ([4] EXPLICIT Name)
      const inner = readTlv(der, name.contentStart, name.end)
      return formatName(parseName(der, inner))
    }
    default:
      return `a name of type [${name.tag & 0x1f}]`
  }
}

function ipRange(bytes: Uint8Array): string {
  const half = bytes.length / 2
  if (half !== 4 && half !== 16) return `an address range of ${bytes.length} bytes`
  const address = bytes.subarray(0, half)
  const mask = bytes.subarray(half)
  const prefix = [...mask].reduce((bits, byte) => bits + byte.toString(2).replace(/0/g, '').length, 0)
  const text = half === 4 ? [...address].join('.') : Array.from({ length: 8 }, (_, i) => ((address[2 * i]! << 8) | address[2 * i + 1]!).toString(16)).join(':')
  return `${text}/${prefix}`
}

/**
 * Whether two names have the same number of RDNs and attributes in each: names of different shapes
 * never format to the same RFC 4514 string (each `,` and `+` between attributes is unescaped, every
 * one in a value is escaped), so the strings need not be made to tell them apart.
 */
function sameShape(a: DistinguishedName, b: DistinguishedName): boolean {
  return a.length === b.length && a.every((rdn, i) => rdn.length === b[i]!.length)
}

/** Full parse of one DER certificate. Throws {@link DerError} on malformed input. */
export function describe(der: Uint8Array): CertificateDetails {
  const layout = layoutOf(der)
  const [notBeforeTlv, notAfterTlv] = children(der, layout.validity)
  if (!notBeforeTlv || !notAfterTlv) throw new DerError('validity lacks a date', layout.validity.start)
  const subjectName = parseName(der, layout.subject)
  const issuerName = parseName(der, layout.issuer)
  const extensions = readExtensions(der, layout.extensions)
  const details = new Details(der, layout.serial, subjectName, issuerName)
  const namesMatch = sameBytes(der, layout.subject, layout.issuer) || (sameShape(subjectName, issuerName) && details.subject.toLowerCase() === details.issuer.toLowerCase())
  const keyIdsAgree =
    extensions.subjectKeyId === null || extensions.authorityKeyId === null || extensions.subjectKeyId === extensions.authorityKeyId
  const selfSigned = namesMatch && keyIdsAgree
  const key = describePublicKey(der, layout.spki)
  const sigOid = decodeOid(der, expectTlv(der, layout.signatureAlgorithm.contentStart, layout.signatureAlgorithm.end, Tag.Oid, 'the signature algorithm OID'))
  details.version = layout.version
  details.notBefore = decodeTime(der, notBeforeTlv)
  details.notAfter = decodeTime(der, notAfterTlv)
  details.isCA = extensions.basicConstraintsCA ?? (layout.version === 1 && selfSigned)
  details.selfSigned = selfSigned
  details.keyAlgorithm = keyAlgorithmName(key.algorithmOid)
  details.keySize = key.size
  details.curve = key.curve
  details.signatureAlgorithm = signatureAlgorithmName(sigOid)
  details.hasNameConstraints = extensions.hasNameConstraints
  details.permittedNames = extensions.permittedNames
  details.subjectKeyId = extensions.subjectKeyId
  details.authorityKeyId = extensions.authorityKeyId
  return details
}

/**
 * {@link CertificateDetails} with the strings only a finding shows (RFC 4514 names, the serial in
 * hex) made on first use: most certificates a scan checks are never shown.
 */
class Details implements CertificateDetails {
  version = 1
  notBefore = ''
  notAfter = ''
  isCA = false
  selfSigned = false
  keyAlgorithm = ''
  keySize: number | null = null
  curve: string | null = null
  signatureAlgorithm = ''
  hasNameConstraints = false
  permittedNames: readonly string[] | null = null
  subjectKeyId: string | null = null
  authorityKeyId: string | null = null
  #subject: string | undefined
  #issuer: string | undefined
  #serial: string | undefined

  constructor(
    private readonly der: Uint8Array,
    private readonly serialTlv: Tlv,
    readonly subjectName: DistinguishedName,
    readonly issuerName: DistinguishedName,
  ) {}

  get subject(): string {
    return (this.#subject ??= formatName(this.subjectName))
  }

  get issuer(): string {
    return (this.#issuer ??= formatName(this.issuerName))
  }

  get serial(): string {
    return (this.#serial ??= contentHex(this.der, this.serialTlv).replace(/^00(?=[89a-f])/, '').toUpperCase())
  }
}

/** Two elements of the same buffer hold the same bytes (no views made to compare them). */
function sameBytes(der: Uint8Array, a: Tlv, b: Tlv): boolean {
  if (a.end - a.start !== b.end - b.start) return false
  for (let i = 0; i < a.end - a.start; i++) if (der[a.start + i] !== der[b.start + i]) return false
  return true
}

/**
 * A certificate as the engine carries it: identity computed up front (cheap), details on first use.
 */
export class CertificateRecord implements CertificateIdentity {
  readonly sha256: string
  readonly sha1: string
  readonly spkiSha256: string
  #details: CertificateDetails | undefined

  constructor(readonly der: Uint8Array) {
    const identity = identify(der)
    this.sha256 = identity.sha256
    this.sha1 = identity.sha1
    this.spkiSha256 = identity.spkiSha256
  }

  /** Parsed on first access, then cached. Throws {@link DerError} if the body is malformed. */
  get details(): CertificateDetails {
    this.#details ??= describe(this.der)
    return this.#details
  }

  /** PEM text of the certificate. */
  toPem(): string {
    const base64 = Buffer.from(this.der).toString('base64')
    return `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
  }
}
