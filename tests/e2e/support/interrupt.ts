import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Machine } from './machine.js'

const SCRIPT = fileURLToPath(new URL('./crash-remove.ts', import.meta.url))

/** Starts removing `findingId` with the real CLI and kills it after the journal's `step`. */
export function interruptRemoval(machine: Machine, findingId: string, step: 'backed-up' | 'applying' | 'applied' | 'verified' = 'applied'): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, 'remove', '--finding', findingId, '--yes', '--home', machine.home, '--system-root', machine.root], {
    // Only the machine's variables: the runner's own (XDG_DATA_HOME, JAVA_HOME…) would point the CLI elsewhere.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...machine.env, CERTAUDIT_FAULT: step },
    encoding: 'utf8',
  })
  if (child.signal !== 'SIGKILL') throw new Error(`the removal was meant to be killed after "${step}", but it ended with ${child.status}: ${child.stderr}${child.stdout}`)
}
