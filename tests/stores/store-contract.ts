/**
 * The contract every trust store adapter keeps, as one suite run against each of them: the Linux
 * ones on real stores made by the real tools (certutil, update-ca-certificates, keytool), the Windows
 * and macOS ones on simulated machines that answer with recorded output. Changes go through the
 * removal engine (applyPlan/undoChange), which verifies each one by re-listing the store, so the
 * suite checks what a user relies on: list, backup, remove, distrust, restore, verify, bad output.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { applyPlan, undoChange, type RemovalContext } from '../../src/removal/engine.js'
import type { RemovalPlan } from '../../src/removal/journal.js'
import { STORES } from '../../src/stores/registry.js'
import type { Environment } from '../../src/stores/shared/environment.js'
import { StoreError, type Elevation, type EntryTarget, type ListItem, type RemovalMode, type StoreAdapter, type StoreLocation } from '../../src/stores/types.js'
import type { MadeCertificate } from '../support/certificates.js'

/** One adapter, set up on a fresh store holding one trusted certificate. */
export interface ContractWorld {
  readonly env: Environment
  readonly elevation: Elevation
  readonly adapter: StoreAdapter
  readonly location: StoreLocation
  readonly planted: Pick<MadeCertificate, 'sha256' | 'pem' | 'der'>
  /** Makes the store's tool (or, where no tool runs, the adapter) report success without changing anything. */
  readonly lie: () => { readonly adapter?: StoreAdapter; readonly elevation?: Elevation } | void
  /** Damages the store or what its tool prints. */
  readonly garble: () => void | Promise<void>
  /** What the problem or error must say about the damage. */
  readonly garbled: RegExp
}

type Entry = Extract<ListItem, { type: 'entry' }>

async function listAll(world: ContractWorld): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of world.adapter.list(world.location, world.env)) items.push(item)
  return items
}

async function plantedEntries(world: ContractWorld): Promise<Entry[]> {
  return (await listAll(world)).filter((i): i is Entry => i.type === 'entry' && createHash('sha256').update(i.der).digest('hex') === world.planted.sha256)
}

/** The target a removal plan would name for the planted certificate. */
async function targetOf(world: ContractWorld): Promise<EntryTarget> {
  const [entry] = await plantedEntries(world)
  if (!entry) throw new Error('the planted certificate is not listed')
  const { id: storeId, kind, location } = world.location
  return { storeId, kind, location, entry: entry.entry, sha256: world.planted.sha256, pem: world.planted.pem, trust: entry.trust, ...(entry.origin ? { origin: entry.origin } : {}) }
}

let plans = 0

async function change(world: ContractWorld, mode: RemovalMode, override: { adapter?: StoreAdapter; elevation?: Elevation } = {}) {
  const target = await targetOf(world)
  const adapter = override.adapter ?? world.adapter
  const can = await adapter.capabilities(target, world.env)
  const plan: RemovalPlan = {
    id: `20260101T000000Z-${(++plans).toString(16).padStart(4, '0')}`,
    createdAt: new Date().toISOString(),
    mode,
    findings: [{ id: world.planted.sha256.slice(0, 16), sha256: world.planted.sha256, title: 'planted' }],
    changes: [{ target, action: mode, needsAdmin: can.needsAdmin }],
  }
  const stores = (adapter: StoreAdapter) => ({ ...STORES, [world.location.kind]: adapter })
  const ctx: RemovalContext = { env: world.env, stores: stores(adapter), elevation: override.elevation ?? world.elevation }
  const applied = await applyPlan(plan, ctx)
  return { target, applied, undo: () => undoChange(plan.id, { ...ctx, stores: stores(world.adapter), elevation: world.elevation }) }
}

/** The contract suite for one adapter. `modes`: what the adapter offers for the planted entry. */
export function storeContract(
  name: string,
  modes: readonly RemovalMode[],
  makeWorld: () => Promise<ContractWorld>,
  options: {
    readonly distrustKeepsEntry?: boolean
    /** What of an entry's name survives an undo, where the store's tool cannot put the rest back. */
    readonly undoLosesName?: (entry: string) => string
  } = {},
): void {
  describe(`store contract: ${name}`, () => {
    it('lists the planted certificate as trusted, and offers exactly its modes', async () => {
      const world = await makeWorld()
      expect((await plantedEntries(world)).map((e) => e.trust)).toEqual(['trusted'])
      expect([...(await world.adapter.capabilities(await targetOf(world), world.env)).modes].sort()).toEqual([...modes].sort())
    })

    it('backs up the very certificate (by SHA-256), as JSON that reads back the same', async () => {
      const world = await makeWorld()
      const target = await targetOf(world)
      const backup = await world.adapter.backup(target, world.env)
      expect(createHash('sha256').update(new X509Certificate(backup.exportedPem).raw).digest('hex')).toBe(world.planted.sha256)
      expect(JSON.parse(JSON.stringify(backup))).toEqual(backup)
    })

    for (const mode of modes) {
      it(`${mode === 'delete' ? 'deletes' : 'distrusts'} it (verified by re-listing), and undo puts it back as it was`, async () => {
        const world = await makeWorld()
        const before = await plantedEntries(world)
        const { applied, undo } = await change(world, mode)
        const [result] = applied.results
        if (mode === 'delete') {
          expect([result!.status, result!.detail]).toEqual(['removed', undefined])
          expect(await plantedEntries(world)).toEqual([])
        } else {
          // A store may distrust by marking the entry (Windows, macOS: "distrusted"; NSS: no trust flags left)
          // or by taking it out of what is trusted (a Debian local anchor leaves the bundle): never trusted after.
          expect(options.distrustKeepsEntry ? ['distrusted'] : ['distrusted', 'removed']).toContain(result!.status)
          expect(result!.detail).toBeUndefined()
          const left = (await plantedEntries(world)).map((e) => e.trust)
          expect(left.filter((trust) => trust === 'trusted')).toEqual([])
          if (options.distrustKeepsEntry) expect(left).toEqual(['distrusted'])
        }
        const undone = await undo()
        expect(undone.results.map((r) => [r.status, r.detail])).toEqual([['restored', undefined]])
        expect((await plantedEntries(world)).map((e) => e.trust)).toEqual(['trusted'])
        // As it was: the same bytes, entry (nickname, alias, file), trust and origin, not only trusted again.
        const named = (entries: readonly Entry[]) => (options.undoLosesName ? entries.map((e) => ({ ...e, entry: options.undoLosesName!(e.entry) })) : entries)
        expect(named(await plantedEntries(world))).toEqual(named(before))
      })
    }

    it('reports still-present when the tool says it succeeded but the certificate is still there', async () => {
      const world = await makeWorld()
      const { applied } = await change(world, modes[0]!, world.lie() ?? {})
      expect(applied.results.map((r) => r.status)).toEqual(['still-present'])
      expect(applied.results[0]!.detail).toMatch(/reported success, but the certificate is still trusted/)
      expect(applied.ok).toBe(false)
    })

    it('turns a damaged store or unexpected tool output into a clear problem', async () => {
      const world = await makeWorld()
      await world.garble()
      let said: string
      try {
        said = (await listAll(world)).flatMap((i) => (i.type === 'problem' ? [i.message] : [])).join('\n')
      } catch (error) {
        expect(error).toBeInstanceOf(StoreError)
        said = (error as Error).message
      }
      expect(said).toMatch(world.garbled)
    })
  })
}
