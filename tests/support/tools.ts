import { spawnSync } from 'node:child_process'

/** Whether a command runs on this machine (tests that need it skip, saying so, when it does not). */
export function installed(command: string, args: readonly string[]): boolean {
  return !spawnSync(command, [...args], { stdio: 'ignore' }).error
}

export const haveKeytool = installed('keytool', ['-help'])
export const haveOpenssl = installed('openssl', ['version'])
