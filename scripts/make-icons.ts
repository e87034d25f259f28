/**
 * `npm run icons`: renders resources/icons/icon.svg into the PNGs the installers need, with Debian's
 * Chromium through Playwright (never a downloaded browser):
 *
 * - resources/icons/icon.png, 1024 px: electron-builder converts it to .icns (macOS) and .ico (Windows);
 * - resources/icons/linux/<N>x<N>.png: the hicolor sizes the AppImage, deb and rpm install.
 *
 * Each size is the SVG drawn as an <img> of that size, so the SVG's own media query (32 px or less: one
 * bold check instead of the seal) applies. The PNGs are committed; run this after changing the SVG.
 */
import { chromium } from '@playwright/test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_ABSENT_REASON, CHROMIUM_ARGS, chromiumPath } from '../tests/e2e/support/chromium.js'
import { LINUX_ICON_SIZES } from './lib/icon-sizes.js'

const ICONS = fileURLToPath(new URL('../resources/icons/', import.meta.url))
if (!chromiumPath) throw new Error(`cannot render the icons: ${CHROMIUM_ABSENT_REASON}`)

const svg = readFileSync(join(ICONS, 'icon.svg'))
const src = `data:image/svg+xml;base64,${svg.toString('base64')}`
const browser = await chromium.launch({ executablePath: chromiumPath, args: [...CHROMIUM_ARGS] })
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 })
  /** The SVG drawn by Chromium at exactly size × size pixels, on a transparent background. */
  const render = async (size: number): Promise<Buffer> => {
    await page.setViewportSize({ width: size, height: size })
    // setContent resolves on the load event, which waits for the image.
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`)
    return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
  }
  mkdirSync(join(ICONS, 'linux'), { recursive: true })
  for (const size of LINUX_ICON_SIZES) {
    const png = await render(size)
    writeFileSync(join(ICONS, 'linux', `${size}x${size}.png`), png)
    if (size === 1024) writeFileSync(join(ICONS, 'icon.png'), png)
  }
  process.stdout.write(`rendered icon.png and linux/{${LINUX_ICON_SIZES.map((n) => `${n}x${n}`).join(',')}}.png in ${ICONS}\n`)
} finally {
  await browser.close()
}
