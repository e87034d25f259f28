/**
 * Part of `npm run bench`: whole `certaudit scan` processes on stores of 1,000, 10,000 and 100,000
 * distinct certificates, with their time and peak memory and how both grow for each 10× more
 * certificates, next to OpenSSL listing the same bundle in the same run
 * (`openssl crl2pkcs7 -nocrl -certfile B | openssl pkcs7 -print_certs -noout`).
 *
 * What a store of N certificates is here (printed with the figures):
 * - system bundle: a Debian system root whose /etc/ssl/certs/ca-certificates.crt holds the N
 *   certificates and no source file explains them (as in a container image that appends its roots
 *   to the bundle): one file, the very file OpenSSL lists;
 * - Debian store: the same N certificates as update-ca-certificates makes them from N files in
 *   /usr/share/ca-certificates (N files, N conf lines, 2N links in /etc/ssl/certs, the bundle);
 * - NSS database: Chromium's ~/.pki/nssdb (cert9.db) holding the N certificates.
 * The certificates themselves: scripts/lib/bench-certificates.ts (1% are findings).
 */
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ScanReport } from '../src/audit/report.js'
import { CERTUTIL_MAX_CERTIFICATES } from '../src/stores/nss/read.js'
import { benchCertificates, benchComposition, makeBenchKeys } from './lib/bench-certificates.js'
import { checkDebianStore, checkNssStore, writeDebianStore, writeNssStore } from './lib/bench-trees.js'
import { toPem } from '../tests/support/certificates.js'
import { put } from '../tests/support/system-root.js'
import { ISOLATED_ENV } from '../tests/support/isolated-env.js'

export interface ScaleOptions {
  readonly sizes: readonly number[]
  readonly rounds: number
  /** The certaudit launcher to time (another checkout's, to compare engines). */
  readonly cli: string
  /** A run slower than this is stopped and reported as such. */
  readonly timeoutMs: number
  /** Which stores to scan (OpenSSL always runs): all by default. */
  readonly stores?: readonly ('bundle' | 'debian' | 'nss')[]
}

interface Run {
  readonly ms: number
  readonly peakKb: number | null
  readonly timedOut: boolean
}

type StoreName = 'bundle' | 'debian' | 'nss' | 'openssl'

const LABELS: Readonly<Record<StoreName, string>> = {
  bundle: 'system bundle (1 file: the bundle OpenSSL lists)',
  debian: 'Debian store (N files + N conf lines + 2N links + bundle)',
  nss: 'NSS cert9.db (Chromium ~/.pki/nssdb)',
  openssl: 'openssl crl2pkcs7 | pkcs7 -print_certs (reference)',
}

