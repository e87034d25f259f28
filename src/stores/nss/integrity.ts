/**
 * The integrity records NSS keeps for trust objects, so that CertAudit can change trust in a
 * cert9.db without NSS's certutil and NSS still believes the result.
 *
 * NSS authenticates some attributes of the objects in cert9.db with an HMAC stored in key4.db's
 * `metaData` table under `sig_cert_<object id>_<attribute>` (softoken's sftkdb.c:
 * sftkdb_isAuthenticatedAttribute, SFTKDB_META_SIG_TEMPLATE). Among them are every trust value
 * (CKA_TRUST_SERVER_AUTH …) and the certificate hashes of a trust object. When the database is logged
 * in (always, for Firefox's default empty password), a value whose HMAC does not verify makes the whole
 * trust object unreadable (sftkdb_fixupTemplateOut: CKR_SIGNATURE_INVALID): NSS then ignores it.
 * https://github.com/nss-dev/nss/blob/master/lib/softoken/sftkdb.c
 *
 * The HMAC (sftkpwd.c: sftkdb_SignAttribute, sftkdb_pbehash): a PKCS #5 PBMAC1 whose "password" is the
 * database key, SHA-1 (SHA-384 for a 48-byte salt) of key4.db's global salt and the password
 * (sftkdb_passwordToKey); HMAC-SHA-256 keyed by PBKDF2 of that key over the object id and attribute
 * type (4 bytes each, big-endian) and the stored value. With the empty password NSS uses 1 iteration.
 * https://github.com/nss-dev/nss/blob/master/lib/softoken/sftkpwd.c
 *
 * Only the empty password is ever tried: a profile with a Primary Password cannot be signed for, and
 * CertAudit then only deletes there (a deletion needs no signature).
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { children, decodeOid, readTlv, Tag, type Tlv } from '../../audit/der.js'

/** The attributes NSS authenticates (sftkdb.c, sftkdb_isAuthenticatedAttribute); NSS deletes their records with the object. */
export const AUTHENTICATED_ATTRIBUTES = [
  0x00000120, // CKA_MODULUS
  0x00000122, // CKA_PUBLIC_EXPONENT
  0xce5363b4, // CKA_CERT_SHA1_HASH
  0xce5363b5, // CKA_CERT_MD5_HASH
  0xce536358, // CKA_TRUST_SERVER_AUTH
  0xce536359, // CKA_TRUST_CLIENT_AUTH
  0xce53635b, // CKA_TRUST_EMAIL_PROTECTION
  0xce53635a, // CKA_TRUST_CODE_SIGNING
  0xce536360, // CKA_TRUST_STEP_UP_APPROVED
  0xce534374, // CKA_NSS_OVERRIDE_EXTENSIONS
] as const

