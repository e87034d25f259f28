/**
 * Issue 14, class 7: the verdict never says more than the scan can stand behind. A place that could
 * not be read in full — an unreadable certificate, a store that failed or was read in part, stores
 * that could not even be looked for — keeps the verdict from "clean" (it is "incomplete", exit 3) and
 * is counted in every other verdict's text. On the old code a file whose only certificate could not
 * be read gave verdict "clean", status "ok" and exit 0.
 */
import { Ajv } from 'ajv'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MAX_PROBLEMS_PER_STORE, scan } from '../../src/api/scan.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import type { ScanReport } from '../../src/audit/report.js'
import { textsFor } from '../../src/audit/texts.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { scanExitCode } from '../../src/cli/scan-command.js'
import { STORES, type StoreRegistry } from '../../src/stores/registry.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { StoreError, type ListItem, type StoreAdapter } from '../../src/stores/types.js'
import { blocklistWith } from '../support/blocklists.js'
import { makeCertificate, makeKey, toPem } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'

const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../resources/scan-report.schema.json', import.meta.url)), 'utf8')) as { $id: string }
const validate = new Ajv({ allErrors: true }).compile(SCHEMA)

const unknownRoot = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Inspection CA']], key: makeKey({ type: 'ec' }) })
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })

/** Every way a PEM block can hold a certificate the auditor cannot read (the block itself is sound). */
function unreadable(): Record<string, string> {
  const good = Buffer.from(makeCertificate({ subject: [['CN', 'Damaged Root']], key: makeKey({ type: 'ec' }) }).der)
  const flipped = Buffer.from(good)
  for (let i = 40; i < 60; i++) flipped[i]! ^= 0xff
  const badTime = Buffer.from(good)
  const time = badTime.indexOf(Buffer.from([0x17, 0x0d]))
  badTime.fill(0x58, time + 2, time + 15) // a UTCTime of "XXXXXXXXXXXXX": the identity reads, the body does not
  return {
    'bytes flipped in the body': toPem(flipped),
    'a SEQUENCE holding only an INTEGER': toPem(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])),
    'a damaged validity': toPem(badTime),
  }
}

