/**
 * Prints one plain closing line, "vitest: N passed, N failed, N skipped", that CI reads to count
 * the tests run. Vitest's own summary stays as it is.
 */
import type { Reporter, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly unknown[]): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else counts.skipped++
      }
      // A file that failed to load has no tests to count: count it as a failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++
    }
    counts.failed += unhandledErrors.length
    process.stdout.write(`\nvitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`)
  }
}
