import type { Environment } from '../../stores/shared/environment.js'
import { commandFailure, type Shell } from '../../stores/shared/command-text.js'

/** How the guard is scheduled on this machine. */
export type ScheduleKind = 'systemd' | 'autostart' | 'launch-agent' | 'task-scheduler'

/** What the OS was told besides the files (so uninstall can tell it back), or why it was not told. */
export type Registration =
  | { readonly type: 'systemd'; readonly unit: string }
  | { readonly type: 'launchd'; readonly domain: string; readonly label: string }
  | { readonly type: 'task-scheduler'; readonly name: string }
  | { readonly type: 'none'; readonly reason: string }

/** A schedule ready to install: its files, and what registers them once they are written. */
export interface PlannedSchedule {
  readonly kind: ScheduleKind
  readonly files: readonly { readonly path: string; readonly content: string | Uint8Array }[]
  readonly register: () => Promise<Registration>
}

/** The schedule could not be installed or removed: the command that failed and what it said. */
export class GuardScheduleError extends Error {
  readonly code = 'guard-schedule'
  constructor(message: string) {
    super(message)
    this.name = 'GuardScheduleError'
  }
}

/** Runs an OS tool through the environment's runner; a failure is a {@link GuardScheduleError} naming it. */
export async function runOrFail(env: Environment, command: string, args: readonly string[], shell: Shell = 'posix'): Promise<string> {
  const result = await env.run(command, args, { timeoutMs: 30_000 })
  if (result.exitCode !== 0) throw new GuardScheduleError(commandFailure(result, undefined, shell))
  return result.stdout.toString('utf8')
}

/** Runs an OS tool whose failure does not matter (taking down what may not be there). */
export async function runQuietly(env: Environment, command: string, args: readonly string[]): Promise<void> {
  await env.run(command, args, { timeoutMs: 30_000 })
}

/** The words a schedule's files start with: who made them and how they go. */
export const MADE_BY = 'Created by CertAudit ("certaudit watch --install", or the guard switch in the app). Remove with "certaudit watch --uninstall".'
