/**
 * Linux notifications. With no session bus, the REAL gdbus is asked for the notification service and
 * fails: nothing is delivered, and the reason names the command. The desktop tools themselves
 * (notify-send, gdbus talking to a notification server, xdg-open) would reach the developer's own
 * desktop, so their calls are scripted and checked argument by argument.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { gvariantString, notifyLinux } from '../../../src/guard/notify/linux.js'
import type { GuardNotification } from '../../../src/guard/notify/types.js'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { tempDir } from '../../support/temp.js'

const haveGdbus = spawnSync('gdbus', ['help']).error === undefined
if (!haveGdbus) console.warn('[skipped] the real gdbus without a session bus: gdbus is not installed (libglib2.0-bin)')

const note: GuardNotification = { title: 'A certificate you removed came back', body: 'Qaznet <Trust> & "Network": trusted again in Firefox.', findingId: '00309c736dd661da', openLabel: 'Open CertAudit' }
const CAPS = "(['actions', 'body', 'body-markup', 'icon-static'],)\n"

function linux(run: CommandRunner) {
  return createEnvironment({ home: tempDir('certaudit-notify-'), systemRoot: '/', platform: 'linux', env: {}, run })
}

describe('Linux notifications', () => {
  it.skipIf(!haveGdbus)('without a notification service (no session bus), the real gdbus fails: not delivered, and the reason says which command', async () => {
    const noBus: CommandRunner = (command, args, options) => runCommand(command, args, { ...options, env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certaudit-test-bus' } })
    const outcome = await notifyLinux(linux(noBus), note)
    expect(outcome).toMatchObject({ delivered: false, clickOpens: false })
    expect(outcome.reason).toMatch(/^No desktop notification service answered: gdbus call --session --dest org\.freedesktop\.Notifications .* failed \(exit code 1\)/)
  })

  it('with actions: notify-send with an "Open CertAudit" button; the click opens certaudit://finding/<id> with xdg-open', async () => {
    const runner = scriptedRunner((c) => (c[0] === 'gdbus' ? { stdout: CAPS } : c[0] === 'notify-send' ? { stdout: 'open\n' } : c[0] === 'xdg-open' ? {} : undefined))
    const outcome = await notifyLinux(linux(runner.run), note)
    expect(outcome).toEqual({ delivered: true, via: 'notify-send', clickOpens: true, opened: true })
    expect(runner.calls).toEqual([
      ['gdbus', 'call', '--session', '--dest', 'org.freedesktop.Notifications', '--object-path', '/org/freedesktop/Notifications', '--method', 'org.freedesktop.Notifications.GetCapabilities'],
      // The server reads the body as markup: its <, > and & are escaped.
      ['notify-send', '--app-name=CertAudit', '--urgency=critical', '--icon=dialog-warning', '--action=open=Open CertAudit', '--', note.title, 'Qaznet &lt;Trust&gt; &amp; "Network": trusted again in Firefox.'],
      ['xdg-open', 'certaudit://finding/00309c736dd661da'],
    ])
    expect(runner.options[1]?.timeoutMs).toBeGreaterThanOrEqual(10 * 60_000) // it waits for the click
  })

  it('dismissed without a click: delivered, nothing opened', async () => {
    const runner = scriptedRunner((c) => (c[0] === 'gdbus' ? { stdout: CAPS } : c[0] === 'notify-send' ? { stdout: '' } : undefined))
    expect(await notifyLinux(linux(runner.run), note)).toEqual({ delivered: true, via: 'notify-send', clickOpens: true, opened: false })
    expect(runner.calls.map((c) => c[0])).toEqual(['gdbus', 'notify-send'])
  })

  it('an old notify-send (no --action) or a server without actions: a plain notification through D-Bus, its texts as GVariant strings', async () => {
    const old = scriptedRunner((c) => (c[0] === 'notify-send' ? { exitCode: 1, stderr: 'Unknown option --action=open=Open CertAudit' } : c[0] === 'gdbus' ? { stdout: c.includes('org.freedesktop.Notifications.Notify') ? '(uint32 7,)\n' : "(['body'],)\n" } : undefined))
    const outcome = await notifyLinux(linux(old.run), { ...note, title: "It's back" })
    expect(outcome).toEqual({ delivered: true, via: 'gdbus', clickOpens: false })
    expect(old.calls.map((c) => c[0])).toEqual(['gdbus', 'gdbus']) // no actions: notify-send is not even tried
    expect(old.calls[1]!.slice(-8)).toEqual(["'CertAudit'", '0', "'dialog-warning'", "'It\\'s back'", gvariantString(note.body), '[]', "{'urgency': <byte 2>}", '-1'])
  })

  it('GVariant strings escape quotes and backslashes', () => {
    expect(gvariantString(`a'b\\c"d`)).toBe(`'a\\'b\\\\c"d'`)
  })
})
