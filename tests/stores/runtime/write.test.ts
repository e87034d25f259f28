/**
 * Removal and undo in every writable runtime and env-bundle place, end to end: scan, plan, back up,
 * cut the certificate, verify by re-reading, undo; afterwards each file is byte for byte what it was.
 * Places CertAudit must not edit are planned as manual, saying exactly what to do.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { applyPlan, undoChange } from '../../../src/removal/engine.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { makeCertificate, type MadeCertificate } from '../../support/certificates.js'
import { havePythonVenv, installCertifi, makeVenv, PYTHON_VENV_MISSING, stockCertifiBundle } from '../../support/python-envs.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { haveKeytool } from '../../support/tools.js'

const stock = stockCertifiBundle()

/** Scans, plans the removal of `cert` everywhere, applies it; returns the plan, the result and its undo. */
async function removeEverywhere(env: Environment, cert: MadeCertificate) {
  const report = await scan({ kinds: ['env-bundle', 'runtime'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
  const finding = report.findings.find((f) => f.certificate.sha256 === cert.sha256)!
  const plan = await planRemoval(report, [finding.id], 'delete', env)
  const ctx = { env, elevation: createElevation(env) }
  const applied = await applyPlan(plan, ctx)
  return { plan, applied, undo: () => undoChange(plan.id, ctx) }
}

function machine(variables: Record<string, string> = {}) {
  const home = tempDir('certaudit-runtime-write-')
  const root = tempDir('certaudit-runtime-write-root-')
  return { home, root, env: () => createEnvironment({ home, systemRoot: root, env: { XDG_DATA_HOME: join(home, '.local/share'), ...variables } }) }
}

describe.skipIf(!havePythonVenv)(`removing a root from a virtual environment’s certifi${havePythonVenv ? '' : ` (skipped: ${PYTHON_VENV_MISSING})`}`, () => {
  it('cuts exactly its block, verifies, and undo puts the file back byte for byte, mode kept', async () => {
    const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Corp Root in certifi']] })
    const m = machine()
    const bundle = installCertifi(makeVenv(join(m.home, 'proj/.venv')), `${stock}\n# Added by IT\n${corp.pem}`)
    chmodSync(bundle, 0o640)
    const before = readFileSync(bundle)
    const { plan, applied, undo } = await removeEverywhere(m.env(), corp)
    expect(plan.changes.map((c) => [c.target.kind, c.target.location, c.action])).toEqual([['runtime', bundle, 'delete']])
    expect(plan.changes[0]!.warning).toMatch(/belongs to the package certifi of .*proj\/\.venv: CertAudit takes this one certificate out of it/)
    expect(applied.results.map((r) => [r.status, r.detail])).toEqual([['removed', undefined]])
    expect(readFileSync(bundle, 'latin1')).toBe(before.toString('latin1').replace(corp.pem, ''))
    const undone = await undo()
    expect(undone.results.map((r) => [r.status, r.detail])).toEqual([['restored', undefined]])
    expect(readFileSync(bundle).equals(before)).toBe(true)
    expect(statSync(bundle).mode & 0o777).toBe(0o640)
  })

  it('leaves a file changed after the edit alone at undo', async () => {
    const corp = makeCertificate({ subject: [['CN', 'Corp Root twice changed']] })
    const m = machine()
    const bundle = installCertifi(makeVenv(join(m.home, 'venv')), stock + corp.pem)
    const { applied, undo } = await removeEverywhere(m.env(), corp)
    expect(applied.ok).toBe(true)
    appendFileSync(bundle, '# edited by hand afterwards\n')
    const edited = readFileSync(bundle)
    const undone = await undo()
    expect(undone.results[0]).toMatchObject({ status: 'failed', detail: expect.stringMatching(/changed after CertAudit edited it, so CertAudit did not overwrite it/) })
    expect(readFileSync(bundle).equals(edited)).toBe(true)
  })
})

describe('removing a root from a bundle a tool’s config or a variable points at, in the home folder', () => {
  it('edits ~/certs/corp.pem (npm cafile, curl cacert) and an env-bundle file (REQUESTS_CA_BUNDLE); undo restores each byte for byte', async () => {
    const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Corp Proxy Root']] })
    const keep = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Corp Internal Root To Keep']] })
    const m = machine()
    const configBundle = put(m.home, 'certs/corp.pem', corp.pem)
    put(m.home, '.npmrc', `cafile=${configBundle}\n`)
    put(m.home, '.curlrc', `cacert = "${configBundle}"\n`)
    const varBundle = put(m.home, 'combined.pem', `${keep.pem}${corp.pem}`)
    const env = createEnvironment({ home: m.home, systemRoot: m.root, env: { XDG_DATA_HOME: join(m.home, '.local/share'), REQUESTS_CA_BUNDLE: varBundle } })
    const before = [readFileSync(configBundle), readFileSync(varBundle)]
    const { plan, applied, undo } = await removeEverywhere(env, corp)
    expect(plan.changes.map((c) => [c.target.kind, c.target.location, c.action])).toEqual([
      ['env-bundle', varBundle, 'delete'],
      ['runtime', configBundle, 'delete'],
    ])
    expect(plan.changes[0]!.warning).toMatch(/REQUESTS_CA_BUNDLE still points programs at the file/)
    expect(plan.changes[1]!.warning).toMatch(/only certificate in .*corp\.pem: the file will be left without any, and npm may fail to connect until you delete the setting/)
    expect(applied.results.map((r) => [r.status, r.detail])).toEqual([['removed', undefined], ['removed', undefined]])
    expect(readFileSync(varBundle, 'latin1')).toBe(keep.pem)
    const undone = await undo()
    expect(undone.results.map((r) => r.status)).toEqual(['restored', 'restored'])
    expect(readFileSync(configBundle).equals(before[0]!)).toBe(true)
    expect(readFileSync(varBundle).equals(before[1]!)).toBe(true)
  })

  it('edits a registry CA in ~/.docker/certs.d', async () => {
    const corp = makeCertificate({ subject: [['CN', 'Registry Root']] })
    const m = machine()
    const crt = put(m.home, '.docker/certs.d/registry.example:5000/ca.crt', corp.pem)
    const before = readFileSync(crt)
    const { applied, undo } = await removeEverywhere(m.env(), corp)
    expect(applied.results.map((r) => [r.target.location, r.status])).toEqual([[crt, 'removed']])
    expect((await undo()).ok).toBe(true)
    expect(readFileSync(crt).equals(before)).toBe(true)
  })
})

describe.skipIf(!haveKeytool)(`removing a root from a Java trust store of the user’s, named by JAVA_TOOL_OPTIONS or gradle.properties${haveKeytool ? '' : ' (skipped: keytool is not on the PATH)'}`, () => {
  it('deletes the alias with keytool, and undo imports it back under the same alias', async () => {
    const corp = makeCertificate({ subject: [['CN', 'Corp Java Root']] })
    const m = machine()
    const pem = put(m.home, 'corp.pem', corp.pem)
    const keystore = join(m.home, 'java/trust.p12')
    mkdirSync(join(m.home, 'java'))
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'corp-root', '-file', pem, '-keystore', keystore, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'pipe' })
    put(m.home, '.gradle/gradle.properties', `systemProp.javax.net.ssl.trustStore=${keystore}\n`)
    writeFileSync(pem, '') // only the keystore holds it now
    const env = createEnvironment({ home: m.home, systemRoot: m.root, env: { XDG_DATA_HOME: join(m.home, '.local/share'), JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${keystore}` } })
    const { plan, applied, undo } = await removeEverywhere(env, corp)
    expect(plan.changes.map((c) => [c.target.kind, c.target.entry, c.action])).toEqual([
      ['env-bundle', 'corp-root', 'delete'],
      ['runtime', 'corp-root', 'delete'],
    ])
    expect(applied.results.map((r) => r.status)).toEqual(['removed', 'skipped'])
    const undone = await undo()
    expect(undone.results.map((r) => r.status)).toEqual(['restored', 'skipped'])
    const listed = execFileSync('keytool', ['-list', '-keystore', keystore, '-storepass', 'changeit'], { encoding: 'utf8' })
    expect(listed).toMatch(/corp-root/)
  })
})

describe('places CertAudit explains instead of editing', () => {
  it('a package’s bundle installed for the whole computer, a registry CA in /etc, a bundle outside the home, a folder, certificates inside .npmrc', async () => {
    const corp = makeCertificate({ subject: [['CN', 'Corp Root Everywhere']] })
    const m = machine()
    const systemCertifi = put(m.root, 'usr/local/lib/python3.11/dist-packages/certifi/cacert.pem', stock + corp.pem)
    const debianCertifi = put(m.root, 'usr/lib/python3/dist-packages/certifi/cacert.pem', stock + corp.pem)
    const registry = put(m.root, 'etc/docker/certs.d/registry.example/ca.crt', corp.pem)
    const etcBundle = put(m.root, 'etc/ssl/corp/corp.pem', corp.pem)
    put(m.root, 'etc/pip.conf', '[global]\ncert = /etc/ssl/corp/corp.pem\n')
    const capath = join(m.home, 'capath')
    put(capath, 'corp.pem', corp.pem)
    execFileSync('ln', ['-s', 'corp.pem', join(capath, 'aabbccdd.0')])
    put(m.home, '.curlrc', `capath ${capath}\n`)
    put(m.home, '.npmrc', `ca=${corp.pem.trim().replace(/\n/g, '\\n')}\n`)
    const env = m.env()
    const report = await scan({ kinds: ['runtime'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const finding = report.findings.find((f) => f.certificate.sha256 === corp.sha256)!
    const plan = await planRemoval(report, [finding.id], 'delete', env, { language: 'en' })
    const manual = Object.fromEntries(plan.changes.map((c) => [c.target.location, [c.action, c.instructions]]))
    expect(manual[systemCertifi]).toEqual(['manual', expect.stringContaining(`sudo /usr/local/bin/python3 -m pip install --force-reinstall certifi`)])
    expect(manual[debianCertifi]).toEqual(['manual', expect.stringContaining('sudo apt install --reinstall python3-certifi')])
    expect(manual[registry]).toEqual(['manual', expect.stringContaining("sudo rm -- /etc/docker/certs.d/registry.example/ca.crt")])
    expect(manual[etcBundle]).toEqual(['manual', expect.stringMatching(/is not your own file .* pip trusts it because of: cert in .*etc\/pip\.conf, line 2/)])
    expect(manual[capath]).toEqual(['manual', expect.stringMatching(/is a folder that curl trusts because of: capath in .*\.curlrc, line 1\. Delete this certificate’s file from it \(.*aabbccdd\.0\)/)])
    expect(manual[join(m.home, '.npmrc')]).toEqual(['manual', expect.stringMatching(/written into .*\.npmrc itself \(ca, line 1\)/)])
    const russian = await planRemoval(report, [finding.id], 'delete', env, { language: 'ru' })
    expect(russian.changes.find((c) => c.target.location === registry)!.instructions).toMatch(/^.*заставляет docker доверять этому сертификату для реестра registry\.example/)
  })
})
