/**
 * The trust settings of one row of Chromium's ServerCertificate database: a serialized protobuf
 * `CertificateMetadata` (components/server_certificate_database/server_certificate_database.proto,
 * https://source.chromium.org/chromium/chromium/src/+/main:components/server_certificate_database/server_certificate_database.proto):
 *
 *   CertificateMetadata { optional CertificateTrust trust = 1; optional Constraints constraints = 2; }
 *   CertificateTrust    { optional CertificateTrustType trust_type = 1; }   UNKNOWN 0, UNSPECIFIED 1, DISTRUSTED 2, TRUSTED 3
 *   Constraints         { repeated string dns_names = 1; repeated CIDR CIDRs = 3; reserved 2; }
 *   CIDR                { bytes ip = 1; uint32 prefix_length = 2; }
 *
 * Field 2 of Constraints held the CIDRs as strings ("10.0.0.0/8") in the first releases; it is read
 * for what it says and kept like any other field.
 *
 * A reader for exactly these messages and one writer (set the trust), no dependency. It follows the
 * wire format (https://protobuf.dev/programming-guides/encoding/) the way the C++ parser Chromium
 * uses does: the last value of a field wins, repeated message fields merge, a known field with
 * another wire type is an unknown field, and unknown fields (groups too) are skipped on reading and
 * kept byte for byte on writing. Undo never re-encodes: it writes the backed-up bytes back.
 */

/** CertificateTrust.CertificateTrustType. */
export const TrustType = { UNKNOWN: 0, UNSPECIFIED: 1, DISTRUSTED: 2, TRUSTED: 3 } as const

const VARINT = 0
const I64 = 1
const LEN = 2
const START_GROUP = 3
const END_GROUP = 4
const I32 = 5
/** The C++ parser's limit on nested groups and messages. */
const MAX_DEPTH = 100

/** Bytes that are not a serialized message (Chromium's ParseFromString fails on them too). */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtobufError'
  }
}

/** One field as it is on the wire: its number, wire type, and where its bytes are. */
interface WireField {
  readonly number: number
  readonly wire: number
  /** The whole field, tag included: what is copied when the field is kept as it is. */
  readonly start: number
  readonly end: number
  /** A LEN field's payload, a VARINT field's value. */
  readonly payload?: Uint8Array
  readonly value?: bigint
}

/** What a row's trust settings say. */
export interface CertificateMetadata {
  /** CertificateTrust.trust_type as stored (an unknown number stays that number); UNKNOWN when absent. */
  readonly trustType: number
  /** Names the browser limits the certificate to: DNS names, then CIDRs. Empty: not limited. */
  readonly constraints: readonly string[]
}

/** Parses a CertificateMetadata. Throws {@link ProtobufError} on bytes that are not one. */
export function parseMetadata(bytes: Uint8Array): CertificateMetadata {
  let trustType: number = TrustType.UNKNOWN
  const dnsNames: string[] = []
  const cidrs: string[] = []
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.wire === LEN) {
      for (const inner of fields(field.payload!)) if (inner.number === 1 && inner.wire === VARINT) trustType = int32(inner.value!)
    } else if (field.number === 2 && field.wire === LEN) {
      for (const inner of fields(field.payload!)) {
        if (inner.number === 1 && inner.wire === LEN) dnsNames.push(text(inner.payload!))
        else if (inner.number === 2 && inner.wire === LEN) cidrs.push(text(inner.payload!))
        else if (inner.number === 3 && inner.wire === LEN) cidrs.push(cidr(inner.payload!))
      }
    }
  }
  return { trustType, constraints: [...dnsNames, ...cidrs] }
}

/**
 * The same trust settings with CertificateTrust.trust_type set to `trustType`: every other field,
 * known or not, keeps its bytes and order; the trust field takes the place of the first one (or
 * comes first, as Chromium's serializer writes it, when there was none).
 */
export function withTrustType(bytes: Uint8Array, trustType: number): Uint8Array {
  const top = fields(bytes)
  const keptInTrust: Uint8Array[] = []
  for (const field of top) {
    if (field.number !== 1 || field.wire !== LEN) continue
    for (const inner of fields(field.payload!)) if (!(inner.number === 1 && inner.wire === VARINT)) keptInTrust.push(field.payload!.subarray(inner.start, inner.end))
  }
  const trust = concat([...keptInTrust, Uint8Array.of(tag(1, VARINT)), varint(BigInt(trustType))])
  const trustField = concat([Uint8Array.of(tag(1, LEN)), varint(BigInt(trust.length)), trust])
  const parts: Uint8Array[] = []
  let placed = false
  for (const field of top) {
    if (field.number === 1 && field.wire === LEN) {
      if (!placed) parts.push(trustField)
      placed = true
    } else {
      parts.push(bytes.subarray(field.start, field.end))
    }
  }
  const result = concat(placed ? parts : [trustField, ...parts])
  if (parseMetadata(result).trustType !== trustType) throw new ProtobufError('the new trust settings do not read back as written')
  return result
}

