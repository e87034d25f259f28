import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto'
import type { BlocklistEntry } from './blocklist.js'
import type { CertificateDetails } from './certificate.js'

/**
 * The listed CAs a certificate may have been issued by, found without any cryptography: by the
 * issuer name it carries and by its authority key identifier. Only these candidates get a signature
 * check, so a scan of 100,000 certificates pays for a signature check only where a listed CA is
 * named. Built once per blocklist.
 */
export interface IssuerIndex {
  /** Listed CAs by their subject name, lower-cased (RFC 4514 as `formatName` writes it). */
  readonly byName: ReadonlyMap<string, readonly BlocklistEntry[]>
  /** Listed CAs by subject key identifier (hex), for certificates whose issuer name is written differently. */
  readonly byKeyId: ReadonlyMap<string, readonly BlocklistEntry[]>
}

/** How a certificate was shown to come from a listed CA. */
export type IssuerProof = 'signature' | 'key-id'

/** Indexes every entry that can issue: those with a public key (`spki`) or a key identifier, and a subject name. */
export function buildIssuerIndex(entries: readonly BlocklistEntry[]): IssuerIndex {
  const byName = new Map<string, BlocklistEntry[]>()
  const byKeyId = new Map<string, BlocklistEntry[]>()
  const add = (map: Map<string, BlocklistEntry[]>, key: string, entry: BlocklistEntry) => {
    const list = map.get(key)
    if (list) list.push(entry)
    else map.set(key, [entry])
  }
  for (const entry of entries) {
    if (!entry.spki && !entry.subjectKeyId) continue
    if (entry.subject) add(byName, entry.subject.toLowerCase(), entry)
    if (entry.subjectKeyId) add(byKeyId, entry.subjectKeyId, entry)
  }
  return { byName, byKeyId }
}

/** Public keys made once per entry (a KeyObject costs ~20 µs to build). */
const keys = new WeakMap<BlocklistEntry, KeyObject | null>()

function publicKeyOf(entry: BlocklistEntry): KeyObject | null {
  let key = keys.get(entry)
  if (key === undefined) {
    try {
      key = entry.spki ? createPublicKey({ key: Buffer.from(entry.spki, 'base64'), format: 'der', type: 'spki' }) : null
    } catch {
      key = null // a key node:crypto cannot load (an unusual curve) proves nothing, and stops nothing
    }
    keys.set(entry, key)
  }
  return key
}

/**
 * The listed CA that issued this certificate, and how that is known:
 * - `signature`: the certificate's signature verifies with the CA's public key (node:crypto, which
 *   does RSA, RSA-PSS, ECDSA and EdDSA; https://nodejs.org/api/crypto.html#x509verifypublickey);
 * - `key-id`: for a CA known only by its key identifier, the authority key identifier and the
 *   issuer name both match it (RFC 5280 4.2.1.1: how verifiers find the issuer).
 * A name alone is never enough: anyone can put any issuer name in a certificate.
 */
export function findIssuer(der: Uint8Array, details: CertificateDetails, index: IssuerIndex): { entry: BlocklistEntry; proof: IssuerProof } | null {
  if (index.byName.size === 0 && index.byKeyId.size === 0) return null
  // A self-signed certificate names itself as issuer: were its key listed, its SPKI hash would have matched already.
  if (details.selfSigned) return null
  const byName = index.byName.get(details.issuer.toLowerCase())
  const byKeyId = details.authorityKeyId ? index.byKeyId.get(details.authorityKeyId) : undefined
  if (!byName && !byKeyId) return null
  const candidates = new Set([...(byName ?? []), ...(byKeyId ?? [])])
  let parsed: X509Certificate | null | undefined
  for (const entry of candidates) {
    const key = publicKeyOf(entry)
    if (key) {
      parsed ??= parse(der)
      if (parsed && verifies(parsed, key)) return { entry, proof: 'signature' }
      continue
    }
    // Known by key identifier only: the identifier and the name must both point at it.
    if (entry.subjectKeyId && entry.subjectKeyId === details.authorityKeyId && byName?.includes(entry)) return { entry, proof: 'key-id' }
  }
  return null
}

function parse(der: Uint8Array): X509Certificate | null {
  try {
    return new X509Certificate(der)
  } catch {
    return null
  }
}

function verifies(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.verify(key)
  } catch {
    return false // a key of another type than the signature (an RSA CA, an EC signature) is simply not the issuer
  }
}
