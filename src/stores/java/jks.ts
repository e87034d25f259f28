// JKS and JCEKS: a big-endian java.io.DataOutputStream stream (the JDK's sun.security.provider.JavaKeyStore
// and com.sun.crypto.provider.JceKeyStore): magic u4, version u4 (1 or 2), count u4; per entry a tag u4,
// alias UTF, date u8, then 1 = private key (u4 length + key, u4 chain length, certificates),
// 2 = trusted certificate (one certificate), 3 = secret key (JCEKS: a serialized object, no length);
// a certificate is (version 2 only) a type UTF, then u4 length + DER. At the end:
// SHA-1(password as UTF-16BE + "Mighty Aphrodite" + everything before it).

import { createHash } from 'node:crypto'
import { damaged, integrityProblem } from './keystore-errors.js'
import { StoreError, type ListItem, type TrustState } from '../types.js'

/** A structural error inside a keystore; the reader turns it into a message that names the file. */
class FormatError extends Error {}

class ByteReader {
  offset = 0
  constructor(readonly bytes: Buffer) {}

  take(length: number, what: string): Buffer {
    const left = this.bytes.length - this.offset
    if (length > left) throw new FormatError(`${what} claims ${length} bytes but the file ends ${left} bytes later`)
    this.offset += length
    return this.bytes.subarray(this.offset - length, this.offset)
  }
  u8 = (what = 'a byte') => this.take(1, what)[0]!
  u16 = (what = 'a number') => this.take(2, what).readUInt16BE(0)
  u32 = (what = 'a number') => this.take(4, what).readUInt32BE(0)
  /** DataOutputStream.writeUTF: u2 length, then "modified UTF-8" (NUL as C0 80, astral characters as two 3-byte surrogates). */
  utf(what = 'a text'): string {
    const bytes = this.take(this.u16(what), what)
    let text = ''
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i++]!
      const next = () => (bytes[i++] ?? 0) & 0x3f
      if (b < 0x80) text += String.fromCharCode(b)
      else if ((b & 0xe0) === 0xc0) text += String.fromCharCode(((b & 0x1f) << 6) | next())
      else text += String.fromCharCode(((b & 0x0f) << 12) | (next() << 6) | next())
    }
    return text
  }
}

/**
 * Reads a JKS or JCEKS keystore (its magic number already checked by `readKeystore`), yielding each
 * certificate with its alias and trust. Throws {@link StoreError} when the file is damaged or of an
 * unknown version; an integrity check that does not match `password` becomes a problem item.
 */
export function* readJks(bytes: Buffer, path: string, password: string, format: 'JKS' | 'JCEKS'): Generator<ListItem> {
  const reader = new ByteReader(bytes)
  let [entry, count, alias] = [0, 0, '']
  try {
    reader.u32() // the magic number, already checked
    const version = reader.u32('the version')
    if (version !== 1 && version !== 2) throw new StoreError('unsupported-keystore', `${path} is a ${format} keystore of version ${version}; only versions 1 and 2 exist.`)
    count = reader.u32('the entry count')
    const certificate = (trust: TrustState): ListItem => {
      const type = version === 2 ? reader.utf('the certificate type') : 'X.509'
      const der = reader.take(reader.u32('the certificate length'), 'a certificate')
      if (type === 'X.509') return { type: 'entry', der, entry: alias, trust }
      return { type: 'problem', code: 'not-x509', path, message: `${path}: entry "${alias}" holds a ${type} certificate, not X.509; it was skipped.` }
    }
    for (entry = 1; entry <= count; entry++) {
      alias = ''
      const tag = reader.u32('the entry type')
      alias = reader.utf('the alias')
      reader.take(8, 'the creation date')
      if (tag === 1) {
        // A private key entry: its chain identifies this machine or service; Java does not use it as a trust anchor.
        reader.take(reader.u32('the private key length'), 'the private key')
        for (let i = reader.u32('the chain length'); i > 0; i--) yield certificate('not-trusted')
      } else if (tag === 2) yield certificate('trusted')
      else if (tag === 3 && format === 'JCEKS') skipJavaObject(reader)
      else throw new FormatError(`the entry type ${tag} is unknown`)
    }
    entry = 0
    const digest = reader.take(20, 'the integrity check')
    const expected = createHash('sha1').update(Buffer.from(password, 'utf16le').swap16()).update('Mighty Aphrodite').update(bytes.subarray(0, reader.offset - 20)).digest()
    // The certificates of a JKS keystore are not encrypted, and Java itself loads a trust store without
    // this check when no password is configured. A store under another password can hold an
    // interception root too, so it is listed, with a problem saying its integrity is unverified.
    if (!expected.equals(digest)) {
      yield integrityProblem(path, "its integrity check does not match the default password 'changeit' (another password protects it, or it was changed or damaged after it was saved)")
    }
  } catch (error) {
    if (!(error instanceof FormatError)) throw error
    throw damaged(path, format, `${error.message}${entry === 0 ? '' : ` in entry ${entry} of ${count}${alias ? ` ("${alias}")` : ''}`}`)
  }
}