/** The top-level fields of a message. */
function fields(bytes: Uint8Array): WireField[] {
  const found: WireField[] = []
  for (let pos = 0; pos < bytes.length; ) {
    const field = readField(bytes, pos, 0)
    found.push(field)
    pos = field.end
  }
  return found
}

/**
 * The field that starts at `pos`. A group (wire type 3) is read to its end tag, its fields skipped;
 * an end tag with no group open, and wire types 6 and 7, are not a message.
 */
function readField(bytes: Uint8Array, start: number, depth: number): WireField {
  if (depth > MAX_DEPTH) throw new ProtobufError('groups are nested too deeply')
  const [key, afterKey] = readVarint(bytes, start)
  const number = Number(key >> 3n)
  const wire = Number(key & 7n)
  if (number === 0 || key > 0xffffffffn) throw new ProtobufError(`the field at byte ${start} has an invalid number`)
  switch (wire) {
    case VARINT: {
      const [value, end] = readVarint(bytes, afterKey)
      return { number, wire, start, end, value }
    }
    case I64:
    case I32: {
      const end = afterKey + (wire === I64 ? 8 : 4)
      if (end > bytes.length) throw new ProtobufError(`the field at byte ${start} is cut short`)
      return { number, wire, start, end }
    }
    case LEN: {
      const [length, from] = readVarint(bytes, afterKey)
      if (length > BigInt(bytes.length - from)) throw new ProtobufError(`the field at byte ${start} is longer than the message`)
      const end = from + Number(length)
      return { number, wire, start, end, payload: bytes.subarray(from, end) }
    }
    case START_GROUP: {
      for (let pos = afterKey; ; ) {
        if (pos >= bytes.length) throw new ProtobufError(`the group at byte ${start} has no end`)
        const [inner, afterInner] = readVarint(bytes, pos)
        if (Number(inner & 7n) === END_GROUP) {
          if (inner >> 3n !== BigInt(number)) throw new ProtobufError(`the group at byte ${start} ends with another group's end`)
          return { number, wire, start, end: afterInner }
        }
        pos = readField(bytes, pos, depth + 1).end
      }
    }
    default:
      throw new ProtobufError(`byte ${start} starts a field of wire type ${wire}, which cannot be there`)
  }
}

/** A varint: at most 10 bytes, the bits past 64 dropped (as the C++ parser does). */
function readVarint(bytes: Uint8Array, pos: number): [bigint, number] {
  let value = 0n
  for (let i = 0; i < 10; i++) {
    if (pos + i >= bytes.length) throw new ProtobufError(`a number at byte ${pos} is cut short`)
    const byte = bytes[pos + i]!
    value |= BigInt(byte & 0x7f) << BigInt(7 * i)
    if ((byte & 0x80) === 0) return [BigInt.asUintN(64, value), pos + i + 1]
  }
  throw new ProtobufError(`a number at byte ${pos} is longer than 10 bytes`)
}

function varint(value: bigint): Uint8Array {
  const out: number[] = []
  let rest = BigInt.asUintN(64, value)
  do {
    const low = Number(rest & 0x7fn)
    rest >>= 7n
    out.push(rest > 0n ? low | 0x80 : low)
  } while (rest > 0n)
  return Uint8Array.from(out)
}

function tag(number: number, wire: number): number {
  return (number << 3) | wire
}

/** An enum is an int32 on the wire: the low 32 bits, signed. */
function int32(value: bigint): number {
  return Number(BigInt.asIntN(32, value))
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}

/** A CIDR message as people write it: "10.0.0.0/8", "2001:db8::/32". */
function cidr(bytes: Uint8Array): string {
  let ip: Uint8Array = new Uint8Array(0)
  let prefix: bigint | null = null
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.wire === LEN) ip = field.payload!
    else if (field.number === 2 && field.wire === VARINT) prefix = BigInt.asUintN(32, field.value!)
  }
  const address =
    ip.length === 4
      ? [...ip].join('.')
      : ip.length === 16
        ? Array.from({ length: 8 }, (_, i) => ((ip[2 * i]! << 8) | ip[2 * i + 1]!).toString(16)).join(':')
        : `0x${Buffer.from(ip).toString('hex')}`
  return prefix === null ? address : `${address}/${prefix}`
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts)
}
