import { delimiter, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Programs the tests start by name (tsx and npm are `#!/usr/bin/env node` scripts) run on the Node.js that
// runs the tests, never on an older one further along PATH.
process.env.PATH = [dirname(process.execPath), process.env.PATH].join(delimiter)

export default defineConfig({
  resolve: {
    // No test runs inside Electron, and since Electron 42 importing the real `electron` package downloads
    // its binary: every test that reaches `electron` (electron/ipc.ts imports ipcMain) gets the stand-in
    // that package:check and the bench also use. A test can still vi.mock('electron') with its own.
    alias: { electron: fileURLToPath(new URL('./scripts/lib/electron-stand-in.mjs', import.meta.url)) },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Tests build real stores with real tools (openssl, certutil, keytool): give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
