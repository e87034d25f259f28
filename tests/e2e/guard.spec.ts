/**
 * The guard in the window, in English, Russian and Kazakh, with the real engine on a planted machine
 * (the Qaznet root in a Firefox profile made by certutil): remove it in the wizard → "Warn me if this
 * comes back" is on by default, and the schedule is really written (an autostart entry in the temp
 * home: it is not this session's, so no systemd is asked) → off removes it, on puts it back → the root
 * is planted again in Chromium's database → Settings → Check now → the history shows "came back on …
 * in Chrome and Chromium, put there by …" → "Remove it again" opens the wizard on it. In English also:
 * what a check found while the window was closed is shown at the next start, and a notification's
 * click (the push electron/main.ts makes) opens the finding.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { certutil } from '../stores/nss/fixtures.js'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { LANGS, LOCALE_OF, msg, type Lang } from './support/locale.js'
import { machineUnavailable, plantMachine, qaznet, type Machine } from './support/machine.js'
import { checkScreen } from './support/screens.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(machineUnavailable !== null, machineUnavailable ?? '')

let machine: Machine
test.afterEach(() => machine.cleanup())

/** Both sides of a message around a value the test cannot know exactly (a date in the browser's own format). */
function around(lang: Lang, key: string, vars: Record<string, string>, unknown: string): string[] {
  return msg(lang, key, { ...vars, [unknown]: '\u0000' }).split('\u0000')
}

/** Plants the root again in Chromium's NSS database (certutil), as an ISP's installer would. */
function plantInChromium(m: Machine): void {
  const pem = join(m.home, 'planting.pem')
  writeFileSync(pem, qaznet.pem)
  certutil(['-A', '-d', `sql:${m.chromium}`, '-n', 'ISP security', '-t', 'C,,', '-i', pem])
}

async function removeInWizard(page: Page, lang: Lang): Promise<void> {
  const t = (key: string, vars?: Record<string, string | number>) => msg(lang, key, vars)
  await page.getByRole('button', { name: t('home.scan') }).click()
  await page.getByRole('button', { name: t('results.open') }).click()
  await page.getByRole('button', { name: t('finding.remove') }).click()
  for (const step of ['backup.title', 'programs.title', 'permission.title', 'apply.titleRemove']) {
    await page.getByRole('button', { name: t('wizard.continue') }).click()
    await expect(page.getByRole('heading', { level: 2, name: t(step) })).toBeFocused()
  }
  await page.getByRole('button', { name: t('apply.removeNow') }).click()
  await expect(page.getByText(t('outcome.removeOk', { count: 1 }))).toBeVisible()
  await page.getByRole('button', { name: t('wizard.continue') }).click()
  await expect(page.getByRole('heading', { level: 2, name: t('done.title') })).toBeFocused()
}

for (const lang of LANGS) {
  test(`${lang}: after a removal the guard is on by default, can be turned off and on, and the history shows the return with one click to remove it again`, async ({ page }, testInfo) => {
    const t = (key: string, vars?: Record<string, string | number>) => msg(lang, key, vars)
    machine = plantMachine({ minimal: true, lang: LOCALE_OF[lang] })
    const app = await openApp(page, machine)
    const entry = join(machine.home, '.config/autostart/certaudit-guard.desktop')
    await removeInWizard(page, lang)

    // "Warn me if this comes back": on by default, the schedule explained, and really installed.
    const offer = page.getByRole('region', { name: t('guard.offerTitle') })
    const toggle = offer.getByRole('switch', { name: t('guard.offer') })
    await expect(offer.getByText(t('guard.explain'))).toBeVisible()
    await expect(offer.getByText(t('guard.on.autostart'))).toBeVisible()
    await expect(toggle).toBeChecked()
    expect(existsSync(entry)).toBe(true)
    await checkScreen(page, testInfo, `${lang}-guard-offer`)

    // Off removes exactly that file; on again writes it again.
    await toggle.uncheck()
    await expect(offer.getByText(t('guard.off'))).toBeVisible()
    await expect(toggle).not.toBeChecked()
    expect(existsSync(entry)).toBe(false)
    await toggle.check()
    await expect(offer.getByText(t('guard.on.autostart'))).toBeVisible()
    expect(existsSync(entry)).toBe(true)
    expect(app.calls.filter((c) => c.channel === 'guard:set').map((c) => c.payload)).toEqual([
      { enabled: true, language: lang },
      { enabled: false, language: lang },
      { enabled: true, language: lang },
    ])

    // Something puts it back, in another place; a check (Settings → Check now) finds it.
    plantInChromium(machine)
    await page.getByRole('button', { name: t('nav.settings') }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('settings.title'))
    await expect(page.getByRole('switch', { name: t('guard.switch') })).toBeChecked()
    await page.getByRole('button', { name: t('guard.checkNow') }).click()
    const [returnedBefore, returnedAfter] = around(lang, 'guard.returnedTitle', {}, 'title')
    await expect(page.getByRole('status').filter({ hasText: 'Qaznet Trust Network' })).toContainText(`${returnedBefore}Qaznet Trust Network`)
    await expect(page.getByRole('status').filter({ hasText: 'Qaznet Trust Network' })).toContainText(returnedAfter!)

    // The history: came back on <date> in Chromium, put there by …, and one click into the wizard again.
    await page.getByRole('button', { name: t('nav.history') }).click()
    const card = page.locator('.change-card')
    await expect(card).toHaveCount(1)
    for (const part of around(lang, 'guard.cameBack', { place: t('store.chromium'), cause: t('guard.cause.unknown') }, 'date')) await expect(card).toContainText(part)
    await checkScreen(page, testInfo, `${lang}-history-returned`)
    await card.getByRole('button', { name: t('guard.removeAgain') }).click()
    await expect(page.getByRole('heading', { level: 2, name: t('review.title') })).toBeFocused()
    await expect(page.getByRole('checkbox')).toHaveCount(1)
    await expect(page.getByRole('checkbox', { name: t('store.chromium') })).toBeChecked()
    expect(app.errors).toEqual([])
  })
}

test('what a check found while the window was closed is shown at start; a notification’s click opens the finding', async ({ page }) => {
  machine = plantMachine({ minimal: true })
  const app = await openApp(page, machine)
  // The schedule's check, run while the window "was closed" (no notification service took it).
  const check = await app.api.handle('guard:watch', { language: 'en' })
  expect(check.events).toMatchObject([{ kind: 'new', findingId: qaznet.findingId }])
  await page.reload()
  const alerts = page.getByRole('region', { name: msg('en', 'guard.pendingTitle', { count: 1 }) })
  await expect(alerts).toContainText(msg('en', 'guard.newTitle', { title: check.events[0]!.title }))
  await alerts.getByRole('button', { name: msg('en', 'guard.show') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Qaznet Trust Network/)

  // Seen: not shown again at the next start.
  await page.getByRole('button', { name: msg('en', 'nav.home') }).click()
  await alerts.getByRole('button', { name: msg('en', 'guard.dismiss') }).click()
  // The dismissal is written (under the guard's lock) before the window goes away.
  await expect.poll(() => app.calls.some((c) => c.channel === 'guard:events' && JSON.stringify(c.payload).includes(check.events[0]!.id))).toBe(true)
  await app.settled()
  await page.reload()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'home.title'))
  await expect(page.getByRole('region', { name: msg('en', 'guard.pendingTitle', { count: 1 }) })).toHaveCount(0)

  // A click on a notification while the window is open: the finding, from a fresh scan.
  await app.openFinding(qaznet.findingId)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Qaznet Trust Network/)
  expect(app.errors).toEqual([])
})
