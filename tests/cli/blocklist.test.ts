import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import type * as signatureModule from '../../src/audit/blocklist-signature.js'
import type { ScanReport } from '../../src/audit/report.js'
import { runBlocklistCommand } from '../../src/cli/blocklist-commands.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { listVersion, entryFor, makeSigningKey, writeSignedList } from '../support/blocklists.js'
import { makeCertificate } from '../support/certificates.js'
import { expectShownSafely, HOSTILE_NAMES } from '../support/hostile-text.js'
import { tempDir } from '../support/temp.js'

// The project's private key is never in the repository: these tests sign with their own key and put its
// public half where the app looks for the project's (everything else runs as shipped).
const testKey = await vi.hoisted(async () => (await import('node:crypto')).generateKeyPairSync('ed25519'))
vi.mock('../../src/audit/blocklist-signature.js', async (importOriginal) => ({
  ...(await importOriginal<typeof signatureModule>()),
  projectSigningKeys: () => [testKey.publicKey],
}))

const bundled = loadBlocklist()

function setup() {
  const dir = tempDir()
  const env = { LANG: 'C', XDG_DATA_HOME: join(dir, 'data') }
  const run = async (args: string[]) => {
    let stdout = ''
    let stderr = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env }
    const code = await main(args, io)
    return { code, stdout, stderr }
  }
  const list = (version: number, updated: string, extra: Record<string, unknown>[] = []) =>
    writeSignedList(join(dir, `roots-blocklist-${version}.json`), listVersion(version, updated, extra), testKey)
  return { dir, run, list }
}

