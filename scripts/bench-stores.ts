/**
 * Part of `npm run bench`: a full `certaudit scan` of a home with 3 Firefox/Chromium NSS profiles, the
 * stock Debian system store and a Java cacerts, next to the native tools listing the same stores in the
 * same run: `trust list` (p11-kit) + `certutil -L` for each profile + `keytool -list`.
 * Everything is built in a temp dir from the machine's packaged certificates (read, never changed).
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { readCertificates } from '../src/audit/pem.js'
import { buildDebianTree } from '../tests/support/system-root.js'
import { toPem } from '../tests/support/certificates.js'
import { ISOLATED_ENV } from '../tests/support/isolated-env.js'

// Not strict: bench.ts owns the command line and has options of its own.
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'certs-per-profile': { type: 'string', default: '5' } }, strict: false })
const ROUNDS = Number(values.rounds)
const PER_PROFILE = Number(values['certs-per-profile'])
const MOZILLA = '/usr/share/ca-certificates/mozilla'
const CLI = fileURLToPath(new URL('../bin/certaudit.mjs', import.meta.url))

function need(tool: string): boolean {
  try {
    execFileSync(tool, ['--help'], { stdio: 'ignore' })
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

function best(run: () => void): number {
  let min = Infinity
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now()
    run()
    min = Math.min(min, performance.now() - start)
  }
  return min
}

function quiet(tool: string, args: string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore', env: ISOLATED_ENV })
  } catch (error) {
    // certaudit exits 1 when it finds something; any other failure is a broken benchmark.
    if (!(tool === process.execPath && (error as { status?: number }).status === 1)) throw error
  }
}

export function benchStores(): void {
  const missing = ['certutil', 'keytool', 'trust', 'update-ca-certificates'].filter((t) => !need(t))
  if (missing.length || !existsSync(MOZILLA)) {
    console.log(`Store benchmark skipped: needs ${[...missing, ...(existsSync(MOZILLA) ? [] : ['ca-certificates'])].join(', ')} (./scripts/setup-system.sh installs them).`)
    return
  }
  const work = mkdtempSync(join(tmpdir(), 'certaudit-bench-stores-'))
  try {
    const home = join(work, 'home')
    const root = join(work, 'root')
    // The stock Debian system store, made by update-ca-certificates from the packaged Mozilla set.
    cpSync(MOZILLA, join(root, 'usr/share/ca-certificates/mozilla'), { recursive: true })
    const names = readdirSync(MOZILLA).filter((n) => n.endsWith('.crt'))
    buildDebianTree(root, { confLines: names.map((n) => `mozilla/${n}`) })
    const roots = names.flatMap((n) => readCertificates(readFileSync(join(MOZILLA, n))).flatMap((i) => (i.type === 'certificate' ? [Buffer.from(i.der)] : [])))

    // Three NSS profiles (two Firefox, one Chromium) holding user-added certificates, as certutil makes them.
    // Built-in roots live in libnssckbi, not cert9.db, so a real profile holds only a handful (5 by default).
    const profiles = [
      join(home, '.mozilla/firefox/a1.default-release'),
      join(home, '.mozilla/firefox/b2.work'),
      join(home, '.pki/nssdb'),
    ]
    mkdirSync(join(home, '.mozilla/firefox'), { recursive: true })
    writeFileSync(
      join(home, '.mozilla/firefox/profiles.ini'),
      '[Profile0]\nName=default-release\nIsRelative=1\nPath=a1.default-release\nDefault=1\n\n[Profile1]\nName=work\nIsRelative=1\nPath=b2.work\n',
    )
    for (const [p, dir] of profiles.entries()) {
      mkdirSync(dir, { recursive: true })
      execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'])
      for (let i = 0; i < PER_PROFILE; i++) {
        const pem = join(work, 'one.pem')
        writeFileSync(pem, toPem(roots[(p * PER_PROFILE + i) % roots.length]!))
        execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', `root ${p}-${i}`, '-t', 'C,,', '-i', pem])
      }
    }
    // Java cacerts, made by keytool.
    const keystore = join(root, 'usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts')
    mkdirSync(join(keystore, '..'), { recursive: true })
    // keytool takes ~0.3 s a certificate: 40 keep the set-up short.
    for (const [i, der] of roots.slice(0, 40).entries()) {
      writeFileSync(join(work, 'one.pem'), toPem(der))
      execFileSync('keytool', ['-importcert', '-noprompt', '-alias', `root${i}`, '-file', join(work, 'one.pem'), '-keystore', keystore, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'ignore' })
    }

    const scanMs = best(() => quiet(process.execPath, [CLI, 'scan', '--json', '--home', home, '--system-root', root]))
    const trustMs = best(() => quiet('trust', ['list']))
    const certutilMs = best(() => profiles.forEach((dir) => quiet('certutil', ['-L', '-d', `sql:${dir}`])))
    const keytoolMs = best(() => quiet('keytool', ['-list', '-keystore', keystore, '-storepass', 'changeit']))
    const nativeMs = trustMs + certutilMs + keytoolMs
    console.log(`\nStores: 3 NSS profiles x ${PER_PROFILE} certificates, stock Debian system store (${roots.length} roots), Java cacerts (40); best of ${ROUNDS}.`)
    console.log(`  certaudit scan (all stores, audit, JSON)      ${scanMs.toFixed(0).padStart(6)} ms`)
    console.log(`  trust list (p11-kit, this machine's store)    ${trustMs.toFixed(0).padStart(6)} ms`)
    console.log(`  certutil -L x 3 profiles                      ${certutilMs.toFixed(0).padStart(6)} ms`)
    console.log(`  keytool -list                                 ${keytoolMs.toFixed(0).padStart(6)} ms`)
    console.log(`  native tools together                         ${nativeMs.toFixed(0).padStart(6)} ms`)
    console.log(`  ratio scan / native tools: ${(scanMs / nativeMs).toFixed(2)}x (target < 1)`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
