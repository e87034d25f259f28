/**
 * The Windows writer's commands, on a simulated Windows (windows-simulator.ts) that answers with the
 * recorded certutil output of tests/fixtures/windows, because certutil.exe cannot run on Linux.
 * Checked here: every certutil command as an argument array with the right flags, administrator
 * rights asked for exactly for the computer's stores, and Windows' own "no" reported as such.
 */
import { describe, expect, it } from 'vitest'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { STORES } from '../../../src/stores/registry.js'
import { StoreError, type Elevation, type EntryTarget } from '../../../src/stores/types.js'
import { placeLabel, type WindowsLocationName, type WindowsStoreName } from '../../../src/stores/windows/query.js'
import { windowsStore } from '../../../src/stores/windows/index.js'
import { WINDOWS_EFFECTIVE } from '../../../src/stores/windows/discover.js'
import { windowsWriter } from '../../../src/stores/windows/write.js'
import { makeCertificate, type MadeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { SimulatedWindows } from './simulator.js'
import { inWords } from '../../support/notices.js'
import { scan } from '../../../src/api/scan.js'
import { publicRootsFrom } from '../../../src/audit/references.js'
import { applyPlan } from '../../../src/removal/engine.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { blocklistWith } from '../../support/blocklists.js'

const CERTUTIL = 'C:\\Windows\\System32\\certutil.exe'
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
const THUMBPRINT = qaznet.sha1.toUpperCase()

function machine(windows: SimulatedWindows): { env: Environment; elevation: Elevation; asked: { command: string[]; admin: boolean }[] } {
  const env = createEnvironment({ platform: 'win32', home: tempDir(), env: { SystemRoot: 'C:\\Windows' }, run: windows.run })
  const real = createElevation(env)
  const asked: { command: string[]; admin: boolean }[] = []
  const elevation: Elevation = { run: (command, args, options) => (asked.push({ command: [command, ...args], admin: options.admin }), real.run(command, args, options)) }
  return { env, elevation, asked }
}

const target = (location: WindowsLocationName | string, store: WindowsStoreName = 'Root', cert: MadeCertificate = qaznet): EntryTarget => {
  const label = location.includes('\\') || location.includes(' ') ? location : placeLabel({ location: location as WindowsLocationName, store })
  return { storeId: `windows:${location}\\${store}`, kind: 'windows', location: label, entry: cert.sha1.toUpperCase(), sha256: cert.sha256, pem: cert.pem, trust: 'trusted' }
}
/** The certificate file argument is a fresh temp path: shown as <file>. */
const shown = (asked: readonly { command: string[]; admin: boolean }[]) => asked.map((a) => ({ ...a, command: a.command.map((arg) => (arg.endsWith('certificate.cer') ? '<file>' : arg)) }))

describe('windowsWriter, on a simulated Windows', () => {
  it('offers delete and distrust where CertAudit may change the store, and explains the rest', async () => {
    const can = (t: EntryTarget) => windowsWriter.capabilities(t, createEnvironment({ platform: 'win32' }))
    expect(inWords(await can(target('CurrentUser')))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: false, warning: 'Windows shows its own confirmation window for this change: choose "Yes".' })
    expect(inWords(await can(target('LocalMachine')))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: true, warning: 'Windows asks for administrator rights (UAC) for this change.' })
    expect((inWords(await can(target('LocalMachine', 'AuthRoot')))).warning).toContain("automatic root certificate update can bring back a deleted third-party root; distrusting it lasts")
    expect(inWords(await can(target('LocalMachineGroupPolicy')))).toMatchObject({ modes: [], manual: expect.stringContaining('Your organisation manages HKLM\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\Root (Group Policy)') })
    expect(inWords(await can(target('LocalMachineEnterprise')))).toMatchObject({ modes: [], manual: expect.stringContaining('(Active Directory)') })
    expect(inWords(await can(target('CurrentUser', 'Disallowed')))).toMatchObject({ modes: [], manual: expect.stringContaining('distrusted already') })
    expect(inWords(await can({ ...target('CurrentUser'), location: WINDOWS_EFFECTIVE.location }))).toMatchObject({ modes: [], manual: expect.stringContaining('could not tell which certificate store holds it') })
  })

  it("changes this user's store with certutil -user, never elevated: -delstore Root, then -addstore Root to undo", async () => {
    const windows = new SimulatedWindows().put('CurrentUser', 'Root', qaznet)
    const { env, elevation, asked } = machine(windows)
    const backup = await windowsWriter.backup(target('CurrentUser'), env)
    expect(backup.data).toEqual({ location: 'CurrentUser', store: 'Root', thumbprint: THUMBPRINT, disallowedBefore: false })
    expect(await windowsWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: true })
    expect(windows.has('CurrentUser', 'Root', qaznet)).toBe(false)
    expect(await windowsWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(windows.has('CurrentUser', 'Root', qaznet)).toBe(true)
    expect(shown(asked)).toEqual([
      { command: [CERTUTIL, '-user', '-delstore', 'Root', THUMBPRINT], admin: false },
      { command: [CERTUTIL, '-user', '-addstore', 'Root', '<file>'], admin: false },
    ])
  })

  it("distrusts in this user's Untrusted Certificates store, and undo takes it out again", async () => {
    const windows = new SimulatedWindows().put('CurrentUser', 'Root', qaznet)
    const { env, elevation, asked } = machine(windows)
    const backup = await windowsWriter.backup(target('CurrentUser'), env)
    expect(await windowsWriter.apply(backup, 'distrust', env, elevation)).toMatchObject({ ok: true })
    expect([windows.has('CurrentUser', 'Root', qaznet), windows.has('CurrentUser', 'Disallowed', qaznet)]).toEqual([true, true])
    expect(await windowsWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect([windows.has('CurrentUser', 'Root', qaznet), windows.has('CurrentUser', 'Disallowed', qaznet)]).toEqual([true, false])
    expect(shown(asked)).toEqual([
      { command: [CERTUTIL, '-user', '-addstore', 'Disallowed', '<file>'], admin: false },
      { command: [CERTUTIL, '-user', '-delstore', 'Disallowed', THUMBPRINT], admin: false },
    ])
  })

  it("changes the computer's stores without -user, through UAC, and only those", async () => {
    const windows = new SimulatedWindows().put('LocalMachine', 'AuthRoot', qaznet)
    const { env, elevation, asked } = machine(windows)
    const backup = await windowsWriter.backup(target('LocalMachine', 'AuthRoot'), env)
    for (const step of [() => windowsWriter.apply(backup, 'delete', env, elevation), () => windowsWriter.restore(backup, env, elevation), () => windowsWriter.apply(backup, 'distrust', env, elevation), () => windowsWriter.restore(backup, env, elevation)]) {
      expect(await step()).toMatchObject({ ok: true })
    }
    expect(shown(asked)).toEqual([
      { command: [CERTUTIL, '-delstore', 'AuthRoot', THUMBPRINT], admin: true },
      { command: [CERTUTIL, '-addstore', 'AuthRoot', '<file>'], admin: true },
      { command: [CERTUTIL, '-addstore', 'Disallowed', '<file>'], admin: true },
      { command: [CERTUTIL, '-delstore', 'Disallowed', THUMBPRINT], admin: true },
    ])
    // Each ran in the elevated PowerShell that UAC started, not directly.
    expect(windows.calls.filter((c) => c.command[0] === CERTUTIL).map((c) => c.elevated)).toEqual([true, true, true, true])
    expect([windows.has('LocalMachine', 'AuthRoot', qaznet), windows.has('LocalMachine', 'Disallowed', qaznet)]).toEqual([true, false])
  })

  it("reports a No in Windows' confirmation window or in the UAC dialog as cancelled, with nothing changed", async () => {
    const windows = new SimulatedWindows().put('CurrentUser', 'Root', qaznet).put('LocalMachine', 'Root', isca)
    const { env, elevation } = machine(windows)
    windows.confirm = false
    const user = await windowsWriter.apply(await windowsWriter.backup(target('CurrentUser'), env), 'delete', env, elevation)
    expect(user).toMatchObject({ ok: false, message: expect.stringContaining("cancelled in Windows' confirmation window, so nothing was changed") })
    expect(user.commands[0]!.stdout).toContain('0x800704c7 (WIN32: 1223 ERROR_CANCELLED)')
    windows.uac = false
    const machineWide = await windowsWriter.apply(await windowsWriter.backup(target('LocalMachine', 'Root', isca), env), 'delete', env, elevation)
    expect(machineWide).toMatchObject({ ok: false, message: expect.stringContaining('cancelled') })
    expect(machineWide.commands[0]!.stderr).toBe('The Windows administrator prompt (UAC) was cancelled; nothing was changed.')
    expect([windows.has('CurrentUser', 'Root', qaznet), windows.has('LocalMachine', 'Root', isca)]).toEqual([true, true])
  })

  it('names the command and what certutil said when it fails', async () => {
    const windows = new SimulatedWindows().put('LocalMachine', 'Root', qaznet)
    const { env } = machine(windows)
    // Without the elevation module (run directly, not as administrator), certutil is refused.
    const direct: Elevation = { run: async (command, args) => ({ ...(await createElevation(env).run(command, args, { admin: false })), elevated: false }) }
    const outcome = await windowsWriter.apply(await windowsWriter.backup(target('LocalMachine'), env), 'delete', env, direct)
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/^certutil could not delete \w{40} from Cert:\\LocalMachine\\Root: & 'C:\\Windows\\System32\\certutil\.exe' -delstore Root \w{40} failed \(exit code 2147942405\): .*ERROR_ACCESS_DENIED\)\nCertUtil: Access is denied\.$/s) })
  })

  it('changes nothing when the certificate is already gone or already distrusted', async () => {
    const windows = new SimulatedWindows().put('CurrentUser', 'Root', qaznet)
    const { env, elevation, asked } = machine(windows)
    const backup = await windowsWriter.backup(target('CurrentUser'), env)
    windows.put('CurrentUser', 'Disallowed', qaznet)
    expect(await windowsWriter.apply(backup, 'distrust', env, elevation)).toMatchObject({ ok: true, commands: [], warnings: [expect.stringContaining('already in Untrusted Certificates')] })
    windows.physical.get('CurrentUser\\Root')!.clear()
    expect(await windowsWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: true, commands: [], warnings: [expect.stringContaining('already gone')] })
    expect(asked).toEqual([])
  })

  it('refuses to back up managed or missing entries, and to use a backup whose facts do not match', async () => {
    const windows = new SimulatedWindows().put('LocalMachineGroupPolicy', 'Root', isca)
    const { env, elevation, asked } = machine(windows)
    await expect(windowsWriter.backup(target('LocalMachineGroupPolicy', 'Root', isca), env)).rejects.toMatchObject({ code: 'manual-only' })
    const missing = await windowsWriter.backup(target('CurrentUser'), env).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(StoreError)
    expect(missing).toMatchObject({ code: 'entry-missing' })

    windows.put('CurrentUser', 'Root', qaznet)
    const backup = await windowsWriter.backup(target('CurrentUser'), env)
    for (const data of [{ ...backup.data, thumbprint: '0'.repeat(40) }, { ...backup.data, store: 'My' as 'Root' }, { ...backup.data, location: 'LocalMachine' as const }]) {
      expect(await windowsWriter.apply({ ...backup, data }, 'delete', env, elevation)).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('cannot be used') })
    }
    expect(asked).toEqual([])
  })

  it("is what the registry hands the removal engine; Firefox profiles on Windows go to CertAudit's own NSS writer, which never runs certutil (Windows' own tool has that name)", async () => {
    expect(STORES.windows).toBe(windowsStore)
    expect([windowsStore.apply, windowsStore.backup, windowsStore.restore, windowsStore.capabilities]).toEqual([windowsWriter.apply, windowsWriter.backup, windowsWriter.restore, windowsWriter.capabilities])
    const profile: EntryTarget = { ...target('CurrentUser'), storeId: 'nss:C:\\Users\\a\\Profiles\\x.default', kind: 'nss', location: 'C:\\Users\\a\\Profiles\\x.default' }
    const calls: string[][] = []
    const env = createEnvironment({ platform: 'win32', home: tempDir(), env: {}, run: async (command, args) => (calls.push([command, ...args]), { command: [command], exitCode: 0, stdout: Buffer.alloc(0), stderr: '' }) })
    // No such profile here: nothing to change. tests/stores/nss/write-without-certutil.test.ts changes real ones.
    expect(inWords(await STORES.nss.capabilities(profile, env))).toMatchObject({ modes: [], manual: expect.stringContaining('has no certificate database') })
    await expect(STORES.nss.backup(profile, env)).rejects.toMatchObject({ code: 'entry-missing' })
    expect(calls).toEqual([])
  })

  it("a root in both this user's and the computer's store is planned and removed in both: removing the computer's copy alone would leave the user's trusted", async () => {
    const windows = new SimulatedWindows().put('CurrentUser', 'Root', qaznet).put('LocalMachine', 'Root', qaznet)
    const { env, elevation } = machine(windows)
    const report = await scan({ kinds: ['windows'] }, { env, blocklist: blocklistWith(qaznet, { id: 'test-qaznet', category: 'government-interception', severity: 'critical' }), publicRoots: publicRootsFrom('none', []) })
    const [finding] = report.findings
    expect(finding?.locations.map((l) => l.location).sort()).toEqual(['Cert:\\CurrentUser\\Root', 'Cert:\\LocalMachine\\Root'])
    const plan = await planRemoval(report, [finding!.id], 'delete', env)
    const result = await applyPlan(plan, { env, elevation })
    expect(result.results.map((r) => [r.target.location, r.status]).sort()).toEqual([['Cert:\\CurrentUser\\Root', 'removed'], ['Cert:\\LocalMachine\\Root', 'removed']])
    expect([windows.has('CurrentUser', 'Root', qaznet), windows.has('LocalMachine', 'Root', qaznet)]).toEqual([false, false])
  })
})