interface ClassDesc {
  readonly name: string
  readonly fields: string[]
  flags: number
  superDesc: ClassDesc | null
}
const PRIMITIVE_SIZE: Readonly<Record<string, number>> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 }

/**
 * Skips the serialized SealedObject of a JCEKS secret key, which has no length in front, so the entries
 * after it are read too. Follows the part of the Java serialization protocol
 * (docs.oracle.com/javase/8/docs/platform/serialization/spec/protocol.html) that such objects use:
 * class descriptors, objects, strings, arrays, references and block data.
 */
function skipJavaObject(reader: ByteReader): void {
  if (reader.u32('a serialized secret key') !== 0xaced0005) throw new FormatError('a secret key is not in Java serialization format')
  const handles: (ClassDesc | null)[] = []
  const annotation = (depth: number) => {
    while (reader.bytes[reader.offset] !== 0x78 /* TC_ENDBLOCKDATA */) element(depth + 1)
    reader.offset++
  }
  const element = (depth: number): ClassDesc | null => {
    if (depth > 64) throw new FormatError('a serialized secret key is nested too deeply')
    const code = reader.u8('a serialized secret key')
    switch (code) {
      case 0x70: // TC_NULL
        return null
      case 0x71: {
        // TC_REFERENCE
        const handle = reader.u32() - 0x7e0000
        if (handle < 0 || handle >= handles.length) throw new FormatError('a serialized secret key refers to an unknown object')
        return handles[handle]!
      }
      case 0x72: {
        // TC_CLASSDESC: name, serialVersionUID, flags, fields (object fields name their class), annotation, superclass
        const desc: ClassDesc = { name: reader.utf(), fields: [], flags: 0, superDesc: null }
        reader.take(8, 'a serialVersionUID')
        handles.push(desc)
        desc.flags = reader.u8()
        for (let n = reader.u16(); n > 0; n--) {
          desc.fields.push(String.fromCharCode(reader.u8()))
          reader.utf()
          if (!PRIMITIVE_SIZE[desc.fields.at(-1)!]) element(depth + 1)
        }
        annotation(depth)
        desc.superDesc = element(depth + 1)
        return desc
      }
      case 0x73: {
        // TC_OBJECT: class, then each class's fields from the top superclass down
        const chain: ClassDesc[] = []
        for (let d = element(depth + 1); d; d = d.superDesc) if (chain.unshift(d) > 64) throw new FormatError('a serialized class chain loops')
        handles.push(null)
        for (const d of chain) {
          if (d.flags & 0x04 /* SC_EXTERNALIZABLE */) throw new FormatError(`a secret key uses the externalizable class ${d.name}`)
          for (const type of d.fields) {
            if (PRIMITIVE_SIZE[type]) reader.take(PRIMITIVE_SIZE[type], 'a field')
            else element(depth + 1)
          }
          if (d.flags & 0x01 /* SC_WRITE_METHOD */) annotation(depth)
        }
        return null
      }
      case 0x74: // TC_STRING
        handles.push(null)
        reader.utf()
        return null
      case 0x75: {
        // TC_ARRAY: class, length, elements
        const size = PRIMITIVE_SIZE[element(depth + 1)?.name[1] ?? '']
        handles.push(null)
        const length = reader.u32()
        if (size) reader.take(length * size, 'an array')
        else for (let i = 0; i < length; i++) element(depth + 1)
        return null
      }
      case 0x77: // TC_BLOCKDATA
        reader.take(reader.u8(), 'block data')
        return null
      case 0x7a: // TC_BLOCKDATALONG
        reader.take(reader.u32(), 'block data')
        return null
      default:
        throw new FormatError(`a serialized secret key holds the code 0x${code.toString(16)}, which CertAudit does not read`)
    }
  }
  element(0)
}
