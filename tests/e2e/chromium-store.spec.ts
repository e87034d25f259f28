/**
 * A Chromium-family browser's own store in the window, with the real engine: the Qaznet root in two
 * profiles (Google Chrome “Work” and a Flatpak Brave), named by browser and profile; the wizard asks to
 * close Chrome while its lock shows it open, and sees it closed on "Check again"; the root is removed
 * from both databases (checked with sqlite3) and undo puts every row back as it was.
 */
import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { qaznet, qaznetGroup } from './support/machine.js'
import { msg } from './support/locale.js'
import { dumpRows, haveSqlite3, localState, makeServerCertificate, metadata, SQLITE3_ABSENT_REASON, TRUSTED } from '../stores/chromium/fixtures.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(!haveSqlite3, SQLITE3_ABSENT_REASON)

test('a root in two browsers’ own stores: named, removed with the browser closed, undone row for row', async ({ page }) => {
  const home = mkdtempSync(join(tmpdir(), 'certaudit-e2e-chromium-'))
  const der = new X509Certificate(qaznet.pem).raw
  localState(join(home, '.config/google-chrome'), { 'Profile 1': 'Work' })
  const chrome = makeServerCertificate(join(home, '.config/google-chrome/Profile 1'), [{ der, trust: metadata(TRUSTED) }])
  const brave = makeServerCertificate(join(home, '.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/Default'), [{ der, trust: metadata(TRUSTED) }])
  const before = [dumpRows(chrome), dumpRows(brave)]
  const lock = join(home, '.config/google-chrome/SingletonLock')
  symlinkSync(`${hostname()}-${process.pid}`, lock) // Chrome is open
  const machine = { home, root: join(home, 'no-system'), env: { LANG: 'en_US.UTF-8' } }
  try {
    const app = await openApp(page, machine)
    await page.getByRole('button', { name: msg('en', 'home.scan') }).click()
    const dangerous = page.getByRole('region', { name: msg('en', qaznetGroup, { count: 1 }) })
    await dangerous.getByRole('button', { name: msg('en', 'results.open') }).click()
    const tiles = page.locator('.store-tile')
    await expect(tiles).toHaveCount(2)
    await expect(tiles.filter({ hasText: 'Google Chrome, profile “Work”' })).toHaveCount(1)
    await expect(tiles.filter({ hasText: 'Brave (Flatpak), profile “Default”' })).toHaveCount(1)
    await page.getByRole('button', { name: msg('en', 'finding.remove') }).click()

    for (const step of ['backup.title', 'programs.title'] as const) {
      await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
      await expect(page.getByRole('heading', { level: 2, name: msg('en', step) })).toBeFocused()
    }
    await expect(page.getByText(msg('en', 'programs.chromium'))).toBeVisible()
    const running = page.getByRole('alert')
    await expect(running).toContainText(msg('en', 'programs.runningTitle', { count: 1 }))
    await expect(running).toContainText('Google Chrome, profile “Work”')
    // The user closes Chrome (its lock goes) and checks again.
    unlinkSync(lock)
    await page.getByRole('button', { name: msg('en', 'programs.checkAgain') }).click()
    await expect(page.getByText(msg('en', 'programs.noneRunning'))).toBeVisible()

    for (const step of ['permission.title', 'apply.titleRemove'] as const) {
      await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
      await expect(page.getByRole('heading', { level: 2, name: msg('en', step) })).toBeFocused()
    }
    await page.getByRole('button', { name: msg('en', 'apply.removeNow') }).click()
    await expect(page.getByRole('heading', { level: 2, name: msg('en', 'verify.title') })).toBeFocused()
    await expect(page.locator('.result-item').filter({ hasText: msg('en', 'status.removed') })).toHaveCount(2)
    expect([dumpRows(chrome), dumpRows(brave)]).toEqual([[], []])

    await page.getByRole('button', { name: msg('en', 'wizard.continue') }).click()
    await page.getByRole('button', { name: msg('en', 'done.undo') }).click()
    // Undo first shows what it will put back where, and runs once confirmed.
    await page.getByRole('alertdialog', { name: msg('en', 'undoConfirm.title') }).getByRole('button', { name: msg('en', 'undoConfirm.confirm') }).click()
    await expect(page.getByText(msg('en', 'outcome.undoOk'))).toBeVisible()
    expect([dumpRows(chrome), dumpRows(brave)]).toEqual(before)
    expect(app.errors).toEqual([])
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
})
