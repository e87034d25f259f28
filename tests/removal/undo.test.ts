/**
 * Issue 14, class 4: backups are evidence, not instructions. A real removal (a Firefox profile made by
 * certutil, a Debian anchor rebuilt by update-ca-certificates) is undone after its backups (and, where
 * said, its journal too) were edited as another program running as the user could: an anchor with an
 * extra root and a matching hash, NSS trust raised from C,, to CT,C,C, a backup naming another
 * database, a truncated backup. Undo refuses that entry with the reason, restores the others, and puts
 * no other certificate, no more trust and nothing in any other place. Before anything runs, `undo`
 * shows what goes back where and asks (removal:undo-preview, the same for the window).
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi } from '../../src/api/certaudit-api.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { changeDir } from '../../src/removal/data-dir.js'
import type { ChangeReport } from '../../src/removal/engine.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { certaudit, makeImage, qaznet, qaznetFinding, type Image } from '../support/image-machine.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { certutil, certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'

const evil = makeCertificate({ subject: [['CN', 'Evil Interception Root']], key: makeKey({ type: 'ec' }) })
const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex')
const ready = certutilInstalled && haveUpdateCaCertificates

interface Planted extends Image {
  readonly profile: string
  /** Another Firefox profile, which the change never touches. */
  readonly other: string
  readonly anchor: string
}

/** The look-alike in a Firefox profile (C,,) and as a Debian local anchor; another profile beside it. */
function plant(): Planted {
  const image = makeImage()
  const firefox = join(image.home, '.mozilla/firefox')
  const profile = makeNssDb(join(firefox, 'a1.default'), [{ nickname: 'Qaznet', trust: 'C,,', cert: qaznet }])
  const other = makeNssDb(join(image.home, 'other-db'), [])
  writeFileSync(join(firefox, 'profiles.ini'), '[Profile0]\nName=default\nIsRelative=1\nPath=a1.default\n')
  buildDebianTree(image.root, { local: { 'qaznet.crt': qaznet.pem } })
  return { ...image, profile, other, anchor: join(image.root, 'usr/local/share/ca-certificates/qaznet.crt') }
}

async function removed(machine: Planted): Promise<{ changeId: string; dir: string }> {
  const run = await certaudit(machine, ['remove', '--finding', qaznetFinding, '--yes', '--json'])
  const { result } = JSON.parse(run.stdout) as { result: ChangeReport }
  expect(result.results.map((r) => r.status)).toEqual(['removed', 'removed'])
  return { changeId: result.changeId, dir: changeDir(createEnvironment({ home: machine.home, systemRoot: machine.root, env: { XDG_DATA_HOME: machine.data } }), result.changeId) }
}

/** The backup file of the entry of `kind`, and its index in the plan. */
function backupOf(dir: string, kind: string): { file: string; index: number; json: { target: Record<string, unknown>; exportedPem: string; data: Record<string, unknown> } } {
  for (const name of readdirSync(join(dir, 'backups'))) {
    const file = join(dir, 'backups', name)
    const json = JSON.parse(readFileSync(file, 'utf8'))
    if (json.target.kind === kind) return { file, index: Number(name.slice(0, 3)), json }
  }
  throw new Error(`no ${kind} backup in ${dir}`)
}

/**
 * Writes a forged backup. `evidence`: the journal's record of it rewritten to match (its SHA-256), as
 * a program editing both would; the plan is left as the change made it.
 */
function forge(dir: string, kind: string, edit: (json: ReturnType<typeof backupOf>['json']) => void, evidence = false): void {
  const { file, index, json } = backupOf(dir, kind)
  edit(json)
  const bytes = JSON.stringify(json, null, 2)
  writeFileSync(file, bytes)
  if (!evidence) return
  const journal = join(dir, 'journal.jsonl')
  const lines = readFileSync(journal, 'utf8').split('\n').map((line) => {
    if (!line) return line
    const record = JSON.parse(line)
    if (record.step === 'backed-up' && record.index === index) record.evidence = { certificate: json.target.sha256, backup: sha256(bytes) }
    return JSON.stringify(record)
  })
  writeFileSync(journal, lines.join('\n'))
}

async function undo(machine: Planted): Promise<ChangeReport> {
  const run = await certaudit(machine, ['undo', '--yes', '--json'])
  return JSON.parse(run.stdout) as ChangeReport
}

const nssFlags = (dir: string) => certutil(['-L', '-d', `sql:${dir}`]).split('\n').find((l) => /Qaznet|Evil/.test(l))?.trim().split(/\s+/).pop() ?? '(absent)'
const byKind = (report: ChangeReport) => Object.fromEntries(report.results.map((r) => [r.target.kind, r]))
const trustedAnywhere = async (machine: Planted, sha: string) => {
  const { stdout } = await certaudit(machine, ['scan', '--json'])
  return stdout.includes(sha)
}

