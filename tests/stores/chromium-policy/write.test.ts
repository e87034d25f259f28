/**
 * Removing a root from a Chromium policy file on Linux, through the removal engine on real files in a
 * temp system root: plan (which file, what it says in each language), backup of the whole file, the
 * edit that keeps every other byte, verification by re-reading, undo to the exact original bytes, and
 * the refusals that keep someone else's edits. pkexec needs a desktop session's polkit agent, which a
 * test machine cannot have: where the file is not writable, a runner stands in for pkexec (recording
 * the command, answering as the dialog would); the command it is handed is real.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { applyPlan, undoChange } from '../../../src/removal/engine.js'
import { planRemoval } from '../../../src/removal/plan.js'
import { chromiumPolicyStore } from '../../../src/stores/chromium-policy/index.js'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { inWords } from '../../support/notices.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Root']] })
const b64 = (c: { der: Buffer }) => c.der.toString('base64')
const isRoot = process.getuid?.() === 0
const DIR = 'etc/opt/chrome/policies/managed'

/** What an administrator writes: comments, odd spacing, several policies, the root in three of them. */
const POLICY = `{
  // Corporate proxy, and the ISP's root (asked for by the ISP)
  "HomepageLocation": "https://intranet.example",
  "CACertificates": [
    "${b64(corp)}",   // corp
    "${b64(qaznet)}",
  ],
  "CACertificatesWithConstraints": [
    { "certificate": "${b64(qaznet)}", "constraints": { "permitted_dns_names": ["kz"] } }
  ],
  "CAHintCertificates": ["${b64(qaznet)}"]
}
`
const WITHOUT = `{
  // Corporate proxy, and the ISP's root (asked for by the ISP)
  "HomepageLocation": "https://intranet.example",
  "CACertificates": [
    "${b64(corp)}",   // corp
  ],
  "CACertificatesWithConstraints": [
  ],
  "CAHintCertificates": []
}
`

function machine(content = POLICY, run: CommandRunner = runCommand) {
  const root = tempDir('certaudit-chromium-write-')
  const home = tempDir('certaudit-chromium-home-')
  const file = put(root, `${DIR}/corp.json`, content)
  chmodSync(file, 0o640)
  const edge = put(root, 'etc/opt/edge/policies/recommended/edge.json', JSON.stringify({ CACertificates: [b64(qaznet)] }))
  const env = createEnvironment({ platform: 'linux', home, systemRoot: root, env: {}, run })
  return { root, env, file, edge }
}

