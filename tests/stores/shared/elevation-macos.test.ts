/**
 * Asking macOS for an administrator password from the elevation module. osascript cannot run on
 * Linux: the runner below records its arguments and replays its recorded output
 * (tests/fixtures/macos). The shell line it would hand to `do shell script` is split back into words
 * by the real /bin/sh here, so the quoting is checked by the shell that will read it.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { CommandRunner } from '../../../src/stores/shared/command.js'
import { osascriptError, posixCommandLine } from '../../../src/stores/shared/elevation-scripts.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { asResult, replay } from '../../support/recorded-output.js'

/** What /bin/sh makes of a shell line: the words a program would receive. */
const words = (line: string): string[] => spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'buffer' }).stdout.toString('utf8').split('\0').slice(0, -1)

function recorder(answer: { exitCode: number; stdout?: string; stderr?: string } = { exitCode: 0, stdout: 'done\n' }): { run: CommandRunner; calls: string[][] } {
  const calls: string[][] = []
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args])
    return { command: [command, ...args], exitCode: answer.exitCode, stdout: Buffer.from(answer.stdout ?? ''), stderr: answer.stderr ?? '' }
  }
  return { run, calls }
}

const mac = (run: CommandRunner) => createEnvironment({ platform: 'darwin', home: '/Users/aigerim', env: {}, run })

describe('elevation on macOS (the administrator password prompt)', () => {
  it('runs the command through osascript with a fixed AppleScript, the shell line and the prompt as arguments', async () => {
    const { run, calls } = recorder()
    const result = await createElevation(mac(run), { isRoot: false }).run('/usr/bin/security', ['delete-certificate', '-Z', 'AB'.repeat(20), '/Library/Keychains/System.keychain'], { admin: true })
    expect(calls).toEqual([
      [
        '/usr/bin/osascript',
        '-e',
        'on run argv',
        '-e',
        'do shell script (item 1 of argv) with prompt (item 2 of argv) with administrator privileges without altering line endings',
        '-e',
        'end run',
        `'/usr/bin/security' 'delete-certificate' '-Z' '${'AB'.repeat(20)}' '/Library/Keychains/System.keychain'`,
        'CertAudit needs an administrator password to change the certificates of this Mac.',
      ],
    ])
    expect(result).toEqual({ command: ['/usr/bin/security', 'delete-certificate', '-Z', 'AB'.repeat(20), '/Library/Keychains/System.keychain'], exitCode: 0, stdout: 'done', stderr: '', elevated: true })
  })

  it('quotes every argument so that /bin/sh reads back exactly the argument array', () => {
    const nasty = ["it's", '$(touch /tmp/certaudit-pwned)', '`id`', 'a  b', 'new\nline', '"double"', '\\back\\slash', '; rm -rf / #', '*', '~', 'Қазақстан ✓', '', "'"]
    expect(words(posixCommandLine('/usr/bin/security', nasty))).toEqual(['/usr/bin/security', ...nasty])
    expect(() => posixCommandLine('/usr/bin/security', ['nul\0byte'])).toThrow(/NUL/)
  })

  it('says so when the password prompt is cancelled, and passes on the exit status and message of a failed command', async () => {
    const cancelled = replay('macos', 'osascript-cancelled')
    const result = await createElevation(mac(async (command, args) => asResult([command, ...args], cancelled)), { isRoot: false }).run('/usr/bin/security', ['add-trusted-cert', '-d', '-r', 'deny', '/tmp/c.pem'], { admin: true })
    expect(result).toMatchObject({ exitCode: null, stderr: 'The macOS administrator password prompt was cancelled; nothing was changed.', elevated: true })

    const { run } = recorder({ exitCode: 1, stderr: '0:152: execution error: SecKeychainItemDelete: Write permissions error. (1)\n' })
    expect(await createElevation(mac(run), { isRoot: false }).run('/usr/bin/security', ['delete-certificate'], { admin: true })).toMatchObject({ exitCode: 1, stderr: 'SecKeychainItemDelete: Write permissions error.' })
    expect(osascriptError('0:20: execution error: A "b" (c) d (-1728)')).toEqual({ message: 'A "b" (c) d', number: -1728 })
  })

  it('runs directly, without a prompt, what needs no admin rights, and everything when CertAudit already runs as root', async () => {
    for (const [isRoot, admin] of [[false, false], [true, true]] as const) {
      const { run, calls } = recorder()
      await createElevation(mac(run), { isRoot }).run('/usr/bin/security', ['remove-trusted-cert', '/tmp/c.pem'], { admin })
      expect(calls).toEqual([['/usr/bin/security', 'remove-trusted-cert', '/tmp/c.pem']])
    }
  })

  it('refuses input it cannot pass through the prompt, and arguments no program can receive', async () => {
    const { run, calls } = recorder()
    const elevation = createElevation(mac(run), { isRoot: false })
    expect(await elevation.run('/usr/bin/security', ['import'], { admin: true, input: 'secret' })).toMatchObject({ exitCode: null, stderr: expect.stringContaining('cannot pass input') })
    expect(await elevation.run('/usr/bin/security', ['nul\0'], { admin: true })).toMatchObject({ exitCode: null, stderr: expect.stringContaining('NUL') })
    expect(calls).toEqual([])
  })
})
