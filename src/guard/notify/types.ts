import type { CommandResult } from '../../stores/shared/command.js'
import { commandFailure } from '../../stores/shared/command-text.js'

/** The URL scheme CertAudit's app registers (electron/main.ts, electron-builder.yml): opens the app on a finding. */
export const URL_SCHEME = 'certaudit'

/** The link a notification opens: CertAudit, on that finding. */
export function findingUrl(findingId: string): string {
  if (!/^[0-9a-f]{8,64}$/.test(findingId)) throw new Error(`not a finding id: ${findingId}`)
  return `${URL_SCHEME}://finding/${findingId}`
}

export interface GuardNotification {
  readonly title: string
  readonly body: string
  /** The finding a click opens. */
  readonly findingId: string
  /** The button's words ("Open CertAudit"), in the user's language. */
  readonly openLabel: string
}

export interface NotifyOutcome {
  /** A notification service took it: the user was told. */
  readonly delivered: boolean
  /** The tool that showed it. */
  readonly via?: 'notify-send' | 'gdbus' | 'terminal-notifier' | 'osascript' | 'powershell-toast'
  /** A click opens CertAudit on the finding (false where the tool cannot: osascript, a server without actions). */
  readonly clickOpens: boolean
  /** The user clicked and CertAudit was asked to open (only known where the tool waits for the click). */
  readonly opened?: boolean
  /** Why it was not delivered (English; the command and what it said). */
  readonly reason?: string
}

export function failed(result: CommandResult): string {
  return commandFailure(result)
}
