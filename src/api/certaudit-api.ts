import type { Blocklist, Language } from '../audit/blocklist.js'
import { projectSigningKeys } from '../audit/blocklist-signature.js'
import { loadActiveBlocklist } from '../audit/blocklist-store.js'
import { mozillaRoots } from '../audit/references.js'
import type { ScanReport } from '../audit/report.js'
import { languageFromLocale } from '../audit/texts.js'
import { checkConnections, DEFAULT_HOSTS } from '../network/check-connection.js'
import { parseHostTarget, type HostTarget } from '../network/targets.js'
import { blocklistDir, changeDir } from '../removal/data-dir.js'
import { applyPlan, resumeChange, undoChange, type RemovalContext } from '../removal/engine.js'
import { history, interruptedChanges } from '../removal/history.js'
import type { RemovalPlan } from '../removal/journal.js'
import { planRemoval } from '../removal/plan.js'
import { createElevation, readerFor, writerFor, type Environment } from '../stores/index.js'
import type { Elevation } from '../stores/types.js'
import { requests, type Channel, type RequestData, type Responses, type ScanProgressEvent } from './contract.js'
import { renderHtmlReport } from './report-html.js'
import { scan } from './scan.js'

export interface CertAuditApiOptions {
  readonly env: Environment
  readonly version: string
  readonly blocklist?: Blocklist
  readonly elevation?: Elevation
}

/** Plans kept for removal:apply (the window applies the last one it was shown). */
const MAX_PLANS_KEPT = 20

/** Refused input: the payload did not match the channel's schema. */
export class InvalidRequestError extends Error {
  constructor(channel: string, details: string) {
    super(`Invalid request on ${channel}: ${details}`)
    this.name = 'InvalidRequestError'
  }
}

