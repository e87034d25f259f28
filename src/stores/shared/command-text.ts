/**
 * The one way a command becomes text for people: in messages ("… failed: it said …") and in steps to
 * do by hand. Every word that needs it is quoted for the shell it is shown for, so what people paste
 * runs exactly the argument array CertAudit would have run, and nothing in a nickname, alias or path
 * (`$(…)`, backticks, quotes, newlines) is ever run by that shell.
 */

/** Words that mean the same quoted or not, in both shells. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/

/**
 * A POSIX shell word: single-quoted, each `'` written as `'\''`. Inside single quotes nothing else is
 * special to sh (POSIX.1-2017, 2.2.2), newlines and `$(...)` included.
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_02_02_02
 */
export function posixQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`
}

/**
 * A PowerShell single-quoted string literal. Inside one, only the quote characters are special, and a
 * quote is written twice. PowerShell counts the typographic single quotes (U+2018–U+201B) as quotes
 * too, so they are doubled as well (as PowerShell's own CodeGeneration.EscapeSingleQuotedStringContent does).
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
 */
export function powerShellQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`
}

/** The shell line that runs exactly this argument array (every word quoted). NUL cannot be passed to any program, so it is refused. */
export function posixCommandLine(command: string, args: readonly string[]): string {
  const words = [command, ...args]
  if (words.some((word) => word.includes('\0'))) throw new Error('A command argument holds a NUL character, which no program can receive.')
  return words.map(posixQuote).join(' ')
}

/** The shell a command is shown for: a POSIX shell (Linux, macOS), or PowerShell (Windows). */
export type Shell = 'posix' | 'powershell'

/** The shell people on this platform paste commands into. */
export function shellFor(platform: NodeJS.Platform): Shell {
  return platform === 'win32' ? 'powershell' : 'posix'
}

/**
 * A command as people read and paste it: plain words as they are, every other word quoted for
 * `shell`. In PowerShell a quoted program name needs the call operator (`& 'C:\…\keytool.exe' …`).
 */
export function formatCommand(command: readonly string[], shell: Shell = 'posix'): string {
  const words = command.map((word) => (PLAIN_WORD.test(word) ? word : shell === 'posix' ? posixQuote(word) : powerShellQuote(word)))
  return shell === 'powershell' && words.length > 0 && words[0] !== command[0] ? `& ${words.join(' ')}` : words.join(' ')
}

/** What a finished command is known by: its words, how it ended, what it printed. */
export interface FinishedCommand {
  readonly command: readonly string[]
  readonly exitCode: number | null
  readonly stderr: string
  readonly stdout?: string | Uint8Array
  /** Why it could not be started (ENOENT: not installed). */
  readonly spawnError?: string
}

/**
 * The one message for a command that did not succeed: the command (as it can be pasted), how it
 * ended, and what it said. `where` adds a word about where it ran ("on a copy of the database").
 */
export function commandFailure(result: FinishedCommand, where?: string, shell: Shell = 'posix'): string {
  const status = result.exitCode === null ? 'could not be run' : `failed (exit code ${result.exitCode})`
  const stdout = typeof result.stdout === 'string' ? result.stdout : result.stdout ? Buffer.from(result.stdout).toString('utf8') : ''
  const said = [result.stderr, stdout, result.spawnError ?? ''].map((text) => text.trim()).filter(Boolean).join('\n')
  return `${formatCommand(result.command, shell)}${where ? ` (${where})` : ''} ${status}${said ? `: ${said}` : '.'}`
}

/** Null for a command that succeeded; otherwise {@link commandFailure}. */
export function commandError(result: FinishedCommand, shell: Shell = 'posix'): string | null {
  return result.exitCode === 0 ? null : commandFailure(result, undefined, shell)
}
