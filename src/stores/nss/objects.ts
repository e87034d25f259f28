/**
 * The PKCS #11 objects of one certificate in an NSS database, as rows: its certificate object(s) and
 * trust object(s) in cert9.db's `nssPublic`, and their integrity records in key4.db's `metaData`
 * (integrity.ts). What a removal changes and a backup keeps, found by the certificate itself, never by
 * nickname.
 *
 * NSS's objects (softoken's sdb.c: one row per object, one column `a<type in hex>` per attribute; values
 * are blobs, CK_ULONGs 4 bytes big-endian): a certificate is CKA_CLASS CKO_CERTIFICATE with its DER in
 * CKA_VALUE and CKA_ISSUER / CKA_SERIAL_NUMBER; its trust is a CKO_NSS_TRUST object with the same issuer
 * and serial, CKA_CERT_SHA1_HASH of the certificate and one CK_TRUST per purpose (CKA_TRUST_SERVER_AUTH
 * …). NSS looks a certificate's trust up by issuer and serial (devtoken.c,
 * nssToken_FindTrustForCertificate) and believes only a trust object whose hash is the certificate's
 * or that trusts nothing (certificate.c, nssTrust_IsSafeToIgnoreCertHash).
 * https://github.com/nss-dev/nss/blob/master/lib/softoken/sdb.c
 */
import { createHash } from 'node:crypto'
import type { Database } from 'sql.js'
import { signatureId, AUTHENTICATED_ATTRIBUTES, emptyPasswordKey, signAttribute, verifySignature } from './integrity.js'
import { cellBytes, selectRows, withImage, type Cell, type StoredRow } from './rows.js'
import { bitsForTrustValue, CKT, sslBits, trustLetters } from './trust.js'

export const CKO_CERTIFICATE = Buffer.from('00000001', 'hex')
/** CKO_NSS_TRUST (pkcs11n.h: CKO_NSS + 3). */
export const CKO_NSS_TRUST = Buffer.from('ce534353', 'hex')

/** Columns of the attributes used here (pkcs11t.h, pkcs11n.h). */
const A = {
  class: 'a0',
  label: 'a3',
  value: 'a11',
  issuer: 'a81',
  serial: 'a82',
  serverAuth: 'ace536358',
  clientAuth: 'ace536359',
  codeSigning: 'ace53635a',
  emailProtection: 'ace53635b',
  stepUp: 'ace536360',
  sha1: 'ace5363b4',
} as const

/** NSS's marker for a present, empty value (sdb.c, SQLITE_EXPLICIT_NULL). */
const EXPLICIT_NULL = 'a5005a'

/**
 * What `certutil -M -t ",,"` writes into the trust object (pki3hack.c, get_stan_trust with no trust
 * bits: nssTrustLevel_MustVerify → CKT_NSS_MUST_VERIFY_TRUST for server, client, e-mail and code
 * signing; step-up approval off). NSS then treats the certificate as no trust anchor for anything,
 * overriding Mozilla's built-in trust. Confirmed by dumping the rows certutil 3.87 writes.
 */
const DISTRUSTED: Readonly<Record<string, Cell>> = {
  [A.serverAuth]: ulongCell(CKT.MUST_VERIFY_TRUST),
  [A.clientAuth]: ulongCell(CKT.MUST_VERIFY_TRUST),
  [A.codeSigning]: ulongCell(CKT.MUST_VERIFY_TRUST),
  [A.emailProtection]: ulongCell(CKT.MUST_VERIFY_TRUST),
  [A.stepUp]: { type: 'blob', hex: '00' },
}

/** The rows of one certificate. */
export interface CertificateObjects {
  /** Certificate objects holding its DER (one, unless the database was written by something other than NSS). */
  readonly certificates: readonly StoredRow[]
  /** Its trust objects, in rowid order (NSS uses the first). */
  readonly trust: readonly StoredRow[]
  /** key4.db's integrity records of those objects. */
  readonly signatures: readonly StoredRow[]
}

/** The certificate's rows, or why they cannot be changed safely. */
export type Found = { readonly ok: true; readonly objects: CertificateObjects } | { readonly ok: false; readonly code: 'entry-missing' | 'nss-unusual'; readonly why: string }

