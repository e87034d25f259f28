/**
 * Every screen the tests reach is checked with axe (no serious or critical violation) and
 * screenshotted into the test's output. With SCREENSHOTS=1 (npm run screenshots) the screens the
 * README shows are also written to docs/screenshots/.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { AxeBuilder } from '@axe-core/playwright'
import { expect, type Page, type TestInfo } from '@playwright/test'

const DOCS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))

/** The screenshots docs/screenshots keeps: the English tour, and the results in Russian and Kazakh. */
export const DOC_SCREENS: ReadonlySet<string> = new Set([
  'en-home',
  'en-scanning',
  'en-results',
  'en-finding',
  'en-finding-trade-off',
  'en-wizard-review',
  'en-wizard-programs',
  'en-wizard-verify',
  'en-wizard-done',
  'en-history',
  'en-home-interrupted',
  'en-results-800x600',
  'ru-results',
  'kk-results',
])

/** Serious or critical axe violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // preload: false keeps axe from fetching the stylesheets itself, which the CSP (connect-src 'none') rightly blocks.
  const results = await new AxeBuilder({ page }).options({ preload: false }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** axe, then a full-page screenshot attached to the test (and a docs screenshot when asked). */
export async function checkScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([])
  const full = await page.screenshot({ fullPage: true, animations: 'disabled' })
  writeFileSync(testInfo.outputPath(`${name}.png`), full)
  await testInfo.attach(name, { body: full, contentType: 'image/png' })
  if (process.env.SCREENSHOTS === '1' && DOC_SCREENS.has(name)) {
    mkdirSync(DOCS, { recursive: true })
    writeFileSync(`${DOCS}${name}.png`, await page.screenshot({ animations: 'disabled' }))
  }
}
