import { DerError, Tag, children, decodeOid, expectTlv, readTlv, type Tlv } from './der.js'

const KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256)',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012 (512)',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
}

const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.643.7.1.1.3.2': 'GOST R 34.10-2012 with GOST R 34.11-2012 (256)',
  '1.2.643.7.1.1.3.3': 'GOST R 34.10-2012 with GOST R 34.11-2012 (512)',
  '1.2.643.2.2.3': 'GOST R 34.10-2001 with GOST R 34.11-94',
}

/** Signature algorithms that rely on a broken hash (MD2, MD5, SHA-1). */
export function isWeakSignatureAlgorithm(name: string): boolean {
  return /^(md2|md5|sha1)With|with-SHA1$/i.test(name)
}

export function keyAlgorithmName(oid: string): string {
  return KEY_ALGORITHMS[oid] ?? oid
}

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid
}

export interface PublicKeyFacts {
  readonly algorithmOid: string
  readonly size: number | null
  readonly curve: string | null
}

/** Algorithm, size and curve of a SubjectPublicKeyInfo, read from its DER. */
export function describePublicKey(der: Uint8Array, spki: Tlv): PublicKeyFacts {
  const [algorithm, bitString] = children(der, spki)
  if (!algorithm || !bitString || bitString.tag !== Tag.BitString) throw new DerError('malformed SubjectPublicKeyInfo', spki.start)
  const [oidTlv, params] = children(der, algorithm)
  if (!oidTlv || oidTlv.tag !== Tag.Oid) throw new DerError('malformed key AlgorithmIdentifier', algorithm.start)
  const algorithmOid = decodeOid(der, oidTlv)
  // Key bits follow the BIT STRING's "unused bits" byte.
  const keyStart = bitString.contentStart + 1
  switch (keyAlgorithmName(algorithmOid)) {
    case 'RSA':
    case 'RSA-PSS': {
      const rsaKey = expectTlv(der, keyStart, bitString.end, Tag.Sequence, 'an RSAPublicKey')
      const modulus = expectTlv(der, rsaKey.contentStart, rsaKey.end, Tag.Integer, 'the RSA modulus')
      return { algorithmOid, size: integerBitLength(der, modulus), curve: null }
    }
    case 'EC': {
      const curve = params?.tag === Tag.Oid ? CURVES[decodeOid(der, params)] : undefined
      return { algorithmOid, size: curve?.bits ?? null, curve: curve?.name ?? (params?.tag === Tag.Oid ? decodeOid(der, params) : null) }
    }
    case 'Ed25519':
      return { algorithmOid, size: 256, curve: null }
    case 'Ed448':
      return { algorithmOid, size: 456, curve: null }
    case 'DSA': {
      const p = params?.tag === Tag.Sequence ? readTlv(der, params.contentStart, params.end) : null
      return { algorithmOid, size: p ? integerBitLength(der, p) : null, curve: null }
    }
    case 'GOST R 34.10-2012 (256)':
      return { algorithmOid, size: 256, curve: null }
    case 'GOST R 34.10-2012 (512)':
      return { algorithmOid, size: 512, curve: null }
    default:
      return { algorithmOid, size: null, curve: null }
  }
}

function integerBitLength(der: Uint8Array, integer: Tlv): number {
  let i = integer.contentStart
  while (i < integer.end && der[i] === 0) i++
  if (i === integer.end) return 0
  return (integer.end - i - 1) * 8 + (32 - Math.clz32(der[i]!))
}
