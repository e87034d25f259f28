/**
 * `npm run bench`, three parts, each next to reference runs on the same machine in the same run:
 * - micro: the engine auditing 10,000 generated unknown roots in-process (every one a finding: the
 *   worst case), next to a bare SHA-256 pass, node:crypto's X509Certificate and OpenSSL;
 * - scale (bench-scale.ts): whole `certaudit scan` processes on stores of 1,000, 10,000 and 100,000
 *   certificates (a system bundle, a Debian store, an NSS database), time, peak memory and growth,
 *   next to OpenSSL listing the same bundle, and the targets met or not;
 * - stores (bench-stores.ts): a whole machine (NSS profiles, the stock Debian store, Java cacerts)
 *   next to the native tools listing the same stores;
 * - runtime (bench-runtime.ts): discovery of a home with a few virtual environments, conda, pipx,
 *   pyenv and tools' config files among thousands of other folders, and a whole scan of it;
 * - main (bench-main.ts): the bundled main process: its import and start under Node (electron stood in
 *   for), and, where Electron's binary is installed, the real app's start to `ready-to-show`;
 * - window (bench-window.ts): in Debian's Chromium through the e2e harness, the click on "Scan" to the
 *   verdict on screen for a machine of 1,000 certificates, and "Remove now" to four places verified
 *   removed, next to the engine's own times on the same machine.
 * A benchmark, not a test: it prints figures and ratios and fails only if something is broken.
 *
 *   npm run bench [-- --count 10000 --rounds 5]                  everything: this table, the scale table, the machine
 *   npm run bench -- --only scale [--sizes 1000,10k,100k] [--scale-rounds 3] [--scale-stores bundle,debian,nss] [--cli ../other/bin/certaudit.mjs]
 *   npm run bench -- --only micro | --only stores | --only main | --only window [--window-certificates 1000 --scan-rounds 5 --removal-rounds 3]
 *   npm run bench -- --only runtime [--venvs 5 --noise-folders 5000 --runtime-rounds 5]
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Auditor } from '../src/audit/auditor.js'
import { loadBlocklist } from '../src/audit/blocklist.js'
import { identify } from '../src/audit/certificate.js'
import { mozillaRoots } from '../src/audit/references.js'
import { isPublicRoot, matchBlocklist } from '../src/audit/rules.js'
import { readBundleFile } from '../src/stores/shared/bundle-file.js'
import { makeCertificate, makeKey, toPem, type KeyPair } from '../tests/support/certificates.js'
import { benchScale, parseSizes, THIS_CLI } from './bench-scale.js'
import { benchMain } from './bench-main.js'
import { benchRuntime } from './bench-runtime.js'
import { benchStores } from './bench-stores.js'
import { benchWindow } from './bench-window.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '1000,10000,100000' },
    'scale-rounds': { type: 'string', default: '3' },
    cli: { type: 'string', default: THIS_CLI },
    timeout: { type: 'string', default: '600' },
    only: { type: 'string', default: 'all' },
    'scale-stores': { type: 'string', default: 'bundle,debian,nss' },
    'certs-per-profile': { type: 'string', default: '5' }, // read by bench-stores.ts
    'window-certificates': { type: 'string', default: '1000' },
    'scan-rounds': { type: 'string', default: '5' },
    'removal-rounds': { type: 'string', default: '3' },
    'main-rounds': { type: 'string', default: '5' },
    venvs: { type: 'string', default: '5' }, // read by bench-runtime.ts
    'noise-folders': { type: 'string', default: '5000' },
    'runtime-rounds': { type: 'string', default: '5' },
  },
})
const COUNT = Number(values.count)
const ROUNDS = Number(values.rounds)
const ONLY = values.only

/** Certificates like a real store's: mostly RSA 2048 roots, some EC, each with its own name and serial. */
function makeStore(count: number): Buffer[] {
  const rsaKeys: KeyPair[] = Array.from({ length: 8 }, () => makeKey({ type: 'rsa', bits: 2048 }))
  const ders: Buffer[] = []
  for (let i = 0; i < count; i++) {
    const key = i % 10 < 7 ? rsaKeys[i % rsaKeys.length]! : makeKey({ type: 'ec', curve: i % 2 ? 'P-256' : 'P-384' })
    ders.push(
      makeCertificate({
        subject: [['C', 'US'], ['O', `Bench Org ${i % 97}`], ['OU', 'Certification Services'], ['CN', `Bench Root CA ${i}`]],
        key,
        serial: (0x100000 + i).toString(16),
      }).der,
    )
  }
  return ders
}

/** Best of ROUNDS runs of fn, in milliseconds (the least disturbed by the rest of the machine). */
function best(fn: () => void): number {
  let min = Infinity
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now()
    fn()
    min = Math.min(min, performance.now() - start)
  }
  return min
}

async function bestAsync(fn: () => Promise<void>): Promise<number> {
  let min = Infinity
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now()
    await fn()
    min = Math.min(min, performance.now() - start)
  }
  return min
}

