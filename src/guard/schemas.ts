/**
 * The guard's types and the zod shapes of what it keeps in the data folder (guard/*.json): the watch
 * state, the events it found, the schedule it installed and the places each removal left alone. Each
 * file is parsed with these whenever it is read back; a file that does not parse is reported, never cast.
 */
import { z } from 'zod'
import type { FindingLocation, Severity, TrustState } from '../audit/report.js'
import { STORE_KINDS, type StoreKind } from '../stores/registry.js'
import { placedBySchema } from '../stores/shared/placed-by-schema.js'
import type { PlacedBy, StoreFacts } from '../stores/types.js'

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex')
const findingId = z.string().regex(/^[0-9a-f]{8,64}$/, 'a finding id')
const changeId = z.string().regex(/^[0-9TZ]{16}-[0-9a-f]{4}$/, 'a change id')
const at = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'a date')
const severity = z.enum(['critical', 'high', 'medium', 'review', 'info']) satisfies z.ZodType<Severity>
const trust = z.enum(['trusted', 'distrusted', 'not-trusted']) satisfies z.ZodType<TrustState>
const storeKind = z.enum(STORE_KINDS as readonly StoreKind[] as [StoreKind, ...StoreKind[]])

/**
 * One place a certificate is trusted, as the guard reports it: the finding's location with its store's
 * facts and its origin carried along as they are (other kinds of facts may be added by newer stores:
 * they pass through), and what put it there (the scan's `placedBy`: src/stores/shared/placed-by.ts).
 */
export interface GuardLocation extends FindingLocation {
  /** Kept as the store gave it: newer stores may add fields (they pass through the schema below). */
  readonly facts?: StoreFacts
}

export type GuardEventKind = 'new' | 'returned' | 'gone'

/** One thing the guard saw change between two checks. */
export interface GuardEvent {
  /** Unique: the check's time, the kind and the finding. */
  readonly id: string
  /** When the check that saw it ran. */
  readonly at: string
  readonly kind: GuardEventKind
  readonly findingId: string
  readonly certificate: { readonly sha256: string; readonly subject: string }
  /** The blocklist's name for it, or its subject's common name (English). */
  readonly title: string
  readonly severity: Severity
  /** `new`, `returned`: where it is trusted now (for `returned`, the places it came back to); `gone`: where it was. */
  readonly locations: readonly GuardLocation[]
  /** The change that removed or distrusted it (a `returned` one, or a `gone` one CertAudit explains); else null. */
  readonly removedBy: string | null
}

/** An event as the data folder keeps it: whether a notification reached the user, whether the window showed it. */
export interface LoggedEvent extends GuardEvent {
  readonly notified: boolean
  readonly acknowledged: boolean
}

/** What the guard wrote before the scan said what placed each certificate (`unknown` is "by hand"). */
const legacyCause = z.object({ by: z.enum(['policy', 'package', 'environment', 'unknown']), name: z.string().optional(), file: z.string().optional() }).strict()

function fromLegacyCause({ by, name, file }: z.infer<typeof legacyCause>): PlacedBy {
  if (by === 'unknown') return { by: 'hand', ...(file ? { file } : {}), comesBack: false }
  return { by, ...(name ? { name } : {}), ...(file ? { file } : {}), comesBack: true }
}

/**
 * Loose on purpose: newer stores add "where it came from" to locations, their facts and origins (new
 * programs, new fields). The guard keeps what it does not know rather than call its own state damaged
 * (which would start a new baseline, and tell every event again).
 */
export const guardLocation = z.looseObject({
  storeId: z.string().min(1),
  kind: storeKind,
  location: z.string(),
  entry: z.string(),
  trust,
  origin: z.looseObject({ file: z.string(), confLine: z.number().int().positive().optional() }).optional(),
  facts: z
    .looseObject({
      // A program a newer store names is dropped, not a damaged state (StoreFacts lists the ones known).
      program: z.enum(['firefox', 'thunderbird', 'chromium', 'java']).optional().catch(undefined),
      profile: z.string().optional(),
      unlisted: z.boolean().optional(),
      distro: z.string().optional(),
      setBy: z.array(z.string()).optional(),
    })
    .optional(),
  placedBy: placedBySchema.optional(),
  cause: legacyCause.optional(),
}).transform(({ cause, ...location }) => (cause && !location.placedBy ? { ...location, placedBy: fromLegacyCause(cause) } : location)) satisfies z.ZodType<GuardLocation, unknown>

export const guardEvent = z
  .object({
    id: z.string().regex(/^[\w:.-]{1,120}$/),
    at,
    kind: z.enum(['new', 'returned', 'gone']),
    findingId,
    certificate: z.object({ sha256, subject: z.string() }).strict(),
    title: z.string(),
    severity,
    locations: z.array(guardLocation),
    removedBy: changeId.nullable(),
  })
  .strict() satisfies z.ZodType<GuardEvent>

export const loggedEvent = guardEvent.extend({ notified: z.boolean(), acknowledged: z.boolean() }).strict() satisfies z.ZodType<LoggedEvent>

/** Every event the guard found, oldest first (the oldest are dropped past {@link MAX_EVENTS}). */
export interface EventLog {
  readonly version: 1
  readonly events: readonly LoggedEvent[]
}
export const eventLog = z.object({ version: z.literal(1), events: z.array(loggedEvent) }).strict() satisfies z.ZodType<EventLog>
export const MAX_EVENTS = 500

/** A certificate the guard follows: trusted somewhere, and serious or removed by CertAudit before. */
export interface WatchedFinding {
  readonly findingId: string
  readonly sha256: string
  readonly subject: string
  readonly title: string
  readonly severity: Severity
  /** Where it was trusted at the last check. */
  readonly locations: readonly GuardLocation[]
  readonly firstSeen: string
  readonly lastSeen: string
  /** The places already reported as "came back" after `changeId`, so each return is told once. */
  readonly returns?: { readonly changeId: string; readonly storeIds: readonly string[] }
}

export interface WatchState {
  readonly version: 1
  /** When the check that wrote it ran (the scan's time). */
  readonly checkedAt: string
  readonly findings: readonly WatchedFinding[]
}

export const watchState = z
  .object({
    version: z.literal(1),
    checkedAt: at,
    findings: z.array(
      z
        .object({
          findingId,
          sha256,
          subject: z.string(),
          title: z.string(),
          severity,
          locations: z.array(guardLocation),
          firstSeen: at,
          lastSeen: at,
          returns: z.object({ changeId, storeIds: z.array(z.string()) }).strict().optional(),
        })
        .strict(),
    ),
  })
  .strict() satisfies z.ZodType<WatchState>

/**
 * The places each removal left alone on purpose (the user unticked them, or they were manual), noted
 * when the change was applied: a certificate still trusted there later has not "come back".
 */
export const removalNotes = z
  .object({
    version: z.literal(1),
    changes: z.record(changeId, z.object({ left: z.array(z.object({ sha256, storeId: z.string() }).strict()) }).strict()),
  })
  .strict()
export type RemovalNotes = z.infer<typeof removalNotes>

export { changeId as changeIdSchema, findingId as findingIdSchema }
