import { createInterface } from 'node:readline/promises'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { visible } from '../audit/visible.js'

export const EXIT_OK = 0
export const EXIT_FINDINGS = 1
export const EXIT_ERROR = 2
/** `scan`: no critical or high finding in what was read, but some place could not be checked in full: never an all-clear. */
export const EXIT_INCOMPLETE = 3

/** How the CLI talks to the world; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly isTty: boolean
  /** Show progress on stderr (a terminal, not a pipe). */
  readonly showProgress?: boolean
  readonly env: Readonly<Record<string, string | undefined>>
  /** Asks a yes/no question; absent when there is no one to ask (not a terminal). */
  readonly ask?: (question: string) => Promise<string>
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  showProgress: Boolean(process.stderr.isTTY),
  env: process.env,
  ...(process.stdin.isTTY
    ? {
        ask: async (question: string) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr })
          try {
            return await rl.question(question)
          } finally {
            rl.close()
          }
        },
      }
    : {}),
}

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const
type Options = NonNullable<ParseArgsConfig['options']>
type Parsed<O extends Options, P extends boolean> = ReturnType<typeof parseArgs<{ args: string[]; strict: true; allowPositionals: P; options: O & typeof HELP }>>

/**
 * A command's arguments, parsed strictly (an unknown option is a usage error), with `-h`/`--help`
 * added. For --help it prints `usage` and for a usage error the reason and `usage` on stderr, and
 * returns `{ exit }` with the code the command ends with.
 */
export function parseCommand<const O extends Options, const P extends boolean = false>(
  argv: readonly string[],
  io: CliIo,
  usage: string,
  options: O,
  allowPositionals?: P,
): Parsed<O, P> | { readonly exit: number } {
  let parsed: Parsed<O, P>
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: (allowPositionals ?? false) as P, options: { ...options, ...HELP } })
  } catch (error) {
    return { exit: usageError(io, usage, (error as Error).message) }
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(usage)
    return { exit: EXIT_OK }
  }
  return parsed
}

/**
 * Prints what is wrong with the command line, then its usage; returns the exit code for it. Messages
 * quote the arguments (`unknown option '--…'`, `(got "…")`), which a script may have built from a
 * certificate's name: shown, never sent raw to the terminal.
 */
export function usageError(io: CliIo, usage: string, message: string): number {
  io.stderr(`certaudit: ${visible(message)}\n\n${usage}`)
  return EXIT_ERROR
}
