/**
 * Two scans and a removal at once, in one process (as the app can: a scan running when the user
 * confirms a removal) and as separate CLI processes (a fleet script, a user in a terminal): the
 * change lock lets one removal run at a time, a second is refused in words or finds nothing left to
 * do, scans read a store mid-change without failing, and the end state is the planned one.
 */
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { applyPlan } from '../../src/removal/engine.js'
import { history } from '../../src/removal/history.js'
import { planRemoval } from '../../src/removal/plan.js'
import { createElevation } from '../../src/stores/index.js'
import { FAULT_TOOLS_REASON, faultToolsReady, findingId, fingerprint, plantMachine, qaznet, runBin, scanMachine } from './machine.js'

/** A scan that ran while the stores changed: whole, every problem in words, the root found or not. */
function expectWholeReport(report: ScanReport): void {
  expect(report.stores.map((s) => s.kind).sort()).toEqual(['linux-system', 'nss'])
  for (const problem of report.problems) expect(problem).toMatchObject({ code: expect.any(String), message: expect.any(String) })
  for (const finding of report.findings) expect(finding.certificate.sha256).toBe(qaznet.sha256)
}

describe('two scans and a removal at once', () => {
  if (!faultToolsReady) {
    it.skip(`skipped: ${FAULT_TOOLS_REASON}`, () => {})
    return
  }

  it('in one process: both scans finish with whole reports, the removal ends as planned', async () => {
    const machine = plantMachine()
    const plan = await planRemoval(await scanMachine(machine), [findingId], 'delete', machine.env)
    const ctx = { env: machine.env, elevation: createElevation(machine.env) }
    const [first, second, removal] = await Promise.all([scanMachine(machine), scanMachine(machine), applyPlan(plan, ctx)])
    expectWholeReport(first)
    expectWholeReport(second)
    expect(removal.results.map((r) => r.status)).toEqual(['removed', 'removed'])
    expect((await fingerprint(machine)).trustedIn).toEqual([])
  })

  it('as processes: two removals and two scans at once; one removal runs, the other is refused or finds nothing to do', async () => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    const runs = await Promise.all([
      runBin(machine, ['remove', '--finding', findingId, '--yes', '--json']),
      runBin(machine, ['remove', '--finding', findingId, '--yes', '--json']),
      runBin(machine, ['scan', '--json']),
      runBin(machine, ['scan', '--json']),
    ])
    const [a, b, scanA, scanB] = runs
    for (const scan of [scanA!, scanB!]) {
      expect([0, 1], scan.stderr).toContain(scan.code)
      expectWholeReport(JSON.parse(scan.stdout) as ScanReport)
    }
    const outcomes = [a!, b!].map((run) => {
      if (run.code === 2) {
        // Refused: the lock was held, or the other's change was still unfinished when this one looked.
        expect(run.stderr).toMatch(/Another CertAudit change is in progress|was interrupted before it finished/)
        return 'refused'
      }
      expect(run.code, run.stderr + run.stdout).toBe(0)
      const { result } = JSON.parse(run.stdout) as { result: { changeId: string; results: { status: string; detail?: string }[] } | null }
      // Ran second, after the first had removed everything: nothing left to plan.
      if (result === null) return 'nothing-to-do'
      // Planned from a scan made before the first change, applied after it: each entry is found gone, and
      // re-reading the store shows it is, so nothing needed changing.
      for (const r of result.results) if (r.status === 'skipped') expect(r.detail).toMatch(/^Nothing needed changing: .* Re-reading the store shows it is not there\.$/)
      return `${result.results.map((r) => r.status).join(',')} ${result.changeId}`
    })
    const removing = outcomes.filter((o) => o.startsWith('removed,removed '))
    expect(removing).toHaveLength(1)
    for (const other of outcomes.filter((o) => !o.startsWith('removed,removed '))) expect(other).toMatch(/^(refused|nothing-to-do|skipped,skipped \S+)$/)
    expect((await fingerprint(machine)).trustedIn).toEqual([])
    expect((await history(machine.env)).every((c) => c.state === 'done')).toBe(true)
    // And the change that removed it is undone whole.
    const undone = await runBin(machine, ['undo', '--yes', '--change', removing[0]!.split(' ')[1]!])
    expect(undone.code, undone.stdout + undone.stderr).toBe(0)
    expect(await fingerprint(machine)).toEqual(before)
  })
})
