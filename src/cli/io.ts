import { createInterface } from 'node:readline/promises'

export const EXIT_OK = 0
export const EXIT_FINDINGS = 1
export const EXIT_ERROR = 2

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
