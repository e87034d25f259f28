/**
 * The window over a machine whose names lie: a root whose CN clears a terminal and prints a fake
 * all-clear, reverses text with U+202E, hides zero-width characters and starts fake lines; planted in a
 * Firefox profile whose name, folder and nickname hold the same tricks, as a Debian anchor file named
 * with them, and in a bundle (SSL_CERT_FILE) whose path the manual step quotes; and a network box whose
 * CA is named the same way. On every screen the page shows each trick as `⟨U+XXXX⟩` and holds no raw
 * control or format character in any text or attribute, while what the window sends back to the engine
 * (the places left out) is the exact raw path.
 */
import { createServer, type Server } from 'node:tls'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { expect, test, type Page } from '@playwright/test'
import { parseConnectTo } from '../../src/network/targets.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { HOSTILE_NAME, HOSTILE_NAMES, SHOWN_ESCAPES } from '../support/hostile-text.js'
import { buildDebianTree, put } from '../support/system-root.js'
import { makeNssDb } from '../stores/nss/fixtures.js'
import { CHROMIUM_ABSENT_REASON, chromiumPath } from './support/chromium.js'
import { RENDERER_ABSENT_REASON, openApp, rendererBuilt } from './support/harness.js'
import { msg } from './support/locale.js'
import { machineUnavailable } from './support/machine.js'

test.skip(!chromiumPath, CHROMIUM_ABSENT_REASON)
test.skip(!rendererBuilt, RENDERER_ABSENT_REASON)
test.skip(machineUnavailable !== null, machineUnavailable ?? '')

/** profiles.ini and update-ca-certificates read names by line: every trick but the line breaks. */
const ONE_LINE = `${HOSTILE_NAMES.clearScreen} ${HOSTILE_NAMES.reversed} ${HOSTILE_NAMES.zeroWidth}`
const hostile = makeCertificate({ subject: [['O', 'Hostile Names Test'], ['CN', HOSTILE_NAME]] })
const findingId = hostile.sha256.slice(0, 16)

/**
 * Every raw control, format character or separator in the page's text, title and attributes (static
 * markup's indentation aside). Page code, so written as text: the e2e tsconfig has no DOM types.
 */
const HIDDEN_IN_PAGE = `(() => {
  const hidden = /[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]/u
  const found = []
  const check = (where, text) => {
    if (!text || /^[\\n ]*$/.test(text)) return
    for (const char of text) if (hidden.test(char)) found.push('U+' + char.codePointAt(0).toString(16).toUpperCase().padStart(4, '0') + ' in ' + where + ': ' + JSON.stringify(text.slice(0, 80)))
  }
  check('title', document.title)
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) check('text of <' + node.parentElement?.tagName.toLowerCase() + '>', node.nodeValue)
  for (const element of document.querySelectorAll('*')) for (const attribute of element.attributes) check('@' + attribute.name, attribute.value)
  return found
})()`

async function hiddenInPage(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(HIDDEN_IN_PAGE)
}

async function expectShownOnPage(page: Page, escapes: readonly string[]): Promise<void> {
  expect(await hiddenInPage(page)).toEqual([])
  for (const escape of escapes) await expect(page.locator('body')).toContainText(escape)
}

let cleanup: () => void = () => {}
let server: Server | null = null
test.afterEach(() => {
  cleanup()
  server?.close()
})

