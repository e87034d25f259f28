import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseBinaryPlist, readPlist } from '../../../src/stores/shared/binary-plist.js'
import { PlistError } from '../../../src/stores/shared/plist.js'
import { CANNOT_WRITE_PLISTS, writePlist } from '../../support/plists.js'
import { tempDir } from '../../support/temp.js'

const VALUE = {
  CACertificates: ['MIIB', 'Ünïcødé ключ 🙂'],
  Nested: { permitted_dns_names: ['example.org'], n: -3, big: 2 ** 40, pi: 1.5, yes: true, no: false },
  Blob: { $data: Buffer.from([0, 1, 2, 255]).toString('base64') },
  Long: 'x'.repeat(300),
  Many: Array.from({ length: 20 }, (_, i) => i),
}
const EXPECTED = new Map<string, unknown>([
  ['CACertificates', ['MIIB', 'Ünïcødé ключ 🙂']],
  ['Nested', new Map<string, unknown>([['permitted_dns_names', ['example.org']], ['n', -3], ['big', 2 ** 40], ['pi', 1.5], ['yes', true], ['no', false]])],
  ['Blob', new Uint8Array([0, 1, 2, 255])],
  ['Long', 'x'.repeat(300)],
  ['Many', Array.from({ length: 20 }, (_, i) => i)],
])

describe.skipIf(CANNOT_WRITE_PLISTS !== null)(`binary property lists${CANNOT_WRITE_PLISTS ? ` (skipped: ${CANNOT_WRITE_PLISTS})` : ''}`, () => {
  const dir = tempDir()

  it('reads what plistlib writes, binary and XML alike', () => {
    const binary = readFileSync(writePlist(join(dir, 'v.plist'), VALUE, 'binary'))
    expect(binary.subarray(0, 8).toString()).toBe('bplist00')
    expect(readPlist(binary)).toEqual(EXPECTED)
    expect(readPlist(readFileSync(writePlist(join(dir, 'v.xml.plist'), VALUE, 'xml')))).toEqual(EXPECTED)
  })

  it('refuses a file cut short, a damaged trailer or offsets outside the file, with a PlistError', () => {
    const good = readFileSync(writePlist(join(dir, 'cut.plist'), VALUE, 'binary'))
    expect(() => parseBinaryPlist(good.subarray(0, good.length - 10))).toThrow(PlistError)
    expect(() => parseBinaryPlist(good.subarray(0, 20))).toThrow(PlistError)
    const badTrailer = Buffer.from(good)
    badTrailer.writeBigUInt64BE(2n ** 60n, badTrailer.length - 8) // the offset table "far away"
    expect(() => parseBinaryPlist(badTrailer)).toThrow(/offset table/)
    const badOffset = Buffer.from(good)
    const tableAt = Number(badOffset.readBigUInt64BE(badOffset.length - 8))
    badOffset[tableAt] = 0xff // the first object "after" the object area
    expect(() => parseBinaryPlist(badOffset)).toThrow(PlistError)
  })

  it('refuses a container that holds itself, instead of looping', () => {
    // bplist00 | object 0: an array of one reference, to object 0 | offset table | trailer
    const body = Buffer.from([0xa1, 0x00])
    const table = Buffer.from([8])
    const trailer = Buffer.alloc(32)
    trailer[6] = 1
    trailer[7] = 1
    trailer.writeBigUInt64BE(1n, 8)
    trailer.writeBigUInt64BE(0n, 16)
    trailer.writeBigUInt64BE(BigInt(8 + body.length), 24)
    const file = Buffer.concat([Buffer.from('bplist00'), body, table, trailer])
    writeFileSync(join(dir, 'loop.plist'), file)
    expect(() => readPlist(readFileSync(join(dir, 'loop.plist')))).toThrow(/holds itself/)
  })

  it('refuses XML nested deeper than any real property list, before the stack runs out', () => {
    const deep = `<?xml version="1.0"?><plist>${'<array>'.repeat(5000)}${'</array>'.repeat(5000)}</plist>`
    expect(() => readPlist(Buffer.from(deep))).toThrow(/nested more than/)
  })
})
