import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { makeCertificate } from '../support/certificates.js'
import { certificateFacts, CORPUS_ABSENT_REASON, corpusAvailable, factPem, loadFacts } from '../support/corpus.js'
import { CANNOT_DENY, nodeCommand, readableBundle } from '../support/as-nobody.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()
const BIN = fileURLToPath(new URL('../../bin/certaudit.mjs', import.meta.url))
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

/** Runs the CLI in-process and captures what it prints. */
async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', ...env } }
  const code = await main(args, io)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as ScanReport }
}

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const qaznetLookalike = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const corporate = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Inspection CA']] })

describe('certaudit scan --file', () => {
  it('prints the verdict first, then findings by severity, and exits 1 on a high finding', async () => {
    const bundle = write('mixed.pem', corporate.pem + qaznetLookalike.pem)
    const { code, stdout } = await run(['scan', '--file', bundle])
    expect(code).toBe(1)
    const lines = stdout.split('\n')
    // A new key under Qaznet's name: browsers do not block the copy, and the verdict does not say they do.
    expect(lines[0]).toBe('A copy of a certificate used to read people’s secure connections is installed on this computer.')
    expect(stdout.indexOf('[HIGH] Qaznet Trust Network')).toBeLessThan(stdout.indexOf('[REVIEW]'))
    expect(stdout).toMatch(new RegExp(`file: ${bundle} — certificate 2 \\(line \\d+\\)`))
  })

  it('--json prints the documented, stable report', async () => {
    const bundle = write('lookalike.pem', qaznetLookalike.pem)
    const { code, json } = await run(['scan', '--json', '--file', bundle])
    expect(code).toBe(1)
    const report = json()
    expect(Object.keys(report)).toEqual(['schemaVersion', 'scannedAt', 'platform', 'language', 'blocklist', 'verdict', 'summary', 'stores', 'findings', 'problems'])
    expect(report).toMatchObject({
      schemaVersion: 1,
      platform: process.platform,
      verdict: { level: 'high' },
      summary: { certificates: 1, entries: 1, findings: { critical: 0, high: 1, medium: 0, review: 0, info: 0 } },
      stores: [{ id: `file:${bundle}`, kind: 'file', location: bundle, entryCount: 1, status: 'ok' }],
      problems: [],
    })
    const [finding] = report.findings
    expect(finding).toMatchObject({
      id: qaznetLookalike.sha256.slice(0, 16),
      rule: 'lookalike',
      severity: 'high',
      certificate: { sha256: qaznetLookalike.sha256, spkiSha256: qaznetLookalike.spkiSha256, sha1: qaznetLookalike.sha1, subject: 'CN=Qaznet Trust Network,C=KZ', issuer: 'CN=Qaznet Trust Network,C=KZ' },
      blocklistEntry: { id: 'kz-qaznet-2016', category: 'government-interception', country: 'KZ' },
      locations: [{ storeId: `file:${bundle}`, kind: 'file', location: bundle, entry: 'certificate 1 (line 1)' }],
    })
    expect(finding!.explanation.length).toBeGreaterThan(50)
    expect(finding!.advice.length).toBeGreaterThan(20)
    expect(new Date(report.scannedAt).getTime()).not.toBeNaN()
  })

  it('exits 0 when nothing critical or high is found', async () => {
    const { code, json } = await run(['scan', '--json', '--file', write('corp.pem', corporate.pem)])
    expect(code).toBe(0)
    expect(json().verdict.level).toBe('review')
  })

  it('speaks Russian and Kazakh, from --lang or from LANG', async () => {
    const bundle = write('lookalike-ru.pem', qaznetLookalike.pem)
    expect((await run(['scan', '--file', bundle, '--lang', 'ru'])).stdout).toMatch(/^На этом компьютере установлена копия сертификата/)
    expect((await run(['scan', '--file', bundle], { LANG: 'kk_KZ.UTF-8' })).stdout).toMatch(/^Бұл компьютерде/)
  })

  it('turns bad input into problems and scans the rest', async () => {
    const good = write('good.pem', qaznetLookalike.pem)
    const junk = write('junk.bin', randomBytes(50 * 1024 * 1024))
    const corrupt = write('corrupt.pem', corporate.pem.replace(/^(.{20}).{10}/m, '$1**********'))
    const der = write('truncated.der', corporate.der.subarray(0, 200))
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    const loop = join(dir, 'loop.pem')
    symlinkSync(loop, loop)
    const missing = join(dir, 'missing.pem')
    const { code, json } = await run(['scan', '--json', ...[good, junk, corrupt, der, folder, loop, missing].flatMap((f) => ['--file', f])])
    expect(code).toBe(1) // the good file's finding still counts
    const report = json()
    const status = Object.fromEntries(report.stores.map((s) => [s.location, s.status]))
    expect(status).toEqual({ [good]: 'ok', [junk]: 'failed', [corrupt]: 'failed', [der]: 'failed', [folder]: 'failed', [loop]: 'failed', [missing]: 'failed' })
    const problem = (path: string) => report.problems.find((p) => p.storeId === `file:${path}`)
    expect(problem(junk)).toMatchObject({ code: 'no-certificates', message: expect.stringContaining('No certificate found in 50.0 MB') })
    expect(problem(corrupt)).toMatchObject({ code: 'corrupt-pem', message: expect.stringContaining('not base64') })
    expect(problem(der)).toMatchObject({ code: 'corrupt-der', message: expect.stringContaining('damaged') })
    expect(problem(folder)).toMatchObject({ code: 'eisdir', message: expect.stringContaining('is a folder') })
    expect(problem(loop)).toMatchObject({ code: 'eloop', message: expect.stringContaining('link loop') })
    expect(problem(missing)).toMatchObject({ code: 'enoent', message: `${missing} does not exist.` })
    expect(report.findings.map((f) => f.rule)).toEqual(['lookalike'])
  })

  // Root reads everything, so as root the test runs the real command as the unprivileged user "nobody" (from a copy it can read).
  it.skipIf(CANNOT_DENY)(`reports an unreadable file${CANNOT_DENY ? ` (skipped: ${CANNOT_DENY})` : ''}`, async () => {
    const open = join(dir, 'open')
    mkdirSync(open, { mode: 0o755 })
    chmodSync(open, 0o755)
    const locked = join(open, 'locked.pem')
    writeFileSync(locked, corporate.pem)
    chmodSync(locked, 0o000)
    const cli = await readableBundle(`import { main } from ${JSON.stringify(MAIN)}\nprocess.exitCode = await main(process.argv.slice(2))\n`)
    const [command, args] = nodeCommand(cli, ['scan', '--json', '--file', locked])
    const output = await promisify(execFile)(command, args, { env: ISOLATED_ENV }).then(
      (r) => r.stdout,
      (error: { stdout: string }) => error.stdout,
    )
    const report = JSON.parse(output) as ScanReport
    expect(report.problems).toEqual([expect.objectContaining({ code: 'eacces', message: `CertAudit is not allowed to read ${locked} (permission denied).` })])
    expect(report.stores[0]).toMatchObject({ status: 'failed' })
  })

  it('exits 2 when nothing at all could be scanned, and says so', async () => {
    const { code, stdout } = await run(['scan', '--file', join(dir, 'nope.pem')])
    expect(code).toBe(2)
    expect(stdout).toMatch(/^Nothing could be scanned/)
  })

  it('exits 2 on usage errors and on a broken blocklist', async () => {
    expect((await run(['scan', '--bogus'])).code).toBe(2)
    expect((await run(['frobnicate'])).stderr).toContain('unknown command "frobnicate"')
    expect((await run(['scan', '--lang', 'de'])).stderr).toContain('--lang must be one of en, ru, kk')
    const broken = await run(['scan', '--blocklist', write('bad-list.json', '{"version": 1}'), '--file', write('x.pem', corporate.pem)])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('does not match its schema')
    expect((await run(['--help'])).stdout).toContain('Usage: certaudit scan')
  })
})

