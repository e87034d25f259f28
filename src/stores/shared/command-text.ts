/**
 * The one way a command becomes text for people: in messages ("… failed: it said …") and in steps to
 * do by hand. Every word that needs it is quoted for the shell it is shown for, so what people paste
 * runs exactly the argument array CertAudit would have run, and nothing in a nickname, alias or path
 * (`$(…)`, backticks, quotes, newlines) is ever run by that shell.
 */
import { textRuns } from '../../audit/visible.js'

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

/**
 * The shell a command is shown for: a POSIX shell (Linux, macOS), or PowerShell (Windows). None is
 * shown for cmd.exe: Windows steps name PowerShell commands or the certificate manager (certmgr.msc),
 * so cmd's quoting (which cannot express every string: `%` expands even inside quotes) is not needed.
 */
export type Shell = 'posix' | 'powershell'

/** The shell people on this platform paste commands into. */
export function shellFor(platform: NodeJS.Platform): Shell {
  return platform === 'win32' ? 'powershell' : 'posix'
}

/**
 * A command as people read and paste it: plain words as they are, every other word quoted for
 * `shell`. In PowerShell a quoted program name needs the call operator (`& 'C:\…\keytool.exe' …`).
 *
 * A word holding a character people cannot see (a control, a bidi override, a zero-width space: the
 * set of src/audit/visible.ts) is written so the text shows it and the shell still makes exactly that
 * word: in sh each such run becomes `"$(printf '\342\200\256')"` (its UTF-8 bytes in octal; POSIX sh
 * has no `$'…'` before POSIX.1-2024, and dash has none), in PowerShell the word becomes an expression
 * `('abc' + [char]0x202E + 'gnp')`. One limit: command substitution drops trailing newlines, so line
 * feeds that end a word stay literal inside its single quotes (exact for sh); where the text is shown,
 * visible() then writes them as `⟨U+000A⟩`, which pasted names another word: the tool finds no such
 * entry, and nothing else runs.
 */
export function formatCommand(command: readonly string[], shell: Shell = 'posix'): string {
  const words = command.map((word) => (PLAIN_WORD.test(word) ? word : shell === 'posix' ? posixWord(word) : powerShellWord(word)))
  return shell === 'powershell' && words.length > 0 && words[0] !== command[0] ? `& ${words.join(' ')}` : words.join(' ')
}

function posixWord(word: string): string {
  const parts = textRuns(word)
  if (!parts.some((p) => p.hidden)) return posixQuote(word)
  // Line feeds that end the word would be dropped by $(…): kept literal in the single quotes (see formatCommand).
  const tail = /\n+$/.exec(word)?.[0] ?? ''
  const body = tail ? textRuns(word.slice(0, -tail.length)) : parts
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const part = body[i]!
    if (!part.hidden) {
      out += posixQuote(part.text)
      continue
    }
    // A run ending in a line feed takes the text after it into the same printf, so the line feed is not trailing there.
    const next = part.text.endsWith('\n') ? body[++i] : undefined
    out += `"$(printf '${octal(part.text)}${next ? printfLiteral(next.text) : ''}')"`
  }
  return out + (tail ? posixQuote(tail) : '')
}

/** Text as printf's format writes it as it is, inside single quotes: UTF-8 bytes in octal. */
const octal = (text: string): string => [...Buffer.from(text, 'utf8')].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join('')

/** Printable text in a printf format inside single quotes: only `\`, `%` and `'` need a word. */
const printfLiteral = (text: string): string => text.replace(/[\\%']/g, (c) => (c === '%' ? '%%' : octal(c)))

function powerShellWord(word: string): string {
  const parts = textRuns(word)
  if (!parts.some((p) => p.hidden)) return powerShellQuote(word)
  const chars = (text: string) =>
    [...text].map((char) => {
      const codePoint = char.codePointAt(0)!
      const hex = `0x${codePoint.toString(16).toUpperCase()}`
      return codePoint > 0xffff ? `[char]::ConvertFromUtf32(${hex})` : `[char]${hex}`
    })
  return `(${parts.flatMap((p) => (p.hidden ? chars(p.text) : [powerShellQuote(p.text)])).join(' + ')})`
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
