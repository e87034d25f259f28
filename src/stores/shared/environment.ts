import { homedir } from 'node:os'
import { isAbsolute, join, relative, resolve } from 'node:path'
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
  /** This process's variables: its language, where its data folder is, the OS's own folders (elevation). */
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * The variables of the machine under audit, which point its programs at certificates (SSL_CERT_FILE,
   * JAVA_HOME, XDG_CONFIG_HOME …), with paths as this process sees them. On the live machine they are
   * this process's. Under another system root this process's variables describe the computer doing
   * the audit, so they count only as paths of the image: {@link imageVariables} puts every absolute
   * path in them inside the root (env-bundle also reads what the image's own start-up files set).
   * Tests of a planted machine give them.
   */
  readonly machineEnv: Readonly<Record<string, string | undefined>>
  /** Runs OS tools with argument arrays, never through a shell. */
  readonly run: CommandRunner
}

export interface EnvironmentOverrides {
  readonly home?: string
  readonly systemRoot?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The audited machine's variables; by default `env` when it is given or the system root is `/`, otherwise this process's as {@link imageVariables}. */
  readonly machineEnv?: Readonly<Record<string, string | undefined>>
  readonly platform?: NodeJS.Platform
  readonly run?: CommandRunner
}

/** The environment of this process, with overrides (from the CLI flags or a test). */
export function createEnvironment(overrides: EnvironmentOverrides = {}): Environment {
  const systemRoot = resolve(overrides.systemRoot ?? '/')
  const home = resolve(overrides.home ?? homedir())
  const env = overrides.env ?? process.env
  return {
    platform: overrides.platform ?? process.platform,
    home,
    systemRoot,
    env,
    // This process's own variables never name a path outside a disk image: only variables given for it may.
    machineEnv: overrides.machineEnv ?? (overrides.env !== undefined || systemRoot === '/' ? env : imageVariables(env, systemRoot, home)),
    run: overrides.run ?? runCommand,
  }
}

/** A system path (`/etc/ssl/certs`) as seen under the environment's system root. */
export function systemPath(env: Environment, absolutePath: string): string {
  if (!isAbsolute(absolutePath)) throw new Error(`systemPath needs an absolute path, got "${absolutePath}"`)
  return env.systemRoot === '/' ? absolutePath : join(env.systemRoot, absolutePath)
}

/**
 * An absolute path that the audited machine's own settings name (a variable, a config file, a link),
 * as seen from here: on the live machine as written; under another system root inside that root,
 * unless it already points into the root or the home folder (a tree built in place, a test's).
 */
export function machinePath(env: Environment, absolutePath: string): string {
  if (env.systemRoot === '/' || isWithin(env.systemRoot, absolutePath) || isWithin(env.home, absolutePath)) return resolve(absolutePath)
  return join(env.systemRoot, absolutePath)
}

/**
 * This process's variables as the variables of a disk image mounted at `systemRoot` (with its user's
 * home folder at `home`): every absolute path in a value — the value itself, each part of a `:` list,
 * each `=/path` of JVM options — becomes a path inside the root, unless it already points into the
 * root or the home folder. Reading what they name can then never leave the image.
 */
export function imageVariables(variables: Readonly<Record<string, string | undefined>>, systemRoot: string, home: string): Record<string, string | undefined> {
  const env = { systemRoot, home } as Environment
  const map = (path: string) => machinePath(env, path)
  const mapped: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) continue
    if (/(^|\s)-D/.test(value)) mapped[name] = value.replace(/(=["']?)(\/[^\s"']*)/g, (_, lead: string, path: string) => lead + map(path))
    else if (value.split(':').every((part) => part === '' || isAbsolute(part)) && value.includes('/')) mapped[name] = value.split(':').map((part) => (part ? map(part) : part)).join(':')
    else mapped[name] = value
  }
  return mapped
}

/** True when `path` is `dir` or inside it. */
export function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, resolve(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** A path inside the user's home (`.mozilla/firefox`). */
export function homePath(env: Environment, relativePath: string): string {
  return join(env.home, relativePath)
}
