import type { KeyObject } from 'node:crypto'
import { checkNewer } from '../audit/blocklist-signature.js'
import { shown, visible } from '../audit/visible.js'
import { blocklistStatus, installBlocklist, loadActiveBlocklist, readSignedFile, rollbackBlocklist, type InstallErrorCode } from '../audit/blocklist-store.js'
import { machineFrom } from './engine.js'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, processIo, parseCommand, type CliIo, usageError } from './io.js'
import { blocklistStoreOptions } from './load-blocklist.js'

export const BLOCKLIST_USAGE = `Usage:
  certaudit blocklist status              the list in use: version, date, bundled or installed
  certaudit blocklist verify FILE         check FILE and its signature FILE.sig
  certaudit blocklist install FILE        verify, then use FILE instead of the bundled list
  certaudit blocklist rollback            go back to the list used before the last install

Only a list signed with CertAudit's key (resources/blocklist-signing-key.pub.pem) is
accepted, and only if it is newer (version and date) than the list in use. The
previous list is kept for rollback. Options: --json, --home DIR.

Exit codes: 0 done (verify: valid), 1 refused (bad or missing signature, not a valid
list, older than the list in use, nothing to roll back), 2 usage error or unreadable file.
`

/** What tests inject: the keys that lists must be signed with. */
export interface BlocklistCommandDeps {
  readonly publicKeys?: readonly KeyObject[]
}

// Refusals of the list itself exit 1; trouble reading or writing files exits 2.
const EXIT_FOR: Readonly<Record<InstallErrorCode, number>> = {
  'missing-signature': EXIT_FINDINGS,
  'malformed-signature': EXIT_FINDINGS,
  'bad-signature': EXIT_FINDINGS,
  'invalid-list': EXIT_FINDINGS,
  downgrade: EXIT_FINDINGS,
  'nothing-to-roll-back': EXIT_FINDINGS,
  unreadable: EXIT_ERROR,
  'write-failed': EXIT_ERROR,
  'unsafe-folder': EXIT_ERROR,
}

/** `certaudit blocklist status | verify | install | rollback`: returns the exit code. */
export async function runBlocklistCommand(argv: readonly string[], io: CliIo = processIo, deps: BlocklistCommandDeps = {}): Promise<number> {
  const parsed = parseCommand(argv, io, BLOCKLIST_USAGE, { json: { type: 'boolean', default: false }, home: { type: 'string' } }, true)
  if ('exit' in parsed) return parsed.exit
  const { values, positionals } = parsed
  const [action, file, ...extra] = positionals
  const needsFile = action === 'verify' || action === 'install'
  if (action !== 'status' && action !== 'rollback' && !needsFile) return usage(io, action ? `unknown blocklist action "${action}"` : 'say what to do: status, verify, install or rollback')
  if (needsFile && !file) return usage(io, `blocklist ${action} needs the list's FILE (its signature is read from FILE.sig)`)
  if ((needsFile ? extra : [file, ...extra]).some((a) => a !== undefined)) return usage(io, `unexpected argument "${needsFile ? extra[0] : file}"`)

  const env = machineFrom(values, io)
  if (!env) return EXIT_ERROR
  const options = blocklistStoreOptions(env, deps.publicKeys)
  const print = (json: unknown, text: string) => io.stdout(values.json ? JSON.stringify(json, null, 2) + '\n' : text + '\n')
  try {
    if (action === 'status') {
      const status = blocklistStatus(options)
      const { active, previous } = status
      print(
        status,
        [
          shown`Blocklist in use: version ${active.version} of ${active.updated}, ${active.entries} entries (${active.source === 'installed' ? 'installed update' : 'bundled with CertAudit'}: ${active.path}).`,
          previous ? shown`Previous list (for rollback): version ${previous.version} of ${previous.updated}.` : 'No previous list to roll back to.',
          ...status.warnings.map(visible),
        ].join('\n'),
      )
      return status.warnings.length ? EXIT_FINDINGS : EXIT_OK
    }
    if (action === 'verify') {
      const read = await readSignedFile(file!, options.publicKeys)
      if (!read.ok) return refuse(io, values.json, read.error)
      const active = loadActiveBlocklist(options)
      const newer = checkNewer(read.blocklist, active.blocklist)
      const { version, updated, entries } = read.blocklist
      print(
        { ok: true, version, updated, entries: entries.length, newerThanActive: newer.ok, active: { version: active.blocklist.version, updated: active.blocklist.updated } },
        shown`${file}: signature valid; version ${version} of ${updated}, ${entries.length} entries.\n` +
          (newer.ok ? '"certaudit blocklist install" would use it.' : shown`"certaudit blocklist install" would refuse it: ${newer.message}`),
      )
      return EXIT_OK
    }
    const result = action === 'install' ? await installBlocklist(file!, options) : await rollbackBlocklist(options)
    if (!result.ok) return refuse(io, values.json, result.error)
    const { version, updated } = result.installed
    const before = result.replaced.blocklist
    const active = loadActiveBlocklist(options).blocklist
    // Versions and dates come from the list file (signed, but a list is data): shown like any value.
    const text = result.unchanged
      ? shown`Version ${version} of ${updated} is already installed and in use.`
      : shown`${action === 'install' ? 'Installed' : 'Rolled back to'} version ${version} of ${updated} (was version ${before.version} of ${before.updated}).` +
        (active.version === version ? '' : shown` The bundled list (version ${active.version} of ${active.updated}) is newer, so it stays in use.`)
    print({ ok: true, unchanged: result.unchanged, version, updated, previous: { version: before.version, updated: before.updated }, path: result.path }, text)
    return EXIT_OK
  } catch (error) {
    io.stderr(shown`certaudit: ${(error as Error).message}\n`)
    return EXIT_ERROR
  }
}

function refuse(io: CliIo, json: boolean, error: { code: InstallErrorCode; message: string }): number {
  if (json) io.stdout(JSON.stringify({ ok: false, error }, null, 2) + '\n')
  io.stderr(shown`certaudit: ${error.message}\n`)
  return EXIT_FOR[error.code]
}

const usage = (io: CliIo, message: string): number => usageError(io, BLOCKLIST_USAGE, message)
