/**
 * Notifications on macOS, in Notification Center. terminal-notifier (Homebrew's, found by its usual
 * paths: a LaunchAgent's PATH has no /opt/homebrew) shows one whose click opens
 * certaudit://finding/<id>; without it, AppleScript's `display notification`, whose texts are passed as
 * arguments of the run handler (never spliced into the script), shows one a click cannot open
 * CertAudit from (so the window also shows the event at its next start).
 */
import type { Environment } from '../../stores/shared/environment.js'
import { failed, findingUrl, type GuardNotification, type NotifyOutcome } from './types.js'

export const TERMINAL_NOTIFIER = ['/opt/homebrew/bin/terminal-notifier', '/usr/local/bin/terminal-notifier'] as const

export async function notifyMacos(env: Environment, n: GuardNotification): Promise<NotifyOutcome> {
  for (const tool of TERMINAL_NOTIFIER) {
    const shown = await env.run(tool, ['-title', 'CertAudit', '-subtitle', n.title, '-message', n.body, '-open', findingUrl(n.findingId), '-group', 'org.certaudit.guard', '-sound', 'default'], { timeoutMs: 30_000 })
    if (shown.spawnError) continue // not installed there
    if (shown.exitCode === 0) return { delivered: true, via: 'terminal-notifier', clickOpens: true }
  }
  const script = ['on run argv', 'display notification (item 2 of argv) with title "CertAudit" subtitle (item 1 of argv) sound name "default"', 'end run']
  const shown = await env.run('/usr/bin/osascript', [...script.flatMap((line) => ['-e', line]), n.title, n.body], { timeoutMs: 30_000 })
  if (shown.exitCode !== 0) return { delivered: false, clickOpens: false, reason: `The notification could not be shown: ${failed(shown)}` }
  return { delivered: true, via: 'osascript', clickOpens: false }
}
