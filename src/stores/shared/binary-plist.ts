/**
 * A reader of binary property lists (`bplist00`), the format macOS keeps preference files in: the
 * managed preferences an MDM profile writes (/Library/Managed Preferences/…), and ~/Library/Preferences.
 * Values come out as the XML reader's (plist.ts) do, so callers read both alike; {@link readPlist}
 * takes either. Every offset and count is checked against the file: a damaged or hostile file is a
 * {@link PlistError}, never a read past its end, a loop or a stack overflow.
 * Format: CFBinaryPList.c in Apple's CoreFoundation,
 * https://github.com/apple-oss-distributions/CF/blob/main/CFBinaryPList.c (the comment at its top).
 */
import { MAX_PLIST_DEPTH, parsePlist, PlistError, type PlistValue } from './plist.js'

const MAGIC = 'bplist0'
const TRAILER_BYTES = 32
/** Apple's own limit on the objects of one binary plist is far larger; no preference file comes near this. */
const MAX_OBJECTS = 1_000_000

/** A property list in either format: binary (`bplist00`) or XML. */
export function readPlist(bytes: Uint8Array): PlistValue {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.subarray(0, MAGIC.length).toString('latin1') === MAGIC) return parseBinaryPlist(buffer)
  return parsePlist(buffer.toString('utf8'))
}

