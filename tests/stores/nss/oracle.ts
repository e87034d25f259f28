/**
 * The oracles for CertAudit's own NSS writer (src/stores/nss/sqlite-writer.ts): what NSS's certutil and
 * the sqlite3 tool say about a database. Both always look at a copy (with its -wal and -journal), so
 * neither can checkpoint a write-ahead log or roll a journal back in the database under test.
 */
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseLongListing, parseListing } from '../../../src/stores/nss/certutil.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import type { MadeCertificate } from '../../support/certificates.js'
import { certutil } from './fixtures.js'

export const sqlite3Installed = (() => {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
export const SQLITE3_ABSENT_REASON = 'sqlite3 is not installed (apt-get install sqlite3)'

const SUFFIXES = ['', '-wal', '-journal'] as const

/** Runs `use` on a copy of the database folder's cert9.db and key4.db (and their logs). */
export function onCopy<T>(dir: string, use: (copy: string) => T): T {
  const copy = mkdtempSync(join(tmpdir(), 'certaudit-oracle-'))
  try {
    for (const file of ['cert9.db', 'key4.db']) for (const suffix of SUFFIXES) if (existsSync(join(dir, file + suffix))) copyFileSync(join(dir, file + suffix), join(copy, file + suffix))
    return use(copy)
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}

/** sqlite3's `.dump` of both files (a hot journal rolled back, a log applied, as SQLite itself would). */
export function dumps(dir: string): { cert9: string; key4: string } {
  return onCopy(dir, (copy) => ({ cert9: sqlite3(join(copy, 'cert9.db'), '.dump'), key4: sqlite3(join(copy, 'key4.db'), '.dump') }))
}

export function sqlite3(file: string, sql: string): string {
  return execFileSync('sqlite3', [file, sql], { encoding: 'utf8' })
}

/**
 * certutil's listing, sorted lines "nickname  SSL,S/MIME,JAR/XPI": opened read-write once first (-X),
 * as Firefox opens it, so a hot journal is rolled back as Firefox would roll it back.
 */
export function listing(dir: string): string[] {
  return onCopy(dir, (copy) => {
    certutil(['-L', '-X', '-d', `sql:${copy}`])
    return certutil(['-L', '-d', `sql:${copy}`])
      .split('SSL,S/MIME,JAR/XPI')[1]!
      .split('\n')
      .map((line) => line.trimEnd().replace(/\s{2,}(\S+)$/, '  $1'))
      .filter(Boolean)
      .sort()
  })
}

/** NSS's own word on each certificate's SSL trust letters, by SHA-256 (certutil's long listing of every nickname). */
export function trustBySha256(dir: string): Map<string, string> {
  return onCopy(dir, (copy) => {
    certutil(['-L', '-X', '-d', `sql:${copy}`])
    const nicknames = new Set(parseListing(certutil(['-L', '-d', `sql:${copy}`])).entries.map((e) => e.nickname))
    const trust = new Map<string, string>()
    for (const nickname of nicknames) for (const [sha, flags] of parseLongListing(certutil(['-L', '-d', `sql:${copy}`, '-n', `NSS Certificate DB:${nickname}`]))) trust.set(sha, flags)
    return trust
  })
}

/** What the removal plan would hand over for one certificate of a profile. */
export function targetFor(dir: string, entry: string, cert: Pick<MadeCertificate, 'sha256' | 'pem'>, facts: EntryTarget['facts'] = { program: 'firefox' }): EntryTarget {
  return { storeId: `nss:${dir}`, kind: 'nss', location: dir, entry, sha256: cert.sha256, pem: cert.pem, trust: 'trusted', ...(facts ? { facts } : {}) }
}

/**
 * Runs `sql` in a sqlite3 process and kills it (SIGKILL), as a program that crashed: commits left in
 * the -wal (with `PRAGMA wal_autocheckpoint=0` in WAL mode), or an open transaction's hot -journal.
 */
export async function crashAfter(database: string, sql: string): Promise<void> {
  const child = spawn('sqlite3', ['-batch', database], { stdio: ['pipe', 'pipe', 'pipe'] })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve())
    child.on('exit', (code) => reject(new Error(`sqlite3 exited (${code}) before it was ready`)))
  })
  child.stdin.write(`${sql}\n.print ready\n`)
  await ready
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  child.kill('SIGKILL')
  await exited
}
