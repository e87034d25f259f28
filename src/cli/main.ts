import { BLOCKLIST_USAGE, runBlocklistCommand } from './blocklist-commands.js'
import { CHECK_CONNECTION_USAGE, runCheckConnection } from './check-connection-command.js'
import { EXPORT_USAGE, runExport } from './export-command.js'
import type { CliHooks } from './engine.js'
import { EXIT_ERROR, EXIT_OK, processIo, type CliIo } from './io.js'
import { REMOVAL_USAGE, runRemovalCommand } from './removal-commands.js'
import { runScan, SCAN_USAGE } from './scan-command.js'

export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js'
export type { CliHooks } from './engine.js'

const USAGE = `certaudit — find and safely remove root certificates that let someone read your HTTPS traffic.

${SCAN_USAGE}
${REMOVAL_USAGE}
${CHECK_CONNECTION_USAGE}
${EXPORT_USAGE}
${BLOCKLIST_USAGE}`

/** Runs the CLI and returns its exit code. Never calls process.exit. `hooks` are for tests only (crash injection). */
export async function main(argv: readonly string[], io: CliIo = processIo, hooks: CliHooks = {}): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'scan':
      return runScan(rest, io)
    case 'remove':
    case 'undo':
    case 'resume':
    case 'history':
      return runRemovalCommand(command, rest, io, hooks)
    case 'check-connection':
      return runCheckConnection(rest, io)
    case 'export':
      return runExport(rest, io)
    case 'blocklist':
      return runBlocklistCommand(rest, io)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE)
      return command ? EXIT_OK : EXIT_ERROR
    default:
      io.stderr(`certaudit: unknown command "${command}"\n\n${USAGE}`)
      return EXIT_ERROR
  }
}
