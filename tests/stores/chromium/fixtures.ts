/**
 * Real Chromium ServerCertificate databases for the chromium tests, made by the sqlite3 command-line
 * tool in temp dirs with the browser's own schema (server_certificate_database.cc and sql::MetaTable),
 * and trust settings encoded by hand from the wire format (or by protoc, the protobuf compiler, where
 * a test wants the official encoder). sqlite3 is also the oracle that reads results back.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { installed } from '../../support/tools.js'

export const haveSqlite3 = installed('sqlite3', ['-version'])
export const haveProtoc = installed('protoc', ['--version'])
export const SQLITE3_ABSENT_REASON = 'the sqlite3 command-line tool is not installed (apt-get install sqlite3; ./scripts/setup-system.sh)'
export const PROTOC_ABSENT_REASON = 'protoc is not installed (apt-get install protobuf-compiler; ./scripts/setup-system.sh)'

/** Chromium's tables, as ServerCertificateDatabase::InitInternal and sql::MetaTable create them. */
export const CHROMIUM_SCHEMA = [
  'CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);',
  "INSERT INTO meta VALUES('mmap_status','-1'),('version','1'),('last_compatible_version','1');",
  'CREATE TABLE certificates(sha256hash_hex TEXT PRIMARY KEY,der_cert BLOB NOT NULL,trust_settings BLOB NOT NULL);',
].join('\n')

/** CertificateTrust.CertificateTrustType. */
export const TRUSTED = 3
export const DISTRUSTED = 2
export const UNSPECIFIED = 1

/** A varint, as the protobuf wire format writes it. */
function varint(value: number): number[] {
  const out: number[] = []
  do {
    const low = value & 0x7f
    value = Math.floor(value / 128)
    out.push(value > 0 ? low | 0x80 : low)
  } while (value > 0)
  return out
}

function lengthDelimited(field: number, payload: readonly number[]): number[] {
  return [(field << 3) | 2, ...varint(payload.length), ...payload]
}

/**
 * CertificateMetadata bytes: `{ trust { trust_type } constraints { dns_names… CIDRs… } }`, fields in
 * number order as protobuf's serializer writes them. `cidrs` are [ip bytes, prefix length].
 */
export function metadata(trustType: number | null, constraints: { dns?: readonly string[]; cidrs?: readonly [readonly number[], number][] } = {}): Buffer {
  const bytes: number[] = []
  if (trustType !== null) bytes.push(...lengthDelimited(1, [0x08, ...varint(trustType)]))
  const inner: number[] = []
  for (const name of constraints.dns ?? []) inner.push(...lengthDelimited(1, [...Buffer.from(name)]))
  for (const [ip, prefix] of constraints.cidrs ?? []) inner.push(...lengthDelimited(3, [...lengthDelimited(1, ip), 0x10, ...varint(prefix)]))
  if (inner.length > 0) bytes.push(...lengthDelimited(2, inner))
  return Buffer.from(bytes)
}

export interface Row {
  readonly der: Uint8Array
  /** Defaults to the lower-case hex SHA-256 of `der`, as the browser writes it. */
  readonly key?: string
  readonly trust: Uint8Array
}

