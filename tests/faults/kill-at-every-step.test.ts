/**
 * kill -9 at every journal step of a removal and of an undo (CERTAUDIT_FAULT=<step>[:n] makes the CLI
 * SIGKILL itself right after the journal records the n-th such step, as a power cut would), on a
 * machine with the root in a Firefox profile and as a Debian anchor. After each kill nothing is
 * lost: a new removal is refused and explained, `resume` finishes the change, `undo` brings back
 * every store exactly as it was (anchor bytes, NSS trust flags), and an interrupted undo is finished
 * by the next one.
 */
import { describe, expect, it } from 'vitest'
import type { ChangeReport } from '../../src/removal/engine.js'
import { cli, FAULT_TOOLS_REASON, faultToolsReady, findingId, fingerprint, plantMachine, runBin, type Machine } from './machine.js'

/** Every record a removal of two entries writes, at the first entry and at the last. */
const REMOVAL_STEPS = ['planned', 'backed-up:1', 'backed-up:2', 'applying:1', 'applying:2', 'applied:1', 'applied:2', 'verified:1', 'verified:2', 'done'] as const
/** Every record an undo of two entries writes. */
const UNDO_STEPS = ['undo-started', 'restoring:1', 'restoring:2', 'restored:1', 'restored:2', 'undo-done'] as const

async function history(machine: Machine): Promise<{ id: string; state: string }[]> {
  return JSON.parse((await cli(machine, ['history', '--json'])).stdout) as { id: string; state: string }[]
}

describe('kill -9 at every journal step', () => {
  if (!faultToolsReady) {
    it.skip(`skipped: ${FAULT_TOOLS_REASON}`, () => {})
    return
  }

  it.concurrent.each(REMOVAL_STEPS)('removal killed after "%s": refused, resumed, undone, nothing lost', async (step) => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    expect(before.trustedIn).toEqual(['linux-system', 'nss'])

    const killed = await runBin(machine, ['remove', '--finding', findingId, '--yes'], { CERTAUDIT_FAULT: step })
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    const [change] = await history(machine)
    expect(change?.state).toBe(step === 'done' ? 'done' : 'interrupted')

    if (step !== 'done') {
      const refused = await cli(machine, ['remove', '--finding', findingId, '--yes'])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(`Change ${change!.id} was interrupted`)
      const resumed = await cli(machine, ['resume', '--json'])
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
      expect((JSON.parse(resumed.stdout) as ChangeReport).results.map((r) => r.status)).toEqual(['removed', 'removed'])
    }
    expect((await fingerprint(machine)).trustedIn).toEqual([])

    const undone = await cli(machine, ['undo', '--yes', '--json'])
    expect(undone.code, undone.stdout + undone.stderr).toBe(0)
    expect(await fingerprint(machine)).toEqual(before)
  })

  it.concurrent.each(REMOVAL_STEPS.filter((s) => s !== 'planned' && s !== 'done'))('removal killed after "%s": undo alone rolls it back', async (step) => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    expect((await runBin(machine, ['remove', '--finding', findingId, '--yes'], { CERTAUDIT_FAULT: step })).signal).toBe('SIGKILL')
    const undone = await cli(machine, ['undo', '--yes', '--json'])
    expect(undone.code, undone.stdout + undone.stderr).toBe(0)
    expect(await fingerprint(machine)).toEqual(before)
    expect((await history(machine))[0]?.state).toBe('undone')
  })

  it.concurrent.each(UNDO_STEPS)('undo killed after "%s": the next undo finishes it, nothing lost', async (step) => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    expect((await cli(machine, ['remove', '--finding', findingId, '--yes'])).code).toBe(0)
    const killed = await runBin(machine, ['undo', '--yes'], { CERTAUDIT_FAULT: step })
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    expect((await history(machine))[0]?.state).toBe(step === 'undo-done' ? 'undone' : 'undo-interrupted')
    const again = await cli(machine, ['undo', '--yes'])
    // After "undo-done" the undo had finished: there is nothing left to undo, and the CLI says so.
    if (step === 'undo-done') expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('There is no change to undo') })
    else expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(await fingerprint(machine)).toEqual(before)
  })
})
