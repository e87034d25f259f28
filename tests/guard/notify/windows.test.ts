/**
 * Windows toasts, on the command line they produce (PowerShell cannot run here): Windows PowerShell
 * 5.1 by absolute path, the script as -EncodedCommand; decoded, its toast XML is checked for the
 * protocol activation (certaudit://finding/<id>) and its texts read back through both quoting layers
 * (the PowerShell literal, then XML) to exactly what was meant.
 */
import { describe, expect, it } from 'vitest'
import { notifyWindows, toastScript } from '../../../src/guard/notify/windows.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { tempDir } from '../../support/temp.js'
import { xmlText } from '../schedule/parsers.js'

const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'
const note = { title: "Сіз жойған сертификат 'қайта' орнатылды", body: 'Qaznet <b>&</b> ‘quoted’ $(Get-Date) `n', findingId: '00309c736dd661da', openLabel: 'CertAudit ашу' }

describe('Windows toasts', () => {
  it('PowerShell 5.1 with -EncodedCommand shows a toast whose click opens certaudit://finding/<id>', async () => {
    const runner = scriptedRunner((c) => (c[0] === POWERSHELL ? {} : undefined))
    const env = createEnvironment({ home: tempDir('certaudit-notify-win-'), systemRoot: '/', platform: 'win32', env: { SystemRoot: 'C:\\Windows' }, run: runner.run })
    expect(await notifyWindows(env, note)).toEqual({ delivered: true, via: 'powershell-toast', clickOpens: true })
    const [call] = runner.calls
    expect(call!.slice(0, 4)).toEqual([POWERSHELL, '-NoProfile', '-NonInteractive', '-EncodedCommand'])
    const script = Buffer.from(call![4]!, 'base64').toString('utf16le')
    expect(script).toBe(toastScript(note))
    expect(script).toContain("$ErrorActionPreference = 'Stop'")

    // The toast XML inside its PowerShell literal: unquote ('' → '), then read the XML.
    const literal = /\$xml\.LoadXml\('((?:[^'‘’‚‛]|['‘’‚‛]{2})*)'\)/.exec(script)![1]!
    const xml = literal.replace(/(['‘’‚‛])\1/g, '$1')
    expect(xml).toMatch(/^<toast activationType="protocol" launch="certaudit:\/\/finding\/00309c736dd661da"/)
    const texts = [...xml.matchAll(/<text>([^<]*)<\/text>/g)].map((m) => xmlText(m[1]!))
    expect(texts).toEqual([note.title, note.body])
    expect(xml).toContain(`<action content="${'CertAudit ашу'}" activationType="protocol" arguments="certaudit://finding/00309c736dd661da"/>`)
  })

  it('a failing PowerShell: not delivered, with the reason', async () => {
    const runner = scriptedRunner((c) => (c[0] === POWERSHELL ? { exitCode: 1, stderr: 'Cannot find type [Windows.UI.Notifications.ToastNotificationManager]' } : undefined))
    const env = createEnvironment({ home: tempDir('certaudit-notify-win-'), systemRoot: '/', platform: 'win32', env: {}, run: runner.run })
    const outcome = await notifyWindows(env, note)
    expect(outcome.delivered).toBe(false)
    expect(outcome.reason).toContain('Cannot find type')
  })
})
