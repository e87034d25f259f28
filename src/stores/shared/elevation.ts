import { formatCommand } from './command-text.js'
import { join } from 'node:path'
import type { CommandResult } from './command.js'
import {
  APPLESCRIPT_CANCELLED,
  encodePowerShell,
  elevatedScript,
  macAdminArguments,
  osascriptError,
  posixCommandLine,
  POWERSHELL_FLAGS,
  powerShellPath,
  uacScript,
  unsafeForWindowsPowerShell,
  WINDOWS_CANCELLED,
} from './elevation-scripts.js'
import type { Environment } from './environment.js'
import type { CommandRecord, Elevation } from '../types.js'
import { withTempDir } from './temp-files.js'
import { readRegularFile } from './regular-file.js'

/** What an elevated Windows command printed, kept in a file: more than this is not a tool's output. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024

/** How long the OS prompt may wait for the user: they may need to fetch an administrator. */
const PROMPT_TIMEOUT_MS = 10 * 60_000
/** What the macOS password dialog says under its own "osascript wants to make changes." line. */
const MAC_PROMPT = 'CertAudit needs an administrator password to change the certificates of this Mac.'

/**
 * The one place that asks the OS for admin rights, per command (STYLE.md 8). CertAudit itself never
 * runs elevated: a command that needs it runs through the OS prompt, with the same argument array:
 * - Linux: pkexec's polkit dialog (`pkexec COMMAND ARGS…`).
 * - Windows: UAC, through PowerShell's `Start-Process -Verb RunAs` (elevation-scripts.ts). The
 *   elevated process cannot write to our pipes, so what the tool printed comes back through a file in
 *   a fresh private temp folder.
 * - macOS: the admin password dialog of AppleScript's `do shell script … with administrator privileges`.
 * When CertAudit already runs as root (Linux, macOS), commands run directly. On Windows the prompt is
 * always used: in an already-elevated session UAC does not ask again.
 *
 * The record names the command that ran elevated (`certutil …`, `security …`); on Linux it starts
 * with pkexec, as that is the program that ran.
 */
export function createElevation(env: Environment, options: { readonly isRoot?: boolean } = {}): Elevation {
  const isRoot = options.isRoot ?? (env.platform !== 'win32' && process.getuid?.() === 0)
  return {
    async run(command, args, { admin, input }) {
      if (!admin || isRoot) return record(await env.run(command, args, input === undefined ? {} : { input }), false)
      if (env.platform === 'linux') return withPkexec(env, command, args, input)
      // Neither prompt can pass standard input to the elevated program; an empty input (stdin closed) is what it gets anyway.
      if (input) return refused([command, ...args], 'CertAudit cannot pass input to a program through the administrator prompt; nothing was changed.')
      if (env.platform === 'win32') return withUac(env, command, args)
      if (env.platform === 'darwin') return withMacPrompt(env, command, args)
      return refused([command, ...args], `Changing this store needs administrator rights, which CertAudit cannot ask for on ${env.platform}.`)
    },
  }
}

async function withPkexec(env: Environment, command: string, args: readonly string[], input: string | undefined): Promise<CommandRecord> {
  const result = await env.run('pkexec', [command, ...args], input === undefined ? {} : { input })
  if (result.spawnError?.startsWith('ENOENT')) {
    return refused(
      ['pkexec', command, ...args],
      `This change needs administrator rights, and pkexec (polkit) is not installed to ask for them. Install the "pkexec" package, or run: sudo ${formatCommand([command, ...args])}`,
    )
  }
  // pkexec exits 126 when the user dismisses the dialog, 127 when not authorized.
  if (result.exitCode === 126 || result.exitCode === 127) {
    return { ...record(result, true), stderr: `${result.stderr}\nThe administrator prompt was cancelled or refused; nothing was changed.`.trim() }
  }
  return record(result, true)
}

