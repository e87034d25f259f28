/**
 * The computer's shared NSS database, /etc/pki/nssdb (Fedora and RHEL make it; programs using NSS
 * without a profile read it): a root added there with certutil is found, named as that database, and
 * removed with NSS's certutil (verified by re-reading, undone row for row). Without certutil, nothing
 * tells whether a program has it open, so CertAudit's own writer leaves it alone and the plan says how
 * to go on. Before, /etc/pki/nssdb was not looked at: a root there gave an all-clear.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { publicRootsFrom } from '../../../src/audit/references.js'
import { applyPlan } from '../../../src/removal/engine.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { undoChange } from '../../../src/removal/undo.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { blocklistWith } from '../../support/blocklists.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutilInstalled, makeNssDb, runnerWithoutCertutil } from './fixtures.js'
import { dumps, sqlite3Installed, SQLITE3_ABSENT_REASON, trustBySha256 } from './oracle.js'

const ready = certutilInstalled && sqlite3Installed
const reason = !certutilInstalled ? CERTUTIL_ABSENT_REASON : SQLITE3_ABSENT_REASON
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Root To Keep']] })
const blocklist = blocklistWith(qaznet, { id: 'test-qaznet', category: 'government-interception', severity: 'critical' })

function plant(options: { withoutCertutil?: boolean } = {}): { env: Environment; db: string } {
  const root = tempDir('certaudit-shared-nssdb-')
  const db = makeNssDb(join(root, 'etc/pki/nssdb'), [
    { nickname: 'Qaznet Trust Network', trust: 'CT,C,C', cert: qaznet },
    { nickname: 'Root To Keep', trust: 'CT,C,C', cert: keeper },
  ])
  const env = createEnvironment({ home: join(root, 'home/user'), systemRoot: root, env: {}, ...(options.withoutCertutil ? { run: runnerWithoutCertutil().run } : {}) })
  return { env, db }
}

async function findingIn(env: Environment) {
  const report = await scan({ kinds: ['nss'] }, { env, blocklist, publicRoots: publicRootsFrom('none', []) })
  return { report, finding: report.findings.find((f) => f.certificate.sha256 === qaznet.sha256) }
}

describe.skipIf(!ready)(`the shared NSS database /etc/pki/nssdb${ready ? '' : ` (skipped: ${reason})`}`, () => {
  it('is found and named as the computer’s, and its root is critical', async () => {
    const { env, db } = plant()
    const { report, finding } = await findingIn(env)
    expect(report.stores).toEqual([expect.objectContaining({ id: `nss:${db}`, kind: 'nss', location: db, status: 'ok', facts: { program: 'system' } })])
    expect(report.verdict.level).toBe('critical')
    expect(finding?.locations).toEqual([expect.objectContaining({ location: db, entry: 'Qaznet Trust Network', trust: 'trusted' })])
  })

  for (const mode of ['delete', 'distrust'] as const) {
    it(`${mode}: NSS's certutil changes it, the change is verified, and undo gives it back its trust`, async () => {
      const { env, db } = plant()
      const trustBefore = trustBySha256(db)
      const { report, finding } = await findingIn(env)
      const plan = await planRemoval(report, [finding!.id], mode, env)
      expect(plan.changes.map((c) => [c.target.location, c.action])).toEqual([[db, mode]])
      const ctx = { env, elevation: createElevation(env) }
      expect((await applyPlan(plan, ctx)).results.map((r) => r.status)).toEqual([mode === 'delete' ? 'removed' : 'distrusted'])
      expect(trustBySha256(db).get(keeper.sha256)).toBe('CT')
      expect(trustBySha256(db).get(qaznet.sha256)).toBe(mode === 'delete' ? undefined : '')
      expect((await undoChange(plan.id, ctx)).results.map((r) => r.status)).toEqual(['restored'])
      // certutil puts it back under its nickname with its trust (NSS chooses new row ids).
      expect(trustBySha256(db)).toEqual(trustBefore)
    })
  }

  it('without certutil it is still read (directly), and the plan says to install certutil rather than swap a file something may use', async () => {
    const { env, db } = plant({ withoutCertutil: true })
    const before = dumps(db)
    const { report, finding } = await findingIn(env)
    expect(finding?.locations.map((l) => l.location)).toEqual([db])
    const plan = await planRemoval(report, [finding!.id], 'delete', env)
    expect(plan.changes[0]).toMatchObject({ action: 'manual', instructions: expect.stringContaining('only with NSS’s own certutil') })
    expect((await applyPlan(plan, { env, elevation: createElevation(env) })).results.map((r) => r.status)).not.toContain('removed')
    expect(dumps(db)).toEqual(before)
  })
})
