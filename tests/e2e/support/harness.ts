/**
 * The browser harness: the built renderer (dist/renderer/index.html, from file://) with
 * `window.certAudit` bridged to the REAL engine — createCertAuditApi over a planted machine — through
 * page.exposeBinding. An init script defines the same verbs electron/preload.ts exposes (from VERBS),
 * each calling the binding; progress events go back to the page through page.evaluate, in order,
 * before the scan's answer. No HTTP server and no fake engine.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Page } from '@playwright/test'
import { createCertAuditApi, type CertAuditApi, type CertAuditApiOptions } from '../../../src/api/certaudit-api.js'
import { VERBS, type Channel, type ScanProgressEvent } from '../../../src/api/contract.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { Machine } from './machine.js'

export const RENDERER = fileURLToPath(new URL('../../../dist/renderer/index.html', import.meta.url))
export const rendererBuilt = existsSync(RENDERER)
export const RENDERER_ABSENT_REASON = 'the renderer is not built: run "npm run build:renderer" (npm run test:e2e does)'

export interface AppHarness {
  readonly page: Page
  readonly api: CertAuditApi
  /** Every channel the window called, with its payload, in order. */
  readonly calls: { readonly channel: string; readonly payload: unknown }[]
  /** Console errors and uncaught exceptions of the page (a CSP violation shows up here). */
  readonly errors: string[]
  /**
   * Holds the next scan's progress after `finished` stores have finished, so the scanning screen can
   * be looked at mid-scan; the returned function lets it go on.
   */
  holdScan(finished: number): () => void
  /** Pushes "open this finding" to the window, as electron/main.ts does when a guard notification is clicked. */
  openFinding(findingId: string): Promise<void>
  /** Resolves once every call the window has made so far has been answered (before a reload, as a closing window would wait). */
  settled(): Promise<void>
}

type Answer = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly message: string }

/** Runs in the page before its scripts: `window.certAudit` with the contract's verbs, like the preload. */
function installBridge(verbs: Record<string, string>): void {
  const page = globalThis as unknown as Record<string, unknown> & { __certAuditCall: (channel: string, payload: unknown) => Promise<Answer> }
  const listeners = new Set<(event: unknown) => void>()
  const openListeners = new Set<(findingId: string) => void>()
  const bridge: Record<string, unknown> = {
    onProgress(listener: (event: unknown) => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    onOpenFinding(listener: (findingId: string) => void) {
      openListeners.add(listener)
      return () => void openListeners.delete(listener)
    },
  }
  for (const [verb, channel] of Object.entries(verbs)) {
    bridge[verb] = async (request: unknown) => {
      const answer = await page.__certAuditCall(channel, request)
      if (!answer.ok) throw new Error(answer.message)
      return answer.result
    }
  }
  Object.defineProperty(page, '__certAuditProgress', { value: (event: unknown) => listeners.forEach((listener) => listener(event)) })
  Object.defineProperty(page, '__certAuditOpenFinding', { value: (findingId: string) => openListeners.forEach((listener) => listener(findingId)) })
  Object.defineProperty(page, 'certAudit', { value: Object.freeze(bridge), enumerable: true })
}

/** Opens the window over `machine`, with the real engine behind it (`network`: where its connection check connects). */
export async function openApp(page: Page, machine: Pick<Machine, 'home' | 'root' | 'env'>, options: Pick<CertAuditApiOptions, 'network'> = {}): Promise<AppHarness> {
  const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: machine.env })
  const api = createCertAuditApi({ env, version: 'test', ...options })
  const calls: { channel: string; payload: unknown }[] = []
  const errors: string[] = []
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  page.on('pageerror', (error) => errors.push(error.message))
  let hold: { finished: number; seen: number; gate: Promise<void> } | null = null

  const inFlight = new Set<Promise<unknown>>()
  const answerCall = async (source: Page, channel: string, payload: unknown): Promise<Answer> => {
    calls.push({ channel, payload })
    let delivery = Promise.resolve()
    const emit = (event: ScanProgressEvent) => {
      const current = hold
      delivery = delivery
        .then(async () => {
          if (current && event.type === 'store-finished' && current.seen++ === current.finished) await current.gate
          await source.evaluate((e) => (globalThis as unknown as { __certAuditProgress: (e: unknown) => void }).__certAuditProgress(e), event)
        })
        .catch(() => {}) // the page may have moved on
    }
    try {
      const result = await api.handle(channel as Channel, payload, emit)
      await delivery
      return { ok: true, result }
    } catch (error) {
      await delivery
      return { ok: false, message: (error as Error).message }
    }
  }
  await page.exposeBinding('__certAuditCall', ({ page: source }, channel: string, payload: unknown): Promise<Answer> => {
    const answer = answerCall(source, channel, payload)
    inFlight.add(answer)
    void answer.finally(() => inFlight.delete(answer))
    return answer
  })
  await page.addInitScript(installBridge, { ...VERBS })
  await page.goto(pathToFileURL(RENDERER).href)
  return {
    page,
    api,
    calls,
    errors,
    async settled() {
      await Promise.allSettled([...inFlight])
    },
    async openFinding(findingId) {
      await page.evaluate((id) => (globalThis as unknown as { __certAuditOpenFinding: (id: string) => void }).__certAuditOpenFinding(id), findingId)
    },
    holdScan(finished) {
      const { promise: gate, resolve: release } = Promise.withResolvers<void>()
      hold = { finished, seen: 0, gate }
      return () => {
        hold = null
        release()
      }
    },
  }
}