export const sha256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex')
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`

/** INSERT statements for rows, as the browser's InsertOrUpdateCerts binds them (text, blob, blob). */
export function insertSql(rows: readonly Row[]): string {
  return rows.map((row) => `INSERT INTO certificates VALUES(${sqlString(row.key ?? sha256(row.der))}, X'${hex(row.der)}', X'${hex(row.trust)}');`).join('\n')
}

/** Runs SQL with the sqlite3 tool on a database file. */
export function sqlite3(database: string, sql: string): string {
  return execFileSync('sqlite3', ['-batch', database], { input: sql, encoding: 'utf8' })
}

/** A new ServerCertificate database in `profileDir` holding `rows`; returns its path. */
export function makeServerCertificate(profileDir: string, rows: readonly Row[], options: { readonly wal?: boolean } = {}): string {
  mkdirSync(profileDir, { recursive: true })
  const path = join(profileDir, 'ServerCertificate')
  sqlite3(path, `${options.wal ? 'PRAGMA journal_mode=WAL;\n' : ''}${CHROMIUM_SCHEMA}\n${insertSql(rows)}\n`)
  // What the browser's TRUNCATE journal mode leaves beside the database after a transaction.
  if (!options.wal) writeFileSync(`${path}-journal`, '')
  return path
}

/** Every row as sqlite3 sees it: key, certificate and trust settings in hex, and the rowid; in rowid order. */
export function dumpRows(database: string): string[] {
  return sqlite3(database, "SELECT rowid, sha256hash_hex, typeof(sha256hash_hex), hex(der_cert), typeof(der_cert), hex(trust_settings), typeof(trust_settings) FROM certificates ORDER BY rowid;")
    .trim()
    .split('\n')
    .filter((line) => line !== '')
}

/** sqlite3's own verdict on the file. */
export function integrity(database: string): string {
  return sqlite3(database, 'PRAGMA integrity_check;').trim()
}

/**
 * Runs `sql` in a sqlite3 process and kills it (SIGKILL) once the statements have run, as a browser
 * that crashed: with `wal` the database is left with committed rows only in its -wal file; without,
 * `sql` should leave a transaction open, and its pages spilled to the file leave a hot -journal.
 */
export async function crashAfter(database: string, sql: string, options: { readonly wal: boolean }): Promise<void> {
  const child = spawn('sqlite3', ['-batch', database], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve())
    child.on('exit', (code) => reject(new Error(`sqlite3 exited (${code}) before it was ready: ${stderr}`)))
  })
  const setup = options.wal ? 'PRAGMA journal_mode=WAL;\nPRAGMA wal_autocheckpoint=0;\n' : 'PRAGMA cache_size=1;\n'
  child.stdin.write(`${setup}${sql}\n.print ready\n`)
  await ready
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  child.kill('SIGKILL')
  await exited
}

/** Writes a file, its folder made first. */
export function put(path: string, content: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  return path
}

/** Local State naming profiles: `{ Default: 'Person 1', 'Profile 1': 'Work' }`. */
export function localState(userDataDir: string, names: Readonly<Record<string, string>>): string {
  const infoCache = Object.fromEntries(Object.entries(names).map(([key, name]) => [key, { name, is_using_default_name: false, avatar_icon: 'chrome://theme/IDR_PROFILE_AVATAR_26' }]))
  return put(join(userDataDir, 'Local State'), JSON.stringify({ browser: { enabled_labs_experiments: [] }, profile: { info_cache: infoCache, profiles_order: Object.keys(names) } }))
}

/**
 * The proto schema of the trust settings (field numbers from Chromium's
 * server_certificate_database.proto), for protoc to encode and decode them in tests.
 */
export const PROTO_SCHEMA = `syntax = "proto3";
package certaudit_test;
message CertificateTrust { enum Type { UNKNOWN = 0; UNSPECIFIED = 1; DISTRUSTED = 2; TRUSTED = 3; } optional Type trust_type = 1; }
message CIDR { bytes ip = 1; uint32 prefix_length = 2; }
message Constraints { repeated string dns_names = 1; repeated CIDR cidrs = 3; }
message CertificateMetadata { optional CertificateTrust trust = 1; optional Constraints constraints = 2; }
`

/** protoc --encode / --decode on CertificateMetadata (text format in, bytes out, or the reverse). */
export function protoc(dir: string, mode: 'encode' | 'decode' | 'decode_raw', input: string | Uint8Array): Buffer {
  const schema = put(join(dir, 'metadata.proto'), PROTO_SCHEMA)
  const args = mode === 'decode_raw' ? ['--decode_raw'] : [`--${mode}=certaudit_test.CertificateMetadata`, `--proto_path=${dir}`, schema]
  return execFileSync('protoc', args, { input })
}
