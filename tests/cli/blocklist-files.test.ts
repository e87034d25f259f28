/**
 * The blocklist files the commands read — `--blocklist FILE`, `blocklist verify|install FILE` and its
 * FILE.sig, the installed lists in the data folder — as FIFOs, devices, sockets, huge sparse files and
 * link loops (issue 14, class 1): each is refused at once with a clear message, never waited on or read
 * without end. On the old code `scan --blocklist /dev/zero` ran out of memory and `blocklist verify`
 * with a FIFO signature hung. And (class 7) the report says whether the list it used is signed.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import type * as signatureModule from '../../src/audit/blocklist-signature.js'
import type { ScanReport } from '../../src/audit/report.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { listVersion, writeSignedList } from '../support/blocklists.js'
import { makeCertificate } from '../support/certificates.js'
import { cannotMake, makeSpecial, SAYS, type SpecialKind } from '../support/special-files.js'
import { tempDir } from '../support/temp.js'

// The project's private key is never in the repository: these tests sign with their own key and put its
// public half where the app looks for the project's (everything else runs as shipped).
const testKey = await vi.hoisted(async () => (await import('node:crypto')).generateKeyPairSync('ed25519'))
vi.mock('../../src/audit/blocklist-signature.js', async (importOriginal) => ({
  ...(await importOriginal<typeof signatureModule>()),
  projectSigningKeys: () => [testKey.publicKey],
}))

const bundled = loadBlocklist()
const KINDS: readonly SpecialKind[] = ['fifo', 'zero-link', 'urandom-link', 'socket', 'char-device', 'sparse', 'link-loop', 'folder']
/** Every refusal below comes at once; the old code hung or read for minutes. */
const PROMPT_MS = 3000

function setup() {
  const dir = tempDir()
  const data = join(dir, 'data')
  const env = { LANG: 'C', XDG_DATA_HOME: data }
  const run = async (args: string[]) => {
    let stdout = ''
    let stderr = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env }
    const started = Date.now()
    const code = await main([...args, '--home', dir], io)
    return { code, stdout, stderr, ms: Date.now() - started }
  }
  const bundle = join(dir, 'one.pem')
  writeFileSync(bundle, makeCertificate({ subject: [['CN', 'Example Root']] }).pem)
  return { dir, data, run, bundle }
}

describe('blocklist files that are not regular files', () => {
  for (const kind of KINDS) {
    it(`scan --blocklist (${kind}) fails at once, saying what the file is`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const { dir, run, bundle } = setup()
      const path = join(dir, 'roots-blocklist.json')
      makeSpecial(kind, path)
      const result = await run(['scan', '--json', '--file', bundle, '--blocklist', path])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain(`certaudit: Cannot read the blocklist ${path}: `)
      expect(result.stderr).toMatch(SAYS[kind])
      expect(result.ms).toBeLessThan(PROMPT_MS)
    })

    it(`blocklist verify and install with FILE.sig (${kind}) are refused at once; nothing is installed`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const { dir, run } = setup()
      const file = writeSignedList(join(dir, 'update.json'), listVersion(bundled.version + 1, '2027-01-01'), testKey)
      makeSpecial(kind, `${file}.sig`)
      for (const action of ['verify', 'install']) {
        const result = await run(['blocklist', action, file])
        expect(result.code, action).toBe(2)
        expect(result.stderr).toContain(`${file}.sig`)
        expect(result.stderr).toMatch(SAYS[kind])
        expect(result.ms).toBeLessThan(PROMPT_MS)
      }
      expect(JSON.parse((await run(['blocklist', 'status', '--json'])).stdout).active).toMatchObject({ source: 'bundled', version: bundled.version })
    })

    it(`blocklist verify FILE (${kind}) is refused at once`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const { dir, run } = setup()
      const file = join(dir, 'update.json')
      makeSpecial(kind, file)
      writeFileSync(`${file}.sig`, 'AAAA\n')
      const result = await run(['blocklist', 'verify', file])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(SAYS[kind])
      expect(result.ms).toBeLessThan(PROMPT_MS)
    })

    it(`an installed list that became ${kind} is ignored with a warning; the scan uses the bundled list`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) return context.skip(reason)
      const { dir, data, run, bundle } = setup()
      const file = writeSignedList(join(dir, 'update.json'), listVersion(bundled.version + 1, '2027-01-01'), testKey)
      expect((await run(['blocklist', 'install', file])).code).toBe(0)
      const installed = join(data, 'certaudit/blocklist/current.signed.json')
      makeSpecial(kind, installed)
      const result = await run(['scan', '--json', '--file', bundle])
      expect(result.ms).toBeLessThan(PROMPT_MS)
      expect(result.stderr).toContain(installed)
      expect(result.stderr).toMatch(/Using the bundled list/)
      const report = JSON.parse(result.stdout) as ScanReport
      expect(report.blocklist).toEqual({ version: bundled.version, updated: bundled.updated, source: 'bundled', signed: true })
    })
  }
})

