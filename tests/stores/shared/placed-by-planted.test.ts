/**
 * "Where it came from, and whether it will come back", on planted machines, one class of cause each:
 * a Chromium policy file, a Firefox policies.json (and the Firefox profile it installs into), a
 * distribution certificate a real .deb installed (dpkg's own database in the temp root), an anchor an
 * administrator added by hand, a variable set in ~/.profile and one in /etc/environment, Java's shared
 * keystore generated from the system store, and (recorded Windows output) a Group Policy store. Each
 * must show the right placedBy in the JSON report, the command line's words, the plan and its advice.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi } from '../../../src/api/certaudit-api.js'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import type { Finding, ScanReport } from '../../../src/audit/report.js'
import { formatHuman } from '../../../src/cli/format-human.js'
import { main, type CliIo } from '../../../src/cli/main.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { STORES } from '../../../src/stores/registry.js'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { createWindowsStore } from '../../../src/stores/windows/index.js'
import { makeCertificate, type MadeCertificate } from '../../support/certificates.js'
import { haveDpkg, haveRpm, installDeb, installRpm, NO_DPKG, NO_RPM } from '../../support/package-db.js'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../../support/system-root.js'
import { haveKeytool } from '../../support/tools.js'
import { tempDir } from '../../support/temp.js'
import { certutilInstalled, makeNssDb } from '../nss/fixtures.js'
import { SimulatedWindows } from '../windows/simulator.js'

const ready = haveDpkg && haveUpdateCaCertificates && haveKeytool && certutilInstalled
const REASON = `${NO_DPKG}, with update-ca-certificates, keytool and certutil (./scripts/setup-system.sh)`
if (!ready) console.warn(`[skipped] placedBy on a planted machine: ${REASON}`)

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../../resources/scan-report.schema.json', import.meta.url)), 'utf8')) as { $id: string }
const validateReport = new Ajv({ allErrors: true }).addSchema(schema).getSchema(schema.$id)!

/** A fresh-key look-alike of the 2019 Kazakh root: a high finding, each one its own certificate. */
const lookalike = (): MadeCertificate => makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })

