/**
 * Where an environment variable is set for the sessions of this machine, found by reading the files
 * that set variables at log-in — never by running a shell (a rc file may do anything; reading it
 * does nothing). pam_env (/etc/environment, /etc/security/pam_env.conf, ~/.pam_environment), systemd's
 * environment.d (https://www.freedesktop.org/software/systemd/man/latest/environment.d.html), the
 * login and interactive files of sh, bash, zsh, csh/tcsh and fish, system-wide and the user's.
 * A rc file's conditions are not followed: an assignment found in one is taken as setting it.
 */
import { join } from 'node:path'
import { systemPath, type Environment } from './environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolder } from './folder-listing.js'
import { realPathInRoot } from './paths.js'
import { readRegularFile } from './regular-file.js'

type Syntax = 'pam' | 'env-d' | 'sh' | 'csh' | 'fish'

/** In the order a log-in reads them (pam, then the session's environment.d, then the shells' files). */
const SYSTEM_FILES: readonly (readonly [string, Syntax])[] = [
  ['/etc/environment', 'pam'],
  ['/etc/security/pam_env.conf', 'pam'],
  ['/usr/lib/environment.d/*.conf', 'env-d'],
  ['/usr/local/lib/environment.d/*.conf', 'env-d'],
  ['/etc/environment.d/*.conf', 'env-d'],
  ['/etc/profile', 'sh'],
  ['/etc/profile.d/*.sh', 'sh'],
  ['/etc/bash.bashrc', 'sh'],
  ['/etc/bashrc', 'sh'],
  ['/etc/zsh/zshenv', 'sh'],
  ['/etc/zshenv', 'sh'],
  ['/etc/zsh/zprofile', 'sh'],
  ['/etc/zprofile', 'sh'],
  ['/etc/zsh/zshrc', 'sh'],
  ['/etc/zshrc', 'sh'],
  ['/etc/csh.cshrc', 'csh'],
  ['/etc/csh.login', 'csh'],
  ['/etc/fish/config.fish', 'fish'],
  ['/etc/fish/conf.d/*.fish', 'fish'],
]
const USER_FILES: readonly (readonly [string, Syntax])[] = [
  ['.pam_environment', 'pam'],
  ['.config/environment.d/*.conf', 'env-d'],
  ['.profile', 'sh'],
  ['.bash_profile', 'sh'],
  ['.bash_login', 'sh'],
  ['.bashrc', 'sh'],
  ['.zshenv', 'sh'],
  ['.zprofile', 'sh'],
  ['.zshrc', 'sh'],
  ['.zlogin', 'sh'],
  ['.cshrc', 'csh'],
  ['.tcshrc', 'csh'],
  ['.login', 'csh'],
  ['.config/fish/config.fish', 'fish'],
  ['.config/fish/conf.d/*.fish', 'fish'],
]

/** No file that sets variables is this large; past it, it is not read. */
const MAX_BYTES = 1024 * 1024
/** Files of one drop-in folder read at most. */
const MAX_DROP_INS = 200