test('every screen shows the hostile names with their tricks visible, and sends back the exact paths', async ({ page }) => {
  const home = mkdtempSync(join(tmpdir(), 'certaudit-e2e-hostile-home-'))
  const root = mkdtempSync(join(tmpdir(), 'certaudit-e2e-hostile-root-'))
  const bundleDir = mkdtempSync(join(tmpdir(), 'certaudit-e2e-hostile-bundle-'))
  cleanup = () => [home, root, bundleDir].forEach((dir) => rmSync(dir, { recursive: true, force: true }))
  const firefox = join(home, '.mozilla/firefox')
  put(firefox, 'profiles.ini', `[Profile0]\nName=${ONE_LINE}\nIsRelative=1\nPath=${ONE_LINE}\nDefault=1\n`)
  const profile = makeNssDb(join(firefox, ONE_LINE), [{ nickname: ONE_LINE, trust: 'C,,', cert: hostile }])
  buildDebianTree(root, { distro: { 'mozilla/Public_Root.crt': rootCertificates[0]! }, local: { [`${ONE_LINE}.crt`]: hostile.pem } })
  const bundle = put(bundleDir, `${HOSTILE_NAMES.fakeLines}${HOSTILE_NAMES.others}.pem`, hostile.pem)

  // A network box whose CA is named with every trick, for the connection check.
  const caKey = makeKey()
  const caName = [['CN', HOSTILE_NAME]] as const
  const ca = makeCertificate({ subject: caName, key: caKey })
  const leaf = makeCertificate({ subject: [['CN', 'intercepted.test']], issuer: caName, issuerKey: caKey, ca: false })
  server = createServer({ key: leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: leaf.pem + ca.pem })
  server.on('tlsClientError', () => {})
  const port = await new Promise<number>((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)))
  const rule = parseConnectTo(`::127.0.0.1:${port}`)
  if (!rule.ok) throw new Error(rule.error)

  const app = await openApp(page, { home, root, env: { LANG: 'en_US.UTF-8', SSL_CERT_FILE: bundle } }, { network: { connectTo: [rule.value], timeoutMs: 5000 } })
  const t = (key: string, vars?: Record<string, string | number>) => msg('en', key, vars)

  // Home: the connection check names the box's CA.
  await page.getByRole('button', { name: t('connection.button') }).click()
  await expect(page.locator('.connection-verdict')).toBeVisible()
  await expectShownOnPage(page, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Exa⟨U+200B⟩mple'])

  // Results: the finding's title is its CN, every trick shown.
  await page.getByRole('button', { name: t('home.scan') }).click()
  const card = page.locator('.finding-card').filter({ has: page.locator(`[id="finding-${findingId}"]`) })
  await expect(card.getByRole('heading', { level: 3 })).toContainText('Evil⟨U+001B⟩[2J⟨U+001B⟩[H⟨U+001B⟩[32mNo dangerous certificates found')
  await page.locator('section[aria-labelledby="stores-title"] summary').click()
  await expectShownOnPage(page, SHOWN_ESCAPES)

  // The finding: title, subject and issuer, the stores (profile name, nickname, file, path).
  await card.getByRole('button', { name: t('results.open') }).click()
  await page.getByText(t('details.title')).click()
  await expect(page.locator('.store-tile')).toHaveCount(3)
  await expectShownOnPage(page, [...SHOWN_ESCAPES, 'Firefox, profile “Evil⟨U+001B⟩[2J', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩No dangerous certificates found.⟨U+000D⟩soft⟨U+00AD⟩'])

  // The wizard: each place, the manual step that quotes the bundle's path; leaving out the profile sends its exact path.
  await page.getByRole('button', { name: t('finding.remove') }).click()
  await expect(page.getByRole('checkbox')).toHaveCount(3)
  await expectShownOnPage(page, ['⟨U+202E⟩txt.exe⟨U+202C⟩', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩'])
  await page.locator('.plan-item').filter({ hasText: 'Firefox' }).getByRole('checkbox').uncheck()
  await expect(page.getByText(t('review.chosen', { count: 2, total: 3 }))).toBeVisible()
  expect(app.calls.filter((c) => c.channel === 'removal:plan').at(-1)?.payload).toEqual({ findingIds: [findingId], mode: 'delete', skip: [profile], language: 'en' })
  for (const step of ['backup.title', 'programs.title', 'permission.title', 'apply.titleRemove'] as const) {
    await page.getByRole('button', { name: t('wizard.continue') }).click()
    await expect(page.getByRole('heading', { level: 2, name: t(step) })).toBeFocused()
    expect(await hiddenInPage(page)).toEqual([])
  }
  await page.getByRole('button', { name: t('apply.removeNow') }).click()
  await expect(page.getByRole('heading', { level: 2, name: t('verify.title') })).toBeFocused()
  await expectShownOnPage(page, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩'])

  // Undo, then the history: the change's title and places.
  await page.getByRole('button', { name: t('wizard.continue') }).click()
  await page.getByRole('button', { name: t('done.undo') }).click()
  // The undo confirmation shows the same names: with their tricks visible, checked like every screen.
  const confirm = page.getByRole('alertdialog', { name: t('undoConfirm.title') })
  await expect(confirm).toBeVisible()
  await expectShownOnPage(page, ['⟨U+202E⟩'])
  await confirm.getByRole('button', { name: t('undoConfirm.confirm') }).click()
  await expect(page.getByText(t('outcome.undoOk'))).toBeVisible()
  await expectShownOnPage(page, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩'])
  await page.getByRole('button', { name: t('nav.history') }).click()
  await expect(page.locator('.change-card')).toHaveCount(1)
  await expectShownOnPage(page, ['Evil⟨U+001B⟩[2J', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩'])
  expect(app.errors).toEqual([])
})
