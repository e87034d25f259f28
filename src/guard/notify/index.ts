/**
 * The guard's notification: one per check that found something (a certificate back, or new), naming
 * the most important one in the user's language; a click opens CertAudit on it. Where no notification
 * service takes it, nothing is lost: the events stay in the guard's log, and the window shows them at
 * its next start (app:info's pending events).
 */
import type { Language } from '../../audit/blocklist.js'
import type { Environment } from '../../stores/shared/environment.js'
import type { GuardEvent } from '../schemas.js'
import { guardTexts } from '../texts.js'
import { notifyLinux } from './linux.js'
import { notifyMacos } from './macos.js'
import type { GuardNotification, NotifyOutcome } from './types.js'
import { notifyWindows } from './windows.js'

export { findingUrl, URL_SCHEME, type GuardNotification, type NotifyOutcome } from './types.js'

const RANK = { critical: 0, high: 1, medium: 2, review: 3, info: 4 } as const

/** The notification for a check's events, or null when none needs telling (only `gone`, or nothing). */
export function notificationFor(events: readonly GuardEvent[], language: Language): GuardNotification | null {
  const told = events.filter((e) => e.kind !== 'gone')
  // A return first (the user acted on it and believes it gone), then by severity.
  const [first] = [...told].sort((a, b) => Number(b.kind === 'returned') - Number(a.kind === 'returned') || RANK[a.severity] - RANK[b.severity])
  if (!first) return null
  const t = guardTexts(language)
  return {
    title: first.kind === 'returned' ? t.notifyTitle.returned : t.notifyTitle.new,
    body: t.notifyBody(first, told.length - 1),
    findingId: first.findingId,
    openLabel: t.open,
  }
}

/** Shows the notification with this OS's service. */
export async function notify(env: Environment, notification: GuardNotification): Promise<NotifyOutcome> {
  if (env.platform === 'win32') return notifyWindows(env, notification)
  if (env.platform === 'darwin') return notifyMacos(env, notification)
  return notifyLinux(env, notification)
}
