/**
 * Switching the language re-runs the scan in that language (the engine's verdict and explanations
 * follow, not only the window's words); the report is saved through a download link (the harness has
 * no save dialog, so the engine answers the file itself); sources open through certAudit.openLink,
 * never by navigating the window; a cancelled scan returns home and its result is ignored.
 */
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { msg } from './support/locale.js'
import { machineUnavailable, plantMachine, qaznet, qaznetGroup, qaznetVerdict, type Machine } from './support/machine.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(machineUnavailable !== null, machineUnavailable ?? '')

let machine: Machine
test.beforeEach(() => {
  machine = plantMachine({ minimal: true })
})
test.afterEach(() => machine.cleanup())

const RU_VERDICT = qaznetVerdict('ru')

test('switching to Russian scans again in Russian; the report downloads in Russian', async ({ page }) => {
  const app = await openApp(page, machine)
  const h1 = page.getByRole('heading', { level: 1 })
  await page.getByRole('button', { name: msg('en', 'home.scan') }).click()
  await expect(h1).toHaveText(qaznetVerdict('en'))

  await page.getByRole('button', { name: 'Русский' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru')
  await expect(h1).toHaveText(RU_VERDICT)
  await expect(page.getByText(msg('ru', qaznetGroup, { count: 1 }))).toBeVisible()
  expect(app.calls.filter((c) => c.channel === 'scan:start').map((c) => c.payload)).toEqual([{ language: 'en' }, { language: 'ru' }])

  await page.getByRole('button', { name: msg('ru', 'export.html') }).click()
  const htmlLink = page.getByRole('link', { name: /^Скачать certaudit-\d{4}-\d{2}-\d{2}\.html$/ })
  await expect(htmlLink).toBeFocused()
  const [html] = await Promise.all([page.waitForEvent('download'), htmlLink.click()])
  expect(readFileSync(await html.path(), 'utf8')).toContain(RU_VERDICT)

  await page.getByRole('button', { name: msg('ru', 'export.json') }).click()
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /\.json$/ }).click()])
  expect(json.suggestedFilename()).toMatch(/^certaudit-\d{4}-\d{2}-\d{2}\.json$/)
  const report = JSON.parse(readFileSync(await json.path(), 'utf8')) as { language: string; findings: { id: string }[] }
  expect(report.language).toBe('ru')
  expect(report.findings.map((f) => f.id)).toEqual([qaznet.findingId])
  expect(app.errors).toEqual([])
})

test('a source link goes to certAudit.openLink and the window stays where it is', async ({ page }) => {
  const app = await openApp(page, machine)
  await page.getByRole('button', { name: msg('en', 'home.scan') }).click()
  await page.getByRole('button', { name: msg('en', 'results.open') }).click()
  await page.getByText(msg('en', 'details.title')).click()
  const url = page.url()
  await page.getByRole('link', { name: /blog\.mozilla\.org/ }).click()
  await expect.poll(() => app.calls.filter((c) => c.channel === 'link:open').map((c) => c.payload)).toEqual([
    { url: 'https://blog.mozilla.org/security/2019/08/21/protecting-our-users-in-kazakhstan/' },
  ])
  expect(page.url()).toBe(url)
})

test('a cancelled scan returns home and its result is ignored', async ({ page }) => {
  const app = await openApp(page, machine)
  const release = app.holdScan(0)
  await page.getByRole('button', { name: msg('en', 'home.scan') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'scanning.title'))
  await page.getByRole('button', { name: msg('en', 'scanning.cancel') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'home.title'))
  // The engine is told too, so plans and exports never use the cancelled scan's report (tests/api).
  await expect.poll(() => app.calls.filter((c) => c.channel === 'scan:cancel').length).toBe(1)
  release()
  await expect.poll(() => app.calls.filter((c) => c.channel === 'scan:start').length).toBe(1)
  await page.waitForTimeout(300) // the scan's answer arrives now, and must change nothing
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'home.title'))
  await expect(page.getByRole('heading', { name: /Last scan/ })).toHaveCount(0)
})

test('the removal plan speaks the window’s language, and is made again when the language changes', async ({ page }) => {
  machine.cleanup()
  machine = plantMachine({ minimal: true, firefoxRunning: true })
  const app = await openApp(page, machine)
  await page.getByRole('button', { name: 'Русский' }).click()
  await page.getByRole('button', { name: msg('ru', 'home.scan') }).click()
  await page.getByRole('button', { name: msg('ru', 'results.open') }).click()
  await page.getByRole('button', { name: msg('ru', 'finding.remove') }).click()

  // Firefox runs with the profile: the store's warning is in Russian, and marked as Russian for screen readers.
  const warning = page.locator('.plan-warning .engine-text')
  await expect(warning).toHaveText('Firefox запущен с этим профилем: закройте его перед удалением, иначе изменение может вступить в силу только после перезапуска.')
  await expect(warning).toHaveAttribute('lang', 'ru')
  await page.getByRole('button', { name: 'Қазақша' }).click()
  await expect(warning).toHaveText('Firefox осы профильмен ашық тұр: жоймас бұрын оны жабыңыз, әйтпесе өзгеріс тек қайта іске қосқаннан кейін күшіне енуі мүмкін.')
  await expect(warning).toHaveAttribute('lang', 'kk')
  expect(app.calls.filter((c) => c.channel === 'removal:plan').map((c) => (c.payload as { language: string }).language)).toContain('kk')
  expect(app.errors).toEqual([])
})
