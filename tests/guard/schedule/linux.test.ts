/**
 * The guard's Linux schedule, for real files in a temp home: a systemd user service and timer
 * (checked with the real `systemd-analyze verify --user` where it is installed), or an XDG autostart
 * entry where no user manager runs. systemctl is a scripted runner (running it here would change the
 * developer's own user manager); every file is read back, its command split by the format's own rules
 * and RUN, to show the scheduled check gets exactly the arguments CertAudit meant, odd paths included.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { guardFile } from '../../../src/guard/files.js'
import type { Launcher } from '../../../src/guard/launcher.js'
import { installSchedule, scheduleStatus, uninstallSchedule, GuardScheduleError } from '../../../src/guard/schedule/index.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { scriptedRunner, type ScriptedAnswer } from '../../support/scripted-runner.js'
import { makeSpecial } from '../../support/special-files.js'
import { tempDir } from '../../support/temp.js'
import { iniValue, parseDesktopExec, parseSystemdExec } from './parsers.js'

const haveSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0
if (!haveSystemdAnalyze) console.warn('[skipped] systemd-analyze verify of the guard units: systemd-analyze is not installed')

/** Folder names with what a quoting mistake would mangle (Node itself refuses a script path with a backslash). */
const ODD = `odd it's "x" $HOME 100% ü`
const DATA = `data \\dir "q" $x 5%`
/** Stands in for bin/certaudit.mjs: prints the arguments it got and the data folder variable. */
const ECHO = 'console.log(JSON.stringify({ argv: process.argv.slice(2), xdg: process.env.XDG_DATA_HOME ?? null }))\n'

function machine(userManager: string | null, options: { ownHome?: boolean; node?: string } = {}) {
  const home = tempDir('certaudit-guard-linux-')
  const script = join(home, ODD, 'certaudit.mjs')
  mkdirSync(join(home, ODD), { recursive: true })
  writeFileSync(script, ECHO)
  const answer = (command: readonly string[]): ScriptedAnswer | undefined => {
    if (command.join(' ') === 'systemctl --user is-system-running') return userManager === null ? undefined : { stdout: `${userManager}\n`, exitCode: userManager === 'running' ? 0 : 1 }
    if (command[0] === 'systemctl') return {}
    return undefined
  }
  const runner = scriptedRunner(answer)
  const env = createEnvironment({
    home,
    systemRoot: '/',
    platform: 'linux',
    env: { HOME: options.ownHome === false ? '/home/someone-else' : home, XDG_DATA_HOME: join(home, DATA) },
    run: runner.run,
  })
  const launcher: Launcher = { kind: 'cli', program: options.node ?? process.execPath, script }
  return { home, env, runner, launcher }
}

/** Runs an argument array and returns what the echo script printed. */
function runArgv(argv: readonly string[], env: Record<string, string> = {}): { argv: string[]; xdg: string | null } {
  const [program, ...args] = argv
  return JSON.parse(execFileSync(program!, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } })) as { argv: string[]; xdg: string | null }
}

