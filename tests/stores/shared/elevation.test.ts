import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CommandResult, CommandRunner } from '../../../src/stores/shared/command.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { canWrite } from '../../../src/stores/shared/writable.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { tempDir } from '../../support/temp.js'
import { HOSTILE_NAMES, rawHidden } from '../../support/hostile-text.js'
import { visible } from '../../../src/audit/visible.js'

/**
 * pkexec needs a desktop session's polkit agent to show its dialog, which a test machine cannot have:
 * the runner below records what would be run and answers as pkexec would. Everything else is real.
 */
function recorder(answer: Partial<CommandResult> = {}): { run: CommandRunner; calls: string[][] } {
  const calls: string[][] = []
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args])
    return { command: [command, ...args], exitCode: 0, stdout: Buffer.from('ok'), stderr: '', ...answer }
  }
  return { run, calls }
}

describe('elevation', () => {
  it('runs a command that needs no admin rights as it is', async () => {
    const { run, calls } = recorder()
    const result = await createElevation(createEnvironment({ run, platform: 'linux', env: {} }), { isRoot: false }).run('certutil', ['-D', '-n', 'a b'], { admin: false })
    expect(calls).toEqual([['certutil', '-D', '-n', 'a b']])
    expect(result).toMatchObject({ elevated: false, exitCode: 0, stdout: 'ok' })
  })

  it('asks pkexec for exactly the command that needs it, with the same argument array', async () => {
    const { run, calls } = recorder()
    const nasty = 'Qaznet "$(id)" `x`'
    const result = await createElevation(createEnvironment({ run, platform: 'linux', env: {} }), { isRoot: false }).run('certutil', ['-D', '-n', nasty], { admin: true })
    expect(calls).toEqual([['pkexec', 'certutil', '-D', '-n', nasty]])
    expect(result.elevated).toBe(true)
  })

  it('runs directly when CertAudit already runs as root', async () => {
    const { run, calls } = recorder()
    await createElevation(createEnvironment({ run, platform: 'linux', env: {} }), { isRoot: true }).run('rm', ['--', '/x'], { admin: true })
    expect(calls).toEqual([['rm', '--', '/x']])
  })

  it('says so when the prompt was cancelled, or pkexec is missing', async () => {
    const cancelled = await createElevation(createEnvironment({ run: recorder({ exitCode: 126 }).run, platform: 'linux', env: {} }), { isRoot: false }).run('rm', ['/x'], { admin: true })
    expect(cancelled.stderr).toContain('cancelled or refused; nothing was changed')
    const missing = await createElevation(createEnvironment({ run: recorder({ exitCode: null, spawnError: 'ENOENT: spawn pkexec' }).run, platform: 'linux', env: {} }), { isRoot: false }).run('rm', ['/x'], { admin: true })
    expect(missing).toMatchObject({ exitCode: null, stderr: expect.stringContaining('pkexec (polkit) is not installed') })
    expect(missing.stderr).toContain('sudo rm /x')
  })

  it('without pkexec, the sudo line to paste shows a hostile path and, pasted into sh, hands it over intact, running nothing else', async () => {
    const folder = tempDir('certaudit-sudo-paste-')
    const path = join(folder, `Qaz $(touch owned) ${HOSTILE_NAMES.reversed} ${HOSTILE_NAMES.clearScreen}.crt`)
    const missing = await createElevation(createEnvironment({ run: recorder({ exitCode: null, spawnError: 'ENOENT: spawn pkexec' }).run, platform: 'linux', env: {} }), { isRoot: false }).run('rm', ['--', path], { admin: true })
    const shown = visible(missing.stderr.slice(missing.stderr.indexOf('run: sudo ') + 'run: sudo '.length))
    expect(rawHidden(shown)).toEqual([])
    // `rm` swapped for printf by a function of the same name: what the pasted line would hand to rm.
    const printed = execFileSync('/bin/sh', ['-c', `rm() { printf '%s\\0' "$@"; }; ${shown}`], { cwd: folder })
    expect(printed.toString('utf8').split('\0').slice(0, -1)).toEqual(['--', path])
    expect(existsSync(join(folder, 'owned'))).toBe(false)
  })

  it('canWrite tells a writable file or folder from one that is not', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'f'), 'x')
    expect(await canWrite(join(dir, 'f'))).toBe(true)
    expect(await canWrite(join(dir, 'new-file'))).toBe(true) // its folder is writable
    const locked = join(dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    // Root may write anywhere, so only an unprivileged run can see "not writable" from mode bits.
    expect(await canWrite(join(locked, 'x'))).toBe(process.getuid?.() === 0)
  })
})
