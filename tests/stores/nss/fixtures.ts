/**
 * Real NSS databases for the nss-* tests, made by the real certutil (libnss3-tools) in temp dirs,
 * and helpers to compare the two readers. Nothing here touches ~/.mozilla, ~/.pki or /etc.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect } from 'vitest'
import { runCommand, type CommandResult, type CommandRunner } from '../../../src/stores/shared/command.js'
import type { Environment } from '../../../src/stores/shared/environment.js'
import { readNssDatabase } from '../../../src/stores/nss/read.js'
import type { NssReading } from '../../../src/stores/nss/trust.js'
import type { MadeCertificate } from '../../support/certificates.js'

function installed(tool: string, args: string[]): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore' })
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

export const certutilInstalled = installed('certutil', ['--help'])
export const python3Installed = installed('python3', ['--version'])
export const CERTUTIL_ABSENT_REASON = 'certutil is not installed (apt-get install libnss3-tools)'
if (!certutilInstalled) console.warn(`[skipped] NSS tests: ${CERTUTIL_ABSENT_REASON}`)

export function certutil(args: readonly string[]): string {
  return execFileSync('certutil', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

export interface Planted {
  readonly nickname: string
  /** certutil -t, e.g. "C,,". */
  readonly trust: string
  readonly cert: Pick<MadeCertificate, 'pem'>
}

/**
 * A new cert9.db/key4.db in `dir` holding `planted`: with the empty password, as Firefox makes them,
 * or with `password` (a Primary Password).
 */
export function makeNssDb(dir: string, planted: readonly Planted[], options: { readonly password?: string } = {}): string {
  mkdirSync(dir, { recursive: true })
  const passwordFile = join(dir, 'password.txt')
  if (options.password) writeFileSync(passwordFile, `${options.password}\n`)
  const login = options.password ? ['-f', passwordFile] : []
  certutil(['-N', '-d', `sql:${dir}`, ...(options.password ? login : ['--empty-password'])])
  const pem = join(dir, 'planting.pem')
  for (const { nickname, trust, cert } of planted) {
    writeFileSync(pem, cert.pem)
    certutil(['-A', '-d', `sql:${dir}`, ...login, '-n', nickname, '-t', trust, '-i', pem])
  }
  if (planted.length > 0) unlinkSync(pem)
  if (options.password) unlinkSync(passwordFile)
  return dir
}

/** A copy of a database folder at `to` (parents created). */
export function copyDb(from: string, to: string): string {
  mkdirSync(dirname(to), { recursive: true })
  cpSync(from, to, { recursive: true })
  return to
}

/** Writes an INI file: `{ Profile0: { Name: 'default', … } }`. */
export function writeIni(path: string, sections: Readonly<Record<string, Readonly<Record<string, string>>>>): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, Object.entries(sections).map(([name, values]) => `[${name}]\n${Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join('')}`).join('\n'))
}

export const sha256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex')

/** A reading reduced to what must be equal between the readers. */
export function summarize(reading: NssReading): { nickname: string | null; sslFlags: string; sha256: string }[] {
  return reading.records.map((r) => ({ nickname: r.nickname, sslFlags: r.sslFlags, sha256: sha256(r.der) }))
}

/** Reads `dir` with certutil and with SQLite, asserts they agree and found no problem, returns the reading. */
export async function readBoth(env: Environment, dir: string): Promise<NssReading> {
  const [viaCertutil, viaSqlite] = await Promise.all([readNssDatabase(env, dir, 'certutil'), readNssDatabase(env, dir, 'sqlite')])
  expect(summarize(viaCertutil)).toEqual(summarize(viaSqlite))
  expect(viaCertutil.problems).toEqual([])
  expect(viaSqlite.problems).toEqual([])
  return viaSqlite
}

/** A command runner that records every command and answers "not installed" for certutil. */
export function runnerWithoutCertutil(): { run: CommandRunner; calls: string[][] } {
  const calls: string[][] = []
  const run: CommandRunner = (command, args, options) => {
    calls.push([command, ...args])
    if (command !== 'certutil') return runCommand(command, args, options)
    const missing: CommandResult = { command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn certutil ENOENT' }
    return Promise.resolve(missing)
  }
  return { run, calls }
}

/**
 * Runs a Python sqlite3 script in a child that prints "ready" once it holds the database the way
 * a running program would, and keeps holding it until {@link release} is called.
 */
export async function holdDatabase(script: string, database: string): Promise<{ release: () => Promise<void> }> {
  const child: ChildProcessWithoutNullStreams = spawn('python3', ['-c', script, database])
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve())
    child.on('exit', (code) => reject(new Error(`python3 exited with ${code} before holding the database: ${stderr}`)))
  })
  return {
    release: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.on('exit', () => resolve())
        child.stdin.end()
      }),
  }
}
