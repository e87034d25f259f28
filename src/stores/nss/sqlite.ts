/**
 * Reads an NSS cert9.db without NSS, for machines without certutil (most desktops: it ships in
 * libnss3-tools / nss-tools, which few people install). The database is SQLite; sql.js (SQLite
 * compiled to WebAssembly) reads it from memory, so nothing is written anywhere.
 *
 * NSS's layout (softoken's sdb.c, https://github.com/nss-dev/nss/blob/master/lib/softoken/sdb.c):
 * one table `nssPublic`, one row per PKCS #11 object, one column per attribute named `a` + the
 * attribute type in hex (a0 = CKA_CLASS, a3 = CKA_LABEL, a11 = CKA_VALUE …). Values are blobs;
 * CK_ULONG values are 4 bytes big-endian, and a present-but-empty value is the 3 bytes a5 00 5a.
 * Checked against databases made by certutil 3.87 (see tests/stores/nss/readers.test.ts).
 */
import { createHash } from 'node:crypto'
import type { Database, SqlValue } from 'sql.js'
import { withSqlImage } from '../shared/sql-js.js'
import { CKT, sslBits, trustLetters, type NssReading, type NssRecord } from './trust.js'
import { StoreError } from '../types.js'

const CKO_CERTIFICATE = 0x00000001
/** CKO_NSS_TRUST (pkcs11n.h: CKO_NSS + 3). */
const CKO_NSS_TRUST = 0xce534353
const CKC_X_509 = 0

/** Columns for the attributes we read (pkcs11t.h and pkcs11n.h). */
const COLUMN = {
  class: 'a0',
  label: 'a3',
  value: 'a11',
  certificateType: 'a80',
  issuer: 'a81',
  serialNumber: 'a82',
  trustServerAuth: 'ace536358',
  trustClientAuth: 'ace536359',
  trustCodeSigning: 'ace53635a',
  trustEmailProtection: 'ace53635b',
  trustStepUp: 'ace536360',
  certSha1Hash: 'ace5363b4',
} as const

/** NSS's marker for an attribute that is present with an empty value (sdb.c, SQLITE_EXPLICIT_NULL). */
const EXPLICIT_NULL = Buffer.from([0xa5, 0x00, 0x5a])

/**
 * Every certificate in a cert9.db image (from {@link snapshotSqlite}, or a function that gives it
 * once), with the trust NSS would give it. `path` only names the database in messages. Throws {@link StoreError} `nss-corrupt-db` when
 * the bytes are not an NSS database SQLite can read.
 */
export function readNssSqlite(bytes: Uint8Array | (() => Uint8Array), path: string): Promise<NssReading> {
  // sql.js copies the image into its own file system: handed over as a function, the caller's copy
  // (150 MB for 100,000 certificates) is nobody's any more once the copy is made.
  return withSqlImage(bytes, { rollback: false, damaged: (sqliteSays) => corrupt(path, sqliteSays) }, (db) => recordsFrom(db, path))
}

function corrupt(path: string, detail: string): StoreError {
  return new StoreError(
    'nss-corrupt-db',
    `${path} is damaged or is not an NSS certificate database (SQLite says: ${detail}). The program that uses it may also fail to start; its certificates could not be checked.`,
  )
}

type Row = Readonly<Record<string, SqlValue>>

