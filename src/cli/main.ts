/**
 * `certaudit`: which command, then that command's module, loaded only when it runs, so `certaudit
 * --help` starts without the engine (the build splits each command into its own chunk).
 */
import { visible } from '../audit/visible.js'
import type { CliHooks } from './engine.js'
import { EXIT_ERROR, EXIT_OK, processIo, usageError, type CliIo } from './io.js'

export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js'
export type { CliHooks } from './engine.js'

const USAGE = `certaudit — find and safely remove root certificates that let someone read your HTTPS traffic.

Usage: certaudit scan [--json] [--file PATH]... [--store KIND]... [--home DIR] [--system-root DIR] [--lang en|ru|kk]
Usage: certaudit remove --finding ID... [--mode delete|distrust] [--skip PATH]... [--yes] [--json]
       certaudit undo [--change ID]    certaudit resume [--change ID]    certaudit history
Usage: certaudit check-connection [HOST[:PORT]]... [--json] [--connect-to HOST:PORT:ADDR:PORT]
Usage: certaudit export osquery-pack [--interval SECONDS] [--output FILE]
Usage: certaudit blocklist status | verify FILE | install FILE | rollback
Usage: certaudit watch --once [--notify] | --install | --uninstall | --status [--json]

"certaudit COMMAND --help" says what each option does and how the command ends (exit codes).
`

/** Runs the CLI and returns its exit code. Never calls process.exit. `hooks` are for tests only (crash injection). */
export async function main(argv: readonly string[], io: CliIo = processIo, hooks: CliHooks = {}): Promise<number> {
  try {
    return await run(argv, io, hooks)
  } catch (error) {
    // A bug, not something the user can act on (those are `explained`, engine.ts). Node would print it
    // raw, and its message may quote a certificate's name or a path: shown instead, line by line.
    const { message, stack = '' } = error instanceof Error ? error : new Error(String(error))
    const frames = stack.split('\n').filter((line) => /^\s+at /.test(line))
    io.stderr([`certaudit: unexpected error (a bug in CertAudit; please report it): ${message}`, ...frames].map(visible).join('\n') + '\n')
    return EXIT_ERROR
  }
}

async function run(argv: readonly string[], io: CliIo, hooks: CliHooks): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'scan':
      return (await import('./scan-command.js')).runScan(rest, io)
    case 'remove':
    case 'undo':
    case 'resume':
    case 'history':
      return (await import('./removal-commands.js')).runRemovalCommand(command, rest, io, hooks)
    case 'check-connection':
      return (await import('./check-connection-command.js')).runCheckConnection(rest, io)
    case 'export':
      return (await import('./export-command.js')).runExport(rest, io)
    case 'blocklist':
      return (await import('./blocklist-commands.js')).runBlocklistCommand(rest, io)
    case 'watch':
      return (await import('./watch-command.js')).runWatch(rest, io)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE)
      return command ? EXIT_OK : EXIT_ERROR
    default:
      return usageError(io, USAGE, `unknown command "${command}"`)
  }
}
