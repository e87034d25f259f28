/**
 * The trust settings reader and writer (src/stores/chromium/protobuf.ts) against bytes written by
 * hand from the wire format and by protoc, the protobuf compiler (the C++ encoder Chromium uses):
 * what they say, what the writer keeps, and bytes that are not a message.
 */
import { describe, expect, it } from 'vitest'
import { parseMetadata, ProtobufError, TrustType, withTrustType } from '../../../src/stores/chromium/protobuf.js'
import { tempDir } from '../../support/temp.js'
import { DISTRUSTED, haveProtoc, metadata, PROTOC_ABSENT_REASON, protoc, TRUSTED, UNSPECIFIED } from './fixtures.js'

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('CertificateMetadata', () => {
  it('reads the trust and the name constraints', () => {
    expect(parseMetadata(metadata(TRUSTED))).toEqual({ trustType: TrustType.TRUSTED, constraints: [] })
    expect(parseMetadata(metadata(DISTRUSTED))).toEqual({ trustType: TrustType.DISTRUSTED, constraints: [] })
    expect(parseMetadata(metadata(UNSPECIFIED))).toEqual({ trustType: TrustType.UNSPECIFIED, constraints: [] })
    expect(parseMetadata(metadata(TRUSTED, { dns: ['example.kz', '*.corp.example'], cidrs: [[[10, 0, 0, 0], 8], [[0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(12).fill(0)], 32]] }))).toEqual({
      trustType: TrustType.TRUSTED,
      constraints: ['example.kz', '*.corp.example', '10.0.0.0/8', '2001:db8:0:0:0:0:0:0/32'],
    })
  })

  it('reads absent trust as UNKNOWN, and an empty message too', () => {
    expect(parseMetadata(new Uint8Array(0)).trustType).toBe(TrustType.UNKNOWN)
    expect(parseMetadata(metadata(null, { dns: ['a.example'] }))).toEqual({ trustType: TrustType.UNKNOWN, constraints: ['a.example'] })
  })

  it('follows the C++ parser: the last value wins, a field of another wire type is unknown, unknown fields and groups are skipped', () => {
    // trust { trust_type: TRUSTED } trust { trust_type: DISTRUSTED }: messages merge, the last value wins.
    expect(parseMetadata(bytes(0x0a, 0x02, 0x08, 0x03, 0x0a, 0x02, 0x08, 0x02)).trustType).toBe(TrustType.DISTRUSTED)
    // trust { trust_type: TRUSTED, trust_type as a fixed32 (unknown) }
    expect(parseMetadata(bytes(0x0a, 0x07, 0x08, 0x03, 0x0d, 0x02, 0, 0, 0)).trustType).toBe(TrustType.TRUSTED)
    // field 9 (varint), field 10 (fixed64), a group 11 holding a varint, then trust.
    expect(parseMetadata(bytes(0x48, 0x01, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5b, 0x08, 0x01, 0x5c, 0x0a, 0x02, 0x08, 0x03)).trustType).toBe(TrustType.TRUSTED)
    // An enum value the browser does not know stays that number (an open enum).
    expect(parseMetadata(bytes(0x0a, 0x02, 0x08, 0x07)).trustType).toBe(7)
    // A negative int32 is ten bytes on the wire.
    expect(parseMetadata(bytes(0x0a, 0x0b, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).trustType).toBe(-1)
  })

  it('refuses bytes that are not a message, as Chromium does (it then skips the row)', () => {
    for (const bad of [
      bytes(0x0a, 0x05, 0x08, 0x03), // longer than the message
      bytes(0x0a), // cut short
      bytes(0x00, 0x01), // field number 0
      bytes(0x0f, 0x01), // wire type 7
      bytes(0x0c), // end of a group that was never opened
      bytes(0x0b, 0x08, 0x01), // a group with no end
      bytes(0x0b, 0x14), // a group ended by another group's end
      bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // an 11-byte varint
      Uint8Array.from({ length: 300 }, (_, i) => (i < 150 ? 0x0b : 0x0c)), // groups nested far past the parser's limit (100)
    ]) {
      expect(() => parseMetadata(bad), Buffer.from(bad).toString('hex')).toThrow(ProtobufError)
    }
  })

  it('sets the trust keeping every other field byte for byte, in place', () => {
    const unknownTop = [0x48, 0x01] // field 9
    const unknownInTrust = [0x10, 0x05] // CertificateTrust field 2
    const constraints = [...metadata(null, { dns: ['example.kz'] })]
    const original = bytes(...unknownTop, 0x0a, 0x04, 0x08, 0x03, ...unknownInTrust, ...constraints)
    const distrusted = withTrustType(original, TrustType.DISTRUSTED)
    expect(Buffer.from(distrusted).toString('hex')).toBe(Buffer.from([...unknownTop, 0x0a, 0x04, ...unknownInTrust, 0x08, 0x02, ...constraints]).toString('hex'))
    expect(parseMetadata(distrusted)).toEqual({ trustType: TrustType.DISTRUSTED, constraints: ['example.kz'] })
    // Without a trust field, it comes first, as the serializer writes field 1.
    expect([...withTrustType(Uint8Array.from(constraints), TrustType.DISTRUSTED)]).toEqual([0x0a, 0x02, 0x08, 0x02, ...constraints])
    // Two trust fields become one.
    expect([...withTrustType(bytes(0x0a, 0x02, 0x08, 0x03, 0x0a, 0x02, 0x08, 0x03), TrustType.DISTRUSTED)]).toEqual([0x0a, 0x02, 0x08, 0x02])
  })

  it.skipIf(!haveProtoc)('agrees with protoc, the official encoder and decoder', () => {
    const dir = tempDir()
    const encoded = protoc(dir, 'encode', 'trust { trust_type: TRUSTED } constraints { dns_names: "example.kz" cidrs { ip: "\\n\\000\\000\\000" prefix_length: 8 } }')
    expect(Buffer.from(encoded).equals(metadata(TRUSTED, { dns: ['example.kz'], cidrs: [[[10, 0, 0, 0], 8]] }))).toBe(true)
    expect(parseMetadata(encoded)).toEqual({ trustType: TrustType.TRUSTED, constraints: ['example.kz', '10.0.0.0/8'] })
    // What the writer makes decodes, with protoc, as DISTRUSTED with the rest kept (unknown fields included).
    const withUnknown = Buffer.concat([encoded, Buffer.from([0x48, 0x2a])])
    const decoded = protoc(dir, 'decode', withTrustType(withUnknown, TrustType.DISTRUSTED)).toString()
    expect(decoded).toContain('trust_type: DISTRUSTED')
    expect(decoded).toContain('dns_names: "example.kz"')
    expect(decoded).toContain('prefix_length: 8')
    expect(decoded).toContain('9: 42')
  })

  if (!haveProtoc) it.skip(`compares with protoc (skipped: ${PROTOC_ABSENT_REASON})`, () => {})
})
