// PKCS #12 (RFC 7292) as the JDK writes it: PFX { version 3, authSafe ContentInfo(data), MacData? }; the
// authenticated safe holds ContentInfos of SafeBags, plain (data) or password-encrypted (encryptedData).
// JDK 12+ encrypts certificates with PBES2/AES-256 and MACs with HMAC-SHA-256; JDK 8 and 11 (and
// -J-Dkeystore.pkcs12.legacy) use PBEWithSHA1AndRC2_40 and HMAC-SHA-1; the password-less cacerts of
// JDK 18+ has neither. We walk the DER ourselves, not through node-forge's pkcs12 module, because we
// need each certificate's exact bytes (its SHA-256 is its identity) and forge parses only RSA certificates.

import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto'
import { createRequire } from 'node:module'
import type Forge from 'node-forge'
import { children, decodeOid, decodeString, DerError, readTlv, Tag, type Tlv } from '../../audit/der.js'
import { damaged, integrityProblem } from './keystore-errors.js'
import { StoreError, type ListItem } from '../types.js'

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  /** Oracle's "trusted key usage": the JDK marks its trusted certificate entries with it. */
  trustedKeyUsage: '2.16.840.1.113894.746875.1.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const

/** A hash with its output (u) and block (v) sizes, for the PKCS #12 key derivation. */
type Hash = { readonly name: string; readonly u: number; readonly v: number }
const SHA1: Hash = { name: 'sha1', u: 20, v: 64 }
const MAC_HASHES: Readonly<Record<string, Hash>> = {
  '1.3.14.3.2.26': SHA1,
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', u: 28, v: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', u: 32, v: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', u: 48, v: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', u: 64, v: 128 },
}
const PBKDF2_PRFS: Readonly<Record<string, string>> = { '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.8': 'sha224', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512' }
type Cipher = { readonly name: string; readonly keyLength: number }
const PBES2_CIPHERS: Readonly<Record<string, Cipher>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
}
/** PKCS #12 PBE (RFC 7292 appendix C). RC2 is not in OpenSSL 3's default provider, so forge does it. */
const PKCS12_PBES: Readonly<Record<string, Cipher>> = {
  '1.2.840.113549.1.12.1.3': { name: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { name: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { name: 'rc2', keyLength: 16 },
  '1.2.840.113549.1.12.1.6': { name: 'rc2', keyLength: 5 },
}
/** The JDK refuses more iterations than this (PKCS12KeyStore.MAX_ITERATION_COUNT): it bounds the work a hostile file can ask for. */
const MAX_ITERATIONS = 5_000_000
/**
 * Rounds of password hashing CertAudit does for one keystore, all parts together. keytool writes
 * 10,000 for the MAC and 10,000 for the certificates (50,000 and 100,000 in JDK 8's time), OpenSSL
 * 2,048; the JDK's own limit, 5,000,000 a part, took 7 seconds a file here, which is what a hostile
 * file would ask for. A part past the budget is reported, not read.
 */
const ITERATION_BUDGET = 600_000

class UnsupportedAlgorithm extends Error {}
/** A part asks for more password hashing than {@link ITERATION_BUDGET} has left. */
class TooCostly extends UnsupportedAlgorithm {}

/** What is left of {@link ITERATION_BUDGET} while one keystore is read. */
interface Work {
  left: number
}

/** The password hashing asked for by one part, taken from the budget (or refused past it). */
function spend(work: Work, rounds: number, times: number): number {
  if (rounds * times > work.left) {
    throw new TooCostly(`${rounds.toLocaleString('en-US')} rounds of password hashing (CertAudit does at most ${ITERATION_BUDGET.toLocaleString('en-US')} for one keystore)`)
  }
  work.left -= rounds * times
  return rounds
}

/** The children of an element whose tag is checked. */
function parts(buf: Uint8Array, tlv: Tlv | undefined, what: string, tag: number = Tag.Sequence): Tlv[] {
  if (tlv?.tag !== tag) throw new DerError(`${what} is ${tlv ? `of the wrong type (tag 0x${tlv.tag.toString(16)})` : 'missing'}`, tlv?.start ?? 0)
  return children(buf, tlv)
}
function oidOf(buf: Uint8Array, tlv: Tlv | undefined, what: string): string {
  if (tlv?.tag !== Tag.Oid) throw new DerError(`${what} has no identifier`, tlv?.start ?? 0)
  return decodeOid(buf, tlv)
}
/** An OCTET STRING's contents; a constructed (BER) one is joined from its pieces. */
function octets(buf: Uint8Array, tlv: Tlv | undefined, what: string): Buffer {
  if (!tlv) throw new DerError(`${what} is missing`, 0)
  if (tlv.tag & 0x20) return Buffer.concat(children(buf, tlv).map((piece) => octets(buf, piece, what)))
  return Buffer.from(buf.buffer, buf.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart)
}
function smallInteger(buf: Uint8Array, tlv: Tlv | undefined, what: string): number {
  if (tlv?.tag !== Tag.Integer || tlv.end - tlv.contentStart > 4) throw new DerError(`${what} is not a small integer`, tlv?.start ?? 0)
  let value = 0
  for (let i = tlv.contentStart; i < tlv.end; i++) value = value * 256 + buf[i]!
  return value
}
function iterationCount(buf: Uint8Array, tlv: Tlv | undefined): number {
  const count = tlv ? smallInteger(buf, tlv, 'the iteration count') : 1
  if (count < 1 || count > MAX_ITERATIONS) throw new UnsupportedAlgorithm(`an iteration count of ${count}`)
  return count
}

/** RFC 7292 appendix B.2: derives key (id 1), IV (2) or MAC key (3) bytes from a password. */
function pkcs12Kdf(hash: Hash, password: string, salt: Uint8Array, rounds: number, id: 1 | 2 | 3, length: number): Buffer {
  const repeat = (source: Uint8Array, size: number) => Buffer.from(Array.from({ length: size }, (_, i) => source[i % source.length]!))
  const fill = (source: Uint8Array) => repeat(source, hash.v * Math.ceil(source.length / hash.v))
  const input = Buffer.concat([fill(salt), fill(Buffer.from(password + '\0', 'utf16le').swap16())]) // a BMPString ending in NUL
  const out: Buffer[] = []
  for (let produced = 0; produced < length; produced += hash.u) {
    let a = createHash(hash.name).update(Buffer.alloc(hash.v, id)).update(input).digest()
    for (let i = 1; i < rounds; i++) a = createHash(hash.name).update(a).digest()
    out.push(a)
    const b = repeat(a, hash.v)
    for (let j = 0; j < input.length; j += hash.v) {
      for (let k = hash.v - 1, carry = 1; k >= 0; k--) {
        const sum = input[j + k]! + b[k]! + carry
        input[j + k] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  return Buffer.concat(out).subarray(0, length)
}

/** Checks the MacData over the authenticated safe; names the algorithm when it is not one we know. */
function checkMac(buf: Uint8Array, macData: Tlv, content: Buffer, password: string, work: Work): 'verified' | 'mismatch' | { unsupported: string } {
  const [digestInfo, salt, rounds] = parts(buf, macData, 'the MAC')
  const [algorithm, digest] = parts(buf, digestInfo, 'the MAC digest')
  const hashOid = oidOf(buf, parts(buf, algorithm, 'the MAC algorithm')[0], 'the MAC algorithm')
  const hash = MAC_HASHES[hashOid]
  if (!hash) return { unsupported: hashOid }
  const key = pkcs12Kdf(hash, password, octets(buf, salt, 'the MAC salt'), spend(work, iterationCount(buf, rounds), 1), 3, hash.u)
  const expected = createHmac(hash.name, key).update(content).digest()
  const actual = octets(buf, digest, 'the MAC value')
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'verified' : 'mismatch'
}

/** Decrypts encrypted content; throws UnsupportedAlgorithm, or any other error when the password is wrong. */
function decrypt(buf: Uint8Array, algorithm: Tlv | undefined, data: Buffer, password: string, work: Work): Buffer {
  const [algorithmOid, params] = parts(buf, algorithm, 'the encryption algorithm')
  const scheme = oidOf(buf, algorithmOid, 'the encryption algorithm')
  const run = (cipher: string, key: Buffer, iv: Buffer) => {
    const decipher = createDecipheriv(cipher, key, iv)
    return Buffer.concat([decipher.update(data), decipher.final()])
  }
  if (scheme === OID.pbes2) {
    const [kdf, cipherAlgorithm] = parts(buf, params, 'the PBES2 parameters')
    const [kdfOid, kdfParams] = parts(buf, kdf, 'the key derivation')
    if (oidOf(buf, kdfOid, 'the key derivation') !== OID.pbkdf2) throw new UnsupportedAlgorithm('a key derivation other than PBKDF2')
    const [salt, rounds, ...options] = parts(buf, kdfParams, 'the PBKDF2 parameters')
    const keyLength = options.find((o) => o.tag === Tag.Integer)
    const prfAlgorithm = options.find((o) => o.tag === Tag.Sequence)
    const prf = prfAlgorithm ? PBKDF2_PRFS[oidOf(buf, parts(buf, prfAlgorithm, 'the PRF')[0], 'the PRF')] : 'sha1'
    const [cipherOid, iv] = parts(buf, cipherAlgorithm, 'the cipher')
    const cipher = PBES2_CIPHERS[oidOf(buf, cipherOid, 'the cipher')]
    if (!cipher || !prf) throw new UnsupportedAlgorithm('a PBES2 cipher or PRF other than AES or 3DES with HMAC-SHA-1 or SHA-2')
    const length = keyLength ? smallInteger(buf, keyLength, 'the key length') : cipher.keyLength
    const count = spend(work, iterationCount(buf, rounds), Math.ceil(length / 20))
    return run(cipher.name, pbkdf2Sync(Buffer.from(password, 'utf8'), octets(buf, salt, 'the salt'), count, length, prf), octets(buf, iv, 'the IV'))
  }
  const pbe = PKCS12_PBES[scheme]
  if (!pbe) throw new UnsupportedAlgorithm(`the encryption ${scheme}`)
  const [saltTlv, rounds] = parts(buf, params, 'the PBE parameters')
  // Key and IV: a derivation each, one round of hashing per 20 bytes.
  const [salt, count] = [octets(buf, saltTlv, 'the salt'), spend(work, iterationCount(buf, rounds), Math.ceil(pbe.keyLength / 20) + 1)]
  const key = pkcs12Kdf(SHA1, password, salt, count, 1, pbe.keyLength)
  const iv = pkcs12Kdf(SHA1, password, salt, count, 2, 8)
  if (pbe.name !== 'rc2') return run(pbe.name, key, iv)
  // Loaded only for these old keystores: node-forge takes ~25 ms to load, which every scan would pay.
  const forge = createRequire(import.meta.url)('node-forge') as typeof Forge
  const rc2 = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), pbe.keyLength * 8)
  rc2.start(forge.util.createBuffer(iv.toString('binary')))
  rc2.update(forge.util.createBuffer(data.toString('binary')))
  // forge checks PKCS #7 padding only loosely: keep the padding and check it here.
  if (!rc2.finish(() => true)) throw new Error('the data is not a whole number of RC2 blocks')
  const plain = Buffer.from(rc2.output.getBytes(), 'binary')
  const pad = plain.at(-1) ?? 0
  if (pad < 1 || pad > 8 || pad > plain.length || !plain.subarray(-pad).every((b) => b === pad)) throw new Error('bad padding')
  return plain.subarray(0, -pad)
}

interface Bag {
  readonly der?: Buffer
  readonly isKey: boolean
  readonly alias?: string
  readonly localKeyId?: string
  readonly trusted: boolean
}

/** Collects the bags of one SafeContents; a damaged single bag becomes a problem. */
function collectBags(buf: Buffer, bags: Bag[], problems: ListItem[], path: string, depth = 0): void {
  for (const bag of children(buf, readTlv(buf, 0, buf.length))) {
    try {
      const [bagId, value, attributes] = parts(buf, bag, 'a safe bag')
      const type = oidOf(buf, bagId, 'a safe bag')
      const [inner] = parts(buf, value, 'a safe bag value', Tag.Context0)
      const info: { alias?: string; localKeyId?: string; trusted: boolean } = { trusted: false }
      for (const attribute of attributes ? parts(buf, attributes, 'the bag attributes', Tag.Set) : []) {
        const [attributeId, values] = parts(buf, attribute, 'a bag attribute')
        const [first] = parts(buf, values, 'a bag attribute value', Tag.Set)
        const id = oidOf(buf, attributeId, 'a bag attribute')
        if (id === OID.friendlyName && first) info.alias = decodeString(buf, first) ?? undefined
        else if (id === OID.localKeyId) info.localKeyId = octets(buf, first, 'the local key id').toString('hex')
        else if (id === OID.trustedKeyUsage) info.trusted = true
      }
      if (type === OID.certBag) {
        const [certId, certValue] = parts(buf, inner, 'a certificate bag')
        const certType = oidOf(buf, certId, 'a certificate bag')
        if (certType !== OID.x509Certificate) throw new UnsupportedAlgorithm(`it holds a certificate of type ${certType}, not X.509`)
        bags.push({ ...info, isKey: false, der: octets(buf, parts(buf, certValue, 'a certificate value', Tag.Context0)[0], 'a certificate') })
      } else if (type === OID.keyBag || type === OID.shroudedKeyBag) {
        bags.push({ ...info, isKey: true })
      } else if (type === OID.safeContentsBag && inner && depth < 8) {
        collectBags(Buffer.from(buf.subarray(inner.start, inner.end)), bags, problems, path, depth + 1)
      }
    } catch (error) {
      if (!(error instanceof DerError || error instanceof UnsupportedAlgorithm)) throw error
      problems.push({ type: 'problem', code: 'damaged-entry', path, message: `${path}: a PKCS #12 bag was skipped: ${error.message}.` })
    }
  }
}

/**
 * Reads a PKCS #12 keystore, yielding its problems first, then each certificate with its alias and trust.
 * Throws {@link StoreError} when the file is damaged, of an unknown version, protected by a public key,
 * or has encrypted certificates under a password other than `password`.
 */
export function* readPkcs12(bytes: Buffer, path: string, password: string): Generator<ListItem> {
  const bags: Bag[] = []
  const problems: ListItem[] = []
  try {
    const pfx = readTlv(bytes, 0, Number.MAX_SAFE_INTEGER)
    if (pfx.end > bytes.length) throw damaged(path, 'PKCS #12', `it is cut short (it should be ${pfx.end} bytes long but has ${bytes.length})`)
    const [version, authSafe, macData] = parts(bytes, pfx, 'the PKCS #12 file')
    if (smallInteger(bytes, version, 'the version') !== 3) throw new StoreError('unsupported-keystore', `${path} is a PKCS #12 file of an unknown version.`)
    const [contentType, content] = parts(bytes, authSafe, 'the authenticated safe')
    if (oidOf(bytes, contentType, 'the authenticated safe') !== OID.data) {
      throw new StoreError('unsupported-keystore', `${path} is a PKCS #12 file protected by a public key instead of a password; CertAudit cannot read it.`)
    }
    const safe = octets(bytes, parts(bytes, content, 'the authenticated safe', Tag.Context0)[0], 'the authenticated safe')
    // Like the JDK, a file without MacData is password-less (the cacerts of JDK 18+) and is not checked.
    const work: Work = { left: ITERATION_BUDGET }
    let integrity: ReturnType<typeof checkMac> | 'none' | { costly: string } = 'none'
    try {
      if (macData) integrity = checkMac(bytes, macData, safe, password, work)
    } catch (error) {
      // An iteration count of 0 or past the budget: the MAC cannot be checked; the certificates may still be read.
      if (!(error instanceof UnsupportedAlgorithm)) throw error
      integrity = error instanceof TooCostly ? { costly: error.message } : { unsupported: error.message }
    }
    if (integrity === 'mismatch') problems.push(integrityProblem(path, "its integrity check does not match the default password 'changeit'"))
    else if (typeof integrity === 'object' && 'costly' in integrity) problems.push(integrityProblem(path, `its integrity check asks for ${integrity.costly}`))
    else if (typeof integrity === 'object') problems.push(integrityProblem(path, `its integrity check uses an algorithm CertAudit does not know (${integrity.unsupported})`))
    for (const info of parts(safe, readTlv(safe, 0, safe.length), 'the authenticated safe')) {
      const [type, explicit] = parts(safe, info, 'a content info')
      const typeOid = oidOf(safe, type, 'a content info')
      const [body] = parts(safe, explicit, 'a content info', Tag.Context0)
      if (typeOid === OID.data) {
        collectBags(octets(safe, body, 'the safe contents'), bags, problems, path)
        continue
      }
      const unreadable = (how: string): ListItem => ({ type: 'problem', code: 'unsupported-encryption', path, message: `${path}: a part encrypted with ${how} cannot be read and was skipped.` })
      if (typeOid !== OID.encryptedData) {
        problems.push(unreadable(`a public key (${typeOid})`))
        continue
      }
      const wrongPassword = new StoreError('wrong-password', `${path} is protected by a password other than the default 'changeit'; CertAudit could not open it.`)
      if (integrity === 'mismatch') throw wrongPassword // certificates encrypted under another password cannot be read at all
      const [, encryptedContentInfo] = parts(safe, body, 'the encrypted data')
      const [, algorithm, encrypted] = parts(safe, encryptedContentInfo, 'the encrypted content')
      let plain: Buffer
      try {
        plain = decrypt(safe, algorithm, octets(safe, encrypted, 'the encrypted content'), password, work)
        readTlv(plain, 0, plain.length)
      } catch (error) {
        if (error instanceof UnsupportedAlgorithm) {
          problems.push(unreadable(error.message))
          continue
        }
        if (integrity === 'verified') throw damaged(path, 'PKCS #12', `its certificates could not be decrypted (${(error as Error).message})`)
        throw wrongPassword
      }
      collectBags(plain, bags, problems, path)
    }
  } catch (error) {
    if (!(error instanceof DerError)) throw error
    throw damaged(path, 'PKCS #12', error.message)
  }
  yield* problems
  // The JDK (PKCS12KeyStore.loadSafeContents) makes a certificate a trusted entry only when it carries
  // the trustedKeyUsage attribute; the others are chains of private keys, and a certificate-only file
  // made by OpenSSL shows 0 entries in keytool. So those are listed, but as not trusted.
  const keyAliases = new Map(bags.filter((b) => b.isKey && b.localKeyId && b.alias).map((b) => [b.localKeyId, b.alias]))
  let position = 0
  for (const bag of bags) {
    if (!bag.der) continue
    position++
    const alias = bag.alias ?? keyAliases.get(bag.localKeyId) ?? `certificate ${position} (no alias)`
    yield { type: 'entry', der: bag.der, entry: alias, trust: bag.trusted ? 'trusted' : 'not-trusted' }
  }
}