describe('certaudit blocklist', () => {
  it('verify, install, status and rollback a signed list', async () => {
    const { run, list } = setup()
    const v2 = list(bundled.version + 1, '2027-01-01')
    expect(await run(['blocklist', 'verify', v2])).toMatchObject({
      code: 0,
      stdout: `${v2}: signature valid; version ${bundled.version + 1} of 2027-01-01, ${bundled.entries.length} entries.\n"certaudit blocklist install" would use it.\n`,
    })
    expect(await run(['blocklist', 'install', v2])).toMatchObject({ code: 0, stdout: `Installed version ${bundled.version + 1} of 2027-01-01 (was version ${bundled.version} of ${bundled.updated}).\n` })
    expect(await run(['blocklist', 'install', v2])).toMatchObject({ code: 0, stdout: expect.stringContaining('is already installed and in use') })
    const v3 = list(bundled.version + 2, '2027-02-01')
    expect((await run(['blocklist', 'install', v3])).code).toBe(0)
    const status = await run(['blocklist', 'status'])
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(new RegExp(`^Blocklist in use: version ${bundled.version + 2} of 2027-02-01, \\d+ entries \\(installed update: .*current.signed.json\\)\\.\\nPrevious list \\(for rollback\\): version ${bundled.version + 1} of 2027-01-01\\.`))
    expect(await run(['blocklist', 'rollback'])).toMatchObject({ code: 0, stdout: expect.stringContaining(`Rolled back to version ${bundled.version + 1} of 2027-01-01`) })
    const json = JSON.parse((await run(['blocklist', 'status', '--json'])).stdout) as { active: { version: number; source: string } }
    expect(json.active).toMatchObject({ version: bundled.version + 1, source: 'installed' })
  })

  it('file names and the data folder are shown with their hidden characters made visible', async () => {
    const { dir, run } = setup()
    const hostile = `${HOSTILE_NAMES.clearScreen}${HOSTILE_NAMES.reversed}${HOSTILE_NAMES.fakeLines}`
    const v2 = writeSignedList(join(dir, `${hostile}.json`), listVersion(bundled.version + 1, '2027-01-01'), testKey)
    const verified = await run(['blocklist', 'verify', v2])
    expect(verified.code).toBe(0)
    expectShownSafely(verified.stdout, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩'])
    writeFileSync(`${v2}.sig`, 'not a signature\n')
    const refused = await run(['blocklist', 'install', v2])
    expect(refused.code).toBe(1)
    expectShownSafely(refused.stderr, ['⟨U+001B⟩[2J'])
    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C', XDG_DATA_HOME: join(dir, hostile) } }
    expect(await main(['blocklist', 'status'], io)).toBe(0)
    expect(stdout).toMatch(/^Blocklist in use: version \d+ of .*bundled with CertAudit/) // the bundled list: the status still reads right
    writeSignedList(join(dir, 'v3.json'), listVersion(bundled.version + 2, '2027-02-01'), testKey)
    expect(await main(['blocklist', 'install', join(dir, 'v3.json')], io)).toBe(0)
    stdout = ''
    expect(await main(['blocklist', 'status'], io)).toBe(0)
    expectShownSafely(stdout, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩']) // the installed list's path, in the hostile data folder
  })

  it('a tampered list is refused with a clear message and the bundled list stays in use', async () => {
    const { run, list } = setup()
    const file = list(bundled.version + 1, '2027-01-01')
    writeFileSync(file, readFileSync(file, 'utf8').replace('"kz-qaznet-2016"', '"kz-qaznet-2016x"'))
    for (const action of ['verify', 'install']) {
      const result = await run(['blocklist', action, file])
      expect(result.code, action).toBe(1)
      expect(result.stderr, action).toBe(
        `certaudit: The signature of ${file} does not match: the list was changed after it was signed, or it was signed with another key than CertAudit's. It is refused.\n`,
      )
    }
    expect((await run(['blocklist', 'status'])).stdout).toContain(`version ${bundled.version} of ${bundled.updated}, ${bundled.entries.length} entries (bundled with CertAudit`)
  })

  it('refuses, with exit 1 and a reason: no .sig, another key, a downgrade, nothing to roll back', async () => {
    const { run, list, dir } = setup()
    const unsigned = join(dir, 'unsigned.json')
    writeFileSync(unsigned, JSON.stringify(listVersion(bundled.version + 1, '2027-01-01')))
    expect(await run(['blocklist', 'install', unsigned])).toMatchObject({ code: 1, stderr: expect.stringContaining(`${unsigned} has no signature file (${unsigned}.sig)`) })
    const foreign = writeSignedList(join(dir, 'foreign.json'), listVersion(bundled.version + 1, '2027-01-01'), makeSigningKey())
    expect(await run(['blocklist', 'install', foreign])).toMatchObject({ code: 1, stderr: expect.stringContaining('signed with another key than CertAudit') })
    const old = list(bundled.version, '2020-01-01')
    expect(await run(['blocklist', 'install', old])).toMatchObject({ code: 1, stderr: expect.stringContaining('is not newer than the one in use') })
    const verifyOld = await run(['blocklist', 'verify', old])
    expect(verifyOld).toMatchObject({ code: 0, stdout: expect.stringContaining('"certaudit blocklist install" would refuse it') })
    expect(await run(['blocklist', 'rollback'])).toMatchObject({ code: 1, stderr: 'certaudit: There is no previous blocklist to go back to.\n' })
    const refused = JSON.parse((await run(['blocklist', 'install', '--json', foreign])).stdout) as { ok: boolean; error: { code: string } }
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })

  it('exits 2 on usage errors and unreadable files', async () => {
    const { run, dir } = setup()
    expect(await run(['blocklist'])).toMatchObject({ code: 2, stderr: expect.stringContaining('say what to do: status, verify, install or rollback') })
    expect(await run(['blocklist', 'install'])).toMatchObject({ code: 2, stderr: expect.stringContaining("needs the list's FILE") })
    expect(await run(['blocklist', 'update'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown blocklist action "update"') })
    expect(await run(['blocklist', 'status', 'extra'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unexpected argument "extra"') })
    expect(await run(['blocklist', 'verify', join(dir, 'missing.json')])).toMatchObject({ code: 2, stderr: expect.stringContaining('missing.json does not exist') })
  })

  it('takes the key it trusts from its caller (the app can pass its own)', async () => {
    const { list, dir } = setup()
    const file = list(bundled.version + 1, '2027-01-01')
    let stderr = ''
    const io: CliIo = { stdout: () => {}, stderr: (t) => void (stderr += t), isTty: false, env: { XDG_DATA_HOME: join(dir, 'data2') } }
    expect(await runBlocklistCommand(['verify', file], io, { publicKeys: [makeSigningKey().publicKey] })).toBe(1)
    expect(stderr).toContain('does not match')
  })
})

describe('every command uses the installed list', () => {
  const listed = makeCertificate({ subject: [['O', 'Freshly Listed Interception Box'], ['CN', 'Box Root']] })

  it('scan finds a certificate that only the installed update lists; the list version is in the report', async () => {
    const { run, list, dir } = setup()
    const bundle = join(dir, 'box.pem')
    writeFileSync(bundle, listed.pem)
    const before = JSON.parse((await run(['scan', '--json', '--file', bundle])).stdout) as ScanReport
    expect(before.findings[0]).toMatchObject({ rule: 'unknown-root', blocklistEntry: null })

    await run(['blocklist', 'install', list(bundled.version + 1, '2027-01-01', [entryFor(listed, { id: 'test-box-2027' })])])
    const after = await run(['scan', '--json', '--file', bundle])
    const report = JSON.parse(after.stdout) as ScanReport
    expect(after.code).toBe(1)
    expect(report.blocklist).toEqual({ version: bundled.version + 1, updated: '2027-01-01', source: 'installed', signed: true })
    expect(report.findings[0]).toMatchObject({ rule: 'known-interception', severity: 'critical', blocklistEntry: { id: 'test-box-2027' }, matchedBy: 'sha256' })

    const pack = JSON.parse((await run(['export', 'osquery-pack'])).stdout) as { queries: Record<string, { query: string }> }
    expect(pack.queries.certaudit_known_bad_roots_windows!.query).toContain(`'${listed.sha1}'`)
  })

  it('an installed list changed on disk is ignored with a warning on stderr, and the bundled list is used', async () => {
    const { run, list, dir } = setup()
    await run(['blocklist', 'install', list(bundled.version + 1, '2027-01-01')])
    const path = join(dir, 'data', 'certaudit', 'blocklist', 'current.signed.json')
    writeFileSync(path, readFileSync(path, 'utf8').replace('"severity\\": \\"critical\\"', '"severity\\": \\"medium\\"'))
    const bundle = join(dir, 'box.pem')
    writeFileSync(bundle, listed.pem)
    const { stdout, stderr } = await run(['scan', '--json', '--file', bundle])
    expect(stderr).toMatch(/^certaudit: The signature of the installed blocklist .*current\.signed\.json does not match.* Using the bundled list/)
    expect((JSON.parse(stdout) as ScanReport).blocklist.version).toBe(bundled.version)
    expect((await run(['blocklist', 'status'])).code).toBe(1)
  })
})