describe('the report says whether its blocklist is signed (class 7)', () => {
  it('the bundled list: source bundled, signed', async () => {
    const { run, bundle } = setup()
    const result = await run(['scan', '--json', '--file', bundle])
    expect((JSON.parse(result.stdout) as ScanReport).blocklist).toEqual({ version: bundled.version, updated: bundled.updated, source: 'bundled', signed: true })
    expect(result.stderr).toBe('')
  })

  it('--blocklist signed with the release key: source file, signed, no warning', async () => {
    const { dir, run, bundle } = setup()
    const list = writeSignedList(join(dir, 'mine.json'), listVersion(bundled.version, bundled.updated), testKey)
    const result = await run(['scan', '--json', '--file', bundle, '--blocklist', list])
    expect((JSON.parse(result.stdout) as ScanReport).blocklist).toMatchObject({ source: 'file', signed: true })
    expect(result.stderr).toBe('')
  })

  const unsigned: readonly [string, (list: string) => void, RegExp][] = [
    ['without a .sig', () => {}, /has no signature file/],
    ['with a signature by another key', (list) => writeFileSync(`${list}.sig`, Buffer.alloc(64, 7).toString('base64')), /does not match/],
    ['with a .sig that is not a signature', (list) => writeFileSync(`${list}.sig`, 'hello'), /not a base64 Ed25519 signature/],
    ['with a .sig that is a FIFO', (list) => makeSpecial('fifo', `${list}.sig`), /signature file cannot be read: .*named pipe/],
    ['edited after it was signed', (list) => writeFileSync(list, JSON.stringify(listVersion(bundled.version, bundled.updated)) + ' '), /does not match/],
  ]
  for (const [name, spoil, why] of unsigned) {
    it(`--blocklist ${name}: used, with a warning on stderr, and the report says signed: false`, async () => {
      const { dir, run, bundle } = setup()
      const list = writeSignedList(join(dir, 'mine.json'), listVersion(bundled.version, bundled.updated), testKey)
      if (name === 'without a .sig') rmSync(`${list}.sig`)
      spoil(list)
      for (const format of ['--json', '--format=jsonl', '--format=human']) {
        const result = await run(['scan', format, '--file', bundle, '--blocklist', list])
        expect(result.code, format).toBe(0)
        expect(result.stderr).toContain(`certaudit: warning: The blocklist ${list} is not signed with CertAudit's release key (`)
        expect(result.stderr).toMatch(why)
        expect(result.stderr).toMatch(/it may leave out certificates or rate them lower than the official list/)
        if (format === '--json') expect((JSON.parse(result.stdout) as ScanReport).blocklist).toEqual({ version: bundled.version, updated: bundled.updated, source: 'file', signed: false })
      }
    })
  }

  it('a list signed with the release key but not a valid list is refused (exit 2), not used unsigned', async () => {
    const { dir, run, bundle } = setup()
    const list = writeSignedList(join(dir, 'bad.json'), { version: 'x' }, testKey)
    const result = await run(['scan', '--json', '--file', bundle, '--blocklist', list])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/is signed but is not a valid blocklist/)
  })
})
