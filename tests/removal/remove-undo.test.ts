/**
 * Removal end to end, through the real CLI, real certutil and real update-ca-certificates in temp
 * dirs: the 2019 Qaznet root planted in two Firefox profiles, ~/.pki/nssdb and
 * /usr/local/share/ca-certificates is removed from all four by one command and brought back
 * byte-identical by undo; a kill -9 at every journal step loses nothing.
 */
import { execFile, execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import type { ScanReport } from '../../src/audit/report.js'
import { scan } from '../../src/api/scan.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { dataDir } from '../../src/removal/data-dir.js'
import { applyPlan, type ChangeReport } from '../../src/removal/engine.js'
import { planRemoval } from '../../src/removal/plan.js'
import { createElevation, createEnvironment, } from '../../src/stores/index.js'
import { makeCertificate } from '../support/certificates.js'
import { corpusAvailable, factPem, loadFacts } from '../support/corpus.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'
import { certutil, certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { haveKeytool } from '../support/tools.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'

/** The built CLI, with the test-only crash hook (CERTAUDIT_FAULT). */
const BIN = fileURLToPath(new URL('../support/crashing-cli.mjs', import.meta.url))
const ready = certutilInstalled && haveUpdateCaCertificates
const NICKNAME = 'Qaznet "$(touch /tmp/certaudit-pwned)" `id` ü'
const ANCHOR = "qaz $(x) `y` 'ü'.crt"

/** The real 2019 Qaznet root when the corpus is here; otherwise a look-alike with the same name and a new key. */
const qaznetPem = corpusAvailable
  ? factPem(loadFacts().find((f) => f.id === 'kz-qaznet-2016')!)!
  : makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }).pem
const qaznetSha = new X509Certificate(qaznetPem).fingerprint256.replaceAll(':', '').toLowerCase()

interface Machine {
  readonly home: string
  readonly root: string
  readonly profiles: readonly string[]
  readonly anchor: string
  readonly anchorBytes: Buffer
}

/** Two Firefox profiles, Chromium's nssdb and a Debian local anchor, all holding the Qaznet root. */
function plantMachine(): Machine {
  const home = tempDir('certaudit-rm-home-')
  const root = tempDir('certaudit-rm-root-')
  const firefox = join(home, '.mozilla/firefox')
  const profiles = [
    makeNssDb(join(firefox, 'a1.default-release'), [{ nickname: NICKNAME, trust: 'C,,', cert: { pem: qaznetPem } }]),
    makeNssDb(join(firefox, 'b2.work'), [{ nickname: 'Qaznet Trust Network', trust: 'CT,C,C', cert: { pem: qaznetPem } }]),
    makeNssDb(join(home, '.pki/nssdb'), [{ nickname: 'qazca', trust: 'C,,', cert: { pem: qaznetPem } }]),
  ]
  writeFileSync(join(firefox, 'profiles.ini'), '[Profile0]\nName=default-release\nIsRelative=1\nPath=a1.default-release\n\n[Profile1]\nName=work\nIsRelative=1\nPath=b2.work\n')
  buildDebianTree(root, { local: { [ANCHOR]: qaznetPem } })
  const anchor = join(root, 'usr/local/share/ca-certificates', ANCHOR)
  return { home, root, profiles, anchor, anchorBytes: readFileSync(anchor) }
}

async function cli(machine: Machine, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C' } }
  const code = await main([...args, '--home', machine.home, '--system-root', machine.root], io)
  return { code, stdout, stderr }
}

/** Every place the Qaznet root is trusted, from a fresh scan. */
async function qaznetPlaces(machine: Machine): Promise<string[]> {
  const { stdout } = await cli(machine, ['scan', '--json'])
  const finding = (JSON.parse(stdout) as ScanReport).findings.find((f) => f.certificate.sha256 === qaznetSha)
  return (finding?.locations ?? []).filter((l) => l.trust === 'trusted').map((l) => `${l.kind}:${l.location}`).sort()
}

/** The NSS trust flags of the certificate in each profile, as certutil prints them. */
function flags(machine: Machine): string[] {
  return machine.profiles.map((dir) => certutil(['-L', '-d', `sql:${dir}`]).split('\n').find((l) => l.startsWith('Qaznet') || l.startsWith('qazca'))?.trim().split(/\s+/).pop() ?? '(absent)')
}

const findingId = qaznetSha.slice(0, 16)

