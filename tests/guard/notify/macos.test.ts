/**
 * macOS notifications, on the command lines they produce (osascript and terminal-notifier cannot run
 * here): terminal-notifier where Homebrew put it (its click opens the finding), else AppleScript's
 * display notification with the texts as run-handler arguments, never inside the script.
 */
import { describe, expect, it } from 'vitest'
import { notifyMacos } from '../../../src/guard/notify/macos.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { tempDir } from '../../support/temp.js'

const note = { title: 'Вернулся "сертификат"', body: 'Qaznet: "quoted" \\ & end', findingId: '00309c736dd661da', openLabel: 'Открыть CertAudit' }
const mac = (run: ReturnType<typeof scriptedRunner>['run']) => createEnvironment({ home: tempDir('certaudit-notify-mac-'), systemRoot: '/', platform: 'darwin', env: {}, run })

describe('macOS notifications', () => {
  it('terminal-notifier (Homebrew on Intel): a click opens certaudit://finding/<id>', async () => {
    const runner = scriptedRunner((c) => (c[0] === '/usr/local/bin/terminal-notifier' ? {} : undefined))
    expect(await notifyMacos(mac(runner.run), note)).toEqual({ delivered: true, via: 'terminal-notifier', clickOpens: true })
    expect(runner.calls).toEqual([
      ['/opt/homebrew/bin/terminal-notifier', '-title', 'CertAudit', '-subtitle', note.title, '-message', note.body, '-open', 'certaudit://finding/00309c736dd661da', '-group', 'org.certaudit.guard', '-sound', 'default'],
      ['/usr/local/bin/terminal-notifier', '-title', 'CertAudit', '-subtitle', note.title, '-message', note.body, '-open', 'certaudit://finding/00309c736dd661da', '-group', 'org.certaudit.guard', '-sound', 'default'],
    ])
  })

  it('without it: osascript display notification, the texts passed as arguments (no quoting inside AppleScript)', async () => {
    const runner = scriptedRunner((c) => (c[0] === '/usr/bin/osascript' ? {} : undefined))
    expect(await notifyMacos(mac(runner.run), note)).toEqual({ delivered: true, via: 'osascript', clickOpens: false })
    expect(runner.calls.at(-1)).toEqual([
      '/usr/bin/osascript',
      '-e', 'on run argv',
      '-e', 'display notification (item 2 of argv) with title "CertAudit" subtitle (item 1 of argv) sound name "default"',
      '-e', 'end run',
      note.title,
      note.body,
    ])
  })

  it('osascript failing: not delivered, with the reason', async () => {
    const runner = scriptedRunner((c) => (c[0] === '/usr/bin/osascript' ? { exitCode: 1, stderr: 'execution error: Not authorized (-1743)' } : undefined))
    const outcome = await notifyMacos(mac(runner.run), note)
    expect(outcome.delivered).toBe(false)
    expect(outcome.reason).toMatch(/osascript .* failed \(exit code 1\): execution error: Not authorized/)
  })
})
