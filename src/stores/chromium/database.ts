/**
 * Chromium's ServerCertificate database, read and changed in memory with sql.js: never the live
 * file (the browser keeps it open, in exclusive locking mode), always a snapshot of it
 * (../shared/sqlite-snapshot.ts) or a copy being prepared to replace it (swap.ts).
 *
 * The layout (components/server_certificate_database/server_certificate_database.cc,
 * https://source.chromium.org/chromium/chromium/src/+/main:components/server_certificate_database/server_certificate_database.cc):
 *   CREATE TABLE certificates(sha256hash_hex TEXT PRIMARY KEY, der_cert BLOB NOT NULL, trust_settings BLOB NOT NULL)
 * plus sql::MetaTable's `meta` (version 1). Chromium reads every row with
 * `SELECT sha256hash_hex, der_cert, trust_settings FROM certificates` and never checks the hash
 * against the certificate: the certificate it trusts is der_cert, whatever the key says.
 */
import type { Database, SqlValue } from 'sql.js'
import { keepJournalMode, withSqlImage } from '../shared/sql-js.js'
import { StoreError } from '../types.js'

/** One row of `certificates`, with the bytes exactly as stored. */
export interface CertificateRow {
  readonly rowid: number
  /** sha256hash_hex as stored: Chromium's key, deleted and replaced by. */
  readonly key: string
  readonly der: Uint8Array
  readonly trustSettings: Uint8Array
  /** The SQLite storage classes of the three columns, "text,blob,blob" when Chromium wrote the row. */
  readonly types: string
}

/** The storage classes of a row Chromium wrote (BindString, BindBlob, BindBlob). */
export const BROWSER_TYPES = 'text,blob,blob'

/** One change to the table, made by rowid (the key may lie about the certificate). */
export type RowChange =
  | { readonly kind: 'delete'; readonly rowid: number }
  | { readonly kind: 'set-trust'; readonly rowid: number; readonly trustSettings: Uint8Array }
  | { readonly kind: 'insert'; readonly row: Omit<CertificateRow, 'types'> }

/**
 * Every row of the database image, in rowid order (Chromium's order). A database without the
 * `certificates` table holds no certificate (Chromium creates it empty). Throws {@link StoreError}
 * `chromium-corrupt-db` when SQLite cannot read the image or the table is not Chromium's layout.
 */
export async function readRows(image: Uint8Array, shown: string): Promise<CertificateRow[]> {
  return withDatabase(image, shown, (db) => rowsOf(db))
}

/**
 * The image with one change made, checked before anyone relies on it: SQLite's integrity check
 * passes, the change touched exactly one row, and every other row reads back byte for byte as
 * before. The journal mode in the header is the original's. Throws {@link StoreError}.
 */
export async function changeImage(image: Uint8Array, change: RowChange, shown: string): Promise<Uint8Array> {
  const before = await readRows(image, shown)
  const changed = await withDatabase(image, shown, (db) => {
    try {
      return changeInPlace(db, before, change, shown)
    } catch (error) {
      if (error instanceof StoreError) throw error
      throw new StoreError('chromium-change-failed', `SQLite could not make the change on a copy of ${shown} (${(error as Error).message}); nothing was written.`)
    }
  })
  keepJournalMode(changed, image)
  assertOnlyChange(before, await readRows(changed, shown), change, shown)
  return changed
}

