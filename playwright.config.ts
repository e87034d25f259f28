/**
 * End-to-end tests of the window (tests/e2e): the built renderer (dist/renderer, from file://) in
 * Debian's own Chromium, bridged to the real engine over temp homes and system roots. Playwright never
 * downloads a browser here; without Chromium the tests skip and say why (tests/e2e/support/chromium.ts).
 */
import { defineConfig } from '@playwright/test'
import { delimiter, dirname } from 'node:path'
import { CHROMIUM_ARGS, chromiumPath } from './tests/e2e/support/chromium.js'

// Programs the tests start by name (npm is a `#!/usr/bin/env node` script) run on the Node.js that runs the
// tests, never on an older one further along PATH.
process.env.PATH = [dirname(process.execPath), process.env.PATH].join(delimiter)

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'dist/e2e-results',
  fullyParallel: true,
  workers: 2,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['./tests/e2e/support/summary-reporter.ts']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: { ...(chromiumPath ? { executablePath: chromiumPath } : {}), args: [...CHROMIUM_ARGS] },
    acceptDownloads: true,
    trace: 'off',
  },
})