function recordsFrom(db: Database, path: string): NssReading {
  const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'nssPublic'")
  if (tables.length === 0) throw new Error('it has no nssPublic table')
  // Only the columns read below, not all ~120 of NSS's schema, and no row kept once read: for a
  // database of 100,000 certificates the row objects were most of the time and memory. A column an
  // old schema lacks reads as absent.
  const present = new Set(db.exec('PRAGMA table_info(nssPublic)')[0]?.values.map((row) => String(row[1])) ?? [])
  const select = (columns: readonly string[], objectClass: number) =>
    `SELECT ${columns.filter((c) => present.has(c)).join(', ') || 'NULL'} FROM nssPublic WHERE ${present.has(COLUMN.class) ? COLUMN.class : 'NULL'} = x'${objectClass.toString(16).padStart(8, '0')}' ORDER BY rowid`

  // NSS finds the trust for a certificate with a query on issuer and serial and takes the first
  // object it returns (devtoken.c, nssToken_FindTrustForCertificate); that is the lowest rowid.
  const trusts = new Map<string, Row>()
  eachRow(db, select(Object.values(COLUMN), CKO_NSS_TRUST), (row) => {
    const key = issuerSerialKey(row)
    if (key && !trusts.has(key)) trusts.set(key, row)
  })

  const records: NssRecord[] = []
  const problems: NssReading['problems'][number][] = []
  eachRow(db, select([COLUMN.label, COLUMN.value, COLUMN.certificateType, COLUMN.issuer, COLUMN.serialNumber], CKO_CERTIFICATE), (row) => {
    const type = ulong(row[COLUMN.certificateType])
    if (type !== null && type !== CKC_X_509) return // an attribute certificate or other kind: not a trust anchor
    const der = blob(row[COLUMN.value])
    const label = blob(row[COLUMN.label])
    if (!der || der.length === 0) {
      const name = label && label.length > 0 ? `"${new TextDecoder().decode(label)}"` : 'without a nickname'
      problems.push({ code: 'nss-empty-certificate', message: `${path} holds a certificate object ${name} with no certificate data; it was skipped.` })
      return
    }
    const key = trusts.size > 0 ? issuerSerialKey(row) : null
    const trust = key ? trusts.get(key) : undefined
    records.push({
      der,
      nickname: label && label.length > 0 ? new TextDecoder().decode(label) : null,
      sslFlags: trust && trustApplies(trust, der) ? trustLetters(sslBits(ulong(trust[COLUMN.trustServerAuth]), ulong(trust[COLUMN.trustClientAuth]))) : '',
    })
  })
  return { records, problems }
}

/** Runs a query and hands each row to `use`, as an object by column name. */
function eachRow(db: Database, sql: string, use: (row: Row) => void): void {
  const statement = db.prepare(sql)
  try {
    while (statement.step()) use(statement.getAsObject() as Row)
  } finally {
    statement.free()
  }
}

/**
 * NSS only believes a trust object whose CKA_CERT_SHA1_HASH matches the certificate, except one
 * that trusts nothing (only "not trusted" or "unknown"), which may apply to every certificate with
 * that issuer and serial (certificate.c, nssTrust_Create and nssTrust_IsSafeToIgnoreCertHash).
 *
 * Not checked here: NSS also verifies a MAC over each trust value, kept in key4.db and keyed by the
 * database password, and ignores values whose MAC fails (a record edited outside NSS). Without the
 * password we cannot check it, so a tampered record reads as stored here while certutil shows ",,".
 */
function trustApplies(trust: Row, der: Uint8Array): boolean {
  const hash = blob(trust[COLUMN.certSha1Hash])
  if (hash && hash.length === 20) return Buffer.from(hash).equals(createHash('sha1').update(der).digest())
  if (hash && hash.length > 0) return false
  const safeWithoutHash = (value: number | null) => value === null || value === CKT.TRUST_UNKNOWN || value === CKT.NOT_TRUSTED
  const stepUp = blob(trust[COLUMN.trustStepUp])
  return (
    safeWithoutHash(ulong(trust[COLUMN.trustServerAuth])) &&
    safeWithoutHash(ulong(trust[COLUMN.trustClientAuth])) &&
    safeWithoutHash(ulong(trust[COLUMN.trustCodeSigning])) &&
    safeWithoutHash(ulong(trust[COLUMN.trustEmailProtection])) &&
    !(stepUp && stepUp.length > 0 && stepUp[0] !== 0)
  )
}

function issuerSerialKey(row: Row): string | null {
  const issuer = blob(row[COLUMN.issuer])
  const serial = blob(row[COLUMN.serialNumber])
  return issuer && serial ? `${Buffer.from(issuer).toString('hex')}/${Buffer.from(serial).toString('hex')}` : null
}

/** An attribute's bytes: null when absent, empty when NSS stored its explicit-empty marker. */
function blob(value: SqlValue | undefined): Uint8Array | null {
  if (!(value instanceof Uint8Array)) return null
  return Buffer.from(value.buffer, value.byteOffset, value.length).equals(EXPLICIT_NULL) ? new Uint8Array(0) : value
}

/** A CK_ULONG attribute (4 bytes, big-endian, as sdb stores it); null when absent or malformed. */
function ulong(value: SqlValue | undefined): number | null {
  const bytes = blob(value)
  return bytes && bytes.length === 4 ? Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32BE(0) : null
}