/** Finds the rows of the certificate `der` in a cert9.db image and their records in a key4.db image (null: none). */
export async function findObjects(cert9: Uint8Array, key4: Uint8Array | null, der: Uint8Array, shown: string): Promise<Found> {
  const found = await withImage(cert9, shown, (db) => objectRows(db, der))
  if (!found.ok) return found
  const ids = [...found.objects.certificates, ...found.objects.trust].map(objectId)
  if (ids.some((id) => id === null)) return { ok: false, code: 'nss-unusual', why: `an object of this certificate in ${shown} has no object id NSS would write` }
  const wanted = new Set(ids.flatMap((id) => AUTHENTICATED_ATTRIBUTES.map((type) => signatureId(id!, type))))
  const signatures = key4 ? await withImage(key4, shown, (db) => selectRows(db, 'metaData', "id LIKE 'sig_cert_%'").filter((row) => wanted.has(textOf(row.cells.id)))) : []
  return { ok: true, objects: { ...found.objects, signatures } }
}

function objectRows(db: Database, der: Uint8Array): Found {
  const certificates = selectRows(db, 'nssPublic', `${A.class} = ? AND ${A.value} = ?`, [CKO_CERTIFICATE, der])
  if (certificates.length === 0) return { ok: false, code: 'entry-missing', why: 'no certificate object holds it' }
  const sha1 = createHash('sha1').update(der).digest('hex')
  const trust = new Map<number, StoredRow>()
  for (const certificate of certificates) {
    const issuer = cellBytes(certificate.cells[A.issuer])
    const serial = cellBytes(certificate.cells[A.serial])
    if (!issuer || !serial) continue // NSS finds no trust for it, and neither do we
    const sameIssuerSerial = selectRows(db, 'nssPublic', `${A.class} = ? AND ${A.issuer} = ? AND ${A.serial} = ?`, [CKO_NSS_TRUST, issuer, serial])
    for (const row of sameIssuerSerial) {
      const hash = cellBytes(row.cells[A.sha1])?.toString('hex')
      if (hash !== undefined && hash !== '' && hash !== EXPLICIT_NULL && hash !== sha1) continue // another certificate's
      if (hash === undefined || hash === '' || hash === EXPLICIT_NULL) {
        // A trust object without a hash applies to every certificate with this issuer and serial.
        const others = db.exec(`SELECT count(*) FROM nssPublic WHERE ${A.class} = ? AND ${A.issuer} = ? AND ${A.serial} = ? AND ${A.value} != ?`, [CKO_CERTIFICATE, issuer, serial, der])
        if (Number(others[0]?.values[0]?.[0] ?? 0) > 0) return { ok: false, code: 'nss-unusual', why: 'its trust record has no certificate hash and also applies to another certificate with the same issuer and serial number' }
      }
      trust.set(row.rowid, row)
    }
  }
  return { ok: true, objects: { certificates, trust: [...trust.values()].sort((a, b) => a.rowid - b.rowid), signatures: [] } }
}

/** A row's NSS object id (the `id` column); null when it is not the integer NSS writes. */
export function objectId(row: StoredRow): number | null {
  const cell = row.cells.id
  if (cell?.type !== 'integer') return null
  const id = Number(cell.value)
  return Number.isSafeInteger(id) && id > 0 && id <= 0xffffffff ? id : null
}

/** A certificate's nickname (CKA_LABEL), null when it has none. */
export function nicknameOf(objects: CertificateObjects): string | null {
  const label = cellBytes(objects.certificates[0]?.cells[A.label])
  return label && label.length > 0 && label.toString('hex') !== EXPLICIT_NULL ? label.toString('utf8') : null
}

/** certutil's three trust fields ("CT,C,C") for the trust object NSS uses, from the stored values. */
export function trustFields(objects: CertificateObjects): string {
  const trust = objects.trust[0]
  if (!trust) return ',,'
  const value = (column: string) => {
    const bytes = cellBytes(trust.cells[column])
    return bytes?.length === 4 ? bytes.readUInt32BE(0) : null
  }
  return [trustLetters(sslBits(value(A.serverAuth), value(A.clientAuth))), trustLetters(bitsForTrustValue(value(A.emailProtection))), trustLetters(bitsForTrustValue(value(A.codeSigning)))].join(',')
}

