import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Tests build real stores with real tools (openssl, certutil, keytool): give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