describe('remove and undo, end to end', () => {
  if (!ready) {
    it.skip('skipped: certutil (libnss3-tools) and update-ca-certificates are needed; ./scripts/setup-system.sh installs them', () => {})
    return
  }

  it('removes the root from all four stores with one command, a re-scan is clean, and undo brings all four back byte-identical', async () => {
    const machine = plantMachine()
    const before = await qaznetPlaces(machine)
    expect(before).toHaveLength(4)
    const flagsBefore = flags(machine)

    const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
    expect(removed.code, removed.stderr + removed.stdout).toBe(0)
    const { result } = JSON.parse(removed.stdout) as { result: ChangeReport }
    expect(result.results.map((r) => r.status)).toEqual(['removed', 'removed', 'removed', 'removed'])
    expect(await qaznetPlaces(machine)).toEqual([])
    expect((await cli(machine, ['scan'])).code).toBe(0)
    expect(existsSync(machine.anchor)).toBe(false)
    expect(existsSync('/tmp/certaudit-pwned')).toBe(false) // the nickname reached certutil as one argument

    const undone = await cli(machine, ['undo', '--yes', '--json'])
    expect(undone.code, undone.stdout).toBe(0)
    expect((JSON.parse(undone.stdout) as ChangeReport).results.map((r) => r.status)).toEqual(['restored', 'restored', 'restored', 'restored'])
    expect(await qaznetPlaces(machine)).toEqual(before)
    expect(readFileSync(machine.anchor).equals(machine.anchorBytes)).toBe(true)
    expect(flags(machine)).toEqual(flagsBefore)

    const listed = await cli(machine, ['history', '--json'])
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: result.changeId, state: 'undone' })])
  })

  it('distrusts instead of deleting when asked, and undo puts the trust back', async () => {
    const machine = plantMachine()
    const flagsBefore = flags(machine)
    const removed = await cli(machine, ['remove', '--finding', findingId, '--mode', 'distrust', '--yes', '--json'])
    const { result } = JSON.parse(removed.stdout) as { result: ChangeReport }
    // NSS keeps the certificate without trust; Debian has no distrust, so its anchor is removed.
    expect(result.results.map((r) => [r.target.kind, r.status])).toEqual([
      ['linux-system', 'removed'],
      ['nss', 'distrusted'],
      ['nss', 'distrusted'],
      ['nss', 'distrusted'],
    ])
    expect(removed.code).toBe(0)
    expect(flags(machine)).toEqual([',,', ',,', ',,'])
    expect((await cli(machine, ['undo', '--yes'])).code).toBe(0)
    expect(flags(machine)).toEqual(flagsBefore)
  })

  it('leaves a deselected store untouched', async () => {
    const machine = plantMachine()
    const removed = await cli(machine, ['remove', '--finding', findingId, '--skip', machine.profiles[1]!, '--yes', '--json'])
    expect(removed.code).toBe(0)
    expect((JSON.parse(removed.stdout) as { result: ChangeReport }).result.results).toHaveLength(3)
    expect(await qaznetPlaces(machine)).toEqual([`nss:${machine.profiles[1]}`])
  })

  it('refuses a second change while one is running', async () => {
    const machine = plantMachine()
    const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: {} })
    execFileSync('mkdir', ['-p', dataDir(env)])
    writeFileSync(join(dataDir(env), 'change.lock'), JSON.stringify({ pid: process.pid, since: 'now' }))
    const second = await cli(machine, ['remove', '--finding', findingId, '--yes'])
    expect(second.code).toBe(2)
    expect(second.stderr).toContain('Another CertAudit change is in progress')
    expect(await qaznetPlaces(machine)).toHaveLength(4)
  })

  it('an entry removed between plan and apply is found gone (the store re-read says so); the rest is removed', async () => {
    const machine = plantMachine()
    const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: {} })
    const report = await scan({}, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const plan = await planRemoval(report, [findingId], 'delete', env)
    certutil(['-D', '-d', `sql:${machine.profiles[2]}`, '-n', 'qazca']) // removed behind our back
    const result = await applyPlan(plan, { env, elevation: createElevation(env) })
    const byLocation = Object.fromEntries(result.results.map((r) => [r.target.location, [r.status, r.detail ?? '']]))
    expect(byLocation[machine.profiles[2]!]).toEqual(['skipped', expect.stringMatching(/^Nothing needed changing: "qazca" is no longer in .* Re-reading the store shows it is not there\.$/)])
    expect(result.results.filter((r) => r.status === 'removed')).toHaveLength(3)
    expect(result.ok).toBe(true)
  })

  it('a certificate given another nickname between plan and apply is found by its hash and removed', async () => {
    const machine = plantMachine()
    const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: {} })
    const report = await scan({}, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const plan = await planRemoval(report, [findingId], 'delete', env)
    const nssdb = machine.profiles[2]!
    certutil(['-D', '-d', `sql:${nssdb}`, '-n', 'qazca'])
    writeFileSync(join(machine.home, 'again.pem'), qaznetPem)
    certutil(['-A', '-d', `sql:${nssdb}`, '-n', 'qaz-again', '-t', 'C,,', '-i', join(machine.home, 'again.pem')])
    const result = await applyPlan(plan, { env, elevation: createElevation(env) })
    const byLocation = Object.fromEntries(result.results.map((r) => [r.target.location, [r.status, r.detail ?? '']]))
    expect(byLocation[nssdb]).toEqual(['removed', ''])
    expect(result.results.filter((r) => r.status === 'removed')).toHaveLength(4)
    expect(result.ok).toBe(true)
    expect(certutil(['-L', '-d', `sql:${nssdb}`])).not.toContain('qaz-again')
  })

  it.skipIf(!haveKeytool)('an alias renamed between plan and apply, the certificate still trusted: fails alone, nothing changed (skipped without keytool)', async () => {
    const home = tempDir('certaudit-rename-home-')
    const root = tempDir('certaudit-rename-root-')
    const keystore = join(root, 'usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts')
    execFileSync('mkdir', ['-p', join(keystore, '..')])
    writeFileSync(join(home, 'qaznet.pem'), qaznetPem)
    const keytool = (...args: string[]) => execFileSync('keytool', [...args, '-keystore', keystore, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'pipe' })
    keytool('-importcert', '-noprompt', '-alias', 'qaz', '-file', join(home, 'qaznet.pem'))
    const env = createEnvironment({ home, systemRoot: root, env: {} })
    const report = await scan({}, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const plan = await planRemoval(report, [findingId], 'delete', env)
    expect(plan.changes.map((c) => c.target.kind)).toEqual(['java'])
    keytool('-changealias', '-alias', 'qaz', '-destalias', 'qaz-renamed')
    const before = readFileSync(keystore)
    const result = await applyPlan(plan, { env, elevation: createElevation(env) })
    expect(result.results.map((r) => [r.status, r.detail])).toEqual([['failed', expect.stringMatching(/^Nothing was changed: .*qaz/)]])
    expect(result.ok).toBe(false)
    expect(readFileSync(keystore).equals(before)).toBe(true)
  })
})

