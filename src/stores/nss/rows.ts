/**
 * Rows of an NSS database file (cert9.db's `nssPublic`, key4.db's `metaData`) read exactly as stored and
 * changed on an image in memory with sql.js: never the live file (see ../chromium/swap.ts for how the
 * result replaces it). "Exactly" means the SQLite storage class of every cell, its bytes and the row's
 * rowid, so that a row deleted and put back is the same row for SQLite, for `sqlite3 .dump` and for NSS.
 * Columns left out of a row are NULL (NSS's schema has ~130 attribute columns, most of them empty).
 * https://www.sqlite.org/datatype3.html
 */
import { createHash } from 'node:crypto'
import type { Database, SqlValue } from 'sql.js'
import { keepJournalMode, withSqlImage } from '../shared/sql-js.js'
import { StoreError } from '../types.js'

/** One non-NULL cell: blobs and texts as the bytes stored, integers as decimal text (64-bit exact). */
export type Cell = { readonly type: 'blob' | 'text'; readonly hex: string } | { readonly type: 'integer'; readonly value: string } | { readonly type: 'real'; readonly value: number }

/** A row as stored: its rowid and its non-NULL cells by column name. */
export interface StoredRow {
  readonly rowid: number
  readonly cells: Readonly<Record<string, Cell>>
}

/** One change to one table, made in one transaction: rows removed by rowid, rows added (at their rowid when it is free; 0 for any). */
export interface TableChange {
  readonly table: string
  readonly remove: readonly number[]
  readonly add: readonly StoredRow[]
}

/**
 * Opens a database image in sql.js (as a rollback-journal database: sql.js has no shared memory for a
 * WAL), runs `use`, closes it. Throws StoreError `nss-corrupt-db` when SQLite cannot read the image.
 */
export function withImage<T>(image: Uint8Array, shown: string, use: (db: Database) => T): Promise<T> {
  const damaged = (sqliteSays: string) => new StoreError('nss-corrupt-db', `${shown} is damaged or is not an NSS database SQLite can read (${sqliteSays}); nothing was changed.`)
  return withSqlImage(image, { rollback: true, damaged }, use)
}

/** The columns of a table, in order; empty when there is no such table. */
export function columnsOf(db: Database, table: string): string[] {
  return db.exec(`PRAGMA table_info(${quoteName(table)})`)[0]?.values.map((row) => String(row[1])) ?? []
}

/** The rows `where` selects (an SQL condition on the table, with `params`), exactly as stored, in rowid order. */
export function selectRows(db: Database, table: string, where: string, params: readonly SqlValue[] = []): StoredRow[] {
  const columns = columnsOf(db, table)
  if (columns.length === 0) return []
  // Per column: its storage class, its bytes (blob or text), its decimal text (integer) and its value (real).
  const parts = columns.flatMap((c) => [`typeof(${quoteName(c)})`, `CAST(${quoteName(c)} AS BLOB)`, `CAST(${quoteName(c)} AS TEXT)`, quoteName(c)])
  const statement = db.prepare(`SELECT rowid, ${parts.join(', ')} FROM ${quoteName(table)} WHERE ${where} ORDER BY rowid`)
  const rows: StoredRow[] = []
  try {
    statement.bind([...params])
    while (statement.step()) {
      const values = statement.get()
      const cells: Record<string, Cell> = {}
      columns.forEach((column, i) => {
        const [type, asBlob, asText, raw] = values.slice(1 + i * 4, 5 + i * 4)
        if (type === 'blob' || type === 'text') cells[column] = { type, hex: Buffer.from(asBlob instanceof Uint8Array ? asBlob : new Uint8Array(0)).toString('hex') }
        else if (type === 'integer') cells[column] = { type, value: String(asText) }
        else if (type === 'real') cells[column] = { type, value: Number(raw) }
      })
      rows.push({ rowid: Number(values[0]), cells })
    }
  } finally {
    statement.free()
  }
  return rows
}

/** A cell's bytes (blob or text); null for a NULL, integer or real cell. */
export function cellBytes(cell: Cell | undefined): Buffer | null {
  return cell && (cell.type === 'blob' || cell.type === 'text') ? Buffer.from(cell.hex, 'hex') : null
}

/** True when two rows are the same row: same rowid, same cells (class and bytes). */
export function sameRow(a: StoredRow, b: StoredRow): boolean {
  return a.rowid === b.rowid && rowText(a.cells) === rowText(b.cells)
}

/** True when two rows hold the same cells, whatever their rowids. */
export function sameCells(a: StoredRow, b: StoredRow): boolean {
  return rowText(a.cells) === rowText(b.cells)
}

function rowText(cells: Readonly<Record<string, Cell>>): string {
  return JSON.stringify(Object.keys(cells).sort().map((column) => [column, cells[column]]))
}

/**
 * The image with the changes made, each table's in one transaction, checked before anyone relies on
 * it: SQLite's integrity check passes, and read back, every table holds exactly what it held minus the
 * removed rows plus the added ones (each as asked, at its rowid when that was free). The journal mode
 * in the header is the original's. Throws {@link StoreError} `nss-change-failed`, naming `shown`.
 */