describe.skipIf(!ready)('what put each planted root there, on a Linux machine', () => {
  const home = tempDir('certaudit-placed-home-')
  const root = tempDir('certaudit-placed-root-')
  const chrome = lookalike()
  const firefox = lookalike()
  const packaged = lookalike()
  const packagedAnchor = lookalike()
  const byHand = lookalike()
  const profileVar = lookalike()
  const etcVar = lookalike()

  const chromePolicy = put(root, 'etc/opt/chrome/policies/managed/corp.json', JSON.stringify({ CACertificates: [Buffer.from(chrome.der).toString('base64')] }))
  const firefoxPolicy = put(root, 'etc/firefox/policies/policies.json', JSON.stringify({ policies: { Certificates: { Install: ['isp.crt'] } } }))
  put(root, 'usr/lib/mozilla/certificates/isp.crt', firefox.pem)
  // Firefox imported what the policy installs into the profile (as it does at each start).
  put(home, '.mozilla/firefox/profiles.ini', '[Profile0]\nName=default-release\nIsRelative=1\nPath=a.default-release\nDefault=1\n')
  const profile = makeNssDb(join(home, '.mozilla/firefox/a.default-release'), [{ nickname: 'ISP root', trust: 'C,,', cert: firefox }])
  // A real package installs a distribution certificate; the conf selects it; update-ca-certificates builds the store.
  installDeb(root, { name: 'isp-root', files: { '/usr/share/ca-certificates/isp/isp-root.crt': packaged.pem, '/usr/local/share/ca-certificates/isp-vpn.crt': packagedAnchor.pem } })
  buildDebianTree(root, { local: { 'corp-proxy.crt': byHand.pem }, confLines: ['isp/isp-root.crt'] })
  const distroFile = join(root, 'usr/share/ca-certificates/isp/isp-root.crt')
  const anchor = join(root, 'usr/local/share/ca-certificates/corp-proxy.crt')
  const packageAnchor = join(root, 'usr/local/share/ca-certificates/isp-vpn.crt')
  // ca-certificates-java's hook imports each new system certificate into the shared keystore, aliased debian:<name>.pem (its trigger cannot run in a temp root: keytool does what it does).
  const keystore = join(root, 'etc/ssl/certs/java/cacerts')
  mkdirSync(join(keystore, '..'), { recursive: true })
  execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'debian:corp-proxy.pem', '-file', anchor, '-keystore', keystore, '-storepass', 'changeit', '-storetype', 'JKS'], { stdio: 'pipe' })
  const proxyBundle = put(home, 'proxy.pem', profileVar.pem)
  put(home, '.profile', `# added by the ISP's setup\n[ -d "$HOME/bin" ] && PATH="$HOME/bin:$PATH"\nexport SSL_CERT_FILE="$HOME/proxy.pem"\n`)
  const nodeBundle = put(root, 'etc/ssl/isp/node.pem', etcVar.pem)
  put(root, 'etc/environment', `PATH="/usr/local/bin:/usr/bin"\nNODE_EXTRA_CA_CERTS=${nodeBundle}\n`)
  // curl pointed at the system bundle itself: what is in it is generated from the system store's sources.
  const systemBundle = join(root, 'etc/ssl/certs/ca-certificates.crt')
  const variables = { SSL_CERT_FILE: proxyBundle, NODE_EXTRA_CA_CERTS: nodeBundle, CURL_CA_BUNDLE: systemBundle }

  const cli = async (args: string[]) => {
    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C', XDG_DATA_HOME: join(home, '.local/share'), ...variables } }
    const code = await main([...args, '--home', home, '--system-root', root], io)
    return { code, stdout }
  }
  const placesOf = (report: ScanReport, cert: MadeCertificate) => report.findings.find((f) => f.certificate.sha256 === cert.sha256)?.locations.map((l) => [l.kind, l.placedBy]) ?? []

  it('the JSON report says, for each place, what put it there and whether it comes back', async () => {
    const { code, stdout } = await cli(['scan', '--json'])
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as ScanReport
    expect(placesOf(report, chrome)).toEqual([['chromium-policy', { by: 'policy', name: 'Google Chrome CACertificates', file: chromePolicy, comesBack: true }]])
    const install = { by: 'policy', name: 'Firefox Certificates.Install', file: firefoxPolicy, comesBack: true }
    expect(placesOf(report, firefox).sort()).toEqual([
      ['firefox-policy', install],
      ['nss', install],
    ])
    // The package's distribution file: CertAudit deselects it in ca-certificates.conf, which upgrades keep, so it does not come back.
    const generated = (file: string) => ['env-bundle', { by: 'generated', name: 'linux-system', file, tool: 'update-ca-certificates', comesBack: true }]
    expect(placesOf(report, packaged)).toEqual([generated(distroFile), ['linux-system', { by: 'package', name: 'isp-root', file: distroFile, comesBack: false }]])
    // The package's anchor: a reinstall or upgrade puts the file back.
    expect(placesOf(report, packagedAnchor)).toEqual([generated(packageAnchor), ['linux-system', { by: 'package', name: 'isp-root', file: packageAnchor, comesBack: true }]])
    expect(placesOf(report, byHand)).toEqual([
      generated(anchor),
      ['java', { by: 'generated', name: 'linux-system', file: anchor, tool: 'update-ca-certificates', comesBack: true }],
      ['linux-system', { by: 'hand', file: anchor, comesBack: false }],
    ])
    expect(placesOf(report, profileVar)).toEqual([['env-bundle', { by: 'environment', name: 'SSL_CERT_FILE', file: join(home, '.profile'), line: 3, comesBack: true }]])
    expect(placesOf(report, etcVar)).toEqual([['env-bundle', { by: 'environment', name: 'NODE_EXTRA_CA_CERTS', file: join(root, 'etc/environment'), line: 2, comesBack: true }]])
    expect(report.problems.filter((p) => p.code === 'placed-by-unknown')).toEqual([])
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true)
    expect(report.findings.find((f) => f.certificate.sha256 === firefox.sha256)?.locations.find((l) => l.kind === 'nss')?.location).toBe(profile)
  })

  it('the command line says it under each place, in the report’s language', async () => {
    const { stdout } = await cli(['scan'])
    expect(stdout).toContain(`Put there by a policy (Google Chrome CACertificates) in ${chromePolicy}. It will come back until that policy is removed.`)
    expect(stdout).toContain(`Put there by a policy (Firefox Certificates.Install) in ${firefoxPolicy}.`)
    expect(stdout).toContain(`Put there by the package isp-root, whose file ${distroFile} holds it. Nothing CertAudit knows of will put it back.`)
    expect(stdout).toContain(`Put there by the package isp-root, whose file ${packageAnchor} holds it. A reinstall or upgrade of isp-root will put it back until that package is removed.`)
    expect(stdout).toContain('Put there by hand, or by a program CertAudit cannot name. Nothing CertAudit knows of will put it back.')
    expect(stdout).toContain(`Generated from the system certificates (${anchor}) by update-ca-certificates. It will come back each time update-ca-certificates runs`)
    expect(stdout).toContain(`Used because SSL_CERT_FILE points programs at it, set in ${join(home, '.profile')}:3.`)
    expect(stdout).toContain(`Used because NODE_EXTRA_CA_CERTS points programs at it, set in ${join(root, 'etc/environment')}:2.`)
    const ru = await cli(['scan', '--lang', 'ru'])
    expect(ru.stdout).toContain(`Установлен пакетом isp-root: он хранится в файле этого пакета ${distroFile}.`)
    const kk = await cli(['scan', '--lang', 'kk'])
    expect(kk.stdout).toContain(`Оны ${chromePolicy} ішіндегі саясат (Google Chrome CACertificates) орнатқан.`)
  })

  it('the plan carries placedBy on each place, and advises removing the cause first, naming it, where it puts it back', async () => {
    const api = createCertAuditApi({ env: createEnvironment({ home, systemRoot: root, env: { XDG_DATA_HOME: join(home, '.local/share'), ...variables } }), version: 't' })
    const report = await api.handle('scan:start', { language: 'en' })
    const ids = (certs: MadeCertificate[]) => certs.map((c) => report.findings.find((f) => f.certificate.sha256 === c.sha256)!.id)
    const plan = await api.handle('removal:plan', { findingIds: ids([chrome, firefox, packaged, packagedAnchor, byHand, profileVar, etcVar]), mode: 'delete', language: 'en' })
    const byKindAndSha = (kind: string, cert: MadeCertificate) => plan.changes.find((c) => c.target.kind === kind && c.target.sha256 === cert.sha256)!
    expect(byKindAndSha('nss', firefox)).toMatchObject({ placedBy: { by: 'policy', file: firefoxPolicy }, advice: expect.stringContaining(`Remove the policy (Firefox Certificates.Install) in ${firefoxPolicy} first`) })
    // Taking it out of the policy file removes the cause itself: no advice to remove it first.
    expect(byKindAndSha('chromium-policy', chrome)).toMatchObject({ placedBy: { by: 'policy' } })
    expect(byKindAndSha('chromium-policy', chrome).advice).toBeUndefined()
    expect(byKindAndSha('firefox-policy', firefox).advice).toBeUndefined()
    expect(byKindAndSha('linux-system', packagedAnchor)).toMatchObject({ placedBy: { by: 'package', name: 'isp-root' }, advice: expect.stringContaining('The package isp-root installed it') })
    expect(byKindAndSha('linux-system', packaged).advice).toBeUndefined()
    expect(byKindAndSha('linux-system', byHand).advice).toBeUndefined()
    expect(byKindAndSha('java', byHand)).toMatchObject({ placedBy: { by: 'generated' }, advice: `Remove it from the system certificates (${anchor}) in the same change, or update-ca-certificates puts it back.` })
    expect(byKindAndSha('env-bundle', profileVar).advice).toBe(`Remove the line that sets SSL_CERT_FILE from ${join(home, '.profile')}:3 first, or programs use this bundle again in every new session.`)
    const ru = await api.handle('removal:plan', { findingIds: ids([firefox]), mode: 'delete', language: 'ru' })
    expect(ru.changes.find((c) => c.target.kind === 'nss')?.advice).toContain(`Сначала удалите политику (Firefox Certificates.Install) в ${firefoxPolicy}`)
  })

  it('the command line’s plan names the cause and what to do first', async () => {
    const report = JSON.parse((await cli(['scan', '--json'])).stdout) as ScanReport
    const id = report.findings.find((f) => f.certificate.sha256 === firefox.sha256)!.id
    const { stdout } = await cli(['remove', '--finding', id]) // no terminal to confirm on: the plan is shown, nothing changes
    expect(stdout).toContain(`Put there by a policy (Firefox Certificates.Install) in ${firefoxPolicy}. It will come back until that policy is removed.`)
    expect(stdout).toContain(`first: Remove the policy (Firefox Certificates.Install) in ${firefoxPolicy} first`)
  })

  it('asks the package database once per scan, for every file at once, and never outside the root', async () => {
    const calls: string[][] = []
    const run: CommandRunner = (command, args, options) => (calls.push([command, ...args]), runCommand(command, args, options))
    const env = createEnvironment({ home, systemRoot: root, env: variables, run })
    await scan({ kinds: ['linux-system', 'java', 'env-bundle'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const queries = calls.filter((c) => c[0] === 'dpkg-query')
    expect(queries).toHaveLength(1)
    expect(queries[0]!.slice(0, 3)).toEqual(['dpkg-query', `--admindir=${root}/var/lib/dpkg`, '-S'])
    // The system store's three source files; the keystore is generated and the bundle set by a variable: not asked.
    expect(queries[0]!.slice(3).sort()).toEqual(['/usr/local/share/ca-certificates/corp-proxy.crt', '/usr/local/share/ca-certificates/isp-vpn.crt', '/usr/share/ca-certificates/isp/isp-root.crt'])
  })
})

if (!haveRpm) console.warn(`[skipped] placedBy on a planted Fedora machine: ${NO_RPM}`)

describe.skipIf(!haveRpm)('what put each planted root there, on a Fedora machine (rpm’s own database in the root)', () => {
  it('an anchor a real .rpm installed is that package’s; one beside it, by hand', async () => {
    const root = tempDir('certaudit-placed-fedora-')
    const packaged = lookalike()
    const byHand = lookalike()
    installRpm(root, { name: 'corp-anchor', files: { '/etc/pki/ca-trust/source/anchors/corp.pem': packaged.pem } })
    const handFile = put(root, 'etc/pki/ca-trust/source/anchors/proxy.pem', byHand.pem)
    const env = createEnvironment({ home: tempDir(), systemRoot: root, env: {} })
    const report = await scan({ kinds: ['linux-system'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const placed = (cert: MadeCertificate) => report.findings.find((f) => f.certificate.sha256 === cert.sha256)?.locations.map((l) => l.placedBy)
    expect(placed(packaged)).toEqual([{ by: 'package', name: 'corp-anchor', file: join(root, 'etc/pki/ca-trust/source/anchors/corp.pem'), comesBack: true }])
    expect(placed(byHand)).toEqual([{ by: 'hand', file: handFile, comesBack: false }])
  })
})

describe('what put a root in Windows’ Group Policy store (recorded Windows output)', () => {
  const qaznet = lookalike()
  const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
  const windows = new SimulatedWindows().put('LocalMachineGroupPolicy', 'Root', qaznet, 'Qaznet Trust Network').put('LocalMachineEnterprise', 'Root', isca).put('CurrentUser', 'Root', isca)
  const env = createEnvironment({ platform: 'win32', home: tempDir(), env: { SystemRoot: 'C:\\Windows' }, run: windows.run })
  const stores = { ...STORES, windows: createWindowsStore({ effectiveRoots: async () => [] }) }
  const finding = (report: ScanReport, cert: MadeCertificate): Finding => report.findings.find((f) => f.certificate.sha256 === cert.sha256)!

  it('says Group Policy and Active Directory, in the report, the words and the plan (ask whoever manages this computer)', async () => {
    const report = await scan({ kinds: ['windows'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots(), stores })
    const gp = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\Root'
    expect(finding(report, qaznet).locations.map((l) => l.placedBy)).toEqual([{ by: 'policy', name: 'Group Policy', file: gp, comesBack: true }])
    expect(finding(report, isca).locations.map((l) => [l.location, l.placedBy])).toEqual([
      ['Cert:\\CurrentUser\\Root', { by: 'hand', comesBack: false }],
      ['HKLM\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root', { by: 'policy', name: 'Active Directory', file: 'HKLM\\SOFTWARE\\Microsoft\\EnterpriseCertificates\\Root', comesBack: true }],
    ])
    expect(formatHuman(report, false)).toContain(`Put there by a policy (Group Policy) in ${gp}. It will come back until that policy is removed.`)
    const plan = await planRemoval(report, [finding(report, qaznet).id], 'delete', env, { stores, language: 'kk' })
    expect(plan.changes).toMatchObject([{ placedBy: { by: 'policy', name: 'Group Policy' }, advice: `Алдымен ${gp} ішіндегі саясатты (Group Policy) жойыңыз немесе компьютерді басқаратын адамнан сұраңыз: ол тұрғанша сертификатты қайтарады.` }])
  })
})