/**
 * UAC: `powershell.exe -NoProfile -NonInteractive -EncodedCommand <uacScript>`, which starts the
 * elevated `powershell.exe … -EncodedCommand <elevatedScript>` running the command. Windows shows the
 * UAC dialog naming "Windows PowerShell" (a Microsoft-signed program).
 */
async function withUac(env: Environment, command: string, args: readonly string[]): Promise<CommandRecord> {
  const shown = [command, ...args]
  const unsafe = shown.map(unsafeForWindowsPowerShell).find((reason) => reason !== null)
  if (unsafe) return refused(shown, `An argument of this command holds ${unsafe}, which Windows PowerShell cannot pass on intact; nothing was changed.`)
  return withTempDir('uac', async (folder) => {
    const outFile = join(folder, 'output.txt')
    const powerShell = powerShellPath(env)
    const script = uacScript(powerShell, elevatedScript(command, args, outFile))
    const result = await env.run(powerShell, [...POWERSHELL_FLAGS, '-EncodedCommand', encodePowerShell(script)], { timeoutMs: PROMPT_TIMEOUT_MS })
    if (result.spawnError) return refused(shown, `Windows PowerShell could not be started to ask for administrator rights (${result.spawnError}); nothing was changed.`)
    // Our own temp file, but written by an elevated script: read as any other file, with a bound.
    const output = (await readRegularFile(outFile, { maxBytes: MAX_OUTPUT_BYTES, noFollow: true, what: 'command output' }).then((b) => b.toString('utf8')).catch(() => '')).replace(/^\uFEFF/, '')
    if (result.exitCode === WINDOWS_CANCELLED && output === '') {
      return { command: shown, exitCode: WINDOWS_CANCELLED, stdout: '', stderr: 'The Windows administrator prompt (UAC) was cancelled; nothing was changed.', elevated: true }
    }
    return { command: shown, exitCode: result.exitCode, stdout: output, stderr: result.stderr.trim(), elevated: true }
  })
}

/** macOS: `/usr/bin/osascript -e 'on run argv' -e 'do shell script (item 1 of argv) …' -e 'end run' <shell line> <prompt>`. */
async function withMacPrompt(env: Environment, command: string, args: readonly string[]): Promise<CommandRecord> {
  const shown = [command, ...args]
  let line: string
  try {
    line = posixCommandLine(command, args)
  } catch (error) {
    return refused(shown, `${(error as Error).message} Nothing was changed.`)
  }
  const result = await env.run('/usr/bin/osascript', macAdminArguments(line, MAC_PROMPT), { timeoutMs: PROMPT_TIMEOUT_MS })
  if (result.spawnError) return refused(shown, `osascript could not be started to ask for the administrator password (${result.spawnError}); nothing was changed.`)
  if (result.exitCode === 0) return { command: shown, exitCode: 0, stdout: result.stdout.toString('utf8').replace(/\n$/, ''), stderr: '', elevated: true }
  const error = osascriptError(result.stderr)
  if (error?.number === APPLESCRIPT_CANCELLED) {
    return { command: shown, exitCode: null, stdout: '', stderr: 'The macOS administrator password prompt was cancelled; nothing was changed.', elevated: true }
  }
  // `do shell script` reports the command's exit status as the error number, and what it printed on stderr as the message.
  return { command: shown, exitCode: error && error.number > 0 ? error.number : (result.exitCode ?? 1), stdout: '', stderr: error?.message ?? result.stderr.trim(), elevated: true }
}

function record(result: CommandResult, elevated: boolean): CommandRecord {
  return {
    command: result.command,
    exitCode: result.exitCode,
    stdout: result.stdout.toString('utf8'),
    stderr: result.spawnError ? `${result.stderr}\n${result.spawnError}`.trim() : result.stderr,
    elevated,
  }
}

function refused(command: readonly string[], message: string): CommandRecord {
  return { command, exitCode: null, stdout: '', stderr: message, elevated: true }
}
