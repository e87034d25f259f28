/**
 * The one contract between the app's window and its engine (STYLE.md 2): every IPC channel with the
 * schema of its request, declared once. electron/ipc.ts validates payloads with these schemas before
 * anything runs; electron/preload.ts builds `window.certAudit` from the verb names; the renderer's
 * type comes from {@link CertAuditBridge}; the test harness bridges the same verbs to the same API.
 */
import { z } from 'zod'
import { VERBS, type Verb } from './verbs.js'
import type { ScanReport, StoreFacts, StoreKind } from '../audit/report.js'
import type { ChangeReport, UndoPreview } from '../removal/engine.js'
import type { ConnectionReport } from '../network/check-connection.js'
import type { ChangeSummary } from '../removal/history.js'
import type { RemovalPlan } from '../removal/journal.js'
import type { LoggedEvent } from '../guard/schemas.js'
import type { ScheduleStatus } from '../guard/schedule/index.js'
import type { WatchResult } from '../guard/watch.js'
import type { NotifyOutcome } from '../guard/notify/index.js'

const language = z.enum(['en', 'ru', 'kk'])
const findingId = z.string().regex(/^[0-9a-f]{8,64}$/, 'a finding id is 8 to 64 hex digits')
const changeId = z.string().regex(/^[0-9TZ]{16}-[0-9a-f]{4}$/, 'not a change id')

/** Request schemas, by channel. Strict: an unknown field is an invalid payload. */
export const requests = {
  'app:info': z.object({}).strict(),
  'scan:start': z.object({ language }).strict(),
  'scan:cancel': z.object({}).strict(),
  'removal:plan': z
    .object({
      findingIds: z.array(findingId).min(1).max(100),
      mode: z.enum(['delete', 'distrust']),
      skip: z.array(z.string().max(4096)).max(200).default([]),
      // The language of what the user must do by hand and of the warnings.
      language: language.default('en'),
    })
    .strict(),
  'removal:apply': z.object({ planId: changeId }).strict(),
  'removal:undo': z.object({ changeId: changeId.optional() }).strict(),
  // What an undo would put back where, shown (and confirmed) before it runs: it may ask for admin rights.
  'removal:undo-preview': z.object({ changeId: changeId.optional() }).strict(),
  'removal:resume': z.object({ changeId: changeId.optional() }).strict(),
  'history:list': z.object({}).strict(),
  'report:export': z.object({ format: z.enum(['html', 'json']) }).strict(),
  'link:open': z.object({ url: z.string().url().startsWith('https://') }).strict(),
  'connection:check': z.object({ language, hosts: z.array(z.string().min(1).max(300)).max(30).optional() }).strict(),
  'guard:status': z.object({}).strict(),
  // On: the schedule is installed (again) for this user, its notifications in `language`; off: removed.
  'guard:set': z.object({ enabled: z.boolean(), language: language.optional() }).strict(),
  // The guard's events, newest first; `acknowledge` marks those the window has shown.
  'guard:events': z.object({ acknowledge: z.array(z.string().regex(/^[\w:.-]{1,120}$/, 'not an event id')).max(500).default([]) }).strict(),
  // One check now (the schedule's, the CLI's "watch --once"); `notify` shows the OS notification too.
  'guard:watch': z.object({ language, notify: z.boolean().default(false) }).strict(),
} as const

export type Channel = keyof typeof requests
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]>
/** A request after its schema accepted it (defaults filled in). */
export type RequestData<C extends Channel> = z.output<(typeof requests)[C]>

export interface AppInfo {
  readonly version: string
  readonly platform: string
  /** From the OS locale: the language the app opens in. */
  readonly language: 'en' | 'ru' | 'kk'
  readonly blocklist: { readonly version: number; readonly updated: string; readonly entries: number; readonly source: 'bundled' | 'installed'; readonly warnings: readonly string[] }
  /** Changes that stopped part-way: offered for completion or rollback on start. */
  readonly interrupted: readonly ChangeSummary[]
  /** What the guard found that no notification told the user about (newest first): shown at start. */
  readonly pendingGuardEvents: readonly LoggedEvent[]
  /** The finding CertAudit was started to show (a guard notification's click), set by the desktop shell. */
  readonly openFinding?: string
}

/** Whether the guard's checks are scheduled, and what they found last. */
export interface GuardStatus {
  /** The schedule is installed for this user. */
  readonly enabled: boolean
  /** The schedule can be installed here (a known OS, and a way to start CertAudit later). */
  readonly supported: boolean
  readonly schedule: ScheduleStatus
  /** When the last check ran; null before the first. */
  readonly lastCheck: string | null
  readonly problems: readonly string[]
}

/** One check of the guard, and the notification it showed (when asked to). */
export type GuardCheck = WatchResult & { readonly notification?: NotifyOutcome }

/** A plan as the window gets it: with the folder its backups will go to (the engine's, never worked out in the window). */
export type PlannedRemoval = RemovalPlan & { readonly backupDir: string }

/** What each channel answers. */
export interface Responses {
  'app:info': AppInfo
  'scan:start': ScanReport
  /** `cancelled`: a scan was running; its report will be neither shown nor used for plans and exports. */
  'scan:cancel': { readonly cancelled: boolean }
  'removal:plan': PlannedRemoval
  'removal:apply': ChangeReport
  'removal:undo': ChangeReport
  'removal:undo-preview': UndoPreview
  'removal:resume': ChangeReport
  'history:list': readonly ChangeSummary[]
  /** `saved`: where the file went (desktop); `content`: the file itself when there is no save dialog (browser harness). */
  'report:export': { readonly saved?: string; readonly content?: string; readonly fileName: string; readonly cancelled?: boolean }
  'link:open': { readonly opened: boolean }
  'connection:check': ConnectionReport
  'guard:status': GuardStatus
  'guard:set': GuardStatus
  'guard:events': readonly LoggedEvent[]
  'guard:watch': GuardCheck
}

/** Pushed from the engine to the window while a scan runs. */
export interface ScanProgressEvent {
  readonly type: 'store-started' | 'store-finished'
  readonly storeId: string
  readonly kind: StoreKind
  readonly location: string
  readonly note?: string
  readonly facts?: StoreFacts
  readonly entryCount?: number
  readonly status?: string
}

export { OPEN_FINDING_CHANNEL, PROGRESS_CHANNEL, VERBS, type Verb } from './verbs.js'

// Every verb names a channel of the contract (a compile error otherwise).
const _verbsAreChannels: Record<string, Channel> = VERBS
void _verbsAreChannels

/** The type of `window.certAudit`, derived from the contract, never kept by hand. */
export type CertAuditBridge = {
  readonly [V in Verb]: (request: RequestOf<(typeof VERBS)[V]>) => Promise<Responses[(typeof VERBS)[V]]>
} & {
  /** Subscribes to scan progress; returns the unsubscribe function. */
  readonly onProgress: (listener: (event: ScanProgressEvent) => void) => () => void
  /** Subscribes to requests to open a finding while the window is open (a guard notification's click). */
  readonly onOpenFinding: (listener: (findingId: string) => void) => () => void
}
