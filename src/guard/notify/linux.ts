/**
 * Notifications on Linux, through the desktop's notification service (org.freedesktop.Notifications on
 * the session bus). Asked first for its capabilities (which also starts a service D-Bus activates):
 * none answering means no service, and the event waits in the history for the next start. With
 * notify-send ≥ 0.7.10 and a server that shows actions, the notification has an "Open CertAudit" button;
 * notify-send waits for the click and prints the action, and the check opens certaudit://finding/<id>
 * with xdg-open (the app registers the scheme). Otherwise gdbus sends a plain notification.
 * https://specifications.freedesktop.org/notification-spec/latest/
 */
import type { Environment } from '../../stores/shared/environment.js'
import { failed, findingUrl, type GuardNotification, type NotifyOutcome } from './types.js'

const BUS = ['--session', '--dest', 'org.freedesktop.Notifications', '--object-path', '/org/freedesktop/Notifications'] as const
/** How long the check waits for a click before it ends (the notification stays; its button then does nothing). */
export const CLICK_WAIT_MS = 20 * 60_000

/** A GVariant text-format string (gdbus parses each argument as GVariant text): single-quoted, `\` and `'` escaped. */
export function gvariantString(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`
}

/** The body with markup characters escaped, for servers that read the body as markup. */
function bodyText(body: string, markup: boolean): string {
  return markup ? body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : body
}

export async function notifyLinux(env: Environment, n: GuardNotification): Promise<NotifyOutcome> {
  const caps = await env.run('gdbus', ['call', ...BUS, '--method', 'org.freedesktop.Notifications.GetCapabilities'], { timeoutMs: 15_000 })
  if (caps.exitCode !== 0) return { delivered: false, clickOpens: false, reason: `No desktop notification service answered: ${failed(caps)}` }
  const capabilities = caps.stdout.toString('utf8')
  const markup = capabilities.includes("'body-markup'")
  const body = bodyText(n.body, markup)
  if (capabilities.includes("'actions'")) {
    const sent = await env.run(
      'notify-send',
      ['--app-name=CertAudit', '--urgency=critical', '--icon=dialog-warning', `--action=open=${n.openLabel}`, '--', n.title, body],
      { timeoutMs: CLICK_WAIT_MS },
    )
    if (sent.exitCode === 0) {
      if (sent.stdout.toString('utf8').trim() !== 'open') return { delivered: true, via: 'notify-send', clickOpens: true, opened: false }
      const opened = await env.run('xdg-open', [findingUrl(n.findingId)], { timeoutMs: 30_000 })
      return { delivered: true, via: 'notify-send', clickOpens: true, opened: opened.exitCode === 0, ...(opened.exitCode === 0 ? {} : { reason: failed(opened) }) }
    }
    // An older notify-send (no --action), or none: a plain notification through D-Bus instead.
  }
  const plain = await env.run(
    'gdbus',
    ['call', ...BUS, '--method', 'org.freedesktop.Notifications.Notify', gvariantString('CertAudit'), '0', gvariantString('dialog-warning'), gvariantString(n.title), gvariantString(body), '[]', "{'urgency': <byte 2>}", '-1'],
    { timeoutMs: 15_000 },
  )
  if (plain.exitCode !== 0) return { delivered: false, clickOpens: false, reason: `The notification could not be shown: ${failed(plain)}` }
  return { delivered: true, via: 'gdbus', clickOpens: false }
}