/** Parses a `bplist00` document and returns its top object. */
export function parseBinaryPlist(buffer: Buffer): PlistValue {
  if (buffer.length < 8 + TRAILER_BYTES || buffer.subarray(0, 8).toString('latin1') !== 'bplist00') throw new PlistError('not a binary property list (no bplist00 header, or too short)')
  const trailer = buffer.subarray(buffer.length - TRAILER_BYTES)
  const offsetSize = trailer[6]!
  const refSize = trailer[7]!
  const count = bigToNumber(trailer.readBigUInt64BE(8), 'object count')
  const top = bigToNumber(trailer.readBigUInt64BE(16), 'top object')
  const tableAt = bigToNumber(trailer.readBigUInt64BE(24), 'offset table')
  const objectsEnd = buffer.length - TRAILER_BYTES
  if (![1, 2, 4, 8].includes(offsetSize) || ![1, 2, 4, 8].includes(refSize)) throw new PlistError('the trailer gives impossible integer sizes')
  if (count === 0 || count > MAX_OBJECTS || top >= count) throw new PlistError('the trailer gives an impossible object count')
  if (tableAt < 8 || tableAt + count * offsetSize > objectsEnd) throw new PlistError('the offset table lies outside the file (it may have been cut short)')

  const uint = (at: number, size: number, what: string): number => {
    if (at < 0 || at + size > objectsEnd) throw new PlistError(`${what} lies outside the file`)
    return size === 8 ? bigToNumber(buffer.readBigUInt64BE(at), what) : buffer.readUIntBE(at, size)
  }
  const offsetOf = (ref: number): number => {
    if (ref >= count) throw new PlistError(`object reference ${ref} is out of range`)
    const at = uint(tableAt + ref * offsetSize, offsetSize, 'an offset')
    if (at < 8 || at >= tableAt) throw new PlistError(`object ${ref} lies outside the object area`)
    return at
  }
  /** The length of a data, string, array or dict object: in its marker, or an integer object after it. */
  const lengthAt = (at: number, low: number): { length: number; start: number } => {
    if (low !== 0x0f) return { length: low, start: at + 1 }
    const marker = uint(at + 1, 1, 'a length')
    if (marker >> 4 !== 0x1) throw new PlistError('a length is not an integer')
    const size = 1 << (marker & 0x0f)
    if (size > 8) throw new PlistError('a length is too large')
    return { length: uint(at + 2, size, 'a length'), start: at + 2 + size }
  }
  const within = (start: number, bytes: number, what: string) => {
    if (bytes < 0 || start + bytes > objectsEnd) throw new PlistError(`${what} runs past the end of the object area`)
  }
  // Objects referenced from several places are parsed once; `open` catches a container that holds itself.
  const done = new Map<number, PlistValue>()
  const open = new Set<number>()
  const value = (ref: number, depth: number): PlistValue => {
    const known = done.get(ref)
    if (known !== undefined) return known
    if (open.has(ref) || depth > MAX_PLIST_DEPTH) throw new PlistError(open.has(ref) ? 'a container holds itself (a reference loop)' : `values are nested more than ${MAX_PLIST_DEPTH} deep`)
    const at = offsetOf(ref)
    const marker = uint(at, 1, 'an object')
    const high = marker >> 4
    const low = marker & 0x0f
    let result: PlistValue
    switch (high) {
      case 0x0:
        if (low !== 0x08 && low !== 0x09) throw new PlistError(`unsupported object 0x${marker.toString(16)} (null or fill)`)
        result = low === 0x09
        break
      case 0x1: {
        const size = 1 << low
        if (size > 16) throw new PlistError('an integer is too large')
        within(at + 1, size, 'an integer')
        // 8-byte integers are signed; 16-byte ones hold a 64-bit value in their low half.
        const big = size >= 8 ? buffer.readBigInt64BE(at + 1 + size - 8) : BigInt(buffer.readUIntBE(at + 1, size))
        result = Number(big)
        break
      }
      case 0x2: {
        if (low !== 2 && low !== 3) throw new PlistError('a real is neither 4 nor 8 bytes')
        within(at + 1, 1 << low, 'a real')
        result = low === 2 ? buffer.readFloatBE(at + 1) : buffer.readDoubleBE(at + 1)
        break
      }
      case 0x3: {
        if (marker !== 0x33) throw new PlistError('a date is not 8 bytes')
        within(at + 1, 8, 'a date')
        // Seconds since 2001-01-01T00:00:00Z (CFAbsoluteTime); one beyond what a Date holds is kept as the number.
        const seconds = buffer.readDoubleBE(at + 1)
        const date = new Date(Date.UTC(2001, 0, 1) + seconds * 1000)
        result = { date: Number.isNaN(date.getTime()) ? `${seconds} s after 2001-01-01T00:00:00Z` : date.toISOString() }
        break
      }
      case 0x4: {
        const { length, start } = lengthAt(at, low)
        within(start, length, 'a data object')
        result = new Uint8Array(buffer.subarray(start, start + length))
        break
      }
      case 0x5:
      case 0x6: {
        const { length, start } = lengthAt(at, low)
        const bytes = high === 0x5 ? length : length * 2
        within(start, bytes, 'a string')
        const raw = buffer.subarray(start, start + bytes)
        result = high === 0x5 ? raw.toString('latin1') : Buffer.from(raw).swap16().toString('utf16le')
        break
      }
      case 0xa:
      case 0xd: {
        const { length, start } = lengthAt(at, low)
        const refs = high === 0xa ? length : length * 2
        within(start, refs * refSize, high === 0xa ? 'an array' : 'a dictionary')
        const refAt = (i: number) => uint(start + i * refSize, refSize, 'a reference')
        open.add(ref)
        if (high === 0xa) {
          result = Array.from({ length }, (_, i) => value(refAt(i), depth + 1))
        } else {
          const entries = new Map<string, PlistValue>()
          for (let i = 0; i < length; i++) {
            const key = value(refAt(i), depth + 1)
            if (typeof key !== 'string') throw new PlistError('a dictionary key is not a string')
            if (entries.has(key)) throw new PlistError(`a dictionary has the key "${key}" twice`)
            entries.set(key, value(refAt(length + i), depth + 1))
          }
          result = entries
        }
        open.delete(ref)
        break
      }
      default:
        throw new PlistError(`unsupported object type 0x${marker.toString(16)}`)
    }
    done.set(ref, result)
    return result
  }
  return value(top, 0)
}

function bigToNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PlistError(`the ${what} is out of range`)
  return Number(value)
}