async function planFor(env: Environment, mode: 'delete' | 'distrust' = 'delete', language: 'en' | 'ru' | 'kk' = 'en') {
  const report = await scan({ kinds: ['chromium-policy'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
  const finding = report.findings.find((f) => f.certificate.sha256 === qaznet.sha256)!
  return planRemoval(report, [finding.id], mode, env, { language })
}

async function trustedIn(env: Environment, path: string): Promise<string[]> {
  const [location] = (await chromiumPolicyStore.discover(env)).filter((l) => l.location === path)
  const found: string[] = []
  for await (const item of chromiumPolicyStore.list(location!, env)) if (item.type === 'entry' && item.trust === 'trusted') found.push(item.entry)
  return found
}

describe('removing a root from a Chromium policy file (Linux)', () => {
  it('plans one change per entry, naming the file, in the user’s language', async () => {
    const { env, file, edge } = machine()
    const plan = await planFor(env)
    expect(plan.changes.map((c) => [c.target.location, c.target.entry, c.action, c.needsAdmin])).toEqual([
      [file, 'CACertificates #2', 'delete', false],
      [file, 'CACertificatesWithConstraints #1 (only for kz)', 'delete', false],
      [edge, 'CACertificates #1', 'delete', false],
    ])
    expect(plan.changes[0]!.warning).toBe(
      `Google Chrome trusts this certificate because its policy file ${file} lists it (CACertificates, CACertificatesWithConstraints), and it comes back as long as the file does. CertAudit takes it out of that file and leaves the rest of the file as it is (a copy of the whole file is kept for undo). Restart Google Chrome afterwards, or reload its policies on its policy page (chrome://policy). If your organisation put this file there, it may put the certificate back: ask them to remove it from the policy.`,
    )
    expect((await planFor(env, 'delete', 'ru')).changes[0]!.warning).toMatch(/^Google Chrome доверяет этому сертификату, потому что его файл политик .*corp\.json перечисляет его/)
    expect((await planFor(env, 'delete', 'kk')).changes[2]!.warning).toMatch(/^Microsoft Edge бұл сертификатқа сенеді/)
  })

  it('takes it out of every list that trusts it, keeps every other byte, verifies by re-reading; undo puts the exact bytes back', async () => {
    const { env, file, edge } = machine()
    const edgeBefore = readFileSync(edge)
    const plan = await planFor(env)
    const ctx = { env, elevation: createElevation(env) }
    const applied = await applyPlan(plan, ctx)
    // The second entry of the same file was taken out with the first: nothing left to do there.
    expect(applied.results.map((r) => r.status)).toEqual(['removed', 'skipped', 'removed'])
    expect(readFileSync(file, 'utf8')).toBe(WITHOUT)
    expect(statSync(file).mode & 0o7777).toBe(0o640)
    expect(await trustedIn(env, file)).toEqual(['CACertificates #1'])
    expect(JSON.parse(readFileSync(edge, 'utf8'))).toEqual({ CACertificates: [] })

    const undone = await undoChange(plan.id, ctx)
    expect(undone.results.map((r) => r.status)).toEqual(['restored', 'skipped', 'restored'])
    expect(readFileSync(file, 'utf8')).toBe(POLICY)
    expect(readFileSync(edge).equals(edgeBefore)).toBe(true)
    expect(statSync(file).mode & 0o7777).toBe(0o640)
  })

  it('keeps a distrust in place: a file that also distrusts the root is only taken out of the lists that trust it', async () => {
    const content = JSON.stringify({ CACertificates: [b64(qaznet), b64(corp)], CADistrustedCertificates: [b64(qaznet)] }, null, 2)
    const { env, file } = machine(content)
    const plan = await planFor(env, 'delete')
    const change = plan.changes.find((c) => c.target.location === file)!
    expect(change.action).toBe('distrust')
    expect(change.warning).toContain('This file also distrusts the certificate (CADistrustedCertificates): that stays')
    expect(change.warning).toContain('This store cannot delete a certificate; it will be distrusted instead.')
    const ctx = { env, elevation: createElevation(env) }
    expect((await applyPlan(plan, ctx)).results.map((r) => r.status)).toEqual(['distrusted', 'removed'])
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ CACertificates: [b64(corp)], CADistrustedCertificates: [b64(qaznet)] })
    await undoChange(plan.id, ctx)
    expect(readFileSync(file, 'utf8')).toBe(content)
  })

  it('leaves a file changed since the backup alone, and undo leaves alone a file changed since CertAudit edited it', async () => {
    const { env, file } = machine()
    const target = (await planFor(env)).changes[0]!.target
    const elevation = createElevation(env)
    const backup = await chromiumPolicyStore.backup(target, env)
    writeFileSync(file, POLICY.replace('intranet', 'portal'))
    expect(await chromiumPolicyStore.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: false, message: expect.stringContaining('changed after the backup was made, so CertAudit left it alone') })
    expect(readFileSync(file, 'utf8')).toBe(POLICY.replace('intranet', 'portal'))

    writeFileSync(file, POLICY)
    expect((await chromiumPolicyStore.apply(backup, 'delete', env, elevation)).ok).toBe(true)
    writeFileSync(file, `${WITHOUT}\n`) // someone edits it afterwards
    expect(await chromiumPolicyStore.restore(backup, env, elevation)).toMatchObject({ ok: false, message: expect.stringContaining('was changed after CertAudit edited it, so it was left alone') })
    expect(readFileSync(file, 'utf8')).toBe(`${WITHOUT}\n`)
    unlinkSync(file)
    expect(await chromiumPolicyStore.restore(backup, env, elevation)).toMatchObject({ ok: false, message: expect.stringContaining('was deleted after CertAudit edited it') })
  })

  it('keeps the whole file in the backup, checked by its schema; a backup that names another file writes nowhere', async () => {
    const { env, file } = machine()
    const target = (await planFor(env)).changes[0]!.target
    const backup = await chromiumPolicyStore.backup(target, env)
    expect(backup.data).toEqual({ file, fileMode: 0o640, fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/), fileBytes: Buffer.from(POLICY).toString('base64') })
    expect(chromiumPolicyStore.backupData.safeParse(backup.data).success).toBe(true)
    for (const damaged of [{ ...backup.data, fileSha256: 'x' }, { ...backup.data, fileBytes: '***' }, { file }, { ...backup.data, extra: 1 }]) expect(chromiumPolicyStore.backupData.safeParse(damaged).success).toBe(false)
    const elsewhere = put(tempDir(), 'victim.json', POLICY)
    const outcome = await chromiumPolicyStore.apply({ ...backup, data: { ...backup.data, file: elsewhere } }, 'delete', env, createElevation(env))
    expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining(`was made for ${elsewhere}, not for ${file}`) })
    expect(readFileSync(elsewhere, 'utf8')).toBe(POLICY)
  })
})

