import { readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { rootCertificates } from 'node:tls'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { certificateFacts, CORPUS_ABSENT_REASON, corpusAvailable, factPem } from '../support/corpus.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()
const SCHEMA_PATH = fileURLToPath(new URL('../../resources/scan-report.schema.json', import.meta.url))
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string }
const ajv = new Ajv({ allErrors: true })
ajv.addSchema(schema)
const validateReport = ajv.getSchema(schema.$id)!
const validateLine = ajv.getSchema(`${schema.$id}#/definitions/findingLine`)!

async function run(args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', XDG_DATA_HOME: dir } }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

function expectValid(validate: typeof validateReport, value: unknown): void {
  const ok = validate(value)
  expect(ok ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n')).toEqual([])
}

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

// Every kind of finding the engine makes, from certificates generated here.
const weakKey = makeKey({ type: 'rsa', bits: 1024 })
const certificates = [
  makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }), // lookalike
  makeCertificate({ subject: [['C', 'RU'], ['O', 'The Ministry of Digital Development and Communications'], ['CN', 'Russian Trusted Root CA']] }), // government-ca by name
  makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Inspection CA']] }), // unknown-root
  makeCertificate({ subject: [['CN', 'Old Weak Root']], key: weakKey, notAfter: new Date(Date.UTC(2021, 0, 1)) }), // unknown-root + expired + weak-key
  makeCertificate({ subject: [['CN', 'Кириллица Root']], stringType: 'utf8' }),
]
const mixed = () => write('mixed.pem', certificates.map((c) => c.pem).join(''))

describe('resources/scan-report.schema.json describes real scan output', () => {
  it('is a draft-07 schema that ajv compiles', () => {
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' })
    expect(validateReport).toBeTypeOf('function')
  })

  it('validates `scan --json` over generated certificates and files with problems', async () => {
    const { stdout } = await run(['scan', '--json', '--file', mixed(), '--file', write('junk.bin', 'not a certificate'), '--file', join(dir, 'missing.pem')])
    const report = JSON.parse(stdout) as ScanReport
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(new Set(['lookalike', 'government-ca', 'unknown-root']))
    expect(report.findings.flatMap((f) => f.alsoMatched)).toEqual(expect.arrayContaining(['expired', 'weak-key']))
    expect(report.problems.length).toBe(2)
    // Every place says what put it there: a file named on the command line is by hand.
    expect(report.findings.flatMap((f) => f.locations.map((l) => l.placedBy))).toEqual(report.findings.flatMap((f) => f.locations.map(() => ({ by: 'hand', comesBack: false }))))
    expectValid(validateReport, report)
  })

  it('rejects a report that breaks the format (so the test above means something)', async () => {
    const report = JSON.parse((await run(['scan', '--json', '--file', mixed()])).stdout) as Record<string, unknown> & { findings: Record<string, unknown>[] }
    expect(validateReport({ ...report, schemaVersion: 2 })).toBe(false)
    expect(validateReport({ ...report, extra: true })).toBe(false)
    expect(validateReport({ ...report, findings: [{ ...report.findings[0], severity: 'severe' }] })).toBe(false)
    const place = (report.findings[0]!.locations as Record<string, unknown>[])[0]!
    expect(validateReport({ ...report, findings: [{ ...report.findings[0], locations: [{ ...place, placedBy: { by: 'magic', comesBack: true } }] }] })).toBe(false)
    expect(validateReport({ ...report, findings: [{ ...report.findings[0], locations: [{ ...place, placedBy: { by: 'hand' } }] }] })).toBe(false)
  })

  it.skipIf(!haveUpdateCaCertificates)(
    `validates a scan of a Debian system store (origins and conf lines)${haveUpdateCaCertificates ? '' : ' (skipped: update-ca-certificates is not installed)'}`,
    async () => {
      const root = join(dir, 'debian')
      buildDebianTree(root, { distro: { 'mozilla/Example.crt': certificates[2]!.pem }, local: { 'qaznet.crt': certificates[0]!.pem } })
      const { stdout } = await run(['scan', '--json', '--store', 'linux-system', '--system-root', root, '--home', join(dir, 'home')])
      const report = JSON.parse(stdout) as ScanReport
      expect(report.findings.some((f) => f.locations.some((l) => l.origin))).toBe(true)
      expectValid(validateReport, report)
    },
  )

  if (!corpusAvailable) {
    it.skip(`validates a scan of the shared corpus (skipped: ${CORPUS_ABSENT_REASON})`, () => {})
  } else {
    it('validates a scan of the whole shared corpus', async () => {
      const bundle = write('corpus.pem', certificateFacts().map((f) => factPem(f)).join('\n'))
      const { stdout } = await run(['scan', '--json', '--file', bundle])
      const report = JSON.parse(stdout) as ScanReport
      expect(report.findings.length).toBeGreaterThan(30)
      expectValid(validateReport, report)
    })
  }
})

describe('certaudit scan --format', () => {
  it('jsonl prints one finding per line, each standing alone, and the same findings as --json', async () => {
    const bundle = mixed()
    const full = JSON.parse((await run(['scan', '--format', 'json', '--file', bundle])).stdout) as ScanReport
    const { code, stdout, stderr } = await run(['scan', '--format', 'jsonl', '--file', bundle, '--file', join(dir, 'gone.pem')])
    expect(code).toBe(1)
    const lines = stdout.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(full.findings.length)
    const records = lines.map((line) => JSON.parse(line) as { finding: ScanReport['findings'][number] } & Record<string, unknown>)
    for (const record of records) expectValid(validateLine, record)
    expect(records.map((r) => r.finding.id)).toEqual(full.findings.map((f) => f.id))
    expect(records[0]).toMatchObject({ schemaVersion: 1, hostname: hostname(), platform: process.platform, verdict: 'high', blocklist: full.blocklist })
    expect(stderr).toContain(`${join(dir, 'gone.pem')} does not exist.`) // problems go to stderr, not into the log stream
  })

  it('jsonl prints nothing for a clean scan and exits 0', async () => {
    const { code, stdout } = await run(['scan', '--format', 'jsonl', '--file', write('public-root.pem', rootCertificates[0]!)])
    expect(stdout).toBe('')
    expect(code).toBe(0)
  })

  it('--json still works and equals --format json; human is the default', async () => {
    const bundle = mixed()
    const strip = (text: string) => text.replace(/"scannedAt": "[^"]+"/, '')
    expect(strip((await run(['scan', '--json', '--file', bundle])).stdout)).toBe(strip((await run(['scan', '--format', 'json', '--file', bundle])).stdout))
    expect((await run(['scan', '--file', bundle])).stdout).toBe((await run(['scan', '--format', 'human', '--file', bundle])).stdout)
  })

  it('refuses an unknown format and a conflict with --json', async () => {
    expect(await run(['scan', '--format', 'xml'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of human, json, jsonl (got "xml")') })
    expect(await run(['scan', '--json', '--format', 'jsonl'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--json and --format jsonl disagree') })
  })
})