/** The real systemd-analyze on the unit files, with a private runtime folder (no user manager is needed). */
function verify(...units: string[]): { status: number | null; output: string } {
  const runtime = tempDir('certaudit-guard-runtime-')
  const result = spawnSync('systemd-analyze', ['verify', '--user', ...units], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('the guard schedule on Linux', () => {
  it('with a user manager: a service and a timer, enabled with systemctl --user, that systemd accepts and that run the check with the right arguments', async () => {
    const { home, env, runner, launcher } = machine('running')
    const change = await installSchedule(env, launcher, 'ru')
    const units = join(home, '.config/systemd/user')
    const service = join(units, 'certaudit-guard.service')
    const timer = join(units, 'certaudit-guard.timer')
    expect(change).toMatchObject({ installed: true, kind: 'systemd', files: [service, timer], registration: { type: 'systemd', unit: 'certaudit-guard.timer' } })
    expect(runner.calls).toEqual([
      ['systemctl', '--user', 'is-system-running'],
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', 'certaudit-guard.timer'],
    ])
    const timerText = readFileSync(timer, 'utf8')
    for (const line of ['OnStartupSec=1min', 'OnCalendar=daily', 'Persistent=true', 'WantedBy=timers.target']) expect(timerText).toContain(line)
    const unit = readFileSync(service, 'utf8')
    expect(unit).toContain('Type=oneshot')

    if (haveSystemdAnalyze) {
      const checked = verify(service, timer)
      expect(checked.output).toBe('')
      expect(checked.status).toBe(0)
    }
    // What systemd will run: node, the CLI, watch --once --notify in Russian, and the same data folder.
    const [exec] = iniValue(unit, 'ExecStart')
    const argv = parseSystemdExec(exec!)
    expect(argv.slice(0, 2)).toEqual([process.execPath, launcher.script])
    const [environment] = iniValue(unit, 'Environment')
    const [variable] = parseSystemdExec(environment!) // one word: no $$ there (Environment= does not expand)
    expect(variable).toBe(`XDG_DATA_HOME=${join(home, DATA)}`)
    expect(runArgv(argv)).toEqual({ argv: ['watch', '--once', '--notify', '--lang', 'ru'], xdg: null })
  })

  it('a Node whose path systemd would refuse (quotes, backslash, $) is started through /usr/bin/env, and systemd accepts it', async () => {
    const odd = tempDir('certaudit-guard-node-')
    const node = join(odd, `it's "n" \\ $x`, 'node')
    mkdirSync(join(node, '..'), { recursive: true })
    symlinkSync(process.execPath, node)
    const { home, env, launcher } = machine('running', { node })
    await installSchedule(env, launcher)
    const service = join(home, '.config/systemd/user/certaudit-guard.service')
    if (haveSystemdAnalyze) expect(verify(service)).toEqual({ status: 0, output: '' })
    const argv = parseSystemdExec(iniValue(readFileSync(service, 'utf8'), 'ExecStart')[0]!)
    expect(argv.slice(0, 2)).toEqual(['/usr/bin/env', node])
    expect(runArgv(argv).argv).toEqual(['watch', '--once', '--notify'])
  })

  it('installing twice changes nothing; uninstall removes exactly what install made, and twice is harmless', async () => {
    const { home, env, runner, launcher } = machine('running')
    const units = join(home, '.config/systemd/user')
    mkdirSync(units, { recursive: true })
    writeFileSync(join(units, 'mine.service'), '[Service]\nExecStart=/bin/true\n')
    await installSchedule(env, launcher)
    const first = readFileSync(join(units, 'certaudit-guard.service'), 'utf8')
    const again = await installSchedule(env, launcher)
    expect(readFileSync(join(units, 'certaudit-guard.service'), 'utf8')).toBe(first)
    expect(again.files).toHaveLength(2)

    runner.calls.length = 0
    const removed = await uninstallSchedule(env)
    expect([...removed.removed].sort()).toEqual([join(units, 'certaudit-guard.service'), join(units, 'certaudit-guard.timer')])
    expect(runner.calls).toEqual([
      ['systemctl', '--user', 'disable', '--now', 'certaudit-guard.timer'],
      ['systemctl', '--user', 'daemon-reload'],
    ])
    expect(existsSync(join(units, 'mine.service'))).toBe(true)
    expect(existsSync(guardFile(env, 'schedule'))).toBe(false)
    runner.calls.length = 0
    expect(await uninstallSchedule(env)).toMatchObject({ installed: false, removed: [] })
    expect(runner.calls).toEqual([])
  })

  it('without a user manager: an XDG autostart entry whose Exec runs the check (at log-in), nothing registered', async () => {
    const { home, env, runner, launcher } = machine('offline')
    const change = await installSchedule(env, launcher, 'kk')
    const entry = join(home, '.config/autostart/certaudit-guard.desktop')
    expect(change).toMatchObject({ kind: 'autostart', files: [entry], registration: { type: 'none', reason: expect.stringContaining('no systemd user manager') } })
    expect(runner.calls).toEqual([['systemctl', '--user', 'is-system-running']])
    expect(existsSync(join(home, '.config/systemd/user/certaudit-guard.service'))).toBe(false)
    const text = readFileSync(entry, 'utf8')
    expect(text).toMatch(/^\[Desktop Entry\]$/m)
    expect(iniValue(text, 'Type')).toEqual(['Application'])
    const argv = parseDesktopExec(iniValue(text, 'Exec')[0]!)
    expect(argv.slice(0, 3)).toEqual(['/usr/bin/env', `XDG_DATA_HOME=${join(home, DATA)}`, process.execPath])
    expect(runArgv(argv)).toEqual({ argv: ['watch', '--once', '--notify', '--lang', 'kk'], xdg: join(home, DATA) })

    // The user manager appears later: the next install switches to the timer and removes the entry.
    const later = machine('running')
    const env2 = { ...env, run: later.runner.run }
    await installSchedule(env2, launcher)
    expect(existsSync(entry)).toBe(false)
    expect(existsSync(join(home, '.config/systemd/user/certaudit-guard.timer'))).toBe(true)
  })

  it('for another home (--home): files only, inside that home, and never a word to this session’s systemd', async () => {
    const { home, env, runner, launcher } = machine('running', { ownHome: false })
    const change = await installSchedule(env, launcher)
    expect(runner.calls).toEqual([])
    expect(change.kind).toBe('autostart')
    expect(change.files[0]!.startsWith(home)).toBe(true)
    const argv = parseDesktopExec(iniValue(readFileSync(change.files[0]!, 'utf8'), 'Exec')[0]!)
    expect(runArgv(argv).argv).toEqual(['watch', '--once', '--notify', '--home', home])
  })

  it('a file changed since the install is left alone by uninstall, and said so', async () => {
    const { home, env, launcher } = machine('offline')
    await installSchedule(env, launcher)
    const entry = join(home, '.config/autostart/certaudit-guard.desktop')
    writeFileSync(entry, readFileSync(entry, 'utf8') + 'Hidden=true\n')
    expect((await scheduleStatus(env)).missing).toEqual([entry])
    const removed = await uninstallSchedule(env)
    expect(removed.leftAlone).toEqual([entry])
    expect(existsSync(entry)).toBe(true)
  })

  it('a FIFO or a device where an installed file was: status and uninstall say so at once, and leave it alone (never waited on)', async () => {
    for (const kind of ['fifo', 'zero-link'] as const) {
      const { home, env, launcher } = machine('offline')
      await installSchedule(env, launcher)
      const entry = join(home, '.config/autostart/certaudit-guard.desktop')
      makeSpecial(kind, entry)
      const started = Date.now()
      expect((await scheduleStatus(env)).missing).toEqual([entry])
      const removed = await uninstallSchedule(env)
      expect(removed.leftAlone).toEqual([entry])
      expect(lstatSync(entry).isFIFO() || lstatSync(entry).isSymbolicLink()).toBe(true)
      expect(Date.now() - started).toBeLessThan(5000)
    }
  })

  it('a failing systemctl leaves nothing half-installed and names the command', async () => {
    const { home, env, launcher } = machine('running')
    const failing = scriptedRunner((command) =>
      command.join(' ') === 'systemctl --user is-system-running' ? { stdout: 'running\n' } : command.includes('enable') ? { exitCode: 1, stderr: 'Failed to enable unit: Access denied' } : {},
    )
    await expect(installSchedule({ ...env, run: failing.run }, launcher)).rejects.toThrow(/systemctl --user enable --now certaudit-guard.timer failed \(exit code 1\): Failed to enable unit: Access denied/)
    expect(existsSync(join(home, '.config/systemd/user/certaudit-guard.service'))).toBe(false)
    expect((await scheduleStatus(env)).installed).toBe(false)
  })

  it('refuses a path with a newline, writing nothing', async () => {
    const { env, launcher } = machine('running')
    await expect(installSchedule(env, { ...launcher, script: '/tmp/a\nb.mjs' })).rejects.toBeInstanceOf(GuardScheduleError)
    expect((await scheduleStatus(env)).installed).toBe(false)
  })
})