/** Makes the change in one transaction, checks it, and exports the database. */
function changeInPlace(db: Database, before: readonly CertificateRow[], change: RowChange, shown: string): Uint8Array {
  db.run('BEGIN')
  if (change.kind === 'delete') db.run('DELETE FROM certificates WHERE rowid = ?', [change.rowid])
  else if (change.kind === 'set-trust') db.run('UPDATE certificates SET trust_settings = ? WHERE rowid = ?', [change.trustSettings, change.rowid])
  else {
    const { rowid, key, der, trustSettings } = change.row
    // The backed-up rowid when it is free, so the table reads back in the same order as before.
    const free = before.every((row) => row.rowid !== rowid)
    db.run(
      free ? 'INSERT INTO certificates(rowid, sha256hash_hex, der_cert, trust_settings) VALUES (?, ?, ?, ?)' : 'INSERT INTO certificates(sha256hash_hex, der_cert, trust_settings) VALUES (?, ?, ?)',
      free ? [rowid, key, der, trustSettings] : [key, der, trustSettings],
    )
  }
  if (db.getRowsModified() !== 1) throw new StoreError('chromium-change-failed', `SQLite changed ${db.getRowsModified()} rows of ${shown} instead of one; nothing was written.`)
  db.run('COMMIT')
  const check = db.exec('PRAGMA integrity_check')[0]?.values.map((row) => String(row[0])) ?? []
  if (check.join() !== 'ok') throw new StoreError('chromium-change-failed', `The changed copy of ${shown} failed SQLite's integrity check (${check.slice(0, 3).join('; ')}); nothing was written.`)
  return db.export()
}

/** Every row but the changed one must read back as it was; the changed one as asked. */
function assertOnlyChange(before: readonly CertificateRow[], after: readonly CertificateRow[], change: RowChange, shown: string): void {
  const same = (a: CertificateRow, b: CertificateRow) => a.key === b.key && a.types === b.types && Buffer.from(a.der).equals(b.der) && Buffer.from(a.trustSettings).equals(b.trustSettings)
  const byRowid = new Map(after.map((row) => [row.rowid, row]))
  const untouched = before.filter((row) => change.kind === 'insert' || row.rowid !== change.rowid)
  const expectedCount = before.length + (change.kind === 'insert' ? 1 : change.kind === 'delete' ? -1 : 0)
  let ok = after.length === expectedCount && untouched.every((row) => byRowid.has(row.rowid) && same(row, byRowid.get(row.rowid)!))
  if (ok && change.kind === 'set-trust') ok = Buffer.from(byRowid.get(change.rowid)?.trustSettings ?? []).equals(change.trustSettings)
  if (ok && change.kind === 'insert') {
    const added = after.find((row) => !before.some((b) => b.rowid === row.rowid))
    ok = added !== undefined && added.key === change.row.key && added.types === BROWSER_TYPES && Buffer.from(added.der).equals(change.row.der) && Buffer.from(added.trustSettings).equals(change.row.trustSettings)
  }
  if (!ok) throw new StoreError('chromium-change-failed', `The changed copy of ${shown} did not read back as intended; nothing was written.`)
}

/** Opens the image in sql.js (as a rollback-journal database: sql.js has no shared memory for a WAL), runs `use`, closes it. */
function withDatabase<T>(image: Uint8Array, shown: string, use: (db: Database) => T): Promise<T> {
  const damaged = (sqliteSays: string) =>
    new StoreError(
      'chromium-corrupt-db',
      `${shown} is damaged or is not the browser's certificate database (SQLite says: ${sqliteSays}). Its certificates could not be checked; the browser itself may have set it aside.`,
    )
  return withSqlImage(image, { rollback: true, damaged }, use)
}

function rowsOf(db: Database): CertificateRow[] {
  const table = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'certificates'")
  if (table.length === 0) return []
  const rows: CertificateRow[] = []
  // CAST gives the stored bytes whatever the storage class; typeof says which class it was.
  const statement = db.prepare(
    'SELECT rowid, typeof(sha256hash_hex), CAST(sha256hash_hex AS TEXT), typeof(der_cert), CAST(der_cert AS BLOB), typeof(trust_settings), CAST(trust_settings AS BLOB) FROM certificates ORDER BY rowid',
  )
  try {
    while (statement.step()) {
      const [rowid, keyType, key, derType, der, trustType, trust] = statement.get()
      rows.push({ rowid: Number(rowid), key: typeof key === 'string' ? key : '', der: bytes(der), trustSettings: bytes(trust), types: `${String(keyType)},${String(derType)},${String(trustType)}` })
    }
  } finally {
    statement.free()
  }
  return rows
}

function bytes(value: SqlValue | undefined): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(0)
}
