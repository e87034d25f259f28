/**
 * Prints one plain closing line, "playwright: N passed, N failed, N skipped", that CI reads to count
 * the end-to-end tests (the last suite `npm test` runs).
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestResult['status']>()

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, result.status) // the last retry decides
  }

  onEnd(result: FullResult): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const status of this.outcomes.values()) {
      if (status === 'passed') counts.passed++
      else if (status === 'skipped') counts.skipped++
      else counts.failed++
    }
    if (result.status === 'failed' && counts.failed === 0) counts.failed = 1 // a run that failed outside any test
    process.stdout.write(`\nplaywright: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`)
  }
}
