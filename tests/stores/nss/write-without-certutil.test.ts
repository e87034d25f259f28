/**
 * Firefox and Thunderbird profiles where NSS's certutil is absent (src/stores/nss/write.ts): Windows
 * (always: its `certutil` is Windows' own tool), macOS without Homebrew's nss, Linux without
 * libnss3-tools. On a simulated machine of each (the Environment's platform, the profile in a temp
 * home), the whole way through the removal engine: the scan finds the root, the plan offers delete or
 * distrust (not "by hand"), the change is verified by re-reading, undo puts every row back; the real
 * certutil (this Linux machine's) is the oracle on the result. Also the plan and the refusal while
 * Firefox runs, and macOS with Homebrew's certutil, which keeps NSS's own tool.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { publicRootsFrom } from '../../../src/audit/references.js'
import { applyPlan } from '../../../src/removal/engine.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { undoChange } from '../../../src/removal/undo.js'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import type { RemovalMode } from '../../../src/stores/types.js'
import { blocklistWith } from '../../support/blocklists.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutilInstalled, makeNssDb, runnerWithoutCertutil } from './fixtures.js'
import { dumps, listing, sqlite3Installed, SQLITE3_ABSENT_REASON, trustBySha256 } from './oracle.js'

const ready = certutilInstalled && sqlite3Installed
const reason = !certutilInstalled ? CERTUTIL_ABSENT_REASON : SQLITE3_ABSENT_REASON
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['O', 'Qaznet'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Root To Keep']] })
const blocklist = blocklistWith(qaznet, { id: 'test-qaznet', category: 'government-interception', severity: 'critical' })

interface Machine {
  readonly name: string
  readonly platform: NodeJS.Platform
  /** The profile root (profiles.ini) and the profile folder in it, under the home. */
  readonly root: string
  readonly profile: string
  readonly program: 'Firefox' | 'Thunderbird'
  /** The command runner: this machine's tools, certutil absent where it is. */
  readonly run?: () => CommandRunner
}

const MACHINES: readonly Machine[] = [
  { name: 'Windows', platform: 'win32', root: 'AppData/Roaming/Mozilla/Firefox', profile: 'Profiles/abcd1234.default-release', program: 'Firefox' },
  { name: 'macOS', platform: 'darwin', root: 'Library/Application Support/Firefox', profile: 'Profiles/x1y2.default-release', program: 'Firefox', run: () => runnerWithoutCertutil().run },
  { name: 'macOS (Thunderbird)', platform: 'darwin', root: 'Library/Thunderbird', profile: 'Profiles/m4il.default', program: 'Thunderbird', run: () => runnerWithoutCertutil().run },
  { name: 'Linux without libnss3-tools', platform: 'linux', root: '.mozilla/firefox', profile: 'q9.default-release', program: 'Firefox', run: () => runnerWithoutCertutil().run },
]

/** A home with one profile holding the Qaznet root and a root to keep, as `machine` lays it out. */
function plant(machine: Machine): { env: Environment; db: string } {
  const home = tempDir()
  const root = join(home, machine.root)
  const db = makeNssDb(join(root, machine.profile), [
    { nickname: 'Qaznet Trust Network', trust: 'CT,C,C', cert: qaznet },
    { nickname: 'Root To Keep', trust: 'CT,C,C', cert: keeper },
  ])
  writeFileSync(join(root, 'profiles.ini'), `[Profile0]\nName=default\nIsRelative=1\nPath=${machine.profile}\nDefault=1\n`)
  const env = createEnvironment({ home, systemRoot: '/', env: {}, platform: machine.platform, ...(machine.run ? { run: machine.run() } : {}) })
  return { env, db }
}

async function planFor(env: Environment, mode: RemovalMode) {
  const report = await scan({ kinds: ['nss'] }, { env, blocklist, publicRoots: publicRootsFrom('none', []) })
  const finding = report.findings.find((f) => f.certificate.sha256 === qaznet.sha256)
  if (!finding) throw new Error(`the root was not found: ${JSON.stringify(report.stores)}`)
  return planRemoval(report, [finding.id], mode, env)
}

describe.skipIf(!ready)(`Firefox and Thunderbird profiles without NSS's certutil, through the removal engine${ready ? '' : ` (skipped: ${reason})`}`, () => {
  for (const machine of MACHINES) {
    for (const mode of ['delete', 'distrust'] as const) {
      it(`${machine.name}: the plan offers ${mode}, the change is verified by re-reading, and undo puts every row back`, async () => {
        const { env, db } = plant(machine)
        const before = { dumps: dumps(db), listing: listing(db) }
        const plan = await planFor(env, mode)
        expect(plan.changes.map((c) => [c.target.location, c.action, c.needsAdmin, c.instructions])).toEqual([[db, mode, false, undefined]])
        const ctx = { env, elevation: createElevation(env) }
        const applied = await applyPlan(plan, ctx)
        expect(applied.results.map((r) => [r.status, r.detail])).toEqual([[mode === 'delete' ? 'removed' : 'distrusted', undefined]])
        // The real certutil reads what the change left.
        expect(trustBySha256(db)).toEqual(new Map([[keeper.sha256, 'CT'], ...(mode === 'delete' ? [] : [[qaznet.sha256, ''] as const])]))
        const undone = await undoChange(plan.id, ctx)
        expect(undone.results.map((r) => [r.status, r.detail])).toEqual([['restored', undefined]])
        expect(dumps(db)).toEqual(before.dumps)
        expect(listing(db)).toEqual(before.listing)
      })
    }
  }

  it(`Windows: the plan asks to close ${MACHINES[0]!.program} while it holds parent.lock, and the change is refused until it quits`, async () => {
    const { env, db } = plant(MACHINES[0]!)
    // Firefox holds parent.lock with no sharing: here a folder by that name, which cannot be opened for writing either.
    mkdirSync(join(db, 'parent.lock'))
    const before = dumps(db)
    const plan = await planFor(env, 'delete')
    expect(plan.changes[0]).toMatchObject({ action: 'delete', runningProgram: 'Firefox', warning: expect.stringContaining(`Firefox has this profile open (${join(db, 'parent.lock')}): close Firefox, then run the change.`) })
    const applied = await applyPlan(plan, { env, elevation: createElevation(env) })
    expect(applied.results.map((r) => r.status)).toEqual(['failed'])
    expect(applied.results[0]!.detail).toContain('Firefox has this profile open')
    expect(dumps(db)).toEqual(before)
  })

  it("macOS with Homebrew's nss keeps NSS's own certutil, and Windows never runs a program called certutil", async () => {
    const brewed: string[][] = []
    const recording: CommandRunner = (command, args, options) => (brewed.push([command, ...args]), runCommand(command, args, options))
    const mac = plant({ ...MACHINES[1]!, run: () => recording })
    const plan = await planFor(mac.env, 'delete')
    const applied = await applyPlan(plan, { env: mac.env, elevation: createElevation(mac.env) })
    expect(applied.results.map((r) => r.status)).toEqual(['removed'])
    expect(brewed).toContainEqual(['certutil', '-D', '-d', `sql:${mac.db}`, '-n', 'NSS Certificate DB:Qaznet Trust Network'])
    const { run, calls } = runnerWithoutCertutil()
    const windows = plant({ ...MACHINES[0]!, run: () => run })
    const windowsPlan = await planFor(windows.env, 'distrust')
    expect((await applyPlan(windowsPlan, { env: windows.env, elevation: createElevation(windows.env) })).results.map((r) => r.status)).toEqual(['distrusted'])
    expect(calls.filter(([command]) => command === 'certutil')).toEqual([])
  })
})
