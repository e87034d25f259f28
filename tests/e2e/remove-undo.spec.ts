/**
 * The main path, with the real engine on a planted machine: home → scan → verdict → the Qaznet
 * finding → removal wizard (one store deselected) → the certificate is gone from the real NSS
 * databases and the Debian anchor (checked with certutil and the file system) while the deselected
 * store still has it → undo → all back. And a removal killed part-way (kill -9 through the CLI) is
 * finished from the history screen.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { machineUnavailable, nssHolds, plantMachine, qaznet, qaznetGroup, qaznetIsReal, qaznetVerdict, type Machine } from './support/machine.js'
import { interruptRemoval } from './support/interrupt.js'
import { msg } from './support/locale.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(machineUnavailable !== null, machineUnavailable ?? '')

let machine: Machine
test.afterEach(() => machine.cleanup())

test('scan, read the finding, remove it in the wizard (verified with certutil), then undo', async ({ page }) => {
  machine = plantMachine({ java: true })
  const app = await openApp(page, machine)
  const anchorBytes = readFileSync(machine.anchor)

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'home.title'))
  await page.getByRole('button', { name: msg('en', 'home.scan') }).click()

  // The verdict first, in the engine's plain words, then the finding under "Dangerous".
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(qaznetVerdict('en'))
  const dangerous = page.getByRole('region', { name: msg('en', qaznetGroup, { count: 1 }) })
  await expect(dangerous.getByRole('heading', { level: 3 })).toHaveText(/Qaznet Trust Network/)
  await expect(page.getByRole('region', { name: msg('en', 'group.medium', { count: 1 }) })).toContainText('Russian Trusted Root CA')
  await dangerous.getByRole('button', { name: msg('en', 'results.open') }).click()

  // The finding: what, why, what to do, and the five stores it is in.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Qaznet Trust Network/)
  // The real root's story, or what a copy under its name is.
  await expect(page.getByText(qaznetIsReal ? 'Kazakh internet providers told their customers to install it' : 'most likely a new copy made for the next round of interception', { exact: false })).toBeVisible()
  const tiles = page.locator('.store-tile')
  await expect(tiles).toHaveCount(5)
  for (const name of ['Firefox, profile “default-release”', 'Firefox, profile “work”', 'Chrome and Chromium', 'This computer’s system certificates (Debian/Ubuntu)', 'Java']) {
    await expect(tiles.filter({ hasText: name })).toHaveCount(1)
  }
  await page.getByText(msg('en', 'details.title')).click()
  await expect(page.getByText(qaznet.sha256)).toBeVisible()
  await page.getByRole('button', { name: msg('en', 'finding.remove') }).click()

  // Review: five places; leave Chromium alone (the plan is made again without it).
  await expect(page.getByRole('heading', { level: 2, name: msg('en', 'review.title') })).toBeFocused()
  const places = page.getByRole('checkbox')
  await expect(places).toHaveCount(5)
  expect(app.calls.filter((c) => c.channel === 'removal:plan')).toHaveLength(1) // every place, asked for once
  await page.getByRole('checkbox', { name: 'Chrome and Chromium' }).uncheck()
  await expect(page.getByText(msg('en', 'review.chosen', { count: 4, total: 5 }))).toBeVisible()
  const planCalls = app.calls.filter((c) => c.channel === 'removal:plan')
  expect(planCalls.at(-1)?.payload).toEqual({ findingIds: [qaznet.findingId], mode: 'delete', skip: [machine.chromium], language: 'en' })

  let promisedBackups = ''
  for (const step of ['backup.title', 'programs.title', 'permission.title', 'apply.titleRemove'] as const) {
    await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
    await expect(page.getByRole('heading', { level: 2, name: msg('en', step) })).toBeFocused()
    if (step === 'backup.title') promisedBackups = (await page.locator('.path-large').textContent()) ?? ''
  }
  await expect(page.getByText(msg('en', 'permission.none'))).toHaveCount(0) // that was the step before
  await page.getByRole('button', { name: msg('en', 'apply.removeNow') }).click()

  // Verified by the engine, shown per entry; and checked here in the real stores.
  await expect(page.getByRole('heading', { level: 2, name: msg('en', 'verify.title') })).toBeFocused()
  await expect(page.locator('.result-item')).toHaveCount(4)
  await expect(page.locator('.result-item').filter({ hasText: msg('en', 'status.removed') })).toHaveCount(4)
  await expect(page.getByText(msg('en', 'outcome.removeOk', { count: 4 }))).toBeVisible()
  expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(false)
  expect(nssHolds(machine.firefoxWork, qaznet)).toBe(false)
  expect(nssHolds(machine.chromium, qaznet)).toBe(true) // deselected: untouched
  expect(existsSync(machine.anchor)).toBe(false)

  await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
  await expect(page.getByRole('heading', { level: 2, name: msg('en', 'done.title') })).toBeFocused()
  await expect(page.getByText(/\.local\/share\/certaudit\/changes\//).last()).toBeVisible()
  // The folder promised before the change is where the backups went (the engine's own path, not a guess).
  expect(promisedBackups).toContain('/certaudit/changes/')
  expect(existsSync(join(promisedBackups, 'journal.jsonl'))).toBe(true)
  await page.getByRole('button', { name: msg('en', 'done.undo') }).click()
  // Undo shows what goes back where first (each certificate and store); nothing runs until it is confirmed.
  const confirm = page.getByRole('alertdialog', { name: msg('en', 'undoConfirm.title') })
  await expect(confirm).toContainText(msg('en', 'undoConfirm.putBack'))
  expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(false)
  await confirm.getByRole('button', { name: msg('en', 'undoConfirm.confirm') }).click()
  await expect(page.getByText(msg('en', 'outcome.undoOk'))).toBeVisible()
  expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(true)
  expect(nssHolds(machine.firefoxWork, qaznet)).toBe(true)
  expect(readFileSync(machine.anchor).equals(anchorBytes)).toBe(true)

  // A new scan finds it again in all five places; the history shows the change as undone.
  await page.getByRole('button', { name: msg('en', 'done.scanAgain') }).click()
  await page.getByRole('region', { name: msg('en', qaznetGroup, { count: 1 }) }).getByRole('button', { name: msg('en', 'results.open') }).click()
  await expect(page.locator('.store-tile')).toHaveCount(5)
  await page.getByRole('button', { name: msg('en', 'nav.history') }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(msg('en', 'history.title'))
  await expect(page.locator('.change-card')).toHaveCount(1)
  await expect(page.locator('.change-card')).toContainText(msg('en', 'changeState.undone'))
  expect(app.errors).toEqual([])
})

test('an interrupted removal is finished from the history', async ({ page }) => {
  machine = plantMachine({ minimal: true })
  interruptRemoval(machine, qaznet.findingId, 'backed-up')
  expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(true)
  await openApp(page, machine)
  await page.getByRole('button', { name: msg('en', 'nav.history') }).click()
  const card = page.locator('.change-card')
  await expect(card).toContainText(msg('en', 'changeState.interrupted'))
  await expect(card.locator('.history-entries li')).toHaveText([/Firefox, profile “default-release”.*Not done yet/])
  await card.getByRole('button', { name: msg('en', 'interrupted.finish') }).click()
  await expect(card.getByText(msg('en', 'outcome.removeOk', { count: 1 }))).toBeVisible()
  await expect(card).toContainText(msg('en', 'changeState.done'))
  expect(nssHolds(machine.firefoxDefault, qaznet)).toBe(false)
})
