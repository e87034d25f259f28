/**
 * A minimal, allocation-free DER reader: just enough ASN.1 to find the parts of an X.509 certificate
 * that identify it (the SubjectPublicKeyInfo) and, lazily, the fields we show to people.
 *
 * It never copies bytes: every element is an offset range into the caller's buffer. Anything that is
 * not strict DER (indefinite lengths, lengths running past their parent) throws a {@link DerError},
 * so corrupt input becomes a clear problem instead of a wrong answer.
 */

/** ASN.1 universal tags (and the context tags X.509 uses) that the certificate reader needs. */
export const Tag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Null: 0x05,
  Oid: 0x06,
  Utf8String: 0x0c,
  NumericString: 0x12,
  PrintableString: 0x13,
  TeletexString: 0x14,
  Ia5String: 0x16,
  UtcTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BmpString: 0x1e,
  Sequence: 0x30,
  Set: 0x31,
  /** [0] EXPLICIT, constructed: the certificate version. */
  Context0: 0xa0,
  /** [3] EXPLICIT, constructed: the extensions. */
  Context3: 0xa3,
  /** [0] IMPLICIT, primitive: authorityKeyIdentifier's keyIdentifier. */
  ContextPrimitive0: 0x80,
} as const

export class DerError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`)
    this.name = 'DerError'
  }
}

/** One element: its tag and where its header and contents sit in the buffer. */
export interface Tlv {
  readonly tag: number
  /** Offset of the tag byte. */
  readonly start: number
  /** Offset of the first content byte. */
  readonly contentStart: number
  /** Offset just past the last content byte. */
  readonly end: number
}

/**
 * Reads the element that starts at `offset` and must end by `limit`.
 * Only single-byte tags occur in certificates; a high tag number is rejected as unsupported.
 */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('element header runs past the end of its container', offset)
  const tag = buf[offset]!
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in certificates', offset)
  let length = buf[offset + 1]!
  let contentStart = offset + 2
  if (length & 0x80) {
    const lengthBytes = length & 0x7f
    if (lengthBytes === 0) throw new DerError('indefinite length is not allowed in DER', offset)
    if (lengthBytes > 4) throw new DerError(`length field of ${lengthBytes} bytes is absurd`, offset)
    if (contentStart + lengthBytes > limit) throw new DerError('length field runs past the end of its container', offset)
    length = 0
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + buf[contentStart + i]!
    contentStart += lengthBytes
  }
  const end = contentStart + length
  if (end > limit) {
    throw new DerError(`element claims ${length} bytes but only ${Math.max(0, limit - contentStart)} remain`, offset)
  }
  return { tag, start: offset, contentStart, end }
}

/** Reads an element and checks its tag. */
export function expectTlv(buf: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(buf, offset, limit)
  if (tlv.tag !== tag) {
    throw new DerError(`expected ${what} (tag 0x${hex2(tag)}) but found tag 0x${hex2(tlv.tag)}`, offset)
  }
  return tlv
}

/** The children of a constructed element, in order. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(buf, offset, parent.end)
    out.push(child)
    offset = child.end
  }
  return out
}

/** Dotted-decimal form of an OBJECT IDENTIFIER's contents. */
export function decodeOid(buf: Uint8Array, tlv: Tlv): string {
  if (tlv.end === tlv.contentStart) throw new DerError('empty object identifier', tlv.start)
  // 2.5.4.x (name attributes) and 2.5.29.x (extensions), most of the OIDs in a certificate: no loop.
  if (tlv.end - tlv.contentStart === 3 && buf[tlv.contentStart] === 0x55 && buf[tlv.contentStart + 1]! < 0x80 && buf[tlv.contentStart + 2]! < 0x80) {
    return `2.5.${buf[tlv.contentStart + 1]}.${buf[tlv.contentStart + 2]}`
  }
  const parts: number[] = []
  let value = 0
  for (let i = tlv.contentStart; i < tlv.end; i++) {
    const byte = buf[i]!
    value = value * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else {
        parts.push(value)
      }
      value = 0
    }
  }
  return parts.join('.')
}

/** Decodes the ASN.1 string types that occur in names; null for anything that is not a string. */
export function decodeString(buf: Uint8Array, tlv: Tlv): string | null {
  switch (tlv.tag) {
    case Tag.Utf8String:
      return text(buf, tlv, 'utf8')
    case Tag.PrintableString:
    case Tag.Ia5String:
    case Tag.NumericString:
    case Tag.VisibleString:
    case Tag.TeletexString: // T.61 in theory; in practice CAs put Latin-1 here, as OpenSSL assumes.
      return text(buf, tlv, 'latin1')
    case Tag.BmpString:
      return decodeUtf16Be(Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart))
    case Tag.UniversalString:
      return decodeUtf32Be(Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart))
    default:
      return null
  }
}

/** An element's contents as text; from a Buffer without making a view of it first (names are decoded for every certificate checked). */
function text(buf: Uint8Array, tlv: Tlv, encoding: 'utf8' | 'latin1'): string {
  if (Buffer.isBuffer(buf)) return buf.toString(encoding, tlv.contentStart, tlv.end)
  return Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart).toString(encoding)
}

function decodeUtf16Be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length & ~1))
  swapped.swap16()
  return swapped.toString('utf16le')
}

function decodeUtf32Be(bytes: Buffer): string {
  let out = ''
  for (let i = 0; i + 4 <= bytes.length; i += 4) out += String.fromCodePoint(Math.min(bytes.readUInt32BE(i), 0x10ffff))
  return out
}

/** UTCTime or GeneralizedTime as an ISO 8601 UTC string. */
export function decodeTime(buf: Uint8Array, tlv: Tlv): string {
  const fast = tlv.tag === Tag.UtcTime && tlv.end - tlv.contentStart === 13 ? utcTimeWithSeconds(buf, tlv.contentStart) : null
  if (fast !== null) return fast
  const text = Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart).toString('latin1')
  let match: RegExpMatchArray | null
  let year: number
  if (tlv.tag === Tag.UtcTime) {
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
    if (!match) throw new DerError(`malformed UTCTime "${text}"`, tlv.start)
    const yy = Number(match[1])
    year = yy >= 50 ? 1900 + yy : 2000 + yy // RFC 5280 4.1.2.5.1
  } else if (tlv.tag === Tag.GeneralizedTime) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text)
    if (!match) throw new DerError(`malformed GeneralizedTime "${text}"`, tlv.start)
    year = Number(match[1])
  } else {
    throw new DerError(`expected a time but found tag 0x${hex2(tlv.tag)}`, tlv.start)
  }
  const [, , month, day, hour, minute, second = '00'] = match
  const ms = Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second))
  if (Number.isNaN(ms)) throw new DerError(`impossible date "${text}"`, tlv.start)
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/**
 * The usual UTCTime, YYMMDDHHMMSSZ, read without a regular expression (two per certificate, for every
 * certificate a scan checks); null when it is anything else, for the general path to read or refuse.
 */
function utcTimeWithSeconds(buf: Uint8Array, at: number): string | null {
  if (buf[at + 12] !== 0x5a) return null // 'Z'
  const n: number[] = []
  for (let i = 0; i < 12; i += 2) {
    const [hi, lo] = [buf[at + i]! - 0x30, buf[at + i + 1]! - 0x30]
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) return null
    n.push(hi * 10 + lo)
  }
  const [yy, month, day, hour, minute, second] = n as [number, number, number, number, number, number]
  const year = yy >= 50 ? 1900 + yy : 2000 + yy // RFC 5280 4.1.2.5.1
  const daysInMonth = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  // An out-of-range field (month 13, 31 April …) rolls over as Date.UTC rolls it: the general path does that.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null
  const two = (i: number) => String.fromCharCode(buf[at + i]!, buf[at + i + 1]!)
  return `${year}-${two(2)}-${two(4)}T${two(6)}:${two(8)}:${two(10)}Z`
}

/** The contents of an element as lower-case hex. */
export function contentHex(buf: Uint8Array, tlv: Tlv): string {
  return Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart).toString('hex')
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0')
}