/** Runs the installed command in its own process, so it can really be killed; it keeps its journal in the machine's home, as `cli` does. */
function runBin(machine: Machine, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--home', machine.home, '--system-root', machine.root], { env: { ...ISOLATED_ENV, LANG: 'C', ...extraEnv } }, (error, stdout) => {
      const e = error as (Error & { code?: number; signal?: string }) | null
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout })
    })
  })
}

describe('kill -9 at every journal step', () => {
  if (!ready) {
    it.skip('skipped: certutil and update-ca-certificates are needed', () => {})
    return
  }
  const steps = ['backed-up', 'applying', 'applied', 'verified'] as const

  it.each(steps)('killed after "%s": the next run refuses to start another change, resume finishes it', async (step) => {
    const machine = plantMachine()
    const killed = await runBin(machine, ['remove', '--finding', findingId, '--yes'], { CERTAUDIT_FAULT: step })
    expect(killed.signal).toBe('SIGKILL')
    const refused = await cli(machine, ['remove', '--finding', findingId, '--yes'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('was interrupted')
    const resumed = await cli(machine, ['resume', '--json'])
    expect(resumed.code, resumed.stdout).toBe(0)
    expect(await qaznetPlaces(machine)).toEqual([])
  })

  it.each(steps)('killed after "%s": undo rolls it back with nothing lost', async (step) => {
    const machine = plantMachine()
    const before = await qaznetPlaces(machine)
    const killed = await runBin(machine, ['remove', '--finding', findingId, '--yes'], { CERTAUDIT_FAULT: step })
    expect(killed.signal).toBe('SIGKILL')
    const undone = await cli(machine, ['undo', '--yes'])
    expect(undone.code, undone.stdout).toBe(0)
    expect(await qaznetPlaces(machine)).toEqual(before)
    expect(readFileSync(machine.anchor).equals(machine.anchorBytes)).toBe(true)
  })

  it('an undo killed half-way is finished by the next undo', async () => {
    const machine = plantMachine()
    const before = await qaznetPlaces(machine)
    expect((await cli(machine, ['remove', '--finding', findingId, '--yes'])).code).toBe(0)
    const killed = await runBin(machine, ['undo', '--yes'], { CERTAUDIT_FAULT: 'restored' })
    expect(killed.signal).toBe('SIGKILL')
    expect((await cli(machine, ['history', '--json'])).stdout).toContain('"undo-interrupted"')
    expect((await cli(machine, ['undo', '--yes'])).code).toBe(0)
    expect(await qaznetPlaces(machine)).toEqual(before)
  })
})
