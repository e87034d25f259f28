/**
 * The command lines that the Windows and macOS admin prompts force on us. Everywhere else CertAudit
 * runs tools with argument arrays (STYLE.md 5, "never shell strings"); these two OS mechanisms take a
 * string, so it is built here from the argument array, with quoting that is tested byte for byte:
 *
 * - Windows: UAC is reached through PowerShell's `Start-Process -Verb RunAs`, which starts a new
 *   process through ShellExecute (no argument array there). The elevated process is PowerShell again,
 *   given its script with `-EncodedCommand` (base64 of UTF-16LE), so no quoting layer of cmd.exe,
 *   CommandLineToArgvW or PowerShell's parser can touch it; inside that script each argument is a
 *   PowerShell single-quoted literal.
 *   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_pwsh#-encodedcommand---e---ec
 *   https://learn.microsoft.com/powershell/module/microsoft.powershell.management/start-process
 * - macOS: the admin password prompt comes with AppleScript's `do shell script … with administrator
 *   privileges`, which runs its text with /bin/sh. The AppleScript itself is fixed; the shell line
 *   reaches it as an argument of osascript (`on run argv`), never spliced into AppleScript source, and
 *   every word of it is POSIX single-quoted. https://developer.apple.com/library/archive/technotes/tn2065/
 */
import { win32 } from 'node:path'
import type { Environment } from './environment.js'
import { powerShellQuote } from './command-text.js'

export { posixCommandLine, posixQuote, powerShellQuote } from './command-text.js'

/** A script for `powershell.exe -EncodedCommand`: base64 of its UTF-16LE bytes. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64')
}

/** Windows PowerShell 5.1, which every Windows 10 and 11 has, by absolute path (never found through PATH or the current folder). */
export function powerShellPath(env: Environment): string {
  return win32.join(windowsFolder(env), 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe')
}

/** A tool of System32 (certutil.exe) by absolute path. */
export function system32Tool(env: Environment, name: string): string {
  return win32.join(windowsFolder(env), 'System32', name)
}

function windowsFolder(env: Environment): string {
  const value = env.env.SystemRoot ?? env.env.SYSTEMROOT ?? env.env.windir
  return value && /^[A-Za-z]:\\[^"]*$/.test(value) ? value : 'C:\\Windows'
}

/**
 * The arguments every PowerShell we start gets: no profile (a user's profile script must not run), no
 * prompts. No `-ExecutionPolicy`: the policy governs script files, not `-EncodedCommand`.
 */
export const POWERSHELL_FLAGS = ['-NoProfile', '-NonInteractive'] as const

/**
 * Why an argument cannot be handed to a native program from Windows PowerShell 5.1, or null when it
 * can. PowerShell rebuilds the program's command line itself: it drops empty arguments, does not
 * escape embedded double quotes, and a quoted argument ending in a backslash escapes its own closing
 * quote (https://github.com/PowerShell/PowerShell/issues/1995). CertAudit's own arguments (store
 * names, hex thumbprints, temp file paths) never look like that, so such an argument is refused.
 */
export function unsafeForWindowsPowerShell(arg: string): string | null {
  if (arg === '') return 'an empty argument'
  if (arg.includes('"')) return 'a double quote'
  if (/\s/.test(arg) && arg.endsWith('\\')) return 'a trailing backslash after a space'
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\u0000-\u001f]/.test(arg)) return 'a control character'
  return null
}

/**
 * The elevated half: runs the command with each argument as a single-quoted literal, writes what it
 * printed (stdout and stderr, as text) to `outFile`, and exits with its exit code. `-NoClobber`: the
 * file must not exist yet, so nothing planted at that path (a link to a system file) is written through.
 */
export function elevatedScript(command: string, args: readonly string[], outFile: string): string {
  return [
    "$ErrorActionPreference = 'Continue'",
    `& ${[command, ...args].map(powerShellQuote).join(' ')} 2>&1 | ForEach-Object { "$_" } | Out-File -LiteralPath ${powerShellQuote(outFile)} -Encoding utf8 -NoClobber`,
    'exit $LASTEXITCODE',
  ].join('\n')
}

/**
 * The non-elevated half: asks UAC to start the elevated PowerShell, waits for it, and exits with its
 * exit code; 1223 (ERROR_CANCELLED) when the user said no. Reading `Handle` before waiting keeps the
 * exit code readable (a .NET Process started through ShellExecute loses it otherwise).
 */
export function uacScript(powerShell: string, elevated: string): string {
  const argumentList = [...POWERSHELL_FLAGS, '-WindowStyle', 'Hidden', '-EncodedCommand', encodePowerShell(elevated)].map(powerShellQuote).join(',')
  return [
    "$ErrorActionPreference = 'Stop'",
    'try {',
    `  $p = Start-Process -FilePath ${powerShellQuote(powerShell)} -ArgumentList ${argumentList} -Verb RunAs -WindowStyle Hidden -PassThru`,
    '} catch {',
    '  $e = $_.Exception',
    '  $cancelled = $false',
    '  while ($e) { if ($e -is [ComponentModel.Win32Exception] -and $e.NativeErrorCode -eq 1223) { $cancelled = $true }; $e = $e.InnerException }',
    '  [Console]::Error.WriteLine($_.Exception.Message)',
    '  if ($cancelled) { exit 1223 } else { exit 1 }',
    '}',
    '$null = $p.Handle',
    '$p.WaitForExit()',
    'exit $p.ExitCode',
  ].join('\n')
}

/** Windows' exit code for "the user cancelled" (ERROR_CANCELLED), from UAC and from certutil's own confirmations. */
export const WINDOWS_CANCELLED = 1223

/**
 * osascript's arguments for running `shellLine` as root behind the macOS admin prompt. The AppleScript
 * is constant: the shell line and the prompt text arrive as `argv` items, so nothing in them is ever
 * read as AppleScript. `without altering line endings` keeps the tool's output as it printed it.
 */
export function macAdminArguments(shellLine: string, prompt: string): string[] {
  return [
    '-e',
    'on run argv',
    '-e',
    'do shell script (item 1 of argv) with prompt (item 2 of argv) with administrator privileges without altering line endings',
    '-e',
    'end run',
    shellLine,
    prompt,
  ]
}

/**
 * What a failed `do shell script` said: osascript prints "…: execution error: MESSAGE (NUMBER)" on
 * stderr, where NUMBER is the shell's exit status, or -128 when the user cancelled the prompt.
 */
export function osascriptError(stderr: string): { readonly message: string; readonly number: number } | null {
  const match = /execution error: ([\s\S]*?) \((-?\d+)\)\s*$/.exec(stderr)
  return match ? { message: match[1]!.trim(), number: Number(match[2]) } : null
}

/** AppleScript's "User canceled." error number. */
export const APPLESCRIPT_CANCELLED = -128
