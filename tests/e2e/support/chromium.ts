import { existsSync } from 'node:fs'

/** Debian's Chromium (apt-get install chromium); Playwright's own browsers are never downloaded. */
export const chromiumPath: string | null = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path)) ?? null

export const CHROMIUM_ABSENT_REASON = 'Chromium is not installed (apt-get install chromium): looked for /usr/lib/chromium/chromium and /usr/bin/chromium'

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] as const

if (!chromiumPath) console.warn(`[skipped] end-to-end tests: ${CHROMIUM_ABSENT_REASON}`)