const PEAK_RSS_HOOK = pathToFileURL(fileURLToPath(new URL('./lib/peak-rss.mjs', import.meta.url))).href
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/** One timed run; stdout goes to `output` (a scan's JSON is written, as a user's redirect would). */
function timed(command: string, args: readonly string[], output: string, work: string, timeoutMs: number, peakFromHook: boolean): Run {
  const peakFile = join(work, 'peak-rss')
  rmSync(peakFile, { force: true })
  const fd = openSync(output, 'w')
  const wrapped: [string, string[]] = peakFromHook || !TIME ? [command, [...args]] : [TIME, ['-f', '%M', '-o', peakFile, command, ...args]]
  const start = performance.now()
  const result = spawnSync(wrapped[0], wrapped[1], {
    stdio: ['ignore', fd, 'pipe'],
    timeout: timeoutMs,
    env: { ...ISOLATED_ENV, CERTAUDIT_BENCH_PEAK_RSS: peakFile, LANG: 'C' },
  })
  const ms = performance.now() - start
  closeSync(fd)
  const timedOut = result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
  // certaudit exits 1 when it finds something (the look-alike is always there); anything else is a broken run.
  if (!timedOut && result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${String(result.stderr).slice(0, 500)}`)
  const peak = existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8').trim().split('\n').pop()) : NaN
  return { ms, peakKb: Number.isFinite(peak) ? peak : null, timedOut }
}

/** Best time of `rounds` runs, highest peak memory; the first timed-out run ends the series. */
function bestOf(rounds: number, run: () => Run): Run {
  const runs: Run[] = []
  for (let i = 0; i < rounds; i++) {
    const r = run()
    runs.push(r)
    if (r.timedOut) return r
  }
  const peaks = runs.map((r) => r.peakKb).filter((p): p is number => p !== null)
  return { ms: Math.min(...runs.map((r) => r.ms)), peakKb: peaks.length ? Math.max(...peaks) : null, timedOut: false }
}

/** Throws unless the scan reported every certificate and exactly the findings the store holds. */
function checkReport(file: string, count: number, trusted: boolean): void {
  const report = JSON.parse(readFileSync(file, 'utf8')) as ScanReport
  const { lookalike, 'unknown-root': roots } = benchComposition(count)
  const want = { critical: 0, high: lookalike, medium: 0, review: trusted ? roots : 0, info: trusted ? 0 : roots }
  const got = report.summary.findings
  if (report.summary.certificates !== count || JSON.stringify(got) !== JSON.stringify(want) || report.problems.length > 0) {
    throw new Error(`${file}: expected ${count} certificates and findings ${JSON.stringify(want)}, got ${report.summary.certificates} and ${JSON.stringify(got)} (${report.problems.length} problems)`)
  }
}

const fmtMs = (run: Run | undefined) => (!run ? '' : run.timedOut ? 'timed out' : run.ms >= 10_000 ? `${(run.ms / 1000).toFixed(1)} s` : `${run.ms.toFixed(0)} ms`)
const fmtMb = (run: Run | undefined) => (run?.peakKb ? `${Math.round(run.peakKb / 1024)} MB` : '')
const fmtN = (n: number) => n.toLocaleString('en-US')

export function benchScale(options: ScaleOptions): void {
  const missing = ['openssl', 'certutil', 'python3'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error)
  if (missing.length) {
    console.log(`Scale benchmark skipped: needs ${missing.join(', ')} (./scripts/setup-system.sh installs them).`)
    return
  }
  const sizes = [...options.sizes].sort((a, b) => a - b)
  const work = join(process.env.TMPDIR ?? '/tmp', `certaudit-bench-scale-${process.pid}`)
  mkdirSync(work, { recursive: true })
  try {
    let started = performance.now()
    const keys = makeBenchKeys()
    const ders = [...benchCertificates(sizes.at(-1)!, keys)].map((c) => c.der)
    const made = (performance.now() - started) / 1000
    const composition = benchComposition(sizes.at(-1)!)
    console.log(
      `\nScale: ${fmtN(ders.length)} distinct certificates made in ${made.toFixed(1)} s (RSA 2048 and EC keys shared, each its own name, serial and ECDSA signature; ` +
        `mean ${Math.round(ders.reduce((n, d) => n + d.length, 0) / ders.length)} bytes). Of every 100: 99 CA certificates issued by one CA (outside the public programs, so parsed and checked; no rule fires), ` +
        `1 self-signed root outside the public programs (a finding, parsed, its PEM in the report); plus one Qaznet look-alike (high). ` +
        `${fmtN(composition['unknown-root'])} roots in the largest store. Smaller stores are the first N of the same list.`,
    )
    if (spawnSync('update-ca-certificates', ['--help'], { stdio: 'ignore' }).error === undefined) {
      started = performance.now()
      checkDebianStore(join(work, 'check'), ders.slice(0, Math.min(1000, ders.length)))
      console.log(`Debian store builder checked against update-ca-certificates on ${fmtN(Math.min(1000, ders.length))} certificates: same links, hash links and bundle (${((performance.now() - started) / 1000).toFixed(1)} s).`)
    }

    const empty = join(work, 'empty')
    mkdirSync(empty)
    const results = new Map<StoreName, Map<number, Run>>(Object.keys(LABELS).map((k) => [k as StoreName, new Map()]))
    for (const size of sizes) {
      const slice = ders.slice(0, size)
      const dir = join(work, String(size))
      started = performance.now()
      const bundleRoot = join(dir, 'bundle-root')
      put(bundleRoot, 'etc/ca-certificates.conf', '# no distro certificates: only the bundle\n')
      put(bundleRoot, 'etc/ssl/certs/ca-certificates.crt', slice.map(toPem).join(''))
      const debianRoot = join(dir, 'debian-root')
      writeDebianStore(debianRoot, slice)
      const home = join(dir, 'home')
      const nssDir = join(home, '.pki/nssdb')
      const byCertutil = writeNssStore(nssDir, slice, dir)
      // certutil -L takes time quadratic in the size of the database (NSS itself): listed in full up to 1,000.
      checkNssStore(nssDir, slice, size <= 1000)
      console.log(
        `Stores of ${fmtN(size)} built in ${((performance.now() - started) / 1000).toFixed(1)} s (NSS: ${byCertutil} added by certutil, the rest as rows copied from them; ` +
          `certutil exports the first, middle and last by nickname${size <= 1000 ? ' and certutil -L lists all of them' : ''}).`,
      )
      const out = join(dir, 'scan.json')
      const scan = (root: string, homeDir: string, kind: string) =>
        bestOf(options.rounds, () => timed(process.execPath, ['--import', PEAK_RSS_HOOK, options.cli, 'scan', '--json', '--system-root', root, '--home', homeDir, '--store', kind], out, dir, options.timeoutMs, true))
      const record = (name: StoreName, run: Run, check?: () => void) => {
        results.get(name)!.set(size, run)
        if (!run.timedOut) check?.()
      }
      const wanted = (name: StoreName) => !options.stores || (options.stores as readonly StoreName[]).includes(name)
      if (wanted('bundle')) record('bundle', scan(bundleRoot, empty, 'linux-system'), () => checkReport(out, size, true))
      if (wanted('debian')) record('debian', scan(debianRoot, empty, 'linux-system'), () => checkReport(out, size, true))
      if (wanted('nss')) record('nss', scan(empty, home, 'nss'), () => checkReport(out, size, false))
      const bundle = join(bundleRoot, 'etc/ssl/certs/ca-certificates.crt')
      const listing = ['-c', 'openssl crl2pkcs7 -nocrl -certfile "$1" | openssl pkcs7 -print_certs -noout', 'sh', bundle]
      record('openssl', bestOf(options.rounds, () => timed('sh', listing, join(dir, 'openssl.txt'), dir, options.timeoutMs, false)))
      rmSync(dir, { recursive: true, force: true }) // 100,000 certificates take ~1 GB on disk
    }
    printTable(sizes, results, options.rounds)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function printTable(sizes: readonly number[], results: ReadonlyMap<StoreName, ReadonlyMap<number, Run>>, rounds: number): void {
  const width = Math.max(...Object.values(LABELS).map((l) => l.length))
  console.log(`\nWhole process, best of ${rounds}; peak RSS; "×" = growth for 10× more certificates (linear = 10×).`)
  console.log(`${'store'.padEnd(width)}  ${sizes.map((n) => `${fmtN(n)} certificates`.padStart(24)).join('')}`)
  for (const [name, runs] of results) {
    if (runs.size === 0) continue
    const cells = sizes.map((n, i) => {
      const run = runs.get(n)
      const previous = i > 0 ? runs.get(sizes[i - 1]!) : undefined
      const growth = run && previous && !run.timedOut && !previous.timedOut && sizes[i]! === sizes[i - 1]! * 10 ? ` ×${(run.ms / previous.ms).toFixed(1)}` : ''
      return `${fmtMs(run)} ${fmtMb(run)}${growth}`.padStart(24)
    })
    console.log(`${LABELS[name].padEnd(width)}  ${cells.join('')}`)
  }
  if (results.get('nss')!.size > 0) console.log(
    `NSS: up to ${fmtN(CERTUTIL_MAX_CERTIFICATES)} certificates the scan has NSS's own certutil confirm each nickname and trust (one certutil -L, ` +
      'whose time grows with the square of the database); past that cert9.db is read directly, without NSS\'s check of trust-record MACs.',
  )
  const openssl = results.get('openssl')!
  for (const name of ['bundle', 'debian', 'nss'] as const) {
    const runs = results.get(name)!
    if (runs.size === 0) continue
    const ratios = sizes.map((n) => (runs.get(n) && openssl.get(n) && !runs.get(n)!.timedOut ? `${fmtN(n)}: ${(runs.get(n)!.ms / openssl.get(n)!.ms).toFixed(2)}×` : null)).filter(Boolean)
    console.log(`  ${name.padEnd(7)} / openssl listing  ${ratios.join('  ')}`)
  }
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET')
  // The targets are set for the system bundle (the file OpenSSL lists); the other two stores are held to the same bars.
  for (const name of ['bundle', 'debian', 'nss'] as const) {
    const runs = results.get(name)!
    const label = name === 'bundle' ? `Target, ${name}` : `Same bar, ${name}`
    const [t10k, t100k, o10k] = [runs.get(10_000), runs.get(100_000), openssl.get(10_000)]
    if (t10k && o10k && !t10k.timedOut) console.log(`${label}: 10,000 in ≤ 0.25× openssl: ${(t10k.ms / o10k.ms).toFixed(2)}× — ${verdict(t10k.ms <= 0.25 * o10k.ms)}.`)
    if (t10k && t100k && !t100k.timedOut && !t10k.timedOut) {
      console.log(`${label}: 100,000 in < 10× the 10,000 time: ${(t100k.ms / t10k.ms).toFixed(1)}× — ${verdict(t100k.ms < 10 * t10k.ms)}; in < 500 MB: ${fmtMb(t100k)} — ${verdict((t100k.peakKb ?? Infinity) < 500 * 1024)}.`)
    }
  }
}

/** `--sizes 1000,10k,100_000` → [1000, 10000, 100000]. */
export function parseSizes(text: string): number[] {
  return text.split(',').map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))))
}

/** The launcher of this checkout. */
export const THIS_CLI = fileURLToPath(new URL('../bin/certaudit.mjs', import.meta.url))
