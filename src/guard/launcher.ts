/**
 * What the schedule runs: CertAudit as it is installed. The command line runs `node <bin/certaudit.mjs>
 * watch --once --notify`, with the Node that runs it now (absolute paths, so no PATH is needed at log-in);
 * the desktop app runs its own executable with `--guard-watch` (electron/main.ts), since a packaged app
 * has no Node of its own to run scripts with. Either way the language, and a home or system root other
 * than this user's own, are passed on, so the scheduled check looks at the machine the install named.
 */
import { existsSync } from 'node:fs'
import { resolve, win32 } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Language } from '../audit/blocklist.js'
import type { Environment } from '../stores/shared/environment.js'

export interface Launcher {
  /** `cli`: program is Node and `script` the CLI's entry; `app`: program is CertAudit's own executable. */
  readonly kind: 'cli' | 'app'
  readonly program: string
  readonly script?: string
}

/**
 * The CLI's entry point in this installation (bin/certaudit.mjs, beside dist/ and src/). This module
 * sits two folders deep, like the CLI bundle's chunks (scripts/bundle-cli.mjs), so the same relative
 * URL holds from src/guard, dist/guard and dist/cli-bundle.
 */
export const CLI_ENTRY = fileURLToPath(new URL('../../bin/certaudit.mjs', import.meta.url))

/** The command line as installed here, run by this Node; null where there is none (inside the packaged app). */
export function cliLauncher(entry: string = CLI_ENTRY, node: string = process.execPath): Launcher | null {
  return existsSync(entry) ? { kind: 'cli', program: node, script: entry } : null
}

/** True when `env.home` is the home of the user running CertAudit (not a --home given for another tree). */
export function isOwnHome(env: Environment): boolean {
  const own = env.platform === 'win32' ? env.env.USERPROFILE : env.env.HOME
  if (!own) return false
  if (env.platform === 'win32') return win32.resolve(own).toLowerCase() === win32.resolve(env.home).toLowerCase()
  return resolve(own) === resolve(env.home)
}

/** The whole command the schedule runs, program first. */
export function watchCommand(launcher: Launcher, env: Environment, language?: Language): string[] {
  const lang = language ? ['--lang', language] : []
  if (launcher.kind === 'app') return [launcher.program, '--guard-watch', ...lang]
  const machine = [...(isOwnHome(env) ? [] : ['--home', env.home]), ...(env.systemRoot === '/' || env.systemRoot === resolve('/') ? [] : ['--system-root', env.systemRoot])]
  return [launcher.program, launcher.script!, 'watch', '--once', '--notify', ...lang, ...machine]
}

/**
 * Variables the scheduled check needs to find the same data folder: XDG_DATA_HOME when it is set (a
 * systemd user service, a LaunchAgent or a desktop session need not have it).
 */
export function watchEnvironment(env: Environment): Readonly<Record<string, string>> {
  const xdg = env.env.XDG_DATA_HOME
  return env.platform !== 'win32' && env.platform !== 'darwin' && xdg && xdg.startsWith('/') ? { XDG_DATA_HOME: xdg } : {}
}