describe('the installed command (bin/certaudit.mjs)', () => {
  it('runs as `npx certaudit` would, from the built output', async () => {
    const bundle = write('bin.pem', qaznetLookalike.pem)
    const result = await promisify(execFile)(process.execPath, [BIN, 'scan', '--json', '--file', bundle]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    )
    expect(result.code).toBe(1)
    expect((JSON.parse(result.stdout) as ScanReport).findings[0]?.rule).toBe('lookalike')
  })
})

describe('the whole shared corpus in one bundle', () => {
  if (!corpusAvailable) {
    it.skip(`skipped: ${CORPUS_ABSENT_REASON}`, () => {})
    return
  }

  it('exits 1, reports every Chromium-blocked and government interception certificate as critical or high, and the Russian root as government-ca', async () => {
    const bundle = write('corpus.pem', certificateFacts().map((f) => factPem(f)).join('\n'))
    const { code, json } = await run(['scan', '--json', '--file', bundle])
    expect(code).toBe(1)
    const report = json()
    expect(report.problems).toEqual([])
    const bySha = new Map(report.findings.map((f) => [f.certificate.sha256, f]))
    for (const fact of loadFacts().filter((f) => f.sha256 && f.pem_file)) {
      const finding = bySha.get(fact.sha256!)
      expect(finding, fact.id).toBeDefined()
      expect(finding!.blocklistEntry?.id).toBe(fact.id)
      if (fact.blocked_by.some((b) => b.startsWith('chromium')) || fact.category === 'government-interception') {
        expect(['critical', 'high'], fact.id).toContain(finding!.severity)
      }
      if (fact.category === 'government-interception') expect(finding!.severity, fact.id).toBe('critical')
    }
    expect(bySha.get('d26d2d0231b7c39f92cc738512ba54103519e4405d68b5bd703e9788ca8ecf31')).toMatchObject({ rule: 'government-ca', severity: 'medium' })
  })
})
