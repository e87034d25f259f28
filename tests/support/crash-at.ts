/**
 * Crash injection for tests: the CLI's journal hook that kills the process with SIGKILL, as a power
 * cut would, right after the journal record `fault` names is on disk: a step (`applied`), or its n-th
 * record in this run (`applied:3`). The product itself has no such code: tests hand this hook to
 * `main(argv, io, hooks)` (tests/support/crashing-cli.mjs, tests/e2e/support/crash-remove.ts).
 */
export function crashAfter(fault: string | undefined): { onJournalRecord?: (record: { readonly step: string }) => void } {
  if (!fault) return {}
  const [step, nth = '1'] = fault.split(':')
  let seen = 0
  return {
    onJournalRecord(record) {
      if (record.step === step && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL')
    },
  }
}
