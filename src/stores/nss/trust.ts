/**
 * NSS trust, shared by the two ways CertAudit reads a cert9.db (certutil, and SQLite directly), so
 * both arrive at the same words. NSS keeps trust as PKCS #11 objects (CKO_NSS_TRUST, one value per
 * purpose); certutil shows it as letters ("CT,C,C"). We reduce both to the letters of the SSL field
 * and those to a {@link TrustState}.
 * Letters: https://firefox-source-docs.mozilla.org/security/nss/legacy/tools/nss_tools_certutil/index.html
 */
import type { TrustState } from '../types.js'

/** One certificate of an NSS database, as either reader finds it. */
export interface NssRecord {
  readonly der: Uint8Array
  /** The nickname (CKA_LABEL); null when the certificate has none. */
  readonly nickname: string | null
  /**
   * The trust letters of the SSL (server and client authentication) field, as certutil prints
   * them, limited to the ones trust objects can set: `c p C T P`. "u" (a private key is present)
   * and "w" are left out: they say nothing about trust in a CA.
   */
  readonly sslFlags: string
}

/** What one reader found: the certificates, and problems with single objects (the read went on). */
export interface NssReading {
  readonly records: readonly NssRecord[]
  readonly problems: readonly { readonly code: string; readonly message: string }[]
}

/** NSS's internal trust bits (certt.h, CERTDB_*); only the ones the SSL field can carry from a trust object. */
export const TrustBit = {
  TERMINAL_RECORD: 1 << 0,
  TRUSTED: 1 << 1,
  VALID_CA: 1 << 3,
  TRUSTED_CA: 1 << 4,
  TRUSTED_CLIENT_CA: 1 << 7,
} as const

/** CK_TRUST values NSS stores for each purpose (pkcs11n.h: CKT_NSS + n). */
export const CKT = {
  TRUSTED: 0xce534351,
  TRUSTED_DELEGATOR: 0xce534352,
  MUST_VERIFY_TRUST: 0xce534353,
  TRUST_UNKNOWN: 0xce534355,
  NOT_TRUSTED: 0xce53435a,
  VALID_DELEGATOR: 0xce53435b,
} as const

/** The trust bits one purpose's CK_TRUST value gives (pki3hack.c, get_nss3trust_from_nss4trust). */
export function bitsForTrustValue(value: number | null): number {
  switch (value) {
    case CKT.TRUSTED:
      return TrustBit.TERMINAL_RECORD | TrustBit.TRUSTED
    case CKT.TRUSTED_DELEGATOR:
      return TrustBit.VALID_CA | TrustBit.TRUSTED_CA
    case CKT.NOT_TRUSTED:
      return TrustBit.TERMINAL_RECORD
    case CKT.VALID_DELEGATOR:
      return TrustBit.VALID_CA
    default: // MUST_VERIFY_TRUST, TRUST_UNKNOWN, absent: no opinion
      return 0
  }
}

/**
 * The SSL field's bits from the server-auth and client-auth values (pki3hack.c,
 * cert_trust_from_stan_trust): client-auth trust as a CA becomes "T", the rest is merged in, so a
 * client-auth "not trusted" also shows (and acts) as "p" in the SSL field.
 */
export function sslBits(serverAuth: number | null, clientAuth: number | null): number {
  let client = bitsForTrustValue(clientAuth)
  let ssl = bitsForTrustValue(serverAuth)
  if (client & TrustBit.TRUSTED_CA) {
    client &= ~TrustBit.TRUSTED_CA
    ssl |= TrustBit.TRUSTED_CLIENT_CA
  }
  return ssl | client
}

/** The letters certutil prints for these bits, in its order (secutil.c, printflags). */
export function trustLetters(bits: number): string {
  let letters = ''
  if (bits & TrustBit.VALID_CA && !(bits & (TrustBit.TRUSTED_CA | TrustBit.TRUSTED_CLIENT_CA))) letters += 'c'
  if (bits & TrustBit.TERMINAL_RECORD && !(bits & TrustBit.TRUSTED)) letters += 'p'
  if (bits & TrustBit.TRUSTED_CA) letters += 'C'
  if (bits & TrustBit.TRUSTED_CLIENT_CA) letters += 'T'
  if (bits & TrustBit.TRUSTED) letters += 'P'
  return letters
}

/** Keeps the letters that come from trust objects, so both readers' flags compare equal. */
export function trustLettersOnly(flags: string): string {
  return [...flags].filter((letter) => 'cpCTP'.includes(letter)).join('')
}

/**
 * What the SSL field means for HTTPS. Only this field counts: an interception CA attacks web
 * traffic, and Firefox decides whether a CA may vouch for a web site from it alone
 * (NSSCertDBTrustDomain::GetCertTrust reads trust.sslFlags). "C" in the S/MIME or code-signing
 * field cannot make a browser accept an intercepted site, and the certificate is audited by
 * what it is whatever its trust.
 * - "C": a trusted CA for web sites → trusted.
 * - "p" (a terminal record without "P"): explicitly distrusted.
 * - anything else ("", "c", "T", "P" for a trusted peer certificate): present, not trusted as a web CA.
 */
export function trustFromSslFlags(flags: string): TrustState {
  if (flags.includes('C')) return 'trusted'
  if (flags.includes('p')) return 'distrusted'
  return 'not-trusted'
}
