/**
 * `npm run bench -- --only window`: the window's speed, in Debian's Chromium through the end-to-end
 * harness (tests/e2e/support: the built renderer from file://, window.certAudit bridged to the real
 * engine), on a planted machine of about 1,000 certificates over NSS databases (two Firefox profiles and
 * Chromium's), a Debian store and a bundle named by SSL_CERT_FILE, with the Qaznet root in four places.
 *
 * - scan: from the click on "Scan this computer" to the frame that draws the verdict (the click event's
 *   time and the first animation frame after the verdict heading appears, both on the page's clock),
 *   next to the engine's own scan of the same machine (in-process, and `certaudit scan --json` as a
 *   whole process);
 * - removal: from the click on "Remove now" to the frame that draws all four places verified as
 *   removed, next to the engine's own removal:apply of the same plan. Each round is undone before the next.
 */
import { chromium, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createCertAuditApi } from '../src/api/certaudit-api.js'
import { createEnvironment } from '../src/stores/shared/environment.js'
import { toPem } from '../tests/support/certificates.js'
import { ISOLATED_ENV } from '../tests/support/isolated-env.js'
import { CHROMIUM_ABSENT_REASON, CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/support/chromium.js'
import { openApp, RENDERER_ABSENT_REASON, rendererBuilt } from '../tests/e2e/support/harness.js'
import { msg } from '../tests/e2e/support/locale.js'
import { machineUnavailable, nssHolds, plantMachine, qaznet, type Machine } from '../tests/e2e/support/machine.js'
import { benchCertificates } from './lib/bench-certificates.js'

const CLI = fileURLToPath(new URL('../bin/certaudit.mjs', import.meta.url))
/** Entries the planted machine has without the bulk certificates (see plantMachine). */
const BASE_ENTRIES = 8

export interface WindowBenchOptions {
  readonly certificates: number
  readonly scanRounds: number
  readonly removalRounds: number
}

/** Best and median of some timings, in ms. */
function summary(ms: readonly number[]): { best: number; median: number; text: string } {
  const sorted = [...ms].sort((a, b) => a - b)
  const best = sorted[0]!
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!
  return { best, median, text: `best ${best.toFixed(0).padStart(5)} ms, median ${median.toFixed(0).padStart(5)} ms (${ms.length} rounds: ${ms.map((m) => m.toFixed(0)).join(', ')})` }
}

type Lap = { clickAt: number; shownAt: number }
type Condition = { kind: 'heading'; text: string } | { kind: 'results'; count: number; status: string }
/** What armStopwatch uses of the page (this project's TypeScript has no DOM library outside renderer/). */
interface PageGlobals {
  __benchDone?: Promise<Lap>
  document: { body: unknown; querySelector(selector: string): { textContent: string | null } | null; querySelectorAll(selector: string): Iterable<{ textContent: string | null }> }
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void }
  requestAnimationFrame(callback: (time: number) => void): void
  addEventListener(type: 'click', listener: (event: { timeStamp: number }) => void, options: object): void
}

/**
 * Runs in the page: sets `__benchDone` to resolve with the click's time and the time of the first
 * animation frame after `condition` holds, watching the DOM from the click on.
 */
