/**
 * sql.js (SQLite compiled to WebAssembly), loaded once per process when a store first needs it:
 * SQLite files are read from memory, so the live file of a running program is never opened with
 * SQLite (see sqlite-snapshot.ts). The .wasm comes from node_modules, never from the network.
 */
import { createRequire } from 'node:module'
import type { SqlJsStatic } from 'sql.js'
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