/** Whether `chattr +i` works here: the one read-only state that root (these tests' user) respects. */
const chattrWorks = (() => {
  const probe = put(tempDir(), 'probe', 'x')
  const on = spawnSync('chattr', ['+i', probe])
  spawnSync('chattr', ['-i', probe])
  return on.status === 0
})()
const cannotLock = isRoot && !chattrWorks ? 'root cannot be kept from writing here (chattr +i is not available)' : null

describe.skipIf(cannotLock !== null)(`a policy file this user cannot write (/etc belongs to root)${cannotLock ? ` (skipped: ${cannotLock})` : ''}`, () => {
  const lock = (path: string) => (isRoot ? spawnSync('chattr', ['+i', path]) : chmodSync(path, 0o444))
  const unlock = (path: string) => (isRoot ? spawnSync('chattr', ['-i', path]) : chmodSync(path, 0o644))

  /** pkexec as the user answers it: recorded, then dismissed, or approved (the command runs as root, the lock lifted meanwhile). */
  function pkexec(answer: 'dismiss' | 'approve', locked: string) {
    const asked: string[][] = []
    const run: CommandRunner = async (command, args, options) => {
      if (command !== 'pkexec') return runCommand(command, args, options)
      asked.push([command, ...args])
      if (answer === 'dismiss') return { command: [command, ...args], exitCode: 126, stdout: Buffer.alloc(0), stderr: 'Error executing command as another user: Request dismissed' }
      unlock(locked)
      try {
        return { ...(await runCommand(args[0]!, args.slice(1), options)), command: [command, ...args] }
      } finally {
        lock(locked)
      }
    }
    return { run, asked }
  }

  it('needs the admin prompt, asks it for exactly one install command, and changes nothing when it is dismissed', async () => {
    const prompt = pkexec('dismiss', '')
    const { env, file } = machine(POLICY, prompt.run)
    lock(file)
    try {
      const plan = await planFor(env)
      expect(plan.changes[0]!.needsAdmin).toBe(true)
      const applied = await applyPlan({ ...plan, changes: [plan.changes[0]!] }, { env, elevation: createElevation(env, { isRoot: false }) })
      expect(applied.results[0]).toMatchObject({ status: 'failed', detail: expect.stringMatching(/pkexec install -m 0640 -T -- .* failed \(exit code 126\)[\s\S]*cancelled or refused/) })
      expect(prompt.asked).toEqual([['pkexec', 'install', '-m', '0640', '-T', '--', expect.stringMatching(/content$/), file]])
      expect(readFileSync(file, 'utf8')).toBe(POLICY)
    } finally {
      unlock(file)
    }
  })

  it.skipIf(!isRoot)('edits the file through the admin prompt when it is approved, and undo goes through it too (root only: the approved command must really run)', async () => {
    const holder: { file?: string } = {}
    const run: CommandRunner = (command, args, options) => pkexec('approve', holder.file!).run(command, args, options)
    const { env, file } = machine(POLICY, run)
    holder.file = file
    lock(file)
    try {
      const plan = await planFor(env)
      const ctx = { env, elevation: createElevation(env, { isRoot: false }) }
      expect((await applyPlan(plan, ctx)).results.map((r) => r.status)).toEqual(['removed', 'skipped', 'removed'])
      expect(readFileSync(file, 'utf8')).toBe(WITHOUT)
      expect((await undoChange(plan.id, ctx)).results.map((r) => r.status)).toEqual(['restored', 'skipped', 'restored'])
      expect(readFileSync(file, 'utf8')).toBe(POLICY)
    } finally {
      unlock(file)
    }
  })
})

describe('what cannot be edited is explained, not changed', () => {
  it('an installed flatpak extension is replaced on every update: remove the extension', async () => {
    const root = tempDir()
    const file = put(root, 'var/lib/flatpak/runtime/org.chromium.Chromium.Extension.corp/x86_64/1/active/files/policies/managed/p.json', JSON.stringify({ CACertificates: [b64(qaznet)] }))
    const env = createEnvironment({ platform: 'linux', home: tempDir(), systemRoot: root, env: {} })
    const target: EntryTarget = { storeId: `chromium-policy:${file}`, kind: 'chromium-policy', location: file, entry: 'CACertificates #1', sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted', facts: { browser: 'Chromium (flatpak)' } }
    expect(inWords(await chromiumPolicyStore.capabilities(target, env))).toEqual({
      modes: [],
      needsAdmin: false,
      manual: `Chromium (flatpak) trusts this certificate because the flatpak extension org.chromium.Chromium.Extension.corp installs a policy file that lists it (${file}). Flatpak replaces that file on every update, so CertAudit does not edit it. Remove the extension, then restart Chromium (flatpak): flatpak uninstall --system org.chromium.Chromium.Extension.corp`,
    })
    await expect(chromiumPolicyStore.backup(target, env)).rejects.toMatchObject({ code: 'manual-only' })
  })
})
