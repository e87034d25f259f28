import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CommandResult } from './command.js'
import type { Environment } from './environment.js'
import type { CommandRecord, Elevation } from './types.js'

/**
 * The one place that asks the OS for admin rights, per command (STYLE.md 8). CertAudit itself never
 * runs elevated: a command that needs it runs through the OS prompt (pkexec's polkit dialog on Linux;
 * UAC and the macOS admin prompt join here with those stores), with the same argument array, never a
 * shell string. When CertAudit already runs as root, commands run directly.
 */
export function createElevation(env: Environment, options: { readonly isRoot?: boolean } = {}): Elevation {
  const isRoot = options.isRoot ?? process.getuid?.() === 0
  return {
    async run(command, args, { admin, input }) {
      if (!admin || isRoot) return record(await env.run(command, args, input === undefined ? {} : { input }), false)
      if (env.platform !== 'linux') {
        return refused([command, ...args], `Changing this store needs administrator rights, which CertAudit cannot ask for on ${env.platform} yet.`)
      }
      const result = await env.run('pkexec', [command, ...args], input === undefined ? {} : { input })
      if (result.spawnError?.startsWith('ENOENT')) {
        return refused(
          ['pkexec', command, ...args],
          `This change needs administrator rights, and pkexec (polkit) is not installed to ask for them. Install the "pkexec" package, or run: sudo ${[command, ...args].join(' ')}`,
        )
      }
      // pkexec exits 126 when the user dismisses the dialog, 127 when not authorized.
      if (result.exitCode === 126 || result.exitCode === 127) {
        return { ...record(result, true), stderr: `${result.stderr}\nThe administrator prompt was cancelled or refused; nothing was changed.`.trim() }
      }
      return record(result, true)
    },
  }
}

/** True when this user can change `path` (a file: itself, or its folder when it does not exist yet). */
export async function canWrite(path: string): Promise<boolean> {
  for (const candidate of [path, dirname(path)]) {
    try {
      await access(candidate, constants.W_OK)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false
    }
  }
  return false
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