describe.skipIf(!ready)('undo refuses forged backups, entry by entry (skipped without certutil and update-ca-certificates)', () => {
  it('an anchor backup given an extra root and a matching hash: that entry is refused, the profile is restored, the extra root is nowhere', async () => {
    const machine = plant()
    const { dir } = await removed(machine)
    forge(dir, 'linux-system', (json) => {
      const bytes = Buffer.from(qaznet.pem + evil.pem)
      json.data = { ...json.data, fileBytes: bytes.toString('base64'), fileSha256: sha256(bytes) }
    })
    const report = byKind(await undo(machine))
    expect(report['linux-system']).toMatchObject({ status: 'failed', detail: expect.stringContaining('is not the file written when the change ran') })
    expect(report.nss).toMatchObject({ status: 'restored' })
    expect(existsSync(machine.anchor)).toBe(false)
    expect(await trustedAnywhere(machine, evil.sha256)).toBe(false)
  })

  it('… with the journal rewritten to match: the writer still writes back no certificate but the one removed', async () => {
    const machine = plant()
    const { dir } = await removed(machine)
    forge(dir, 'linux-system', (json) => {
      const bytes = Buffer.from(qaznet.pem + evil.pem)
      json.data = { ...json.data, fileBytes: bytes.toString('base64'), fileSha256: sha256(bytes) }
    }, true)
    const report = byKind(await undo(machine))
    expect(report['linux-system']).toMatchObject({ status: 'failed', detail: expect.stringContaining('holds certificates other than the one removed') })
    expect(existsSync(machine.anchor)).toBe(false)
    expect(await trustedAnywhere(machine, evil.sha256)).toBe(false)
  })

  it('an NSS backup edited from C,, to CT,C,C: refused; the certificate is not given any trust back', async () => {
    const machine = plant()
    const { dir } = await removed(machine)
    forge(dir, 'nss', (json) => void (json.data.trustFlags = 'CT,C,C'))
    const report = byKind(await undo(machine))
    expect(report.nss).toMatchObject({ status: 'failed', detail: expect.stringContaining('is not the file written when the change ran') })
    expect(report['linux-system']).toMatchObject({ status: 'restored' })
    expect(nssFlags(machine.profile)).toBe('(absent)')
  })

  it('a backup naming another database (its journal record matching): refused, the other database is untouched', async () => {
    const machine = plant()
    const { dir } = await removed(machine)
    const otherBefore = readFileSync(join(machine.other, 'cert9.db'))
    // The backup and its evidence in the journal: the plan still names the profile the change touched.
    forge(dir, 'nss', (json) => void (json.target = { ...json.target, location: machine.other, storeId: `nss:${machine.other}` }), true)
    const report = byKind(await undo(machine))
    expect(report.nss).toMatchObject({ status: 'failed', detail: expect.stringContaining('names another storeId, location') })
    expect(readFileSync(join(machine.other, 'cert9.db')).equals(otherBefore)).toBe(true)
    expect(nssFlags(machine.other)).toBe('(absent)')
    expect(report['linux-system']).toMatchObject({ status: 'restored' })
  })

  it('a truncated backup: that entry fails clearly, the other is restored', async () => {
    const machine = plant()
    const { dir } = await removed(machine)
    const { file } = backupOf(dir, 'nss')
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100))
    const report = byKind(await undo(machine))
    expect(report.nss).toMatchObject({ status: 'failed', detail: expect.stringContaining('cannot be used') })
    expect(report['linux-system']).toMatchObject({ status: 'restored' })
  })
})

describe.skipIf(!ready)('undo says what it will put back where, and asks first', () => {
  async function cliWith(machine: Planted, args: string[], ask?: (q: string) => Promise<string>): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: Boolean(ask), env: { LANG: 'C', XDG_DATA_HOME: machine.data }, ...(ask ? { ask } : {}) }
    const code = await main([...args, '--home', machine.home, '--system-root', machine.root], io)
    return { code, stdout, stderr }
  }

  it('lists each entry (what, where, as what, admin or not); no terminal and no --yes: nothing is put back; "n": nothing; "y": everything', async () => {
    const machine = plant()
    const { changeId } = await removed(machine)
    const noTerminal = await cliWith(machine, ['undo'])
    expect(noTerminal.code).toBe(2)
    expect(noTerminal.stderr).toContain('Confirm with --yes')
    expect(noTerminal.stdout).toContain(`(SHA-256 ${qaznet.sha256})`)
    expect(noTerminal.stdout).toContain(`into nss: ${machine.profile} — Qaznet, trusted (nickname "Qaznet", trustFlags "C,,")`)
    expect(noTerminal.stdout).toContain(`into linux-system: `)
    expect(nssFlags(machine.profile)).toBe('(absent)')

    const questions: string[] = []
    const declined = await cliWith(machine, ['undo'], async (q) => (questions.push(q), 'n'))
    expect(declined).toMatchObject({ code: 0, stdout: expect.stringContaining('Nothing was put back.') })
    expect(questions).toHaveLength(1)
    expect(nssFlags(machine.profile)).toBe('(absent)')

    const accepted = await cliWith(machine, ['undo', '--change', changeId], async () => 'y')
    expect(accepted.code, accepted.stdout).toBe(0)
    expect(nssFlags(machine.profile)).toBe('C,,')
    expect(existsSync(machine.anchor)).toBe(true)
  })

  it('removal:undo-preview (what the window confirms) gives the same list, refused entries with their reason, and changes nothing', async () => {
    const machine = plant()
    const { changeId, dir } = await removed(machine)
    forge(dir, 'nss', (json) => void (json.data.trustFlags = 'CT,C,C'))
    const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: { XDG_DATA_HOME: machine.data } })
    const api = createCertAuditApi({ env, version: 'test' })
    const preview = await api.handle('removal:undo-preview', { changeId })
    const entries = Object.fromEntries(preview.entries.map((e) => [e.target.kind, e]))
    expect(entries.nss).toMatchObject({ action: 'refused', detail: expect.stringContaining('is not the file written when the change ran') })
    expect(entries['linux-system']).toMatchObject({ action: 'put-back', needsAdmin: false, subject: expect.stringContaining('Qaznet Trust Network'), facts: expect.objectContaining({ file: machine.anchor }) })
    expect(existsSync(machine.anchor)).toBe(false)
    expect(nssFlags(machine.profile)).toBe('(absent)')
  })
})
