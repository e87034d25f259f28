/**
 * Notifications on Windows: a toast, shown by Windows PowerShell 5.1 through Windows.UI.Notifications.
 * Its click (and its button) activates certaudit://finding/<id> by protocol, which the app registers
 * (electron/main.ts). The script goes in with -EncodedCommand; the texts are XML-escaped inside
 * PowerShell single-quoted literals, so nothing in them is ever run. Toasts are shown under Windows
 * PowerShell's own app id, which every Windows 10 and 11 has (an unpackaged app's own id shows nothing
 * without a Start-menu shortcut carrying it).
 * https://learn.microsoft.com/windows/apps/design/shell/tiles-and-notifications/adaptive-interactive-toasts
 */
import { encodePowerShell, powerShellPath, POWERSHELL_FLAGS, powerShellQuote } from '../../stores/shared/elevation-scripts.js'
import type { Environment } from '../../stores/shared/environment.js'
import { xmlEscape } from '../schedule/quoting.js'
import { failed, findingUrl, type GuardNotification, type NotifyOutcome } from './types.js'

export const POWERSHELL_APP_ID = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe'

export function toastXml(n: GuardNotification): string {
  const url = xmlEscape(findingUrl(n.findingId))
  return (
    `<toast activationType="protocol" launch="${url}" scenario="reminder">` +
    `<visual><binding template="ToastGeneric"><text>${xmlEscape(n.title)}</text><text>${xmlEscape(n.body)}</text></binding></visual>` +
    `<actions><action content="${xmlEscape(n.openLabel)}" activationType="protocol" arguments="${url}"/></actions>` +
    `</toast>`
  )
}

export function toastScript(n: GuardNotification): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null',
    '[Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] | Out-Null',
    '$xml = New-Object Windows.Data.Xml.Dom.XmlDocument',
    `$xml.LoadXml(${powerShellQuote(toastXml(n))})`,
    '$toast = New-Object Windows.UI.Notifications.ToastNotification $xml',
    `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier(${powerShellQuote(POWERSHELL_APP_ID)}).Show($toast)`,
  ].join('\n')
}

export async function notifyWindows(env: Environment, n: GuardNotification): Promise<NotifyOutcome> {
  const shown = await env.run(powerShellPath(env), [...POWERSHELL_FLAGS, '-EncodedCommand', encodePowerShell(toastScript(n))], { timeoutMs: 60_000 })
  if (shown.exitCode !== 0) return { delivered: false, clickOpens: false, reason: `The notification could not be shown: ${failed(shown)}` }
  return { delivered: true, via: 'powershell-toast', clickOpens: true }
}