export async function changeImage(image: Uint8Array, changes: readonly TableChange[], shown: string): Promise<Uint8Array> {
  const fail = (why: string) => new StoreError('nss-change-failed', `The changed copy of ${shown} ${why}; nothing was written.`)
  const tables = await withImage(image, shown, (db) => tableNames(db))
  const before = await withImage(image, shown, (db) => new Map(tables.map((t) => [t, digests(db, t)])))
  const { changed, placed } = await withImage(image, shown, (db) => {
    const placed = new Map<string, Map<number, StoredRow>>()
    for (const change of changes) {
      const columns = new Set(columnsOf(db, change.table))
      if (columns.size === 0) throw fail(`has no table ${change.table}`)
      const rows = new Map<number, StoredRow>()
      db.run('BEGIN')
      try {
        for (const rowid of change.remove) {
          db.run(`DELETE FROM ${quoteName(change.table)} WHERE rowid = ?`, [rowid])
          if (db.getRowsModified() !== 1) throw fail(`did not hold row ${rowid} of ${change.table} to remove`)
        }
        for (const row of change.add) rows.set(insert(db, change.table, columns, row, fail), row)
        db.run('COMMIT')
      } catch (error) {
        db.run('ROLLBACK')
        if (error instanceof StoreError) throw error
        throw fail(`could not be made (SQLite says: ${(error as Error).message})`)
      }
      placed.set(change.table, rows)
    }
    const check = db.exec('PRAGMA integrity_check')[0]?.values.map((row) => String(row[0])) ?? []
    if (check.join() !== 'ok') throw fail(`failed SQLite's integrity check (${check.slice(0, 3).join('; ')})`)
    return { changed: db.export(), placed }
  })
  keepJournalMode(changed, image)
  // Read back from the exported bytes: what will be written is what was meant, and nothing else moved.
  await withImage(changed, shown, (db) => {
    for (const table of tables) {
      const after = digests(db, table)
      const expected = new Map(before.get(table))
      const change = changes.find((c) => c.table === table)
      for (const rowid of change?.remove ?? []) expected.delete(rowid)
      for (const [rowid, row] of placed.get(table) ?? []) expected.set(rowid, digestOf(db, table, { ...row, rowid }))
      if (after.size !== expected.size || [...expected].some(([rowid, digest]) => after.get(rowid) !== digest)) throw fail(`did not read back as intended (table ${table})`)
    }
  })
  return changed
}

/** Inserts one row with the exact storage classes of its cells; at its rowid when free. Returns the rowid it got. */
function insert(db: Database, table: string, columns: ReadonlySet<string>, row: StoredRow, fail: (why: string) => StoreError): number {
  const names = Object.keys(row.cells)
  for (const name of names) if (!columns.has(name)) throw fail(`has no column ${name} in ${table} for a row being put back`)
  // A rowid of 0 asks for none in particular (a new row).
  const free = row.rowid > 0 && db.exec(`SELECT 1 FROM ${quoteName(table)} WHERE rowid = ${Number(row.rowid)}`).length === 0
  const placeholders = names.map((name) => {
    const cell = row.cells[name]!
    return cell.type === 'text' ? 'CAST(? AS TEXT)' : cell.type === 'integer' ? 'CAST(? AS INTEGER)' : '?'
  })
  const values: SqlValue[] = names.map((name) => parameter(row.cells[name]!))
  const columnsSql = [...(free ? ['rowid'] : []), ...names].map(quoteName).join(', ')
  db.run(`INSERT INTO ${quoteName(table)} (${columnsSql}) VALUES (${[...(free ? ['?'] : []), ...placeholders].join(', ')})`, [...(free ? [row.rowid] : []), ...values])
  return Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0])
}

function tableNames(db: Database): string[] {
  return db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")[0]?.values.map((row) => String(row[0])) ?? []
}

/** Every row of a table as a digest of its exact cells (SQLite's quote() of each column), by rowid. */
function digests(db: Database, table: string): Map<number, string> {
  const columns = columnsOf(db, table)
  const statement = db.prepare(`SELECT rowid, ${columns.map((c) => `quote(${quoteName(c)})`).join(" || ',' || ") || "''"} FROM ${quoteName(table)}`)
  const out = new Map<number, string>()
  try {
    while (statement.step()) {
      const [rowid, text] = statement.get()
      out.set(Number(rowid), createHash('sha256').update(String(text)).digest('hex'))
    }
  } finally {
    statement.free()
  }
  return out
}

/** The digest a row would have in `table` ({@link digests}), computed by SQLite from the row's cells. */
function digestOf(db: Database, table: string, row: StoredRow): string {
  const columns = columnsOf(db, table)
  const expressions = columns.map((c) => {
    const cell = row.cells[c]
    return cell === undefined ? 'NULL' : cell.type === 'blob' ? '?' : cell.type === 'text' ? 'CAST(? AS TEXT)' : cell.type === 'integer' ? 'CAST(? AS INTEGER)' : '?'
  })
  const params: SqlValue[] = columns.flatMap((c) => {
    const cell = row.cells[c]
    return cell === undefined ? [] : [parameter(cell)]
  })
  const text = db.exec(`SELECT ${expressions.map((e) => `quote(${e})`).join(" || ',' || ") || "''"}`, params)[0]!.values[0]![0]
  return createHash('sha256').update(String(text)).digest('hex')
}

/** The value bound for a cell: its bytes (cast to text in SQL for a text cell), its decimal text (cast to an integer), its number. */
function parameter(cell: Cell): SqlValue {
  if (cell.type === 'integer' || cell.type === 'real') return cell.value
  return Buffer.from(cell.hex, 'hex')
}

/** An SQL identifier, double-quoted: column names come from the database's own schema or a backup. */
function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
