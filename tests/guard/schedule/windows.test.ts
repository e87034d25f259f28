/**
 * The guard's Windows schedule, tested on the file and command lines it produces (schtasks cannot run
 * here): a Task Scheduler XML definition in UTF-16 with its byte order mark, a log-on trigger and a
 * daily one for this user only, least privilege; its Arguments split back by CommandLineToArgvW's
 * rules; and the schtasks calls that register and delete it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Launcher } from '../../../src/guard/launcher.js'
import { installSchedule, uninstallSchedule } from '../../../src/guard/schedule/index.js'
import { windowsArgument } from '../../../src/guard/schedule/quoting.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { tempDir } from '../../support/temp.js'
import { parseWindowsCommandLine, xmlText } from './parsers.js'

const SCHTASKS = 'C:\\Windows\\System32\\schtasks.exe'

function windows(ownHome = true) {
  const home = tempDir('certaudit-guard-win-')
  const runner = scriptedRunner((command) => (command[0] === SCHTASKS ? { stdout: 'SUCCESS: The scheduled task "CertAudit Guard" has successfully been created.' } : undefined))
  const env = createEnvironment({
    home,
    systemRoot: '/',
    platform: 'win32',
    env: { USERPROFILE: ownHome ? home : 'C:\\Users\\other', USERNAME: 'aigerim', USERDOMAIN: 'DESKTOP-1', SystemRoot: 'C:\\Windows' },
    run: runner.run,
  })
  return { home, env, runner }
}

function element(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => xmlText(m[1]!))
}

describe('the guard schedule on Windows', () => {
  const cli: Launcher = { kind: 'cli', program: 'C:\\Program Files\\nodejs\\node.exe', script: 'C:\\Users\\Ai "Q" & <co>\\certaudit\\bin\\certaudit.mjs' }

  it('a UTF-16 task XML for this user (log-on and daily, least privilege) registered with schtasks /Create /XML', async () => {
    const { home, env, runner } = windows()
    const change = await installSchedule(env, cli, 'kk')
    const file = join(home, 'AppData/Roaming/CertAudit/guard/certaudit-guard-task.xml')
    expect(change).toMatchObject({ kind: 'task-scheduler', files: [file], registration: { type: 'task-scheduler', name: 'CertAudit Guard' } })
    expect(runner.calls).toEqual([[SCHTASKS, '/Create', '/TN', 'CertAudit Guard', '/XML', file, '/F']])
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe])
    const xml = bytes.subarray(2).toString('utf16le')
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-16"\?>/)
    expect(element(xml, 'UserId')).toEqual(['DESKTOP-1\\aigerim', 'DESKTOP-1\\aigerim'])
    expect(xml).toContain('<LogonTrigger>')
    expect(xml).toMatch(/<CalendarTrigger>.*<DaysInterval>1<\/DaysInterval>/)
    expect(element(xml, 'RunLevel')).toEqual(['LeastPrivilege'])
    expect(element(xml, 'LogonType')).toEqual(['InteractiveToken'])
    expect(element(xml, 'StartWhenAvailable')).toEqual(['true'])
    expect(element(xml, 'Command')).toEqual([cli.program])
    const [args] = element(xml, 'Arguments')
    expect(parseWindowsCommandLine(args!)).toEqual([cli.script, 'watch', '--once', '--notify', '--lang', 'kk'])
  })

  it('the app runs its own executable with --guard-watch', async () => {
    const { home, env } = windows()
    await installSchedule(env, { kind: 'app', program: 'C:\\Users\\aigerim\\AppData\\Local\\Programs\\certaudit\\CertAudit.exe' })
    const xml = readFileSync(join(home, 'AppData/Roaming/CertAudit/guard/certaudit-guard-task.xml')).subarray(2).toString('utf16le')
    expect(element(xml, 'Command')).toEqual(['C:\\Users\\aigerim\\AppData\\Local\\Programs\\certaudit\\CertAudit.exe'])
    expect(parseWindowsCommandLine(element(xml, 'Arguments')[0]!)).toEqual(['--guard-watch'])
  })

  it('uninstall deletes the task and its file; both idempotent', async () => {
    const { home, env, runner } = windows()
    await installSchedule(env, cli)
    await installSchedule(env, cli)
    runner.calls.length = 0
    await uninstallSchedule(env)
    expect(runner.calls).toEqual([[SCHTASKS, '/Delete', '/TN', 'CertAudit Guard', '/F']])
    expect(existsSync(join(home, 'AppData/Roaming/CertAudit/guard/certaudit-guard-task.xml'))).toBe(false)
    runner.calls.length = 0
    await uninstallSchedule(env)
    expect(runner.calls).toEqual([])
  })

  it('for another home: the file only, not registered', async () => {
    const { env, runner } = windows(false)
    expect((await installSchedule(env, cli)).registration).toMatchObject({ type: 'none' })
    expect(runner.calls).toEqual([])
  })

  it('Windows argument quoting survives CommandLineToArgvW for every awkward argument', () => {
    for (const arg of ['', 'plain', 'a b', 'a"b', 'C:\\dir\\', 'C:\\my dir\\', 'a\\\\"b', '\\\\server\\share x', '"', 'end\\\\']) {
      expect(parseWindowsCommandLine(`${windowsArgument(arg)} next`), JSON.stringify(arg)).toEqual([arg, 'next'])
    }
  })
})
