/**
 * sql.js (SQLite compiled to WebAssembly), loaded once per process when a store first needs it:
 * SQLite files are read from memory, so the live file of a running program is never opened with
 * SQLite (see sqlite-snapshot.ts). The .wasm comes from node_modules, never from the network.
 */
import { createRequire } from 'node:module'
import type { Database, SqlJsStatic } from 'sql.js'
import { StoreError } from '../types.js'
import { readRegularFile } from './regular-file.js'

let sqlJs: Promise<SqlJsStatic> | null = null

/** The sql.js module; loaded on first use (importing it costs every start, and most scans never need it). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= (async () => {
    const { default: initSqlJs } = await import('sql.js')
    const require = createRequire(import.meta.url)
    const wasmBinary = await readRegularFile(require.resolve('sql.js/dist/sql-wasm.wasm'), { maxBytes: 64 * 1024 * 1024, what: 'SQLite module' })
    return initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer })
  })()
  return sqlJs
}

/** After a WebAssembly trap the module may be unusable: the next {@link loadSqlJs} loads a fresh one. */
export function discardSqlJsAfter(error: unknown): void {
  if ((error as Error | undefined)?.name === 'RuntimeError') sqlJs = null
}

/** The header bytes saying which journal a database uses: 1 rollback, 2 write-ahead log (https://www.sqlite.org/fileformat2.html). */
export const JOURNAL_MODE_BYTES = [18, 19] as const

/** Gives `image` the journal mode `from` has (a copy changed in rollback mode goes back as the live file was). */
export function keepJournalMode(image: Uint8Array, from: Uint8Array): void {
  for (const at of JOURNAL_MODE_BYTES) if (from.length > at && image.length > at) image[at] = from[at]!
}

/**
 * Opens a database image in sql.js, runs `use`, closes it. `rollback`: on a copy marked as a
 * rollback-journal database (sql.js has no shared memory for a WAL; the caller's bytes stay as they
 * are). A function for `image` is called once, so the caller keeps no copy of a big image. What SQLite
 * cannot read becomes `damaged(SQLite's message)`; a StoreError thrown by `use` passes through.
 */
export async function withSqlImage<T>(
  image: Uint8Array | (() => Uint8Array),
  options: { readonly rollback: boolean; readonly damaged: (sqliteSays: string) => StoreError },
  use: (db: Database) => T,
): Promise<T> {
  const SQL = await loadSqlJs()
  let db: Database | null = null
  try {
    const bytes = typeof image === 'function' ? image() : image
    const opened = options.rollback ? Uint8Array.from(bytes) : bytes
    if (options.rollback) for (const at of JOURNAL_MODE_BYTES) if (opened.length > at) opened[at] = 1
    db = new SQL.Database(opened)
    return use(db)
  } catch (error) {
    if (error instanceof StoreError) throw error
    // A WebAssembly trap may leave the module unusable: load a fresh one next time.
    discardSqlJsAfter(error)
    throw options.damaged((error as Error).message)
  } finally {
    db?.close()
  }
}