/** The database key for the empty password from a key4.db image, or why there is none. */
export async function databaseKey(key4: Uint8Array, shown: string): Promise<{ key: Buffer } | { why: string }> {
  const [row] = await withImage(key4, shown, (db) => selectRows(db, 'metaData', "id = 'password'"))
  const salt = cellBytes(row?.cells.item1)
  const check = cellBytes(row?.cells.item2)
  if (!salt || !check) return { why: 'its key database has no password record' }
  const key = emptyPasswordKey(salt, check)
  return key ? { key } : { why: 'it is protected by a Primary Password (or its key database is in a form CertAudit does not read)' }
}

/**
 * The trust object `certutil -M -t ",,"` would leave (the values of {@link DISTRUSTED}, every other
 * attribute kept), under the new object id `newId` and at the old one's rowid, so NSS still finds it
 * first; with its integrity records when the database has a key. The writer puts the records in
 * first and takes the old object's out last, so a crash at any moment leaves NSS reading the old trust
 * or the new one, never values without valid records (sqlite-writer.ts).
 */
export function distrusted(objects: CertificateObjects, newId: number, key: Buffer | null): { row: StoredRow; records: StoredRow[] } {
  const old = objects.trust[0]!
  const row: StoredRow = { rowid: old.rowid, cells: { ...old.cells, ...DISTRUSTED, id: { type: 'integer', value: String(newId) } } }
  return { row, records: key ? signaturesFor(row, newId, key) : [] }
}

/** True when every integrity record of the trust object NSS uses verifies under `key` (proof the key is the database's). */
export function recordsVerify(objects: CertificateObjects, key: Buffer): boolean {
  const trust = objects.trust[0]
  const id = trust ? objectId(trust) : null
  if (!trust || id === null) return false
  const records = new Map(objects.signatures.map((s) => [textOf(s.cells.id), cellBytes(s.cells.item1)]))
  const checked = AUTHENTICATED_ATTRIBUTES.filter((type) => trust.cells[columnOf(type)] !== undefined)
  return checked.length > 0 && checked.every((type) => {
    const record = records.get(signatureId(id, type))
    return record !== undefined && record !== null && verifySignature(key, id, type, storedValue(trust.cells[columnOf(type)]!), record)
  })
}

/** New integrity records (key4.db metaData rows) for every authenticated attribute of `row`, as object `id`. */
export function signaturesFor(row: StoredRow, id: number, key: Buffer): StoredRow[] {
  return AUTHENTICATED_ATTRIBUTES.flatMap((type) => {
    const cell = row.cells[columnOf(type)]
    if (cell === undefined) return []
    const record = signAttribute(key, id, type, storedValue(cell))
    return [{ rowid: 0, cells: { id: { type: 'text', hex: Buffer.from(signatureId(id, type)).toString('hex') }, item1: { type: 'blob', hex: record.toString('hex') } } }]
  })
}

/** The metaData rowids of the integrity records of objects `ids`, in a key4.db image. */
export async function recordsOf(key4: Uint8Array, ids: readonly number[], shown: string): Promise<StoredRow[]> {
  const wanted = new Set(ids.flatMap((id) => AUTHENTICATED_ATTRIBUTES.map((type) => signatureId(id, type))))
  if (wanted.size === 0) return []
  return withImage(key4, shown, (db) => selectRows(db, 'metaData', "id LIKE 'sig_cert_%'").filter((row) => wanted.has(textOf(row.cells.id))))
}

/** Object ids in use in a cert9.db image. */
export async function objectIds(cert9: Uint8Array, shown: string): Promise<Set<number>> {
  return withImage(cert9, shown, (db) => new Set((db.exec('SELECT id FROM nssPublic')[0]?.values ?? []).map((row) => Number(row[0]))))
}

/** The value NSS hands to the HMAC: the stored bytes, empty for NSS's explicit-empty marker (sdb.c). */
function storedValue(cell: Cell): Buffer {
  const bytes = cellBytes(cell) ?? Buffer.alloc(0)
  return bytes.toString('hex') === EXPLICIT_NULL ? Buffer.alloc(0) : bytes
}

function columnOf(type: number): string {
  return `a${type.toString(16)}`
}

function ulongCell(value: number): Cell {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(value, 0)
  return { type: 'blob', hex: bytes.toString('hex') }
}

/** A text or blob cell as text (metaData ids are text). */
export function textOf(cell: Cell | undefined): string {
  return cellBytes(cell)?.toString('utf8') ?? ''
}

