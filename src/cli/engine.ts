/**
 * Every command reaches the engine through the same API object as the window (src/api), built here
 * from the flags the commands share, so the command line and the app follow one set of rules.
 */
import { BlocklistError } from '../audit/blocklist.js'
import { createCertAuditApi, InvalidRequestError, OutOfOrderError, type CertAuditApi, type CertAuditApiOptions } from '../api/certaudit-api.js'
import { ChangeInterruptedError, UnknownChangeError } from '../removal/engine.js'
import { DamagedRecordError, DataFolderError } from '../removal/journal.js'
import { ChangeInProgressError } from '../removal/lock.js'
import { UnsafeFolderError } from '../removal/data-dir.js'
import { UnknownFindingError } from '../removal/plan.js'
import { statSync, type Stats } from 'node:fs'
import { createEnvironment, imageVariables, type Environment } from '../stores/index.js'
import type { CommandRunner } from '../stores/shared/command.js'
import { specialFileKind } from '../stores/shared/regular-file.js'
import { visible } from '../audit/visible.js'
import { EXIT_ERROR, type CliIo } from './io.js'
import { loadCliBlocklistWithOrigin } from './load-blocklist.js'

/**
 * What a test (never a user) can inject into a command: a hook after each journal record, and the
 * runner of the OS tools (to kill one inside its work), for crash tests.
 */
export interface CliHooks {
  readonly onJournalRecord?: CertAuditApiOptions['onJournalRecord']
  readonly run?: CommandRunner
}

/** The flags that name the machine a command looks at, for {@link machineFrom}: every command that reads stores takes them. */
export const MACHINE_OPTIONS = { home: { type: 'string' }, 'system-root': { type: 'string' } } as const

/** The machine a command looks at: this one, or the home and system root the flags name. Null (said why) for an empty one. */
export function machineFrom(values: { readonly home?: string | undefined; readonly 'system-root'?: string | undefined }, io: CliIo, run?: CommandRunner): Environment | null {
  for (const flag of ['home', 'system-root'] as const) {
    // An empty value would silently mean the current folder, or the live machine: never a guess.
    if (values[flag] !== undefined && values[flag].trim() === '') {
      io.stderr(`certaudit: --${flag} needs a folder (got an empty value)\n`)
      return null
    }
    // A disk image file, a FIFO or a device given as the machine to audit: every path under it would
    // fail one by one (or, for a device, be opened); said once, as a usage error.
    const info = values[flag] !== undefined ? statOrNull(values[flag]) : null
    if (info && !info.isDirectory()) {
      io.stderr(`certaudit: --${flag} needs a folder, but ${visible(values[flag]!)} is ${specialFileKind(info) ?? 'a regular file'}${flag === 'system-root' ? ' (to audit a disk image, mount it and give the folder it is mounted on)' : ''}\n`)
      return null
    }
  }
  const machine = createEnvironment({
    ...(values.home !== undefined ? { home: values.home } : {}),
    ...(values['system-root'] !== undefined ? { systemRoot: values['system-root'] } : {}),
    env: io.env,
    ...(run ? { run } : {}),
  })
  // This shell's variables describe this computer, not the disk image --system-root names: they count
  // only as paths inside it (docs/ARCHITECTURE.md, "The machine under audit").
  return machine.systemRoot === '/' ? machine : { ...machine, machineEnv: imageVariables(io.env, machine.systemRoot, machine.home) }
}

/** The API over `env`, with the list `--blocklist` names (or the installed or bundled one); null (said why) when no list loads. */
export function cliApi(
  env: Environment,
  io: CliIo,
  options: { readonly blocklistPath?: string | undefined; readonly hooks?: CliHooks } & Pick<CertAuditApiOptions, 'scope' | 'network'> = {},
): CertAuditApi | null {
  const loaded = loadCliBlocklistWithOrigin(options.blocklistPath, env, io)
  if (!loaded) return null
  return createCertAuditApi({
    env,
    version: 'cli',
    blocklist: loaded.blocklist,
    blocklistOrigin: loaded.origin,
    // What CertAudit repaired on its own (its data folder made private) is said, on stderr.
    onNotice: (message) => io.stderr(`certaudit: note: ${visible(message)}\n`),
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(options.hooks?.onJournalRecord ? { onJournalRecord: options.hooks.onJournalRecord } : {}),
  })
}

/** Errors that say what the user should do: printed as they are, exit code 2. Anything else is a bug, and is thrown. */
const EXPLAINED = [InvalidRequestError, OutOfOrderError, UnknownFindingError, UnknownChangeError, ChangeInProgressError, ChangeInterruptedError, DataFolderError, DamagedRecordError, BlocklistError, UnsafeFolderError]

/** Runs `work`; an error people can act on becomes its message on stderr (shown: it may quote a name or an argument) and exit code 2. */
export async function explained(io: CliIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work()
  } catch (error) {
    if (!EXPLAINED.some((type) => error instanceof type)) throw error
    io.stderr(`certaudit: ${visible((error as Error).message)}\n`)
    return EXIT_ERROR
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null // missing: what is scanned there says so
  }
}
