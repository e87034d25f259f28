import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { runCommand, type CommandRunner } from './command.js'

/**
 * Everything an adapter may know about the machine. Tests build one over temp dirs, so no adapter
 * ever reads the developer's own stores; `--home` and `--system-root` build one for an audit of a
 * mounted disk image.
 */
export interface Environment {
  readonly platform: NodeJS.Platform
  /** The user's home directory. */
  readonly home: string
  /** Prepended to every system path (/etc, /usr, /opt …); `/` on a live machine. */
  readonly systemRoot: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Runs OS tools with argument arrays, never through a shell. */
  readonly run: CommandRunner
}

export interface EnvironmentOverrides {
  readonly home?: string
  readonly systemRoot?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly platform?: NodeJS.Platform
  readonly run?: CommandRunner
}

/** The environment of this process, with overrides (from the CLI flags or a test). */
export function createEnvironment(overrides: EnvironmentOverrides = {}): Environment {
  return {
    platform: overrides.platform ?? process.platform,
    home: resolve(overrides.home ?? homedir()),
    systemRoot: resolve(overrides.systemRoot ?? '/'),
    env: overrides.env ?? process.env,
    run: overrides.run ?? runCommand,
  }
}

/** A system path (`/etc/ssl/certs`) as seen under the environment's system root. */
export function systemPath(env: Environment, absolutePath: string): string {
  if (!isAbsolute(absolutePath)) throw new Error(`systemPath needs an absolute path, got "${absolutePath}"`)
  return env.systemRoot === '/' ? absolutePath : join(env.systemRoot, absolutePath)
}

/** A path inside the user's home (`.mozilla/firefox`). */
export function homePath(env: Environment, relativePath: string): string {
  return join(env.home, relativePath)
}