function opensslListing(bundle: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const toPkcs7 = spawn('openssl', ['crl2pkcs7', '-nocrl', '-certfile', bundle], { stdio: ['ignore', 'pipe', 'inherit'] })
    const print = spawn('openssl', ['pkcs7', '-print_certs', '-noout'], { stdio: ['pipe', 'ignore', 'inherit'] })
    toPkcs7.stdout.pipe(print.stdin)
    print.on('error', reject)
    print.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`openssl exited ${code}`))))
  })
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'certaudit-bench-'))
  try {
    const started = performance.now()
    const ders = makeStore(COUNT)
    const bundle = join(work, 'bundle.pem')
    writeFileSync(bundle, ders.map(toPem).join(''))
    const distinct = new Set(ders.map((d) => createHash('sha256').update(d).digest('hex'))).size
    const meanBytes = Math.round(ders.reduce((n, d) => n + d.length, 0) / ders.length)
    console.log(`Store: ${distinct} distinct certificates (mean ${meanBytes} bytes DER), made in ${((performance.now() - started) / 1000).toFixed(1)} s; best of ${ROUNDS} rounds.\n`)

    const blocklist = loadBlocklist()
    const roots = mozillaRoots()
    let sink = 0

    const bareSha = best(() => {
      for (const der of ders) sink += createHash('sha256').update(der).digest('hex').length
    })
    const fastPath = best(() => {
      for (const der of ders) {
        const identity = identify(der)
        if (matchBlocklist(identity, blocklist) || isPublicRoot(identity, roots)) sink++
      }
    })
    const x509 = best(() => {
      for (const der of ders) sink += new X509Certificate(der).subject.length
    })
    const fullAudit = best(() => {
      const auditor = new Auditor({ blocklist, publicRoots: roots })
      for (const der of ders) auditor.add({ der, storeId: 'bench', kind: 'file', location: bundle, entry: 'x', trust: 'trusted' })
      sink += auditor.findings('en').length
    })
    const fromDisk = await bestAsync(async () => {
      const auditor = new Auditor({ blocklist, publicRoots: roots })
      for await (const item of readBundleFile(bundle)) {
        if (item.type === 'entry') auditor.add({ der: item.der, storeId: 'bench', kind: 'file', location: bundle, entry: item.entry, trust: item.trust })
      }
      sink += auditor.counts.certificates
    })
    const cliBin = fileURLToPath(new URL('../bin/certaudit.mjs', import.meta.url))
    const cli = best(() => {
      try {
        execFileSync(process.execPath, [cliBin, 'scan', '--json', '--file', bundle], { stdio: ['ignore', 'ignore', 'inherit'] })
      } catch (error) {
        if ((error as { status?: number }).status !== 0 && (error as { status?: number }).status !== 1) throw error
      }
    })
    const openssl = await bestAsync(() => opensslListing(bundle))

    const perCert = (ms: number) => (ms * 1000) / COUNT
    const rows: [string, number, string][] = [
      ['bare SHA-256 of each DER (reference)', bareSha, '1.0x'],
      ['engine fast path: sha256 + sha1 + SPKI sha256 + blocklist/public match', fastPath, `${(fastPath / bareSha).toFixed(1)}x bare SHA-256`],
      ['node:crypto X509Certificate parse (reference)', x509, `${(x509 / bareSha).toFixed(1)}x bare SHA-256`],
      ['full audit (fast path + lazy details + rules, all unknown roots)', fullAudit, `${(fullAudit / x509).toFixed(2)}x X509Certificate`],
      ['read PEM bundle from disk + full audit', fromDisk, `${(fromDisk / fullAudit).toFixed(2)}x in-memory audit`],
      ['`certaudit scan --json --file` (whole process)', cli, `${(cli / openssl).toFixed(2)}x openssl listing`],
      ['openssl crl2pkcs7 | pkcs7 -print_certs (reference)', openssl, '1.0x'],
    ]
    const width = Math.max(...rows.map((r) => r[0].length))
    console.log(`${'measure'.padEnd(width)}  ${'total ms'.padStart(9)}  ${'µs/cert'.padStart(8)}  ratio`)
    for (const [name, ms, ratio] of rows) {
      console.log(`${name.padEnd(width)}  ${ms.toFixed(1).padStart(9)}  ${perCert(ms).toFixed(2).padStart(8)}  ${ratio}`)
    }
    const budget = perCert(fastPath)
    console.log(`\nFast path: ${budget.toFixed(2)} µs per certificate (budget 10 µs): ${budget <= 10 ? 'within budget' : 'OVER BUDGET'}.`)
    if (sink === -1) console.log('') // keep the work observable so it is not optimised away
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (ONLY === 'all' || ONLY === 'micro') await main()
if (ONLY === 'all' || ONLY === 'scale') {
  benchScale({
    sizes: parseSizes(values.sizes),
    rounds: Number(values['scale-rounds']),
    cli: values.cli,
    timeoutMs: Number(values.timeout) * 1000,
    stores: values['scale-stores'].split(',') as ('bundle' | 'debian' | 'nss')[],
  })
}
if (ONLY === 'all' || ONLY === 'stores') benchStores()
if (ONLY === 'all' || ONLY === 'runtime') await benchRuntime()
if (ONLY === 'all' || ONLY === 'main') await benchMain({ rounds: Number(values['main-rounds']) })
if (ONLY === 'all' || ONLY === 'window') {
  await benchWindow({ certificates: Number(values['window-certificates']), scanRounds: Number(values['scan-rounds']), removalRounds: Number(values['removal-rounds']) })
}
