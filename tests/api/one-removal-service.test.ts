/**
 * The window and the command line are one removal service (src/api): the rules the CLI alone kept
 * (refuse a new removal while another change is interrupted; --skip by location or store id) now
 * hold for the window's channels too, and the CLI gets them from the same place.
 */
import { describe, expect, it } from 'vitest'
import { createCertAuditApi, type ApiHandlers } from '../../src/api/certaudit-api.js'
import { ChangeInterruptedError } from '../../src/removal/engine.js'
import { Journal } from '../../src/removal/journal.js'
import { changeDir } from '../../src/removal/data-dir.js'
import { FAULT_TOOLS_REASON, faultToolsReady, findingId, plantMachine, type Machine } from '../faults/machine.js'

/** A change whose journal stops after its plan: interrupted, as a crash would leave it. */
async function interruptedChange(machine: Machine): Promise<string> {
  const api = createCertAuditApi({ env: machine.env, version: 'test' })
  await api.handle('scan:start', { language: 'en' })
  const plan = await api.handle('removal:plan', { findingIds: [findingId], mode: 'delete' })
  const { backupDir: _dir, ...journaled } = plan
  const journal = await Journal.open(changeDir(machine.env, plan.id))
  await journal.append({ step: 'planned', at: new Date().toISOString(), plan: journaled })
  return plan.id
}

describe.skipIf(!faultToolsReady)(`one removal service for the window and the command line${faultToolsReady ? '' : ` (skipped: ${FAULT_TOOLS_REASON})`}`, () => {
  it('refuses a new removal from the window while another change is interrupted, at planning and at applying', async () => {
    const machine = plantMachine()
    const api = createCertAuditApi({ env: machine.env, version: 'test' })
    await api.handle('scan:start', { language: 'en' })
    const plan = await api.handle('removal:plan', { findingIds: [findingId], mode: 'delete' })
    const stuck = await interruptedChange(machine)

    await expect(api.handle('removal:plan', { findingIds: [findingId], mode: 'delete' })).rejects.toBeInstanceOf(ChangeInterruptedError)
    // A plan made before the other change stopped is refused too: the engine checks under its lock.
    const refused = await api.handle('removal:apply', { planId: plan.id }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ChangeInterruptedError)
    expect((refused as Error).message).toContain(`Change ${stuck} was interrupted`)

    // Once it is rolled back, removals go on.
    await expect(api.handle('removal:undo', { changeId: stuck })).resolves.toMatchObject({ ok: true })
    const again = await api.handle('removal:plan', { findingIds: [findingId], mode: 'delete' })
    await expect(api.handle('removal:apply', { planId: again.id })).resolves.toMatchObject({ ok: true })
  })

  it('leaves out the places the user unticked, named by location or by store id, in the window as in the CLI', async () => {
    const machine = plantMachine()
    const api = createCertAuditApi({ env: machine.env, version: 'test' })
    await api.handle('scan:start', { language: 'en' })
    const all = await api.handle('removal:plan', { findingIds: [findingId], mode: 'delete' })
    const places = all.changes.map((c) => c.target)
    expect(places.map((t) => t.kind).sort()).toEqual(['linux-system', 'nss'])
    const nss = places.find((t) => t.kind === 'nss')!
    for (const skip of [nss.location, nss.storeId]) {
      const plan = await api.handle('removal:plan', { findingIds: [findingId], mode: 'delete', skip: [skip] })
      expect(plan.changes.map((c) => c.target.kind), skip).toEqual(['linux-system'])
    }
  })
})

describe('handlers typed from the contract', () => {
  it('does not compile a handler whose request or response is not the contract’s (checked by npm run typecheck)', () => {
    // @ts-expect-error removal:plan's request has findingIds, not planId
    const wrongRequest: ApiHandlers['removal:plan'] = async (request: { planId: string }) => ({ ...({} as never), request })
    // @ts-expect-error history:list answers a list of changes, not a string
    const wrongResponse: ApiHandlers['history:list'] = async () => 'no history'
    expect([typeof wrongRequest, typeof wrongResponse]).toEqual(['function', 'function'])
  })
})
