/**
 * The shapes of what a change writes to disk (journal records, the plan inside them, backup files),
 * checked with zod whenever they are read back: a journal or backup is data from disk, never cast.
 * Each schema is tied to its TypeScript type (`satisfies`), so the two cannot drift apart.
 */
import { z } from 'zod'
import { STORE_KINDS, type StoreKind } from '../stores/registry.js'
import { placedBySchema } from '../stores/shared/placed-by-schema.js'
import type { ChangeOutcome, EntryTarget, StoreFacts } from '../stores/types.js'
import type { JournalRecord, PlannedChange, RemovalPlan } from './journal.js'

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex')
const language = z.enum(['en', 'ru', 'kk'])
const trust = z.enum(['trusted', 'distrusted', 'not-trusted'])
const index = z.number().int().min(0)
const at = z.string()

/**
 * A store kind. Changes journaled before Firefox policies were a kind of their own say `nss` with a
 * store id starting `firefox-policies:`; {@link entryTarget} reads them as `firefox-policy`.
 */
const storeKind = z.enum(STORE_KINDS as readonly StoreKind[] as [StoreKind, ...StoreKind[]])

const facts = z
  .object({
    program: z.enum(['firefox', 'thunderbird', 'chromium', 'java', 'chrome', 'edge', 'brave', 'vivaldi', 'opera', 'yandex', 'system']).optional(),
    browser: z.string().optional(),
    profile: z.string().optional(),
    unlisted: z.boolean().optional(),
    distro: z.string().optional(),
    setBy: z.array(z.string()).optional(),
    policyLevel: z.enum(['managed', 'recommended']).optional(),
    policyScope: z.enum(['machine', 'user']).optional(),
    caPlatformIntegration: z.boolean().optional(),
    tool: z.string().optional(),
    environment: z.string().optional(),
    readBy: z.array(z.string()).optional(),
    folder: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<StoreFacts>

export const entryTarget = z
  .object({
    storeId: z.string().min(1),
    kind: storeKind,
    location: z.string().min(1),
    entry: z.string(),
    sha256,
    pem: z.string(),
    trust,
    origin: z.object({ file: z.string(), confLine: z.number().int().positive().optional() }).strict().optional(),
    facts: facts.optional(),
  })
  .strict()
  .transform((target) => (target.kind === 'nss' && target.storeId.startsWith('firefox-policies:') ? { ...target, kind: 'firefox-policy' as const } : target)) satisfies z.ZodType<EntryTarget>

const plannedChange = z
  .object({
    target: entryTarget,
    action: z.enum(['delete', 'distrust', 'manual']),
    needsAdmin: z.boolean(),
    instructions: z.string().optional(),
    warning: z.string().optional(),
    runningProgram: z.string().optional(),
    placedBy: placedBySchema.optional(),
    advice: z.string().optional(),
  })
  .strict() satisfies z.ZodType<PlannedChange>

export const removalPlan = z
  .object({
    id: z.string().regex(/^[0-9TZ]{16}-[0-9a-f]{4}$/, 'not a change id'),
    createdAt: z.string(),
    mode: z.enum(['delete', 'distrust']),
    language: language.optional(),
    findings: z.array(z.object({ id: z.string(), sha256, title: z.string() }).strict()),
    changes: z.array(plannedChange),
  })
  .strict() satisfies z.ZodType<RemovalPlan>

const commandRecord = z.object({ command: z.array(z.string()), exitCode: z.number().int().nullable(), stdout: z.string(), stderr: z.string(), elevated: z.boolean() }).strict()

const changeOutcome = z
  .object({ ok: z.boolean(), commands: z.array(commandRecord), message: z.string().optional(), warnings: z.array(z.string()).optional() })
  .strict() satisfies z.ZodType<ChangeOutcome>

const entryStatus = z.enum(['removed', 'distrusted', 'still-present', 'failed', 'manual', 'skipped', 'restored'])

export const journalRecord = z.discriminatedUnion('step', [
  z.object({ step: z.literal('planned'), at, plan: removalPlan }).strict(),
  z.object({ step: z.literal('backed-up'), at, index, file: z.string().regex(/^backups\/\d{3,}\.json$/, 'a backup file name'), evidence: z.object({ certificate: sha256, backup: sha256 }).strict().optional() }).strict(),
  z.object({ step: z.literal('backup-failed'), at, index, message: z.string() }).strict(),
  z.object({ step: z.literal('applying'), at, index }).strict(),
  z.object({ step: z.literal('applied'), at, index, outcome: changeOutcome }).strict(),
  z.object({ step: z.literal('verified'), at, index, status: entryStatus, detail: z.string().optional() }).strict(),
  z.object({ step: z.literal('done'), at }).strict(),
  z.object({ step: z.literal('undo-started'), at }).strict(),
  z.object({ step: z.literal('restoring'), at, index }).strict(),
  z.object({ step: z.literal('restored'), at, index, status: z.enum(['restored', 'failed']), outcome: changeOutcome.optional(), detail: z.string().optional() }).strict(),
  z.object({ step: z.literal('undo-done'), at }).strict(),
  z.object({ step: z.literal('repairing'), at, index }).strict(),
  z.object({ step: z.literal('repaired'), at, index, consistent: z.boolean(), outcome: changeOutcome.optional(), detail: z.string().optional() }).strict(),
]) satisfies z.ZodType<JournalRecord>

/** A backup file as written: the adapter's own `data` is parsed afterwards with that adapter's schema. */
export const backupFile = z.object({ target: entryTarget, exportedPem: z.string(), data: z.record(z.string(), z.unknown()) }).strict()

/** What was wrong with a value, in one line: "changes.0.target.sha256: a SHA-256 in lower-case hex". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'the record'}: ${issue.message}`)
    .join('; ')
}
