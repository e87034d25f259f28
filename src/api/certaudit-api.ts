/**
 * The engine as one object, used by the window (electron/ipc.ts, and the browser test harness) AND by
 * the command line (src/cli): every rule about scans, plans and changes lives here once, so the two
 * cannot disagree. Each channel's request is parsed with the contract's schema before anything runs.
 */
import type { LookupFunction } from 'node:net'
import type { Blocklist, Language } from '../audit/blocklist.js'
import { projectSigningKeys } from '../audit/blocklist-signature.js'
import { loadActiveBlocklist, type BlocklistOrigin } from '../audit/blocklist-store.js'
import { mozillaRoots } from '../audit/references.js'
import type { ScanReport } from '../audit/report.js'
import { languageFromLocale } from '../audit/texts.js'
import { checkConnections, DEFAULT_HOSTS } from '../network/check-connection.js'
import { parseHostTarget, type ConnectToRule, type HostTarget } from '../network/targets.js'
import type { TrustAnchors } from '../network/trust-anchors.js'
import { blocklistDir, changeDir, secureDataFolder } from '../removal/data-dir.js'
import { applyPlan, ChangeInterruptedError, previewUndo, resumeChange, undoChange, type RemovalContext } from '../removal/engine.js'
import { history, interruptedChanges } from '../removal/history.js'
import type { JournalRecord, RemovalPlan } from '../removal/journal.js'
import { planRemoval } from '../removal/plan.js'
import { createElevation, type Environment, type StoreKind, type StoreRegistry } from '../stores/index.js'
import type { Elevation } from '../stores/types.js'
import { requests, type Channel, type RequestData, type Responses, type ScanProgressEvent } from './contract.js'
import { readEvents, pendingEvents } from '../guard/event-log.js'
import { cliLauncher, type Launcher } from '../guard/launcher.js'
import { guardHandlers, noteLeftPlaces } from './guard-handlers.js'
import { renderHtmlReport } from './report-html.js'
import { scan, type ScanProgress } from './scan.js'

