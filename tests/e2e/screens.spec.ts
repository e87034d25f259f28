/**
 * Every screen, in English, Russian and Kazakh: the app opens in the language of the machine's LANG
 * (appInfo.language), and each screen is checked with axe (no serious or critical violation) and
 * screenshotted: home, an empty history, scanning, results, a finding, the trade-off finding with its details open,
 * each wizard step (with Firefox "running"), history, and a change interrupted by a kill -9 with its
 * roll back. Results are also shot at 800×600.
 */
import { expect, test } from '@playwright/test'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { interruptRemoval } from './support/interrupt.js'
import { LANGS, LOCALE_OF, msg } from './support/locale.js'
import { machineUnavailable, plantMachine, qaznet, russianRoot } from './support/machine.js'
import { checkScreen } from './support/screens.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(machineUnavailable !== null, machineUnavailable ?? '')

for (const lang of LANGS) {
  test(`every screen in ${lang}`, async ({ page }, testInfo) => {
    const machine = plantMachine({ lang: LOCALE_OF[lang], java: true, firefoxRunning: true })
    try {
      const app = await openApp(page, machine)
      const t = (key: string, vars?: Record<string, string | number>) => msg(lang, key, vars)
      const h1 = page.getByRole('heading', { level: 1 })
      const shot = (name: string) => checkScreen(page, testInfo, `${lang}-${name}`)

      await expect(h1).toHaveText(t('home.title'))
      await expect(page.locator('html')).toHaveAttribute('lang', lang)
      await expect(page.getByText(t('footer.version', { version: 'test' }), { exact: false })).toBeVisible()
      await shot('home')
      await page.getByRole('button', { name: t('nav.history') }).click()
      await expect(page.getByText(t('history.empty'))).toBeVisible()
      await shot('history-empty')
      await page.getByRole('button', { name: t('nav.home') }).click()

      // Scanning, held after three of the six stores have finished.
      const release = app.holdScan(3)
      await page.getByRole('button', { name: t('home.scan') }).click()
      await expect(h1).toHaveText(t('scanning.title'))
      await expect(page.locator('.scan-store.done')).toHaveCount(3)
      await expect(page.locator('progress')).toHaveAttribute('value', '3')
      await shot('scanning')
      release()

      // Results: the engine's verdict in this language.
      await expect(h1).not.toHaveText(t('scanning.title'))
      await expect(page.locator('.finding-card')).toHaveCount(3)
      await shot('results')
      await page.setViewportSize({ width: 800, height: 600 })
      await shot('results-800x600')
      await page.setViewportSize({ width: 1280, height: 800 })

      const card = (id: string) => page.locator('.finding-card').filter({ has: page.locator(`[id="finding-${id}"]`) })
      await card(qaznet.findingId).getByRole('button', { name: t('results.open') }).click()
      await expect(page.locator('.store-tile')).toHaveCount(5)
      await shot('finding')
      await page.getByRole('button', { name: t('finding.back') }).click()

      await card(russianRoot.findingId).getByRole('button', { name: t('results.open') }).click()
      await expect(page.getByRole('heading', { name: t('finding.tradeOffTitle') })).toBeVisible()
      await page.getByText(t('details.title')).click()
      await expect(page.getByText(russianRoot.sha256)).toBeVisible()
      await shot('finding-trade-off')
      await page.getByRole('button', { name: t('finding.back') }).click()

      // The wizard, each step.
      await card(qaznet.findingId).getByRole('button', { name: t('results.remove') }).click()
      await expect(page.getByRole('checkbox')).toHaveCount(5)
      await shot('wizard-review')
      await page.setViewportSize({ width: 800, height: 600 })
      await shot('wizard-review-800x600')
      await page.setViewportSize({ width: 1280, height: 800 })
      const next = page.getByRole('button', { name: t('wizard.continue') })
      await next.click()
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(t('backup.title'))
      await shot('wizard-backup')
      await next.click()
      await expect(page.getByText(t('programs.runningTitle', { count: 1 }))).toBeVisible()
      await shot('wizard-programs')
      await next.click()
      await expect(page.getByText(t('permission.none'))).toBeVisible()
      await shot('wizard-permission')
      await next.click()
      await shot('wizard-apply')
      await page.getByRole('button', { name: t('apply.removeNow') }).click()
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(t('verify.title'))
      await expect(page.locator('.result-item')).toHaveCount(5)
      await shot('wizard-verify')
      await next.click()
      await expect(page.getByRole('heading', { level: 2 })).toHaveText(t('done.title'))
      await shot('wizard-done')

      // History, with the change just made.
      await page.getByRole('button', { name: t('nav.history') }).click()
      await expect(page.locator('.change-card')).toHaveCount(1)
      await expect(page.locator('.change-card')).toContainText(t('changeState.done'))
      await shot('history')

      // A removal killed part-way by the CLI: offered on the home screen; rolled back from there.
      interruptRemoval(machine, russianRoot.findingId)
      await page.reload()
      await expect(page.getByRole('heading', { name: t('interrupted.title', { count: 1 }) })).toBeVisible()
      await shot('home-interrupted')
      await page.getByRole('button', { name: t('interrupted.rollBack') }).click()
      await expect(page.getByRole('alertdialog', { name: t('undoConfirm.title') })).toBeVisible()
      await shot('home-undo-confirm')
      await page.getByRole('button', { name: t('undoConfirm.confirm') }).click()
      await expect(page.getByText(t('outcome.undoOk'))).toBeVisible()
      await shot('home-rolled-back')
      expect(app.errors).toEqual([])
    } finally {
      machine.cleanup()
    }
  })
}
