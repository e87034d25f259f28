import { DerError, Tag, children, decodeOid, decodeString, expectTlv, readTlv, type Tlv } from './der.js'

/** One attribute of a distinguished name, e.g. `{ type: 'CN', value: 'Qaznet Trust Network' }`. */
export interface NameAttribute {
  /** Short name (CN, O, C, emailAddress …) or the dotted OID when we have no name for it. */
  readonly type: string
  /** The decoded text, or `#`-prefixed hex of the DER value when it is not a string (RFC 4514 2.4). */
  readonly value: string
}

/** RDNs in the order they appear in the certificate (most significant first, usually C). */
export type DistinguishedName = readonly (readonly NameAttribute[])[]

// The short names OpenSSL prints with -nameopt RFC2253, so our strings read like the tools people know.
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.51': 'houseIdentifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  // Russian registration numbers found in Russian CA names.
  '1.2.643.3.131.1.1': 'INN',
  '1.2.643.100.1': 'OGRN',
  '1.2.643.100.3': 'SNILS',
  '1.2.643.100.4': 'INNLE',
}

/** Parses a Name (SEQUENCE OF RelativeDistinguishedName). */
export function parseName(der: Uint8Array, name: Tlv): DistinguishedName {
  // Loops rather than map and closures (every certificate a scan checks has two names to read), in
  // the same order as before, so a damaged name fails with the same message.
  const rdns: NameAttribute[][] = []
  for (const rdn of children(der, name)) {
    if (rdn.tag !== Tag.Set) throw new DerError('expected a RelativeDistinguishedName SET', rdn.start)
    const attributes: NameAttribute[] = []
    for (const pair of children(der, rdn)) {
      if (pair.tag !== Tag.Sequence) throw new DerError('expected an AttributeTypeAndValue SEQUENCE', pair.start)
      const oidTlv = expectTlv(der, pair.contentStart, pair.end, Tag.Oid, 'an attribute type')
      if (oidTlv.end >= pair.end) throw new DerError('attribute without a value', pair.start)
      const valueTlv = readTlv(der, oidTlv.end, pair.end)
      // Anything after the value must still be well-formed, as when every child was read.
      for (let rest = valueTlv.end; rest < pair.end; ) rest = readTlv(der, rest, pair.end).end
      const oid = decodeOid(der, oidTlv)
      const text = decodeString(der, valueTlv)
      const value = text ?? '#' + Buffer.from(der.subarray(valueTlv.start, valueTlv.end)).toString('hex')
      attributes.push({ type: ATTRIBUTE_NAMES[oid] ?? oid, value })
    }
    rdns.push(attributes)
  }
  return rdns
}

/**
 * RFC 4514 string: RDNs last-first, separated by commas, multi-valued RDNs joined with `+`.
 * Non-ASCII text is kept as UTF-8 (Cyrillic and Kazakh names stay readable), only the characters
 * RFC 4514 requires are escaped.
 */
export function formatName(name: DistinguishedName): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.type}=${a.value.startsWith('#') && isHexValue(a.value) ? a.value : escapeValue(a.value)}`).join('+'))
    .join(',')
}

function isHexValue(value: string): boolean {
  return /^#[0-9a-f]+$/.test(value)
}

function escapeValue(value: string): string {
  let out = value.replace(/[\\,+"<>;]/g, '\\$&').replace(/\0/g, '\\00')
  if (/^[ #]/.test(out)) out = '\\' + out
  if (out.endsWith(' ')) out = out.slice(0, -1) + '\\ '
  return out
}

/** Values of one attribute type, e.g. all `O` values. */
export function attributeValues(name: DistinguishedName, type: string): string[] {
  return name.flatMap((rdn) => rdn.filter((a) => a.type === type).map((a) => a.value))
}