/** The metaData id of an attribute's integrity record (sftkdb.c, "sig_%s_%08x_%08x" with "cert"). */
export function signatureId(objectId: number, attribute: number): string {
  return `sig_cert_${hex8(objectId)}_${hex8(attribute)}`
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0')

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const

/** HMAC algorithms by OID (RFC 8018, B.1.2), as PBKDF2's PRF and as PBMAC1's MAC. */
const HMAC: Readonly<Record<string, { readonly hash: string; readonly length: number; readonly der: string }>> = {
  '1.2.840.113549.2.7': { hash: 'sha1', length: 20, der: '06082a864886f70d0207' },
  '1.2.840.113549.2.9': { hash: 'sha256', length: 32, der: '06082a864886f70d0209' },
  '1.2.840.113549.2.10': { hash: 'sha384', length: 48, der: '06082a864886f70d020a' },
  '1.2.840.113549.2.11': { hash: 'sha512', length: 64, der: '06082a864886f70d020b' },
}

/** What NSS writes for a new record: HMAC-SHA-256 for both the key derivation and the MAC (sftkdb_SignAttribute). */
const SHA256_OID = '1.2.840.113549.2.9'

/** PBKDF2's parameters, as NSS encodes them (nsspkcs5_CreateAlgorithmID). */
interface Pbkdf2 {
  readonly salt: Buffer
  readonly iterations: number
  readonly keyLength: number
  readonly prf: string
}

/**
 * The database key for the empty password, or null when it is not the key: a Primary Password is set,
 * the check value is in a form CertAudit does not read (the old triple-DES one), or there is none.
 * `globalSalt` and `check` are key4.db's `metaData` row `password` (item1, item2): NSS's own test
 * (sftkdb_CheckPasswordNull) decrypts the check value to "password-check".
 */
export function emptyPasswordKey(globalSalt: Uint8Array, check: Uint8Array): Buffer | null {
  const key = passwordKey(globalSalt, '')
  try {
    const [algorithm, cipherText] = sequence(check, readTlv(check, 0))
    const [oid, params] = sequence(check, algorithm!)
    if (decodeOid(check, oid!) !== OID.pbes2) return null
    const [kdf, scheme] = sequence(check, params!)
    const pbkdf2 = pbkdf2Params(check, kdf!)
    const [cipher, iv] = sequence(check, scheme!)
    if (decodeOid(check, cipher!) !== OID.aes256Cbc || iv!.tag !== Tag.OctetString) return null
    // NSS stores a 14-byte IV and decrypts with the DER header of the OCTET STRING (04 0e) in front of it.
    const rawIv = bytes(check, iv!)
    const fullIv = rawIv.length === 14 ? Buffer.concat([Buffer.from([0x04, 0x0e]), rawIv]) : rawIv
    if (fullIv.length !== 16 || cipherText!.tag !== Tag.OctetString) return null
    const aesKey = pbkdf2Sync(key, pbkdf2.salt, pbkdf2.iterations, 32, HMAC[pbkdf2.prf]!.hash)
    const decipher = createDecipheriv('aes-256-cbc', aesKey, fullIv)
    const plain = Buffer.concat([decipher.update(bytes(check, cipherText!)), decipher.final()])
    return plain.toString('latin1') === 'password-check' ? key : null
  } catch {
    return null
  }
}

/** SHA-1 (SHA-384 for a 48-byte salt) of the global salt and the password (sftkpwd.c, sftkdb_passwordToKey). */
export function passwordKey(globalSalt: Uint8Array, password: string): Buffer {
  return createHash(globalSalt.length === 48 ? 'sha384' : 'sha1')
    .update(globalSalt)
    .update(Buffer.from(password, 'utf8'))
    .digest()
}

/** True when `record` (a metaData item1) is a valid PBMAC1 of `value` for this object and attribute under `key`. */
export function verifySignature(key: Uint8Array, objectId: number, attribute: number, value: Uint8Array, record: Uint8Array): boolean {
  try {
    const [algorithm, mac] = sequence(record, readTlv(record, 0))
    const [oid, params] = sequence(record, algorithm!)
    if (decodeOid(record, oid!) !== OID.pbmac1 || mac!.tag !== Tag.OctetString) return false
    const [kdf, macScheme] = sequence(record, params!)
    const pbkdf2 = pbkdf2Params(record, kdf!)
    const macAlgorithm = HMAC[decodeOid(record, sequence(record, macScheme!)[0]!)]
    if (!macAlgorithm) return false
    const expected = hmac(key, pbkdf2, macAlgorithm.hash, objectId, attribute, value)
    const stored = bytes(record, mac!)
    return stored.length === expected.length && timingSafeEqual(stored, expected)
  } catch {
    return false
  }
}

/**
 * A new integrity record for `value`, as NSS writes one (sftkdb_SignAttribute): a fresh 32-byte salt,
 * PBKDF2 with HMAC-SHA-256 and `iterations` (1 for the empty password, as NSS), HMAC-SHA-256.
 */
export function signAttribute(key: Uint8Array, objectId: number, attribute: number, value: Uint8Array, iterations = 1): Buffer {
  const kdf: Pbkdf2 = { salt: randomBytes(32), iterations, keyLength: 32, prf: SHA256_OID }
  const mac = hmac(key, kdf, 'sha256', objectId, attribute, value)
  const prf = tlv(0x30, Buffer.from(HMAC[SHA256_OID]!.der, 'hex'))
  const pbkdf2 = tlv(0x30, oidTlv(OID.pbkdf2), tlv(0x30, tlv(0x04, kdf.salt), integer(kdf.iterations), integer(kdf.keyLength), prf))
  const algorithm = tlv(0x30, oidTlv(OID.pbmac1), tlv(0x30, pbkdf2, prf))
  return tlv(0x30, algorithm, tlv(0x04, mac))
}

function hmac(key: Uint8Array, kdf: Pbkdf2, hash: string, objectId: number, attribute: number, value: Uint8Array): Buffer {
  const prf = HMAC[kdf.prf]
  if (!prf) throw new Error(`unknown PBKDF2 PRF ${kdf.prf}`)
  const macKey = pbkdf2Sync(key, kdf.salt, kdf.iterations, kdf.keyLength, prf.hash)
  const address = Buffer.alloc(8)
  address.writeUInt32BE(objectId >>> 0, 0)
  address.writeUInt32BE(attribute >>> 0, 4)
  return createHmac(hash, macKey).update(address).update(value).digest()
}

/** PBKDF2-params (RFC 8018, A.2): salt, iteration count, optional key length, PRF (default HMAC-SHA-1). */
function pbkdf2Params(buf: Uint8Array, kdf: Tlv): Pbkdf2 {
  const [oid, params] = sequence(buf, kdf)
  if (decodeOid(buf, oid!) !== OID.pbkdf2) throw new Error('not PBKDF2')
  const [salt, iterations, ...rest] = sequence(buf, params!)
  if (salt!.tag !== Tag.OctetString || iterations!.tag !== Tag.Integer) throw new Error('unexpected PBKDF2 parameters')
  const keyLength = rest[0]?.tag === Tag.Integer ? rest.shift()! : undefined
  const prf = rest[0]?.tag === Tag.Sequence ? decodeOid(buf, sequence(buf, rest[0])[0]!) : '1.2.840.113549.2.7'
  if (!HMAC[prf]) throw new Error(`unknown PBKDF2 PRF ${prf}`)
  const count = unsigned(buf, iterations!)
  // NSS itself caps nothing, but a count in the millions would stall the app for minutes: not NSS's.
  if (count < 1 || count > 10_000_000) throw new Error('unlikely iteration count')
  return { salt: bytes(buf, salt!), iterations: count, keyLength: keyLength ? unsigned(buf, keyLength) : HMAC[prf].length, prf }
}

function sequence(buf: Uint8Array, element: Tlv): Tlv[] {
  if (element.tag !== Tag.Sequence) throw new Error('expected a SEQUENCE')
  return children(buf, element)
}

function bytes(buf: Uint8Array, element: Tlv): Buffer {
  return Buffer.from(buf.subarray(element.contentStart, element.end))
}

function unsigned(buf: Uint8Array, element: Tlv): number {
  const content = bytes(buf, element)
  if (content.length === 0 || content.length > 4 || content[0]! & 0x80) throw new Error('unexpected INTEGER')
  return content.readUIntBE(0, content.length)
}

/** One DER element from its tag and contents (short and long lengths). */
function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents)
  const length = body.length < 0x80 ? Buffer.from([body.length]) : body.length < 0x100 ? Buffer.from([0x81, body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 0xff])
  return Buffer.concat([Buffer.from([tag]), length, body])
}

function integer(value: number): Buffer {
  const content: number[] = []
  for (let v = value; ; v = Math.floor(v / 256)) {
    content.unshift(v % 256)
    if (v < 256) break
  }
  if (content[0]! & 0x80) content.unshift(0)
  return tlv(Tag.Integer, Buffer.from(content))
}

function oidTlv(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number)
  const out: number[] = [first! * 40 + second!]
  for (const arc of rest) {
    const groups: number[] = []
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128)
      if (v < 128) break
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)))
  }
  return tlv(Tag.Oid, Buffer.from(out))
}
