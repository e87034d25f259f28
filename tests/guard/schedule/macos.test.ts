/**
 * The guard's macOS schedule, tested on the files and command lines it produces (launchctl cannot run
 * here): a LaunchAgent plist in the temp home's ~/Library/LaunchAgents, read back with CertAudit's
 * plist reader (src/stores/shared/plist.ts, written from Apple's format), and the launchctl calls that
 * load it into this user's GUI session and take it out again.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Launcher } from '../../../src/guard/launcher.js'
import { installSchedule, uninstallSchedule } from '../../../src/guard/schedule/index.js'
import { parsePlist, type PlistValue } from '../../../src/stores/shared/plist.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { tempDir } from '../../support/temp.js'

function mac(ownHome = true) {
  const home = tempDir('certaudit-guard-mac-')
  const runner = scriptedRunner((command) => (command[0] === 'id' ? { stdout: '501\n' } : command[0] === 'launchctl' ? {} : undefined))
  const env = createEnvironment({ home, systemRoot: '/', platform: 'darwin', env: { HOME: ownHome ? home : '/Users/other' }, run: runner.run })
  return { home, env, runner }
}

const app: Launcher = { kind: 'app', program: '/Applications/CertAudit <&> "it\'s".app/Contents/MacOS/CertAudit' }

describe('the guard schedule on macOS', () => {
  it('writes a LaunchAgent (RunAtLoad, daily calendar interval, the exact program arguments) and bootstraps it into gui/<uid>', async () => {
    const { home, env, runner } = mac()
    const change = await installSchedule(env, app, 'ru')
    const plist = join(home, 'Library/LaunchAgents/org.certaudit.guard.plist')
    expect(change).toMatchObject({ kind: 'launch-agent', files: [plist], registration: { type: 'launchd', domain: 'gui/501', label: 'org.certaudit.guard' } })
    expect(runner.calls).toEqual([
      ['id', '-u'],
      ['launchctl', 'bootout', 'gui/501/org.certaudit.guard'],
      ['launchctl', 'bootstrap', 'gui/501', plist],
    ])
    const dict = parsePlist(readFileSync(plist, 'utf8')) as ReadonlyMap<string, PlistValue>
    expect(dict.get('Label')).toBe('org.certaudit.guard')
    expect(dict.get('ProgramArguments')).toEqual([app.program, '--guard-watch', '--lang', 'ru'])
    expect(dict.get('RunAtLoad')).toBe(true)
    expect(dict.get('StartCalendarInterval')).toEqual(new Map([['Hour', 12], ['Minute', 0]]))
    expect(dict.has('EnvironmentVariables')).toBe(false)
  })

  it('the command line: Node and bin/certaudit.mjs, watch --once --notify', async () => {
    const { home, env } = mac()
    await installSchedule(env, { kind: 'cli', program: '/opt/homebrew/bin/node', script: '/Users/me/My Tools/certaudit/bin/certaudit.mjs' })
    const dict = parsePlist(readFileSync(join(home, 'Library/LaunchAgents/org.certaudit.guard.plist'), 'utf8')) as ReadonlyMap<string, PlistValue>
    expect(dict.get('ProgramArguments')).toEqual(['/opt/homebrew/bin/node', '/Users/me/My Tools/certaudit/bin/certaudit.mjs', 'watch', '--once', '--notify'])
  })

  it('uninstall boots it out and removes the file; both are idempotent', async () => {
    const { home, env, runner } = mac()
    await installSchedule(env, app)
    await installSchedule(env, app)
    runner.calls.length = 0
    await uninstallSchedule(env)
    expect(runner.calls).toEqual([['launchctl', 'bootout', 'gui/501/org.certaudit.guard']])
    expect(existsSync(join(home, 'Library/LaunchAgents/org.certaudit.guard.plist'))).toBe(false)
    runner.calls.length = 0
    await uninstallSchedule(env)
    expect(runner.calls).toEqual([])
  })

  it('for another home: the file only, no launchctl', async () => {
    const { env, runner } = mac(false)
    const change = await installSchedule(env, app)
    expect(runner.calls).toEqual([])
    expect(change.registration).toMatchObject({ type: 'none' })
  })
})
