/**
 * Which package owns a file, asked of the package database of the machine being looked at: under
 * `--system-root` the image's own (`dpkg-query --admindir=<root>/var/lib/dpkg -S`, `rpm --root <root>
 * -qf`), never this machine's. The tools run through the Environment's runner with argument arrays,
 * read only. Each file is asked about once per scan; dpkg's questions of one moment go in one call
 * (dpkg-query reads its whole file list each time it starts, so twenty calls would cost twenty reads).
 */
import { existsSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { PlacedBy, PlacementContext } from '../types.js'
import type { Environment } from './environment.js'

export interface PackageOwners {
  /** The package (or packages, "a, b") owning `path`, a path as CertAudit sees it (under the system root); null when none does or none can tell. */
  owner(path: string): Promise<string | null>
  /** Why some answers could not be had (the tool is missing, the database unreadable), in English, once each. */
  readonly problems: readonly string[]
}

/** The package that owns `file`, as a placement; null when none does (or `file` is none). */
export async function packagePlacedBy(file: string | undefined, context: PlacementContext): Promise<PlacedBy | null> {
  if (!file) return null
  const name = await context.owner(file)
  return name ? { by: 'package', name, file, comesBack: true } : null
}

/** A file's path as the package database names it (`/usr/share/…`), or null for one outside the root or in the home. */
export function pathInImage(env: Environment, path: string): string | null {
  if (!path.startsWith('/') || /[\n*?[\]\\]/.test(path)) return null // dpkg would read these as a pattern
  if (isInside(env.home, path)) return null // a user's own files are no package's
  if (env.systemRoot === '/') return path
  if (!isInside(env.systemRoot, path)) return null
  return '/' + relative(env.systemRoot, path).split(sep).join('/')
}

function isInside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep)
}

type Database = { readonly kind: 'dpkg'; readonly admindir: string } | { readonly kind: 'rpm'; readonly dbpath: string } | null

/** The root's own package database, if it has one: dpkg's status file, else an rpm database. */
function databaseOf(env: Environment): Database {
  const admindir = join(env.systemRoot, 'var/lib/dpkg')
  if (existsSync(join(admindir, 'status'))) return { kind: 'dpkg', admindir }
  for (const dbpath of ['/var/lib/rpm', '/usr/lib/sysimage/rpm']) {
    const dir = join(env.systemRoot, dbpath)
    if (existsSync(join(dir, 'rpmdb.sqlite')) || existsSync(join(dir, 'Packages')) || existsSync(join(dir, 'Packages.db'))) return { kind: 'rpm', dbpath }
  }
  return null
}

const TIMEOUT_MS = 20_000
/** Paths per dpkg-query call: far below any argument-length limit. */
const DPKG_BATCH = 200

/** The package owners of one scan: a fresh one per scan, so no answer outlives it. */
export function packageOwners(env: Environment): PackageOwners {
  const problems: string[] = []
  const answers = new Map<string, Promise<string | null>>()
  let database: Database | undefined
  const db = () => (database === undefined ? (database = databaseOf(env)) : database)
  const problem = (text: string) => {
    if (!problems.includes(text)) problems.push(text)
  }

  // dpkg: questions asked in the same turn wait for one call.
  let pending: { path: string; resolve: (owner: string | null) => void }[] = []
  const flushDpkg = async (admindir: string) => {
    const batch = pending
    pending = []
    for (let start = 0; start < batch.length; start += DPKG_BATCH) {
      const part = batch.slice(start, start + DPKG_BATCH)
      const owners = await askDpkg(env, admindir, part.map((p) => p.path), problem)
      for (const { path, resolve } of part) resolve(owners.get(path) ?? null)
    }
  }

  const ask = (inside: string): Promise<string | null> => {
    const found = db()
    if (!found) return Promise.resolve(null)
    if (found.kind === 'rpm') return askRpm(env, found.dbpath, inside, problem)
    return new Promise((resolve) => {
      if (pending.length === 0) setImmediate(() => void flushDpkg(found.admindir))
      pending.push({ path: inside, resolve })
    })
  }

  return {
    problems,
    owner(path) {
      const inside = pathInImage(env, path)
      if (!inside) return Promise.resolve(null)
      let answer = answers.get(inside)
      if (!answer) answers.set(inside, (answer = ask(inside).catch(() => null)))
      return answer
    },
  }
}

/**
 * `dpkg-query -S` for several paths: "pkg: /path" (several packages: "a, b: /path") for each owned
 * one, an error line on stderr for the others (exit 1). A diverted file ("diversion by X from: /path")
 * is X's: the package that diverted it put its own file there.
 */
async function askDpkg(env: Environment, admindir: string, paths: readonly string[], problem: (text: string) => void): Promise<Map<string, string>> {
  const result = await env.run('dpkg-query', [`--admindir=${admindir}`, '-S', ...paths], { timeoutMs: TIMEOUT_MS })
  const owners = new Map<string, string>()
  if (result.spawnError) {
    problem(`dpkg-query could not be run (${result.spawnError}), so CertAudit cannot tell which files of ${env.systemRoot} belong to a package.`)
    return owners
  }
  if (result.exitCode !== 0 && result.exitCode !== 1) {
    problem(`dpkg-query could not read the package database ${admindir} (exit ${result.exitCode}): ${result.stderr.trim().split('\n')[0] ?? ''}`)
    return owners
  }
  const wanted = new Set(paths)
  const diverted = new Map<string, string>()
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const diversion = /^diversion by (\S+) from: (.*)$/.exec(line)
    if (diversion) {
      diverted.set(diversion[2]!, diversion[1]!)
      continue
    }
    if (line.startsWith('diversion by ')) continue
    const at = line.indexOf(': /')
    if (at <= 0) continue
    const path = line.slice(at + 2)
    if (wanted.has(path)) owners.set(path, line.slice(0, at))
  }
  for (const [path, by] of diverted) if (wanted.has(path)) owners.set(path, by)
  return owners
}

/** `rpm -qf` for one path (a file several packages own prints one name per line). */
async function askRpm(env: Environment, dbpath: string, path: string, problem: (text: string) => void): Promise<string | null> {
  const result = await env.run('rpm', ['--root', env.systemRoot, '--dbpath', dbpath, '-qf', '--queryformat', '%{NAME}\\n', path], { timeoutMs: TIMEOUT_MS })
  if (result.spawnError) {
    problem(`rpm could not be run (${result.spawnError}), so CertAudit cannot tell which files of ${env.systemRoot} belong to a package.`)
    return null
  }
  if (result.exitCode !== 0) return null // "file … is not owned by any package", or no such file
  const names = [...new Set(result.stdout.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean))]
  return names.length > 0 && names.every((n) => /^[\w.+-]+$/.test(n)) ? names.join(', ') : null
}
