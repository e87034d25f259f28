/**
 * The scan and the removal wizard completed with the keyboard alone (Tab, Shift+Tab, Enter, Space;
 * no mouse): every control is reachable, the focus moves to each new screen's or step's heading,
 * the focused control shows a visible focus ring, and the removal really happens (certutil).
 */
import { expect, test, type Locator, type Page } from '@playwright/test'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { msg } from './support/locale.js'
import { machineUnavailable, nssHolds, plantMachine, qaznet, qaznetGroup, qaznetVerdict } from './support/machine.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(machineUnavailable !== null, machineUnavailable ?? '')

type Focusable = { matches(selector: string): boolean }
type Window = { document: { activeElement: unknown }; getComputedStyle(element: unknown): { outlineStyle: string; outlineWidth: string } }

/** Presses Tab until `target` has the focus, then checks that a focus ring is drawn around it. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate((element) => element === (globalThis as unknown as Window).document.activeElement)) {
      const ring = await target.evaluate((element) => {
        const style = (globalThis as unknown as Window).getComputedStyle(element)
        return (element as unknown as Focusable).matches(':focus-visible') && style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
      })
      expect(ring, `a visible focus ring on ${String(target)}`).toBe(true)
      return
    }
  }
  throw new Error(`${String(target)} was not reached with ${max} presses of Tab`)
}

async function expectHeadingFocused(page: Page, level: 1 | 2, text: string | RegExp): Promise<void> {
  await expect(page.getByRole('heading', { level, name: text })).toBeFocused()
}

test('scan and remove with the keyboard alone, then undo', async ({ page }) => {
  const machine = plantMachine()
  try {
    await openApp(page, machine)
    const t = (key: string, vars?: Record<string, string | number>) => msg('en', key, vars)
    const button = (key: string) => page.getByRole('button', { name: t(key), exact: true })
    await expectHeadingFocused(page, 1, t('home.title'))

    await tabTo(page, button('home.scan'))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, 1, qaznetVerdict('en'))

    // The finding, then its Remove button.
    await tabTo(page, page.getByRole('region', { name: t(qaznetGroup, { count: 1 }) }).getByRole('button', { name: t('results.open') }))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, 1, /Qaznet Trust Network/)
    await tabTo(page, button('finding.remove'))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, 2, t('review.title'))

    // Review: Space unticks Chromium; the count follows. Then Continue through the steps.
    await tabTo(page, page.getByRole('checkbox', { name: 'Chrome and Chromium' }))
    await page.keyboard.press('Space')
    await expect(page.getByText(t('review.chosen', { count: 3, total: 4 }))).toBeVisible()
    for (const step of ['backup.title', 'programs.title', 'permission.title', 'apply.titleRemove']) {
      await tabTo(page, button('wizard.continue'))
      await page.keyboard.press('Enter')
      await expectHeadingFocused(page, 2, t(step))
    }
    await tabTo(page, button('apply.removeNow'))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, 2, t('verify.title'))
    expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(false)
    expect(nssHolds(machine.firefoxWork, qaznet)).toBe(false)
    expect(nssHolds(machine.chromium, qaznet)).toBe(true)

    await tabTo(page, button('wizard.continue'))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, 2, t('done.title'))
    await tabTo(page, button('done.undo'))
    await page.keyboard.press('Enter')
    // Undo shows what goes back where first; it runs once confirmed.
    await tabTo(page, button('undoConfirm.confirm'))
    await page.keyboard.press('Enter')
    await expect(page.getByText(t('outcome.undoOk'))).toBeVisible()
    expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(true)

    // Shift+Tab goes back up: the language switch and the history are reachable too.
    await tabTo(page, button('done.home'))
    await page.keyboard.press('Enter')
    await expectHeadingFocused(page, 1, t('home.title'))
    await page.keyboard.press('Shift+Tab')
    await expect(page.getByRole('button', { name: 'Қазақша' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('kk', 'home.title'))
  } finally {
    machine.cleanup()
  }
})