/** One assignment of a variable in a file. */
export interface VariableSetting {
  readonly variable: string
  readonly file: string
  /** 1-based. */
  readonly line: number
  /** The value as written, quotes removed, `~` and `$HOME` put in. */
  readonly value: string
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*'

/** The assignments of `names` in one file's text, in order. */
export function assignmentsIn(text: string, syntax: Syntax, names: ReadonlySet<string>, home: string, file: string): VariableSetting[] {
  const found: VariableSetting[] = []
  const add = (variable: string, raw: string, line: number) => {
    if (names.has(variable)) found.push({ variable, file, line, value: valueOf(raw, home) })
  }
  for (const [index, full] of text.split('\n').entries()) {
    const line = full.trim()
    if (!line || line.startsWith('#')) continue
    const at = index + 1
    if (syntax === 'pam') {
      // KEY=VAL (/etc/environment), or KEY [DEFAULT=VAL] [OVERRIDE=VAL] (pam_env.conf, ~/.pam_environment).
      const simple = new RegExp(`^(?:export\\s+)?(${NAME})=(.*)$`).exec(line)
      if (simple) add(simple[1]!, simple[2]!, at)
      const conf = new RegExp(`^(${NAME})\\s+.*?\\b(?:OVERRIDE|DEFAULT)=(\\S+)`).exec(line)
      if (!simple && conf) add(conf[1]!, conf[2]!, at)
    } else if (syntax === 'env-d') {
      const assignment = new RegExp(`^(${NAME})=(.*)$`).exec(line)
      if (assignment) add(assignment[1]!, assignment[2]!, at)
    } else if (syntax === 'csh') {
      const setenv = new RegExp(`^setenv\\s+(${NAME})\\s+(.*)$`).exec(line)
      if (setenv) add(setenv[1]!, setenv[2]!, at)
    } else if (syntax === 'fish') {
      // set -x NAME value, set -gx, set --export --global …
      const set = new RegExp(`^set\\s+((?:-{1,2}[A-Za-z-]+\\s+)*)(${NAME})\\s+(.*)$`).exec(line)
      if (set && /(^|\s)(-[A-Za-z]*x[A-Za-z]*|--export)(\s|$)/.test(set[1]!)) add(set[2]!, set[3]!, at)
    } else {
      // export NAME=value [NAME2=value], declare -x / typeset -x NAME=value, or a statement of bare
      // assignments (exported elsewhere, or already); `NAME=value program` sets it for that program only.
      for (const statement of line.split(/;|&&|\|\|/)) {
        const exported = /^\s*(?:export|declare\s+-\w*x\w*|typeset\s+-\w*x\w*|readonly\s+-x)\s+(.*)$/.exec(statement)
        const words = [...(exported ? exported[1]! : statement).matchAll(/(?:[^\s"']|"[^"]*"|'[^']*')+/g)].map((m) => m[0])
        const assignments = words.map((word) => new RegExp(`^(${NAME})=(.*)$`, 's').exec(word))
        if (!exported && assignments.some((a) => a === null)) continue
        for (const a of assignments) if (a) add(a[1]!, a[2]!, at)
      }
    }
  }
  return found
}

/** A value as the file writes it, unquoted, with the home put in for `~`, `$HOME` and `${HOME}`. */
function valueOf(raw: string, home: string): string {
  let value = raw.trim().replace(/\s+#.*$/, '')
  if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1)
  value = value.replace(/\$\{HOME\}|\$HOME\b|@\{HOME\}/g, home)
  return value === '~' || value.startsWith('~/') ? home + value.slice(1) : value
}

/**
 * Every assignment of `names` in the files a log-in on this machine reads (system files under the
 * system root, the user's under the home), in that order. A file that cannot be read is passed over.
 */
export async function variableSettings(env: Environment, names: readonly string[]): Promise<VariableSetting[]> {
  const wanted = new Set(names.filter((n) => new RegExp(`^${NAME}$`).test(n)))
  if (wanted.size === 0) return []
  const places = [...SYSTEM_FILES.map(([path, syntax]) => [systemPath(env, path), syntax] as const), ...USER_FILES.map(([path, syntax]) => [join(env.home, path), syntax] as const)]
  const found: VariableSetting[] = []
  for (const [pattern, syntax] of places) {
    for (const file of await expand(env, pattern)) {
      const text = await smallText(env, file)
      if (text !== null) found.push(...assignmentsIn(text, syntax, wanted, env.home, file))
    }
  }
  return found
}

/** The setting that makes `variable` point at `path` (a list variable may hold it among others), else its first setting; null when none is found. */
export function settingOf(settings: readonly VariableSetting[], variable: string, path: string): VariableSetting | null {
  const of = settings.filter((s) => s.variable === variable)
  return of.find((s) => s.value === path || s.value.split(':').includes(path)) ?? of[0] ?? null
}

/** A path, or the files of its `*.ext` drop-in folder (sorted, as systemd and the shells read them). */
async function expand(env: Environment, pattern: string): Promise<string[]> {
  const star = pattern.lastIndexOf('/*')
  if (star < 0) return [pattern]
  const dir = pattern.slice(0, star)
  const ext = pattern.slice(star + 2)
  try {
    // Listed to a bound (a drop-in folder holds a handful): past it, the rest are not read.
    const { entries } = await readFolder(await realPathInRoot(env, dir), MAX_CANDIDATE_ENTRIES)
    const names = entries.map((e) => e.name).filter((n) => n.endsWith(ext)).sort()
    return names.slice(0, MAX_DROP_INS).map((n) => join(dir, n))
  } catch {
    return []
  }
}

/**
 * A file's text, links followed inside the system root; null when it is missing, not a file (a FIFO, a
 * device: refused by the one reader, never waited on), too large or unreadable. The kinds that read
 * these files for their stores say why one could not be (env-bundle's startup-files.ts); here it only
 * cannot say who set a variable.
 */
async function smallText(env: Environment, path: string): Promise<string | null> {
  try {
    const real = await realPathInRoot(env, path)
    return (await readRegularFile(real, { maxBytes: MAX_BYTES, noFollow: true, what: 'start-up file', shown: path })).toString('utf8')
  } catch {
    return null
  }
}