function armStopwatch(condition: Condition): void {
  const page = globalThis as unknown as PageGlobals
  page.__benchDone = new Promise((resolve) => {
    let clickAt: number | null = null
    const done = (): boolean => {
      if (condition.kind === 'heading') return page.document.querySelector('h1')?.textContent === condition.text
      const items = [...page.document.querySelectorAll('.result-item')]
      return items.length === condition.count && items.every((item) => item.textContent?.includes(condition.status))
    }
    const observer = new page.MutationObserver(() => {
      if (clickAt === null || !done()) return
      observer.disconnect()
      page.requestAnimationFrame((frameAt) => resolve({ clickAt: clickAt!, shownAt: frameAt }))
    })
    page.addEventListener('click', (event) => (clickAt ??= event.timeStamp), { capture: true, once: true })
    observer.observe(page.document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  })
}

/** Clicks `button`, then waits for what armStopwatch was told; the page's own milliseconds between. */
async function timeClick(page: Page, button: ReturnType<Page['getByRole']>, condition: Condition): Promise<number> {
  await page.evaluate(armStopwatch, condition)
  await button.click()
  const { clickAt, shownAt } = await page.evaluate(() => (globalThis as unknown as PageGlobals).__benchDone!)
  return shownAt - clickAt
}

const heading2 = (page: Page, key: string) => page.getByRole('heading', { level: 2, name: msg('en', key) })

/** From the results screen through the wizard to "Remove now"; times that click to the verified result. */
async function removeInWindow(page: Page): Promise<number> {
  await page.getByRole('region', { name: msg('en', 'group.critical', { count: 1 }) }).getByRole('button', { name: msg('en', 'results.open') }).click()
  await page.getByRole('button', { name: msg('en', 'finding.remove') }).click()
  await heading2(page, 'review.title').waitFor()
  for (const step of ['backup.title', 'programs.title', 'permission.title', 'apply.titleRemove']) {
    await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
    await heading2(page, step).waitFor()
  }
  return timeClick(page, page.getByRole('button', { name: msg('en', 'apply.removeNow') }), { kind: 'results', count: 4, status: msg('en', 'status.removed') })
}

/** Undoes the change from the done screen and scans again, back to the results. */
async function undoInWindow(page: Page, verdict: string): Promise<void> {
  await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
  await page.getByRole('button', { name: msg('en', 'done.undo') }).click()
  await page.getByText(msg('en', 'outcome.undoOk')).waitFor()
  await page.getByRole('button', { name: msg('en', 'done.scanAgain') }).click()
  await page.getByRole('heading', { level: 1, name: verdict }).waitFor()
}

function cliScan(machine: Machine): number {
  const started = performance.now()
  try {
    execFileSync(process.execPath, [CLI, 'scan', '--json', '--home', machine.home, '--system-root', machine.root], { env: { ...ISOLATED_ENV, ...machine.env }, stdio: ['ignore', 'ignore', 'inherit'] })
  } catch (error) {
    if ((error as { status?: number }).status !== 1) throw error // 1: critical findings, as planted
  }
  return performance.now() - started
}

export async function benchWindow(options: WindowBenchOptions): Promise<void> {
  console.log('\n== The window, in Debian’s Chromium through the e2e harness ==')
  const unavailable = !chromiumPath ? CHROMIUM_ABSENT_REASON : !rendererBuilt ? RENDERER_ABSENT_REASON : machineUnavailable
  if (unavailable) {
    console.log(`skipped: ${unavailable}`)
    return
  }
  const started = performance.now()
  // The bench's certificate 0 is a Qaznet look-alike: left out, so the machine's one critical finding is Qaznet.
  const bulk = [...benchCertificates(options.certificates - BASE_ENTRIES + 1)].slice(1).map((c) => toPem(c.der))
  const machine = plantMachine({ bulk })
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: [...CHROMIUM_ARGS], headless: true })
  try {
    const api = createCertAuditApi({ env: createEnvironment({ home: machine.home, systemRoot: machine.root, env: machine.env }), version: 'bench' })
    const engineScans: number[] = []
    let report = await api.handle('scan:start', { language: 'en' })
    for (let round = 0; round < options.scanRounds; round++) {
      const at = performance.now()
      report = await api.handle('scan:start', { language: 'en' })
      engineScans.push(performance.now() - at)
    }
    const qaznetFinding = report.findings.find((f) => f.id === qaznet.findingId)
    console.log(
      `Machine planted in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.summary.certificates} certificates, ${report.summary.entries} entries in ${report.stores.length} stores; ` +
        `verdict ${report.verdict.level}; Qaznet in ${qaznetFinding?.locations.length ?? 0} places. Node.js ${process.version}, Chromium ${browser.version()}.`,
    )
    const cliScans = Array.from({ length: options.scanRounds }, () => cliScan(machine))

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    // tsx (esbuild's keepNames) wraps named functions in __name(…); Playwright sends the harness's and this
    // file's page functions as their source, so the page gets a no-op __name before any of them runs.
    await page.addInitScript('globalThis.__name = (target) => target')
    const app = await openApp(page, machine)
    const scans: number[] = []
    for (let round = 0; round < options.scanRounds; round++) {
      if (round > 0) await page.reload()
      const scan = page.getByRole('button', { name: msg('en', 'home.scan') })
      await scan.waitFor()
      scans.push(await timeClick(page, scan, { kind: 'heading', text: report.verdict.text }))
    }
    const removals: number[] = []
    for (let round = 0; round < options.removalRounds; round++) {
      removals.push(await removeInWindow(page))
      const stillThere = [machine.firefoxDefault, machine.firefoxWork, machine.chromium].filter((db) => nssHolds(db, qaznet))
      if (stillThere.length) throw new Error(`the window said removed, but ${stillThere.join(', ')} still hold Qaznet`)
      await undoInWindow(page, report.verdict.text)
    }
    if (app.errors.length) throw new Error(`the page logged errors: ${app.errors.join('; ')}`)

    // The engine's own removal of the same plan, in-process (each undone the same way).
    const engineRemovals: number[] = []
    for (let round = 0; round < options.removalRounds; round++) {
      const plan = await api.handle('removal:plan', { findingIds: [qaznet.findingId], mode: 'delete', language: 'en' })
      const at = performance.now()
      const change = await api.handle('removal:apply', { planId: plan.id })
      engineRemovals.push(performance.now() - at)
      if (!change.ok) throw new Error(`the engine's removal did not end as planned: ${JSON.stringify(change.results)}`)
      await api.handle('removal:undo', { changeId: change.changeId })
    }

    const verdict = summary(scans)
    const rows: [string, string][] = [
      ['scan: click on “Scan this computer” → verdict on screen', `${verdict.text}   target < 1,000 ms: ${verdict.median < 1000 ? 'met' : 'NOT MET'}`],
      ['  the engine’s own scan of the same machine (in-process)', summary(engineScans).text],
      ['  certaudit scan --json of the same machine (whole process)', summary(cliScans).text],
      [`removal: click on “Remove now” → ${qaznetFinding?.locations.length ?? 0} places verified removed`, summary(removals).text],
      ['  the engine’s own removal:apply of the same plan (in-process)', summary(engineRemovals).text],
    ]
    const width = Math.max(...rows.map((r) => r[0].length))
    for (const [what, figures] of rows) console.log(`${what.padEnd(width)}  ${figures}`)
  } finally {
    await browser.close()
    machine.cleanup()
  }
}
