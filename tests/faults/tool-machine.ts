/**
 * The machine of the kills-inside-tools tests: the Qaznet look-alike in a Firefox profile (with a root
 * to keep, trusted for everything) and as a Debian local anchor (with another local anchor and two
 * distribution roots, whose name and hash links in /etc/ssl/certs are what a kill inside
 * update-ca-certificates --fresh takes away). `storeState` is everything a change may touch, as
 * text: two machines in the same state give the same text, whatever their temp folders.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import { scan } from '../../src/api/scan.js'
import type { RemovalPlan } from '../../src/removal/journal.js'
import { planRemoval } from '../../src/removal/plan.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { buildDebianTree } from '../support/system-root.js'
import { snapshotTree } from '../support/tree-snapshot.js'
import { makeNssDb } from '../stores/nss/fixtures.js'
import { faultTempDir, qaznet } from './machine.js'

const root = (cn: string) => makeCertificate({ subject: [['O', 'Tool crash test'], ['CN', cn]], key: makeKey({ type: 'ec' }) })
const keeper = root('Firefox root to keep')
const localKeeper = root('Local anchor to keep')
const distro = [root('Distribution root A'), root('Distribution root B')]

export interface ToolMachine {
  readonly home: string
  readonly root: string
  readonly data: string
  readonly profile: string
  /** The look-alike as a PEM file, for certutil -A in dry runs. */
  readonly pemFile: string
}

export function toolMachine(): ToolMachine {
  const home = faultTempDir('certaudit-tools-home-')
  const systemRoot = faultTempDir('certaudit-tools-root-')
  const firefox = join(home, '.mozilla/firefox')
  const profile = makeNssDb(join(firefox, 'a1.default'), [
    { nickname: 'Qaznet', trust: 'C,,', cert: qaznet },
    { nickname: 'Keeper', trust: 'CT,C,C', cert: keeper },
  ])
  writeFileSync(join(firefox, 'profiles.ini'), '[Profile0]\nName=default\nIsRelative=1\nPath=a1.default\n')
  buildDebianTree(systemRoot, {
    local: { 'qaznet.crt': qaznet.pem, 'keeper.crt': localKeeper.pem },
    distro: { 'mozilla/Distro_A.crt': distro[0]!.pem, 'mozilla/Distro_B.crt': distro[1]!.pem },
  })
  const pemFile = join(home, 'qaznet.pem')
  writeFileSync(pemFile, qaznet.pem)
  return { home, root: systemRoot, data: join(home, '.local/share'), profile, pemFile }
}

/** The plan `certaudit remove --finding <qaznet>` makes on the machine: the profile and the anchor. */
export async function planFor(machine: ToolMachine): Promise<RemovalPlan> {
  const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: { XDG_DATA_HOME: machine.data } })
  const report = await scan({}, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
  return planRemoval(report, [qaznet.sha256.slice(0, 16)], 'delete', env)
}

/**
 * The store as text: /etc/ssl/certs (every link's text, the bundle's bytes), the local anchors, and
 * the profile as certutil reads it (nicknames and trust, or why it cannot).
 */
export function storeState(machine: ToolMachine): string {
  const normal = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).map(([path, what]) => [path, what.replaceAll(machine.root, '<root>')]))
  const listing = spawnSync('certutil', ['-L', '-d', `sql:${machine.profile}`], { encoding: 'utf8' })
  const nss = listing.status === 0 ? listing.stdout.split('\n').slice(4).map((line) => line.trim().replace(/\s+/g, ' ')).filter(Boolean).sort() : [`certutil cannot read it: ${listing.stderr.trim()}`]
  return JSON.stringify(
    {
      certs: normal(snapshotTree(join(machine.root, 'etc/ssl/certs'))),
      anchors: normal(snapshotTree(join(machine.root, 'usr/local/share/ca-certificates'))),
      nss,
    },
    null,
    1,
  )
}

