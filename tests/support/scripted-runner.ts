/**
 * A command runner that answers from a script and records every call: for the OS tools the guard
 * drives (systemctl, launchctl, schtasks, notify-send, osascript, PowerShell) where running them
 * here would touch the developer's own session. Unscripted commands fail as "not installed".
 */
import type { CommandOptions, CommandResult, CommandRunner } from '../../src/stores/shared/command.js'

export interface ScriptedAnswer {
  readonly exitCode?: number | null
  readonly stdout?: string
  readonly stderr?: string
  readonly spawnError?: string
}

export interface ScriptedRunner {
  readonly run: CommandRunner
  /** Every call, as the argument array (program first). */
  readonly calls: string[][]
  readonly options: (CommandOptions | undefined)[]
}

/** `answer` returns the result of a call, or undefined for "not installed" (ENOENT). */
export function scriptedRunner(answer: (command: readonly string[]) => ScriptedAnswer | undefined = () => ({})): ScriptedRunner {
  const calls: string[][] = []
  const options: (CommandOptions | undefined)[] = []
  const run: CommandRunner = async (command, args, opts) => {
    const words = [command, ...args]
    calls.push(words)
    options.push(opts)
    const reply = answer(words)
    if (!reply) return { command: words, exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: `ENOENT: spawn ${command} ENOENT` } satisfies CommandResult
    return {
      command: words,
      exitCode: reply.exitCode === undefined ? 0 : reply.exitCode,
      stdout: Buffer.from(reply.stdout ?? ''),
      stderr: reply.stderr ?? '',
      ...(reply.spawnError ? { spawnError: reply.spawnError } : {}),
    }
  }
  return { run, calls, options }
}