function files(contents: Record<string, string>): string[] {
  const dir = tempDir()
  return Object.entries(contents).map(([name, text]) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.pem`)
    writeFileSync(path, text)
    return path
  })
}

async function cli(args: string[]): Promise<{ code: number; report: ScanReport; stdout: string }> {
  let stdout = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C' } }
  const code = await main(['scan', '--json', ...args, '--home', tempDir()], io)
  return { code, report: JSON.parse(stdout) as ScanReport, stdout }
}

describe('a file whose only certificate cannot be read', () => {
  for (const [name, pem] of Object.entries(unreadable())) {
    it(`${name}: the store failed, the verdict is not clean, the exit code not 0`, async () => {
      const [file] = files({ [name]: pem })
      const { code, report } = await cli(['--file', file!])
      expect(report.stores).toEqual([expect.objectContaining({ id: `file:${file}`, status: 'failed', problem: expect.stringMatching(/could not be checked|not a readable certificate/) })])
      expect(report.verdict.level).toBe('nothing-scanned')
      expect(code).toBe(2)
      expect(report.problems.map((p) => p.code)).toEqual(['corrupt-certificate'])
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    })

    it(`${name}, beside a good file: "incomplete", exit 3, and the text says 1 place could not be checked`, async () => {
      // A root of Mozilla's program (as Node ships it): nothing to report about it.
      const [bad, good] = files({ [name]: pem, good: rootCertificates[0]! })
      const { code, report } = await cli(['--file', good!, '--file', bad!])
      expect(report.findings).toEqual([])
      expect(report.verdict).toEqual({ level: 'incomplete', unchecked: 1, text: textsFor('en').verdict.incomplete(1) })
      expect(report.verdict.text).toMatch(/^No dangerous certificate was found in what could be read, but 1 place could not be checked in full, so this is not an all-clear/)
      expect(code).toBe(3)
    })
  }

  it('one readable and one unreadable certificate in a bundle: status partial, verdict says so', async () => {
    const [bundle] = files({ bundle: unknownRoot.pem + Object.values(unreadable())[0] })
    const { code, report } = await cli(['--file', bundle!])
    expect(report.stores[0]).toMatchObject({ status: 'partial', entryCount: 2, problem: expect.stringMatching(/not a readable certificate/) })
    expect(report.verdict.level).toBe('review')
    expect(report.verdict.unchecked).toBe(1)
    expect(report.verdict.text).toMatch(/worth a look\. 1 place could not be checked in full: see the problems below\.$/)
    expect(code).toBe(3)
  })

  it('the same damaged certificate in two stores: both are not read in full (the second copy was "clean" before)', async () => {
    const damaged = unreadable()['a damaged validity']!
    const [a, b] = files({ a: damaged, b: unknownRoot.pem + damaged })
    const { report } = await cli(['--file', a!, '--file', b!])
    expect(report.stores.map((s) => s.status)).toEqual(['failed', 'partial'])
    expect(report.problems.filter((p) => p.code === 'corrupt-certificate').map((p) => p.storeId)).toEqual([`file:${a}`, `file:${b}`])
    expect(report.verdict.unchecked).toBe(2)
  })

  it('every place read in full and nothing found: "clean", unchecked 0, exit 0', async () => {
    const [good] = files({ good: rootCertificates.slice(0, 3).join('\n') })
    const { code, report } = await cli(['--file', good!])
    expect(report.verdict).toEqual({ level: 'clean', unchecked: 0, text: textsFor('en').verdict.clean })
    expect(code).toBe(0)
  })
})

/** A registry whose stores are these test adapters (nothing else is discovered). */
function only(adapters: Partial<Record<string, Partial<StoreAdapter>>>): StoreRegistry {
  const registry: Record<string, StoreAdapter> = {}
  for (const [kind, adapter] of Object.entries(STORES)) registry[kind] = { ...adapter, discover: async () => [], ...(adapters[kind] ?? {}) } as StoreAdapter
  return registry as unknown as StoreRegistry
}

function adapter(kind: string, list: () => AsyncGenerator<ListItem>): Partial<StoreAdapter> {
  return { discover: async () => [{ id: `${kind}:test`, kind: kind as StoreAdapter['kind'], location: `/test/${kind}` }], list }
}

/** A listing that fails before it lists anything. */
function failing(error: StoreError): () => AsyncGenerator<ListItem> {
  return async function* () {
    yield* []
    throw error
  }
}

async function scanWith(stores: StoreRegistry, language: 'en' | 'ru' | 'kk' = 'en'): Promise<ScanReport> {
  return scan({ language }, { env: createEnvironment({ home: tempDir(), systemRoot: tempDir() }), blocklist: loadBlocklist(), publicRoots: mozillaRoots(), stores })
}

describe('the verdict counts every place that could not be checked', () => {
  it('stores of a kind that could not be looked for make a scan that found nothing "incomplete"', async () => {
    const report = await scanWith(
      only({
        'env-bundle': adapter('env-bundle', async function* () {
          yield { type: 'entry', der: makeCertificate({ subject: [['CN', 'Fine']], key: makeKey({ type: 'ec' }) }).der, entry: 'x', trust: 'not-trusted' }
        }),
        java: { discover: async () => Promise.reject(new Error('permission denied on /usr/lib/jvm')) },
      }),
    )
    expect(report.problems).toContainEqual({ code: 'discovery-failed', message: expect.stringContaining('permission denied on /usr/lib/jvm') })
    expect(report.verdict).toMatchObject({ level: 'incomplete', unchecked: 1 })
  })

  it('a store that failed after it showed a dangerous certificate: the finding is the verdict, not "nothing scanned"', async () => {
    const report = await scanWith(
      only({
        java: adapter('java', async function* () {
          yield { type: 'entry', der: qaznet.der, entry: 'qaznet', trust: 'trusted' }
          throw new StoreError('damaged-keystore', '/test/java is damaged after its first entry.')
        }),
      }),
    )
    expect(report.stores[0]).toMatchObject({ status: 'failed', entryCount: 1 })
    expect(report.verdict.level).toBe('high')
    expect(report.verdict.text).toMatch(/1 place could not be checked in full/)
  })

  it('a critical finding, a store read in part and one that failed: critical (exit 1), and the text says 2 places were not checked', async () => {
    const interception = makeCertificate({ subject: [['CN', 'Test Interception Root']], key: makeKey({ type: 'ec' }) })
    const stores = only({
      java: adapter('java', async function* () {
        yield { type: 'entry', der: interception.der, entry: 'intercept', trust: 'trusted' }
        yield { type: 'problem', code: 'integrity-unverified', message: 'another password' }
      }),
      nss: adapter('nss', failing(new StoreError('nss-corrupt-db', 'damaged'))),
    })
    const report = await scan({}, { env: createEnvironment({ home: tempDir(), systemRoot: tempDir() }), blocklist: blocklistWith(interception, { id: 'test-critical' }), publicRoots: mozillaRoots(), stores })
    expect(report.stores.map((s) => s.status).sort()).toEqual(['failed', 'partial'])
    expect(report.verdict).toEqual({ level: 'critical', unchecked: 2, text: `${textsFor('en').verdict.critical} 2 places could not be checked in full: see the problems below.` })
    expect(scanExitCode(report)).toBe(1)
  })

  it('a copy of an interception root under its name is called a copy, not "blocked by browsers"; a blocked one beside it is', async () => {
    const entries = (certs: readonly { der: Uint8Array }[]) =>
      only({
        java: adapter('java', async function* () {
          for (const [i, cert] of certs.entries()) yield { type: 'entry', der: cert.der, entry: `root-${i}`, trust: 'trusted' }
        }),
      })
    const blocked = makeCertificate({ subject: [['CN', 'Test Misissuing Root']], key: makeKey({ type: 'ec' }) })
    const blocklist = blocklistWith(blocked, { id: 'test-blocked', category: 'misissued', severity: 'high' })
    const env = createEnvironment({ home: tempDir(), systemRoot: tempDir() })
    for (const language of ['en', 'ru', 'kk'] as const) {
      const copy = await scan({ language }, { env, blocklist, publicRoots: mozillaRoots(), stores: entries([qaznet]) })
      expect(copy.findings.map((f) => [f.rule, f.severity])).toEqual([['lookalike', 'high']])
      expect(copy.verdict).toEqual({ level: 'high', unchecked: 0, text: textsFor(language).verdict.highCopy })
      const both = await scan({ language }, { env, blocklist, publicRoots: mozillaRoots(), stores: entries([qaznet, blocked]) })
      expect(both.verdict).toEqual({ level: 'high', unchecked: 0, text: textsFor(language).verdict.high })
    }
  })

  it('each store lists at most 1,000 problems; the rest are counted in one line', async () => {
    const report = await scanWith(
      only({
        'env-bundle': adapter('env-bundle', async function* () {
          for (let i = 0; i < 2500; i++) yield { type: 'problem', code: 'corrupt-pem', message: `junk ${i}` }
          yield { type: 'entry', der: unknownRoot.der, entry: 'x', trust: 'trusted' }
        }),
      }),
    )
    expect(report.problems).toHaveLength(MAX_PROBLEMS_PER_STORE + 1)
    expect(report.problems.at(-1)).toEqual({ storeId: 'env-bundle:test', code: 'more-problems', message: '1500 more problems in env-bundle:test are not listed; the first 1000 are.' })
    expect(report.verdict).toMatchObject({ level: 'review', unchecked: 1 })
  })

  it('in Russian and Kazakh too, with the number of places in words that agree with it', async () => {
    const ru = textsFor('ru').verdict
    expect([1, 2, 5, 11, 21, 22, 25, 111].map((n) => ru.uncheckedPlaces(n).split(' ').slice(0, 2).join(' '))).toEqual(['1 место', '2 места', '5 мест', '11 мест', '21 место', '22 места', '25 мест', '111 мест'])
    for (const language of ['ru', 'kk'] as const) {
      const fine = makeCertificate({ subject: [['CN', 'Fine']], key: makeKey({ type: 'ec' }) })
      const stores = only({
        java: adapter('java', failing(new StoreError('damaged-keystore', 'damaged'))),
        'env-bundle': adapter('env-bundle', async function* () {
          yield { type: 'entry', der: fine.der, entry: 'x', trust: 'not-trusted' }
        }),
      })
      const report = await scanWith(stores, language)
      expect(report.verdict).toEqual({ level: 'incomplete', unchecked: 1, text: textsFor(language).verdict.incomplete(1) })
      expect(report.verdict.text).not.toBe(textsFor(language).verdict.clean)
    }
  })
})