/** The payload checked against the channel's schema; anything else is an {@link InvalidRequestError}. */
export function parseRequest<C extends Channel>(channel: C, payload: unknown): RequestData<C> {
  const schema = requests[channel]
  if (!schema) throw new InvalidRequestError(String(channel), 'unknown channel')
  const parsed = schema.safeParse(payload)
  if (!parsed.success) throw new InvalidRequestError(channel, parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '))
  return parsed.data as RequestData<C>
}

/**
 * The engine behind the window: one object answering every channel of the contract. Electron's IPC
 * handlers and the browser test harness both call {@link CertAuditApi.handle}, which validates the
 * payload against the channel's schema before anything runs.
 */
export interface CertAuditApi {
  handle<C extends Channel>(channel: C, payload: unknown, emit?: (event: ScanProgressEvent) => void): Promise<Responses[C]>
}

export function createCertAuditApi(options: CertAuditApiOptions): CertAuditApi {
  const { env } = options
  // An installed update whose signature holds, else the bundled list (the same rule as the CLI).
  const active = options.blocklist ? null : loadActiveBlocklist({ dir: blocklistDir(env), publicKeys: projectSigningKeys() })
  const blocklist = options.blocklist ?? active!.blocklist
  const ctx: RemovalContext = { env, writerFor, readerFor, elevation: options.elevation ?? createElevation(env) }
  /** The report plans and exports are made from: that of the newest scan the window still waits for. */
  let lastReport: ScanReport | null = null
  let scansStarted = 0
  /** The scan whose report becomes {@link lastReport}; 0 after the window cancelled it. */
  let awaited = 0
  const running = new Set<number>()
  const plans = new Map<string, RemovalPlan>()

  const handlers: { [C in Channel]: (request: never, emit: (event: ScanProgressEvent) => void) => Promise<Responses[C]> } = {
    'app:info': async () => ({
      version: options.version,
      platform: env.platform,
      language: languageFromLocale(env.env.LC_ALL || env.env.LC_MESSAGES || env.env.LANG || Intl.DateTimeFormat().resolvedOptions().locale),
      blocklist: {
        version: blocklist.version,
        updated: blocklist.updated,
        entries: blocklist.entries.length,
        source: active?.source === 'installed' ? 'installed' : 'bundled',
        // Why an installed update was not used (its signature does not hold …): the CLI says it on stderr.
        warnings: active?.warnings ?? [],
      },
      interrupted: await interruptedChanges(env),
    }),
    'scan:start': async (request: { language: Language }, emit) => {
      const number = ++scansStarted
      awaited = number
      running.add(number)
      const report = await scan(
        { language: request.language },
        {
          env,
          blocklist,
          publicRoots: mozillaRoots(),
          onProgress: (event) =>
            emit(
              event.type === 'store-started'
                ? { type: event.type, storeId: event.store.id, kind: event.store.kind, location: event.store.location, ...(event.store.note ? { note: event.store.note } : {}) }
                : { type: event.type, storeId: event.store.id, kind: event.store.kind, location: event.store.location, entryCount: event.store.entryCount, status: event.store.status },
            ),
        },
      ).finally(() => running.delete(number))
      // An older scan finishing late, or one the window cancelled, must not replace what the window shows.
      if (number === awaited) lastReport = report
      return report
    },
    'scan:cancel': async () => {
      const cancelled = running.has(awaited)
      awaited = 0
      return { cancelled }
    },
    'removal:plan': async (request: RequestData<'removal:plan'>) => {
      if (!lastReport) throw new Error('Scan this computer first: a removal is planned from the latest scan.')
      const full = await planRemoval(lastReport, request.findingIds, request.mode, env, writerFor, { language: request.language })
      const plan = { ...full, changes: full.changes.filter((c) => !request.skip.includes(c.target.location)) }
      plans.set(plan.id, plan)
      // Each toggle in the wizard plans again: only the recent plans can still be applied.
      for (const old of plans.keys()) if (plans.size > MAX_PLANS_KEPT) plans.delete(old)
      return { ...plan, backupDir: changeDir(env, plan.id) }
    },
    'removal:apply': async (request: { planId: string }) => {
      const plan = plans.get(request.planId)
      if (!plan) throw new Error('This plan is no longer available: plan the removal again.')
      plans.delete(request.planId)
      return applyPlan(plan, ctx)
    },
    'removal:undo': async (request: { changeId?: string }) => undoChange(request.changeId ?? (await latest('undo')), ctx),
    'removal:resume': async (request: { changeId?: string }) => resumeChange(request.changeId ?? (await latest('resume')), ctx),
    'history:list': async () => history(env),
    'report:export': async (request: { format: 'html' | 'json' }) => {
      if (!lastReport) throw new Error('Scan this computer first: there is no report to export yet.')
      const stamp = lastReport.scannedAt.slice(0, 10)
      if (request.format === 'json') return { content: JSON.stringify(lastReport, null, 2), fileName: `certaudit-${stamp}.json` }
      return { content: renderHtmlReport(lastReport), fileName: `certaudit-${stamp}.html` }
    },
    // Opening links is the desktop shell's job (shell.openExternal); elsewhere nothing is opened.
    'link:open': async () => ({ opened: false }),
    'connection:check': async (request: { language: Language; hosts?: string[] }) => {
      const targets: HostTarget[] = []
      for (const text of request.hosts?.length ? request.hosts : DEFAULT_HOSTS) {
        const target = parseHostTarget(text)
        if (!target.ok) throw new InvalidRequestError('connection:check', target.error)
        targets.push(target.value)
      }
      return checkConnections(targets, { blocklist, language: request.language })
    },
  }

  async function latest(kind: 'undo' | 'resume'): Promise<string> {
    const changes = await history(env)
    const change = kind === 'resume' ? changes.find((c) => c.state === 'interrupted') : changes.find((c) => c.state !== 'undone')
    if (!change) throw new Error(kind === 'undo' ? 'There is no change to undo.' : 'There is no interrupted change to finish.')
    return change.id
  }

  return {
    async handle(channel, payload, emit = () => {}) {
      const request = parseRequest(channel, payload)
      const handler = handlers[channel] as (request: unknown, emit: (event: ScanProgressEvent) => void) => Promise<Responses[typeof channel]>
      return handler(request, emit)
    },
  }
}
