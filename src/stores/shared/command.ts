import { execFile } from 'node:child_process'

export interface CommandResult {
  readonly command: readonly string[]
  readonly exitCode: number | null
  readonly stdout: Buffer
  readonly stderr: string
  /** Set when the tool could not be started at all (ENOENT: not installed). */
  readonly spawnError?: string
}

export interface CommandOptions {
  readonly input?: string | Uint8Array
  readonly timeoutMs?: number
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** Runs a tool; tests substitute their own to record calls or replay Windows/macOS output. */
export type CommandRunner = (command: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>

/**
 * Runs a command with an argument array, never a shell string, so nicknames and paths with quotes,
 * `$()` or newlines reach the tool as they are. Never rejects: failures are data.
 */
export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolvePromise) => {
    const child = execFile(
      command,
      [...args],
      {
        encoding: 'buffer',
        maxBuffer: 512 * 1024 * 1024,
        timeout: options.timeoutMs ?? 60_000,
        env: options.env ? { ...options.env } : process.env,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const spawnError = error && 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : undefined
        resolvePromise({
          command: [command, ...args],
          exitCode: spawnError ? null : (child.exitCode ?? (error ? 1 : 0)),
          stdout,
          stderr: stderr.toString('utf8'),
          ...(spawnError ? { spawnError } : {}),
        })
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