export interface CertAuditApiOptions {
  readonly env: Environment
  readonly version: string
  /** The list to match against; otherwise an installed update whose signature holds, else the bundled one. */
  readonly blocklist?: Blocklist
  /** Where `blocklist` came from and whether CertAudit's key signed it (the report says so); unsigned unless said. */
  readonly blocklistOrigin?: BlocklistOrigin
  /** Told what CertAudit repaired on its own (its data folder made private): the CLI prints it, the window may show it. */
  readonly onNotice?: (message: string) => void
  readonly elevation?: Elevation
  /** The store adapters; all of CertAudit's unless a test replaces some. */
  readonly stores?: StoreRegistry
  /** What a scan covers (the command line's --file and --store); the whole machine by default. */
  readonly scope?: { readonly files?: readonly string[]; readonly kinds?: readonly StoreKind[] }
  /** How connections are checked (the command line's --connect-to and --timeout; tests' own roots and names). */
  readonly network?: { readonly connectTo?: readonly ConnectToRule[]; readonly timeoutMs?: number; readonly anchors?: TrustAnchors; readonly lookup?: LookupFunction }
  /** Called after each journal record of a change is on disk: where crash tests inject their fault. */
  readonly onJournalRecord?: (record: JournalRecord) => void
  /** How the guard's schedule starts CertAudit later: the desktop app's own executable; else this command line (Node and bin/certaudit.mjs). */
  readonly guardLauncher?: Launcher | null
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

/** A request that needs something done first (a scan before a plan, a plan before applying it). */
export class OutOfOrderError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OutOfOrderError'
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
 * The engine behind the window and the command line: one object answering every channel of the
 * contract. {@link CertAuditApi.handle} validates the payload against the channel's schema first.
 */
export interface CertAuditApi {
  handle<C extends Channel>(channel: C, payload: unknown, emit?: (event: ScanProgressEvent) => void): Promise<Responses[C]>
}

/** A handler per channel, its request and response types taken from the contract (a wrongly shaped one does not compile). */
export type ApiHandlers = { readonly [C in Channel]: (request: RequestData<C>, emit: (event: ScanProgressEvent) => void) => Promise<Responses[C]> }

export function createCertAuditApi(options: CertAuditApiOptions): CertAuditApi {
  const { env } = options
  // An installed update whose signature holds, else the bundled list (the same rule as the CLI).
  const active = options.blocklist ? null : loadActiveBlocklist({ dir: blocklistDir(env), publicKeys: projectSigningKeys() })
  const blocklist = options.blocklist ?? active!.blocklist
  // A list handed in without its origin is not claimed to be signed: the report never says more than is known.
  const blocklistOrigin: BlocklistOrigin = active ? { source: active.source, signed: active.signed } : (options.blocklistOrigin ?? { source: 'file', signed: false })
  /**
   * The data folder checked before any verb reads or writes it (removal/data-dir.ts): a link or another
   * user's folder is refused with the reason; what is repaired is said.
   */
  const checkDataFolder = (create = false) => {
    for (const message of secureDataFolder(env, { create })) options.onNotice?.(message)
  }
  const ctx: RemovalContext = {
    env,
    elevation: options.elevation ?? createElevation(env),
    ...(options.stores ? { stores: options.stores } : {}),
    ...(options.onJournalRecord ? { onJournalRecord: options.onJournalRecord } : {}),
  }
  /** The report plans and exports are made from: that of the newest scan the window still waits for. */
  let lastReport: ScanReport | null = null
  let scansStarted = 0
  /** The scan whose report becomes {@link lastReport}; 0 after the window cancelled it. */
  let awaited = 0
  const running = new Set<number>()
  const plans = new Map<string, RemovalPlan>()
  const scanFor = (language: Language, emit?: (event: ScanProgress) => void): Promise<ScanReport> => {
    const { files = [], kinds } = options.scope ?? {}
    return scan(
      { language, files, ...(kinds ? { kinds } : {}) },
      { env, blocklist, blocklistOrigin, publicRoots: mozillaRoots(), ...(options.stores ? { stores: options.stores } : {}), ...(emit ? { onProgress: emit } : {}) },
    )
  }

  const handlers: ApiHandlers = {
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
      interrupted: await (async () => {
        checkDataFolder()
        return interruptedChanges(env)
      })(),
      pendingGuardEvents: pendingEvents((await readEvents(env)).events),
    }),
    'scan:start': async (request, emit) => {
      const number = ++scansStarted
      awaited = number
      running.add(number)
      const report = await scanFor(request.language, (event) => emit(progressEvent(event))).finally(() => running.delete(number))
      // An older scan finishing late, or one the window cancelled, must not replace what the window shows.
      if (number === awaited) lastReport = report
      return report
    },
    'scan:cancel': async () => {
      const cancelled = running.has(awaited)
      awaited = 0
      return { cancelled }
    },
    'removal:plan': async (request) => {
      if (!lastReport) throw new OutOfOrderError('Scan this computer first: a removal is planned from the latest scan.')
      // applyPlan refuses too, under the lock; saying it now spares planning (and confirming) a change that cannot start.
      checkDataFolder()
      const [interrupted] = await interruptedChanges(env)
      if (interrupted) throw new ChangeInterruptedError(interrupted.id)
      const plan = await planRemoval(lastReport, request.findingIds, request.mode, env, {
        language: request.language,
        skip: request.skip,
        ...(options.stores ? { stores: options.stores } : {}),
      })
      plans.set(plan.id, plan)
      // Each toggle in the wizard plans again: only the recent plans can still be applied.
      for (const old of plans.keys()) if (plans.size > MAX_PLANS_KEPT) plans.delete(old)
      return { ...plan, backupDir: changeDir(env, plan.id) }
    },
    'removal:apply': async (request) => {
      const plan = plans.get(request.planId)
      if (!plan) throw new OutOfOrderError('This plan is no longer available: plan the removal again.')
      plans.delete(request.planId)
      checkDataFolder(true)
      const result = await applyPlan(plan, ctx)
      // For the guard: where this change left its certificates on purpose (they have not "come back" there later).
      await noteLeftPlaces(env, plan, result, lastReport)
      return result
    },
    'removal:undo': async (request) => {
      checkDataFolder()
      return undoChange(request.changeId ?? (await latest('undo')), ctx)
    },
    'removal:undo-preview': async (request) => {
      checkDataFolder()
      return previewUndo(request.changeId ?? (await latest('undo')), ctx)
    },
    'removal:resume': async (request) => {
      checkDataFolder()
      return resumeChange(request.changeId ?? (await latest('resume')), ctx)
    },
    'history:list': async () => {
      checkDataFolder()
      return history(env)
    },
    'report:export': async (request) => {
      if (!lastReport) throw new OutOfOrderError('Scan this computer first: there is no report to export yet.')
      const stamp = lastReport.scannedAt.slice(0, 10)
      if (request.format === 'json') return { content: JSON.stringify(lastReport, null, 2), fileName: `certaudit-${stamp}.json` }
      return { content: renderHtmlReport(lastReport), fileName: `certaudit-${stamp}.html` }
    },
    // Opening links is the desktop shell's job (shell.openExternal); elsewhere nothing is opened.
    'link:open': async () => ({ opened: false }),
    'connection:check': async (request) => {
      const targets: HostTarget[] = []
      for (const text of request.hosts?.length ? request.hosts : DEFAULT_HOSTS) {
        const target = parseHostTarget(text)
        if (!target.ok) throw new InvalidRequestError('connection:check', target.error)
        if (!targets.some((t) => t.host === target.value.host && t.port === target.value.port)) targets.push(target.value)
      }
      const { connectTo, timeoutMs, anchors, lookup } = options.network ?? {}
      return checkConnections(targets, {
        blocklist,
        language: request.language,
        ...(connectTo ? { connectTo } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(anchors ? { anchors } : {}),
        ...(lookup ? { lookup } : {}),
      })
    },
    ...guardHandlers({ env, launcher: options.guardLauncher === undefined ? cliLauncher() : options.guardLauncher, scan: (language) => scanFor(language) }),
  }

  async function latest(kind: 'undo' | 'resume'): Promise<string> {
    const changes = await history(env)
    const change = kind === 'resume' ? changes.find((c) => c.state === 'interrupted') : changes.find((c) => c.state !== 'undone')
    if (!change) throw new OutOfOrderError(kind === 'undo' ? 'There is no change to undo.' : 'There is no interrupted change to finish.')
    return change.id
  }

  return {
    async handle(channel, payload, emit = () => {}) {
      const request = parseRequest(channel, payload)
      return (handlers[channel] as (request: RequestData<typeof channel>, emit: (event: ScanProgressEvent) => void) => Promise<Responses[typeof channel]>)(request, emit)
    },
  }
}

/** A scan's progress as the window gets it: plain fields, no engine objects. */
function progressEvent(event: ScanProgress): ScanProgressEvent {
  const { store } = event
  const common = { storeId: store.id, kind: store.kind, location: store.location }
  if (event.type === 'store-finished') return { type: event.type, ...common, entryCount: event.store.entryCount, status: event.store.status }
  return { type: event.type, ...common, ...(store.note ? { note: store.note } : {}), ...(store.facts ? { facts: store.facts } : {}) }
}
