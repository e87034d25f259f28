import { writeFileSync } from 'node:fs'
import { shown } from '../audit/visible.js'
import { osqueryPack } from '../fleet/osquery-pack.js'
import { createEnvironment } from '../stores/index.js'
import { EXIT_ERROR, EXIT_OK, processIo, parseCommand, type CliIo, usageError } from './io.js'
import { loadCliBlocklist } from './load-blocklist.js'

export const EXPORT_USAGE = `Usage: certaudit export osquery-pack [options]

Prints the roots blocklist as an osquery query pack (JSON), so a fleet running
osquery, Fleet or Kolide finds the same certificates on every machine: by SHA-1 and
by look-alike name, on Windows (all stores), macOS (all keychains) and Linux (the
system CA bundles and anchor folders).

Options:
  --interval SECONDS   how often each query runs (default 3600)
  --output FILE        write the pack to FILE instead of printing it
  --blocklist PATH     use another roots blocklist file
  -h, --help           show this help

Exit codes: 0 written, 2 usage error.
`

/** `certaudit export <what>`: returns the exit code. */
export async function runExport(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const parsed = parseCommand(argv, io, EXPORT_USAGE, { interval: { type: 'string' }, output: { type: 'string' }, blocklist: { type: 'string' } }, true)
  if ('exit' in parsed) return parsed.exit
  const { values, positionals } = parsed
  const [what, ...extra] = positionals
  if (what !== 'osquery-pack') return usage(io, what ? `cannot export "${what}" (only osquery-pack)` : 'say what to export: osquery-pack')
  if (extra.length) return usage(io, `unexpected argument "${extra[0]}"`)
  let interval = 3600
  if (values.interval !== undefined) {
    interval = /^\d+$/.test(values.interval) ? Number(values.interval) : NaN
    if (!(interval >= 60 && interval <= 604800)) return usage(io, `--interval must be whole seconds between 60 and 604800 (got "${values.interval}")`)
  }
  const blocklist = loadCliBlocklist(values.blocklist, createEnvironment({ env: io.env }), io)
  if (!blocklist) return EXIT_ERROR
  const text = JSON.stringify(osqueryPack(blocklist, { interval }), null, 2) + '\n'
  if (values.output === undefined) {
    io.stdout(text)
    return EXIT_OK
  }
  try {
    writeFileSync(values.output, text)
  } catch (error) {
    io.stderr(shown`certaudit: cannot write ${values.output}: ${(error as Error).message}\n`)
    return EXIT_ERROR
  }
  io.stderr(shown`certaudit: osquery pack with ${blocklist.entries.filter((e) => e.sha1).length} SHA-1 thumbprints written to ${values.output}\n`)
  return EXIT_OK
}

const usage = (io: CliIo, message: string): number => usageError(io, EXPORT_USAGE, message)
