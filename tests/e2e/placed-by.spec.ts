/**
 * "Put there by …; it will come back until …" in the window, in English, Russian and Kazakh, with the
 * real engine: the Qaznet root installed by a Firefox policies.json (and so in the Firefox profile it
 * installs into), and by a real .deb (dpkg's own database in the temp root) as a Debian distribution
 * certificate; the Russian root an administrator added as an anchor by hand. The finding's store
 * picture says it on each tile, and the wizard's review step on each place, with the plan's advice to
 * remove the policy first. Nothing is changed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { haveDpkg, installDeb, NO_DPKG } from '../support/package-db.js'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../support/system-root.js'
import { certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { openApp, RENDERER_ABSENT_REASON, rendererBuilt } from './support/harness.js'
import { LANGS, LOCALE_OF, msg } from './support/locale.js'
import { qaznet, qaznetGroup, russianRoot } from './support/machine.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(!haveDpkg || !haveUpdateCaCertificates || !certutilInstalled, `${NO_DPKG}, with update-ca-certificates and certutil`)

const home = mkdtempSync(join(tmpdir(), 'certaudit-e2e-placed-home-'))
const root = mkdtempSync(join(tmpdir(), 'certaudit-e2e-placed-root-'))
test.afterAll(() => {
  rmSync(home, { recursive: true, force: true })
  rmSync(root, { recursive: true, force: true })
})

const policies = join(root, 'etc/firefox/policies/policies.json')
const distroFile = join(root, 'usr/share/ca-certificates/isp/isp-root.crt')
const anchor = join(root, 'usr/local/share/ca-certificates/admin-proxy.crt')

test.beforeAll(() => {
  put(root, 'etc/firefox/policies/policies.json', JSON.stringify({ policies: { Certificates: { Install: ['isp.crt'] } } }))
  put(root, 'usr/lib/mozilla/certificates/isp.crt', qaznet.pem)
  put(home, '.mozilla/firefox/profiles.ini', '[Profile0]\nName=default-release\nIsRelative=1\nPath=a1b2.default-release\nDefault=1\n')
  makeNssDb(join(home, '.mozilla/firefox/a1b2.default-release'), [{ nickname: 'Qaznet Trust Network', trust: 'C,,', cert: qaznet }])
  installDeb(root, { name: 'isp-root', files: { '/usr/share/ca-certificates/isp/isp-root.crt': qaznet.pem } })
  buildDebianTree(root, { local: { 'admin-proxy.crt': russianRoot.pem }, confLines: ['isp/isp-root.crt'] })
})

for (const lang of LANGS) {
  test(`what put it there, and whether it comes back, on the store picture and in the plan (${lang})`, async ({ page }) => {
    const app = await openApp(page, { home, root, env: { LANG: LOCALE_OF[lang] } })
    await page.getByRole('button', { name: msg(lang, 'home.scan') }).click()
    await page.getByRole('region', { name: msg(lang, qaznetGroup, { count: 1 }) }).getByRole('button', { name: msg(lang, 'results.open') }).click()

    const install = { name: 'Firefox Certificates.Install', file: policies }
    const tiles = page.locator('.store-tile')
    await expect(tiles).toHaveCount(3)
    const profileTile = tiles.filter({ hasText: msg(lang, 'store.profile', { app: 'Firefox', name: 'default-release' }) })
    await expect(profileTile).toContainText(`${msg(lang, 'placed.policy', install)} ${msg(lang, 'placed.back.policy')}`)
    await expect(tiles.filter({ hasText: msg(lang, 'store.firefoxPolicy', { app: 'Firefox' }) })).toContainText(msg(lang, 'placed.policy', install))
    const systemTile = tiles.filter({ hasText: msg(lang, 'store.systemOf', { distro: 'Debian/Ubuntu' }) })
    // A distribution file: CertAudit deselects it, which the package's upgrades keep.
    await expect(systemTile).toContainText(`${msg(lang, 'placed.package', { name: 'isp-root', file: distroFile })} ${msg(lang, 'placed.back.none')}`)

    await page.getByRole('button', { name: msg(lang, 'finding.remove') }).click()
    await expect(page.getByRole('heading', { level: 2, name: msg(lang, 'review.title') })).toBeFocused()
    const items = page.locator('.plan-item')
    await expect(items).toHaveCount(3)
    const profileItem = items.filter({ hasText: msg(lang, 'store.profile', { app: 'Firefox', name: 'default-release' }) })
    await expect(profileItem.locator('.plan-placed-by')).toContainText(msg(lang, 'placed.policy', install))
    // The plan's advice, in the window's language: remove the policy first, named with its file.
    const advice = { en: `Remove the policy (Firefox Certificates.Install) in ${policies} first`, ru: `Сначала удалите политику (Firefox Certificates.Install) в ${policies}`, kk: `Алдымен ${policies} ішіндегі саясатты (Firefox Certificates.Install) жойыңыз` }[lang]
    await expect(profileItem.locator('.plan-advice')).toContainText(advice)
    await expect(items.filter({ hasText: msg(lang, 'store.systemOf', { distro: 'Debian/Ubuntu' }) }).locator('.plan-placed-by')).toContainText(msg(lang, 'placed.package', { name: 'isp-root', file: distroFile }))
    // Cancel goes back to the finding, and from there to the results.
    await page.getByRole('button', { name: msg(lang, 'wizard.cancel') }).click()
    await page.getByRole('button', { name: msg(lang, 'finding.back') }).click()

    // The administrator's anchor: by hand, and nothing known puts it back.
    await page.getByRole('region', { name: msg(lang, 'group.medium', { count: 1 }) }).getByRole('button', { name: msg(lang, 'results.open') }).click()
    await expect(page.locator('.store-tile')).toHaveCount(1)
    await expect(page.locator('.store-tile')).toContainText(`${msg(lang, 'placed.hand')} ${msg(lang, 'placed.back.none')}`)
    await expect(page.locator('.store-tile .path')).toContainText(anchor)
    expect(app.errors).toEqual([])
  })
}
