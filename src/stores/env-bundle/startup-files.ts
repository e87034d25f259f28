/**
 * Where trust variables are set: the files shells and login sessions read at start-up. They say
 * where a variable comes from (the plan tells the user which line to delete), and they are the only
 * source of variables for a disk image (`--system-root`) and for programs a terminal starts, which
 * see what ~/.bashrc exports even when the app that audits does not.
 *
 * Bash: https://www.gnu.org/software/bash/manual/html_node/Bash-Startup-Files.html ; zsh:
 * https://zsh.sourceforge.io/Intro/intro_3.html ; fish: https://fishshell.com/docs/current/language.html#configuration
 * (and its universal variables, fish_variables) ; /etc/environment and ~/.pam_environment:
 * https://man7.org/linux/man-pages/man8/pam_env.8.html ; environment.d: https://www.freedesktop.org/software/systemd/man/latest/environment.d.html
 */
import { join } from 'node:path'
import { MAX_CANDIDATE_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { machineRealPath, readConfigText } from '../shared/machine-files.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { StoreError } from '../types.js'
import { isTrustVariable } from './variables.js'

/** One assignment of a trust variable in a start-up file. */
export interface Assignment {
  readonly name: string
  /** The value with quotes taken off and ~ / $HOME expanded; null when it is an expression a shell would compute. */
  readonly value: string | null
  /** The value as written. */
  readonly raw: string
  readonly file: string
  readonly line: number
}

/** A start-up file that could not be read (a loop, binary junk…), for the report. */
export interface StartupProblem {
  readonly path: string
  readonly code: string
  readonly message: string
}

type Syntax = 'sh' | 'pam' | 'fish' | 'fish-universal'

/** Folders of start-up snippets hold a few files; past this many the rest is not read. */
const MAX_SNIPPETS = 200

/** The start-up files of the machine (under its root) and of the user (in the home folder). */
function startupFiles(env: Environment): { path: string; syntax: Syntax }[] {
  const sys = (path: string, syntax: Syntax = 'sh') => ({ path: systemPath(env, path), syntax })
  const home = (path: string, syntax: Syntax = 'sh') => ({ path: join(env.home, path), syntax })
  return [
    sys('/etc/environment', 'pam'),
    sys('/etc/security/pam_env.conf', 'pam'),
    sys('/etc/profile'),
    sys('/etc/bash.bashrc'),
    sys('/etc/bashrc'),
    sys('/etc/zshenv'),
    sys('/etc/zsh/zshenv'),
    sys('/etc/zprofile'),
    sys('/etc/zsh/zprofile'),
    sys('/etc/zshrc'),
    sys('/etc/zsh/zshrc'),
    sys('/etc/fish/config.fish', 'fish'),
    home('.pam_environment', 'pam'),
    home('.profile'),
    home('.bash_profile'),
    home('.bash_login'),
    home('.bashrc'),
    home('.zshenv'),
    home('.zprofile'),
    home('.zshrc'),
    home('.zlogin'),
    home('.config/fish/config.fish', 'fish'),
    home('.config/fish/fish_variables', 'fish-universal'),
  ]
}

/** Folders whose snippets are read too: /etc/profile.d/*.sh, environment.d/*.conf, fish's conf.d. */
function snippetFolders(env: Environment): { dir: string; suffix: string; syntax: Syntax }[] {
  return [
    { dir: systemPath(env, '/etc/profile.d'), suffix: '.sh', syntax: 'sh' },
    { dir: systemPath(env, '/etc/environment.d'), suffix: '.conf', syntax: 'sh' },
    { dir: systemPath(env, '/etc/fish/conf.d'), suffix: '.fish', syntax: 'fish' },
    { dir: join(env.home, '.config/environment.d'), suffix: '.conf', syntax: 'sh' },
    { dir: join(env.home, '.config/fish/conf.d'), suffix: '.fish', syntax: 'fish' },
  ]
}

/** Every assignment of a trust variable in the machine's and the user's start-up files. */
export async function startupAssignments(env: Environment): Promise<{ assignments: Assignment[]; problems: StartupProblem[] }> {
  const files = startupFiles(env)
  for (const folder of snippetFolders(env)) {
    let names: string[]
    try {
      // Listed to a bound (a snippet folder holds tens); past MAX_SNIPPETS the rest are not read anyway.
      const { entries } = await readFolder(await machineRealPath(env, folder.dir), MAX_CANDIDATE_ENTRIES)
      names = entries.map((e) => e.name).filter((n) => n.endsWith(folder.suffix)).sort()
    } catch {
      continue // no such folder
    }
    for (const name of names.slice(0, MAX_SNIPPETS)) files.push({ path: join(folder.dir, name), syntax: folder.syntax })
  }
  const assignments: Assignment[] = []
  const problems: StartupProblem[] = []
  for (const file of files) {
    try {
      const read = await readConfigText(env, file.path)
      if (read) assignments.push(...parseAssignments(read.text, file.path, file.syntax, env.home))
    } catch (error) {
      const cause = error instanceof StoreError ? error : new StoreError('unreadable', `${file.path} could not be read: ${(error as Error).message}`)
      problems.push({ path: file.path, code: cause.code, message: `${cause.message} Variables it may set were not checked.` })
    }
  }
  return { assignments, problems }
}

/** The trust-variable assignments of one file's text. */
export function parseAssignments(text: string, file: string, syntax: Syntax, home: string): Assignment[] {
  const found: Assignment[] = []
  const add = (name: string, raw: string, line: number) => {
    if (isTrustVariable(name)) found.push({ name, raw, value: expand(unquote(raw), home), file, line })
  }
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) continue
    const at = index + 1
    if (syntax === 'fish-universal') {
      // SETUVAR --export NAME:value, with \xHH escapes.
      const m = /^SETUVAR\s+(?:--export\s+)?([A-Za-z_]\w*):(.*)$/.exec(line)
      if (m) add(m[1]!, m[2]!.replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), at)
      continue
    }
    if (syntax === 'fish') {
      const m = /^set\s+(?:-[a-zA-Z]+\s+|--\w+\s+)*([A-Za-z_]\w*)\s+(.+)$/.exec(line)
      if (m && /\s-(?:[a-zA-Z]*x[a-zA-Z]*)\s|\s--export\s/.test(` ${line} `)) add(m[1]!, m[2]!, at)
      continue
    }
    if (syntax === 'pam') {
      // pam_env.conf: NAME [DEFAULT=value] [OVERRIDE=value]; /etc/environment and ~/.pam_environment: NAME=value.
      const conf = /^([A-Za-z_]\w*)\s+(?:DEFAULT=(\S+))?\s*(?:OVERRIDE=(\S+))?\s*$/.exec(line)
      if (conf && (conf[2] ?? conf[3])) {
        add(conf[1]!, conf[3] ?? conf[2]!, at)
        continue
      }
    }
    const csh = /^setenv\s+([A-Za-z_]\w*)\s+(.+)$/.exec(line)
    if (csh) {
      add(csh[1]!, csh[2]!, at)
      continue
    }
    // sh: [export|declare -x|typeset -x|readonly] NAME=value [NAME=value …]
    const sh = /^(?:(?:export|declare\s+-\w+|typeset\s+-\w+|readonly|local)\s+)?([A-Za-z_]\w*=.*)$/.exec(line)
    if (!sh) continue
    for (const m of sh[1]!.matchAll(/(?:^|\s)([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s"';&|]|\\.)*)/g)) add(m[1]!, m[2]!, at)
  }
  return found
}

function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1)
  return v
}

/** ~, $HOME and ${HOME} expanded; null when anything else would be computed by the shell. */
function expand(value: string, home: string): string | null {
  const v = value.replace(/^~(?=\/|$)/, home).replace(/\$\{HOME\}|\$HOME\b/g, home)
  return /[$`]/.test(v) ? null : v
}
