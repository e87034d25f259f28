import { delimiter, isAbsolute, join } from 'node:path'
import { machinePath, type Environment } from '../shared/environment.js'
import { readConfigText } from '../shared/machine-files.js'
import type { StoreError, StoreLocation } from '../types.js'
import { startupAssignments, type Assignment } from './startup-files.js'
import { CA_VARIABLES, caVariable, JAVA_OPTION_VARIABLES, javaTrustStore, NOT_A_PATH, type PointerType } from './variables.js'

/**
 * A place a variable or git setting points programs at. `problem`: the setting was found but what it
 * names cannot be known (an expression only a shell computes, an unreadable start-up file); listing
 * the location throws it, so it reaches the report as a failed store.
 */
export interface EnvBundleLocation extends StoreLocation {
  /** The keystore password a JVM option gives (`-Djavax.net.ssl.trustStorePassword`). */
  readonly password?: string
  readonly problem?: { readonly code: string; readonly message: string }
}

/** git's own settings, read from the config files git reads (system, global, XDG): https://git-scm.com/docs/git-config#FILES */
const GIT_KEYS: Readonly<Record<string, 'file' | 'dir'>> = { sslcainfo: 'file', sslcapath: 'dir' }

interface Pointer {
  readonly path: string
  readonly type: PointerType
  readonly setBy: string
  readonly password?: string
  readonly problem?: EnvBundleLocation['problem']
}

/**
 * Every bundle, folder or keystore a trust variable (variables.ts) or git setting points at, once,
 * its note naming all that set it and, where a start-up file sets the variable, which line. The
 * variables are the audited machine's: this process's on the live machine, none under another
 * system root, where the image's start-up files (startup-files.ts) say what its programs see.
 */
export async function discover(env: Environment): Promise<EnvBundleLocation[]> {
  const { assignments, problems } = await startupAssignments(env)
  const pointers: Pointer[] = [...fromMachine(env, assignments), ...fromStartupFiles(env, assignments), ...(await gitPointers(env))]
  for (const problem of problems) pointers.push({ path: problem.path, type: 'file', setBy: `start-up file ${problem.path}`, problem })

  const byPath = new Map<string, { type: PointerType; setBy: string[]; password?: string; problem?: Pointer['problem'] }>()
  for (const pointer of pointers) {
    const key = pointer.problem ? `${pointer.path}#${pointer.setBy}` : pointer.path
    const known = byPath.get(key)
    if (known) {
      if (!known.setBy.includes(pointer.setBy)) known.setBy.push(pointer.setBy)
    } else {
      byPath.set(key, { type: pointer.type, setBy: [pointer.setBy], ...(pointer.password !== undefined ? { password: pointer.password } : {}), ...(pointer.problem ? { problem: pointer.problem } : {}) })
    }
  }
  return [...byPath].map(([key, { type, setBy, password, problem }]) => {
    const path = problem ? key.slice(0, key.indexOf('#')) : key
    const what = problem ? 'setting' : type === 'dir' ? 'folder' : type === 'keystore' ? 'Java trust store' : 'bundle'
    return {
      id: problem ? `env-bundle:${key}` : `env-bundle:${path}`,
      kind: 'env-bundle',
      location: path,
      note: `${what} set by ${joinNames(setBy)}`,
      facts: { setBy },
      ...(password !== undefined ? { password } : {}),
      ...(problem ? { problem } : {}),
    }
  })
}

/** The audited machine's variables, each with where a start-up file sets it (when one does). */
function fromMachine(env: Environment, assignments: readonly Assignment[]): Pointer[] {
  const found: Pointer[] = []
  const where = (name: string, value: string) => {
    const set = assignments.find((a) => a.name === name && a.raw.includes(value)) ?? assignments.find((a) => a.name === name)
    return set ? `${name} (set in ${set.file}, line ${set.line})` : name
  }
  const names = Object.keys(env.machineEnv)
  const ordered = [...CA_VARIABLES.map((v) => v.name).filter((n) => names.includes(n)), ...names.filter((n) => !CA_VARIABLES.some((v) => v.name === n)).sort()]
  for (const name of ordered) {
    const value = env.machineEnv[name]
    if (!value) continue
    for (const pointer of pointersOf(env, name, value, false)) found.push({ ...pointer, setBy: where(name, value) })
  }
  return found
}

/** Variables only a start-up file sets (for a disk image: all of them): their paths are the machine's. */
function fromStartupFiles(env: Environment, assignments: readonly Assignment[]): Pointer[] {
  const found: Pointer[] = []
  for (const set of assignments) {
    if (env.machineEnv[set.name] !== undefined) continue // the variable as the machine has it was read above
    const setBy = `${set.name} in ${set.file}, line ${set.line}`
    if (set.value === null) {
      found.push({ path: set.file, type: 'file', setBy, problem: { code: 'unresolved-setting', message: `${set.file}, line ${set.line} sets ${set.name} to ${set.raw}, which only a shell can work out; CertAudit did not check what it points at.` } })
      continue
    }
    for (const pointer of pointersOf(env, set.name, set.value, true)) found.push({ ...pointer, setBy })
  }
  return found
}

/**
 * What one variable's value points at: a path, a list of paths, or the trust store of JVM options.
 * `fromFile`: read from the machine's own files, so an absolute path is one of its own (under its root);
 * a variable given for the machine names a path as this process sees it.
 */
function pointersOf(env: Environment, name: string, value: string, fromFile: boolean): Omit<Pointer, 'setBy'>[] {
  const onMachine = (path: string) => placeOf(env, path, fromFile)
  if ((JAVA_OPTION_VARIABLES as readonly string[]).includes(name)) {
    const store = javaTrustStore(value)
    if (!store) return []
    return [{ path: onMachine(store.path), type: 'keystore', ...(store.password !== undefined ? { password: store.password } : {}) }]
  }
  const variable = caVariable(name)
  if (!variable) return []
  if (name === 'CONDA_SSL_VERIFY' && NOT_A_PATH.has(value.trim().toLowerCase())) return []
  const values = variable.list ? value.split(delimiter).filter(Boolean) : [value]
  return values.map((v) => ({ path: variable.fileIn ? join(onMachine(v), variable.fileIn) : onMachine(v), type: variable.type }))
}

async function gitPointers(env: Environment): Promise<Pointer[]> {
  const xdg = env.machineEnv.XDG_CONFIG_HOME || join(env.home, '.config')
  const files = [machinePath(env, '/etc/gitconfig'), join(xdg, 'git/config'), join(env.home, '.gitconfig')]
  const found: Pointer[] = []
  for (const file of files) {
    let text: string
    try {
      const read = await readConfigText(env, file)
      if (!read) continue // no such config: nothing set there
      text = read.text
    } catch (error) {
      const cause = error as StoreError
      found.push({ path: file, type: 'file', setBy: `git config ${file}`, problem: { code: cause.code ?? 'unreadable', message: `${cause.message} Its http.sslCAInfo and http.sslCAPath were not checked.` } })
      continue
    }
    let section = ''
    for (const raw of text.split('\n')) {
      const line = raw.replace(/[#;].*$/, '').trim()
      const header = /^\[\s*([a-z0-9.-]+)(?:\s+"[^"]*")?\s*\]$/i.exec(line)
      if (header) {
        section = header[1]!.toLowerCase()
        continue
      }
      const setting = /^([a-z0-9-]+)\s*=\s*(.*)$/i.exec(line)
      const type = setting && section === 'http' ? GIT_KEYS[setting[1]!.toLowerCase()] : undefined
      if (setting && type) {
        found.push({ path: placeOf(env, setting[2]!.replace(/^"|"$/g, ''), true), type, setBy: `http.${setting[1]} in ${file}` })
      }
    }
  }
  return found
}

/** A path a setting names: ~ is the home folder; an absolute path in the machine's own files is inside its root. */
function placeOf(env: Environment, value: string, fromFile: boolean): string {
  const path = value === '~' || value.startsWith('~/') ? join(env.home, value.slice(1)) : value
  if (!isAbsolute(path)) return join(env.home, path)
  return fromFile ? machinePath(env, path) : path
}

function joinNames(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}
