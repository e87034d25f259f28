/**
 * Class 1 of issue 14, end to end: every file a scan reads, made in turn into each kind of file that is
 * not a certificate file — a FIFO, a link to /dev/zero or /dev/urandom, a socket, a device node (as a
 * disk image's own /dev holds them), a sparse file of 2 TB, a link loop — on one machine per kind. The
 * built CLI scans it in its own process (so a hang is a timeout, not a stuck test run) and must:
 * finish in seconds, report each place as a problem naming it and saying what it is, go on with the
 * other stores (the Qaznet look-alike planted beside them is still found), and never say "clean".
 * On the same machine the guard (`certaudit watch --once`) meets its own state file made that kind,
 * and a removal planned from the scan meets the Chromium database it changes made that kind since.
 *
 * The places are those of every kind: --file, Firefox and Thunderbird (cert9.db, its -wal and -journal,
 * the profile lists), Chromium's NSS database and each profile's ServerCertificate (with its -wal and
 * -journal) and Local State, a Chromium policy file, git's config, variables (SSL_CERT_FILE, a hash file
 * in SSL_CERT_DIR, the trustStore of JAVA_TOOL_OPTIONS) and a start-up file that sets them, Debian's
 * anchors, bundle, conf-listed file and Fedora's p11-kit anchors, Java's cacerts, Firefox's
 * policies.json and the file a policy installs, OpenSSL's default bundle and a file of a default
 * certificate folder, a virtual environment's certifi, tools' config files (.curlrc, pip.conf) and the
 * bundle .npmrc names, a Docker registry's CA, the guard's state, a removal's database.
 *
 * On the code before regular-file.ts the FIFO machine hung until the timeout, and the /dev/zero one
 * read until memory ran out. On the code before the kinds written beside it read through it too, 8 of
 * the 9 tests fail: `watch --once` hung on a FIFO state file until killed and read a /dev/urandom one for
 * seconds; git's config, ~/.profile, .curlrc, pip.conf, a venv's certifi, SSL_CERT_FILE, JAVA_TOOL_OPTIONS'
 * trustStore and the bundle .npmrc names, Local State, ServerCertificate, a policy file and a Docker CA
 * were named without saying what they are ("not a regular file", "not a file"), a link to /dev/zero from
 * the home was said of its target only, and a huge one was "far larger than such a file ever is". (The
 * link-loop machine passed already; the removal was refused in words already, but said of a link to
 * /dev/zero only that it leads out of the home.)
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'
import { cannotMake, makeSpecial, SAYS, type SpecialKind } from '../support/special-files.js'
import { put } from '../support/system-root.js'
import { haveSqlite3, makeServerCertificate, metadata, TRUSTED } from '../stores/chromium/fixtures.js'
import { certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { faultTempDir } from './machine.js'

const BIN = fileURLToPath(new URL('../../bin/certaudit.mjs', import.meta.url))
const DIST = fileURLToPath(new URL('../../dist', import.meta.url))
const BUILT = existsSync(join(DIST, 'cli/main.js'))
/** A scan of this small machine takes a second or two; a hang is anything past this. */
const HANG_MS = 45_000
/** Bigger than the cap of every kind of file CertAudit reads (the largest, a bundle, is 1 GB). */
const SPARSE_BYTES = 2 * 1024 ** 4
const STORES = ['nss', 'linux-system', 'java', 'env-bundle', 'firefox-policy', 'chromium', 'chromium-policy', 'openssl', 'runtime']

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })
/** Another look-alike, only in a Chromium profile: the removal's finding. */
const qaznetInBrowser = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })
const other = makeCertificate({ subject: [['O', 'Example'], ['CN', 'Example Root']], key: makeKey({ type: 'ec' }) })

/** One NSS database made by certutil, copied wherever a real one is needed beside a special file. */
let goodDb: string | undefined
function realDb(): string {
  goodDb ??= makeNssDb(join(faultTempDir('certaudit-db-'), 'db'), [{ nickname: 'Example', trust: 'C,,', cert: other }])
  return goodDb
}

/** One Chromium ServerCertificate database made by sqlite3, copied the same way. */
let goodChromiumDb: string | undefined
function realChromiumDb(): string {
  goodChromiumDb ??= makeServerCertificate(faultTempDir('certaudit-chromium-db-'), [{ der: other.der, trust: metadata(TRUSTED) }])
  return goodChromiumDb
}

interface Placement {
  /** What the file is, for the test's messages. */
  readonly what: string
  readonly path: string
  /** Inside --system-root, where links to /dev are the image's own (missing here) and devices are nodes. */
  readonly inRoot: boolean
  /**
   * Read as the audited machine would (machine-files.ts): a link's absolute target is the image's own
   * under --system-root, even from a home folder outside it, so a link to /dev/zero leads to the image's.
   */
  readonly onMachine?: boolean
  /** A link that leads nowhere here is no store at all (a JDK without its cacerts): not a problem. */
  readonly danglingIsNothing?: boolean
}

interface SpecialMachine {
  readonly home: string
  readonly root: string
  readonly data: string
  readonly env: Record<string, string>
  readonly placements: readonly Placement[]
  /** The Chromium database that holds {@link qaznetInBrowser}, read fine by the scan. */
  readonly browserDb: string | null
  /** The guard's state file, made the special kind. */
  readonly guardState: string
}

/** A machine whose every readable place is `kind`, beside a Debian anchor holding the Qaznet look-alike. */
function plantSpecialMachine(kind: SpecialKind): SpecialMachine {
  const home = faultTempDir('certaudit-special-home-')
  const root = faultTempDir('certaudit-special-root-')
  const data = join(home, '.local/share')
  const placements: Placement[] = []
  const special = (what: string, path: string, inRoot: boolean, options: { onMachine?: boolean; danglingIsNothing?: boolean } = {}) => {
    makeSpecial(kind, path, SPARSE_BYTES)
    placements.push({ what, path, inRoot, ...options })
  }
  // What is read fine: a Debian anchor with the look-alike, the conf naming one distro file.
  put(root, 'usr/local/share/ca-certificates/qaznet.crt', qaznet.pem)
  put(root, 'usr/share/ca-certificates/mozilla/Example.crt', other.pem)

  // The home: --file, Firefox (profile folders found on disk), Thunderbird and snap Firefox lists, Chromium, git, variables.
  special('--file', join(home, 'named.pem'), false)
  special('cert9.db', join(home, '.mozilla/firefox/p1.default/cert9.db'), false)
  if (certutilInstalled) {
    for (const [profile, file] of [['p2.wal', 'cert9.db-wal'], ['p3.journal', 'cert9.db-journal']] as const) {
      const dir = join(home, '.mozilla/firefox', profile)
      mkdirSync(dir, { recursive: true })
      cpSync(join(realDb(), 'cert9.db'), join(dir, 'cert9.db'))
      special(file, join(dir, file), false)
    }
  }
  special('profiles.ini', join(home, '.thunderbird/profiles.ini'), false)
  special('installs.ini', join(home, 'snap/firefox/common/.mozilla/firefox/installs.ini'), false)
  special("Chromium's cert9.db", join(home, '.pki/nssdb/cert9.db'), false)
  special('~/.gitconfig', join(home, '.gitconfig'), false, { onMachine: true, danglingIsNothing: true })
  special('SSL_CERT_FILE', join(home, 'env-bundle.pem'), false, { onMachine: true })
  special('a hash file in SSL_CERT_DIR', join(home, 'certdir/0a1b2c3d.0'), false)
  special('the trustStore of JAVA_TOOL_OPTIONS', join(home, 'truststore.jks'), false, { onMachine: true })
  special('~/.profile, which sets variables', join(home, '.profile'), false, { onMachine: true, danglingIsNothing: true })

  // Chromium's own store: Local State, a profile's ServerCertificate, another's -wal and -journal beside a good database.
  const chromium = join(home, '.config/chromium')
  special("Chromium's Local State", join(chromium, 'Local State'), false)
  special("a Chromium profile's ServerCertificate", join(chromium, 'Default/ServerCertificate'), false)
  let browserDb: string | null = null
  if (haveSqlite3) {
    for (const [profile, file] of [['Profile 1', 'ServerCertificate-wal'], ['Profile 2', 'ServerCertificate-journal']] as const) {
      mkdirSync(join(chromium, profile), { recursive: true })
      cpSync(realChromiumDb(), join(chromium, profile, 'ServerCertificate'))
      special(`a Chromium profile's ${file}`, join(chromium, profile, file), false)
    }
    browserDb = makeServerCertificate(join(chromium, 'Profile 3'), [{ der: qaznetInBrowser.der, trust: metadata(TRUSTED) }])
  }

  // Runtimes and tools: a virtual environment's certifi, the bundle .npmrc names, .curlrc, pip.conf.
  put(home, 'project/.venv/pyvenv.cfg', 'home = /usr/bin\n')
  special("a virtual environment's certifi bundle", join(home, 'project/.venv/lib/python3.12/site-packages/certifi/cacert.pem'), false, { onMachine: true, danglingIsNothing: true })
  put(home, '.npmrc', `cafile=${join(home, 'npm-ca.pem')}\n`)
  special('the bundle .npmrc names', join(home, 'npm-ca.pem'), false, { onMachine: true })
  special('~/.curlrc', join(home, '.curlrc'), false, { onMachine: true, danglingIsNothing: true })
  special('pip.conf', join(home, '.config/pip/pip.conf'), false, { onMachine: true, danglingIsNothing: true })

  // The system root: Debian's anchors, bundle, conf-listed file and conf; Fedora's p11-kit anchors; Java; Firefox policies.
  special('a Debian anchor', join(root, 'usr/local/share/ca-certificates/special.crt'), true)
  special("Debian's bundle", join(root, 'etc/ssl/certs/ca-certificates.crt'), true)
  special('a file ca-certificates.conf names', join(root, 'usr/share/ca-certificates/mozilla/Special.crt'), true)
  put(root, 'etc/ca-certificates.conf', 'mozilla/Example.crt\nmozilla/Special.crt\n')
  special('a Fedora p11-kit anchor', join(root, 'etc/pki/ca-trust/source/anchors/special.p11-kit'), true)
  special("Java's cacerts", join(root, 'etc/ssl/certs/java/cacerts'), true, { danglingIsNothing: true })
  special('policies.json', join(root, 'etc/firefox/policies/policies.json'), true, { danglingIsNothing: true })
  put(root, 'usr/lib/firefox/distribution/policies.json', JSON.stringify({ policies: { Certificates: { Install: ['special.pem'] } } }))
  special('a certificate a policy installs', join(root, 'usr/lib/mozilla/certificates/special.pem'), true)
  // A Chromium policy file in the managed folder; OpenSSL's default bundle (Alpine's, no layout known) and a default folder's file; a registry's CA.
  special('a Chromium policy file', join(root, 'etc/chromium/policies/managed/special.json'), true, { danglingIsNothing: true })
  special("OpenSSL's default bundle /etc/ssl/cert.pem", join(root, 'etc/ssl/cert.pem'), true, { danglingIsNothing: true })
  special("a file in OpenSSL's default folder", join(root, 'usr/local/ssl/certs/special.pem'), true, { danglingIsNothing: true })
  special("a Docker registry's ca.crt", join(root, 'etc/docker/certs.d/registry.example:5000/ca.crt'), true, { danglingIsNothing: true })

  // The guard's own state, in the data folder.
  mkdirSync(join(data, 'certaudit/guard'), { recursive: true, mode: 0o700 })
  const guardState = join(data, 'certaudit/guard/state.json')
  makeSpecial(kind, guardState, SPARSE_BYTES)
  return {
    home,
    root,
    data,
    env: { SSL_CERT_FILE: join(home, 'env-bundle.pem'), SSL_CERT_DIR: join(home, 'certdir'), JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${join(home, 'truststore.jks')}` },
    placements,
    browserDb,
    guardState,
  }
}

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/** A process that must end by itself; null when it had to be killed. */
function runInProcess(args: readonly string[], machine: SpecialMachine): Promise<Run | null> {
  const started = Date.now()
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env: { ...ISOLATED_ENV, XDG_DATA_HOME: machine.data, LANG: 'C', ...machine.env }, timeout: HANG_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; killed?: boolean }) | null
        if (e?.killed) return resolve(null)
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr, ms: Date.now() - started })
      },
    )
  })
}

const onMachineArgs = (machine: SpecialMachine) => ['--home', machine.home, '--system-root', machine.root]

/** The built CLI's scan of every kind. */
function scanInProcess(machine: SpecialMachine): Promise<Run | null> {
  return runInProcess([BIN, 'scan', '--json', '--file', join(machine.home, 'named.pem'), ...STORES.flatMap((s) => ['--store', s]), ...onMachineArgs(machine)], machine)
}

/**
 * A removal planned from `report` and applied, in a process of its own with the built engine (as the
 * window does it: the scan, then the user's confirmation, then the change).
 */
function removeInProcess(machine: SpecialMachine, report: ScanReport, findingId: string): Promise<Run | null> {
  const reportFile = join(machine.home, 'report.json')
  writeFileSync(reportFile, JSON.stringify(report))
  const script = `
    const [dist, reportFile, id, home, root, data] = process.argv.slice(1)
    const { readFileSync } = await import('node:fs')
    const { planRemoval } = await import(dist + '/removal/plan.js')
    const { applyPlan } = await import(dist + '/removal/engine.js')
    const { createElevation } = await import(dist + '/stores/index.js')
    const { createEnvironment } = await import(dist + '/stores/shared/environment.js')
    const env = createEnvironment({ home, systemRoot: root, env: { XDG_DATA_HOME: data } })
    const plan = await planRemoval(JSON.parse(readFileSync(reportFile, 'utf8')), [id], 'delete', env)
    const result = await applyPlan(plan, { env, elevation: createElevation(env) })
    process.stdout.write(JSON.stringify(result))`
  return runInProcess(['--input-type=module', '-e', script, DIST, reportFile, findingId, machine.home, machine.root, machine.data], machine)
}

const KINDS: readonly SpecialKind[] = ['fifo', 'zero-link', 'urandom-link', 'socket', 'char-device', 'block-device', 'sparse', 'link-loop']

/** Every problem and failed store's message of a report. */
function said(report: ScanReport): string[] {
  return [...report.problems.map((p) => p.message), ...report.stores.map((s) => s.problem ?? '')]
}

describe('a scan meets FIFOs, devices, sockets, huge sparse files and link loops wherever it reads', () => {
  if (!BUILT) {
    it.skip('skipped: needs the built CLI (npm run build)', () => {})
    return
  }
  if (!certutilInstalled) console.warn('[skipped] the cert9.db-wal and cert9.db-journal placements: certutil is not installed (apt-get install libnss3-tools)')
  if (!haveSqlite3) console.warn('[skipped] the ServerCertificate-wal and -journal placements and the removal: sqlite3 is not installed (apt-get install sqlite3)')

  for (const kind of KINDS) {
    it(`${kind}: every place is a problem that names it, the scan finishes, the rest is read, the verdict is not clean; the guard and a removal too`, async (context) => {
      const reason = cannotMake(kind)
      if (reason) {
        context.skip(reason)
        return
      }
      const machine = plantSpecialMachine(kind)
      const result = await scanInProcess(machine)
      expect(result, `the scan hung for ${HANG_MS / 1000} s and was killed`).not.toBeNull()
      const { code, stdout, ms } = result!
      const report = JSON.parse(stdout) as ScanReport
      // The rest was read: the look-alike in the Debian anchors is found, so the scan exits 1.
      expect(report.findings.map((f) => f.certificate.sha256)).toContain(qaznet.sha256)
      expect(code).toBe(1)
      expect(report.verdict.level).toBe('high')
      expect(report.verdict.unchecked).toBeGreaterThan(0)
      expect(report.verdict.text).toMatch(/could not be checked in full/)
      // A link to /dev inside a disk image (or read as the image would) leads to the image's own /dev, not there here.
      const dangling = (place: Placement) => (place.inRoot || place.onMachine === true) && (kind === 'zero-link' || kind === 'urandom-link')
      const messages = said(report)
      for (const place of machine.placements.filter((p) => !(p.danglingIsNothing && dangling(p)))) {
        const about = messages.filter((m) => m.includes(place.path))
        expect.soft(about, `no problem names ${place.what} (${place.path})`).not.toEqual([])
        const expected = dangling(place) ? /does not exist|no such file was found|character device/ : SAYS[kind]
        expect.soft(about.join('\n'), `${place.what} (${place.path})`).toMatch(expected)
      }
      expect(ms).toBeLessThan(HANG_MS)

      // The guard: its state file is that kind; the check ends, says so, and starts a fresh baseline.
      const watch = await runInProcess([BIN, 'watch', '--once', '--json', ...onMachineArgs(machine)], machine)
      expect(watch, `certaudit watch --once hung for ${HANG_MS / 1000} s and was killed`).not.toBeNull()
      expect([0, 1], watch!.stderr).toContain(watch!.code)
      const check = JSON.parse(watch!.stdout) as { problems: string[] }
      expect(check.problems.filter((p) => p.includes(machine.guardState)).join('\n'), "the guard's state").toMatch(SAYS[kind])

      // A removal planned from the scan, after the browser's database became that kind: refused in words, never a hang.
      if (machine.browserDb) {
        const finding = report.findings.find((f) => f.certificate.sha256 === qaznetInBrowser.sha256)
        expect(finding?.locations.map((l) => l.location)).toEqual([machine.browserDb])
        makeSpecial(kind, machine.browserDb, SPARSE_BYTES)
        const removal = await removeInProcess(machine, report, finding!.id)
        expect(removal, `the removal hung for ${HANG_MS / 1000} s and was killed`).not.toBeNull()
        expect(removal!.code, removal!.stderr).toBe(0)
        const change = JSON.parse(removal!.stdout) as { results: { status: string; detail?: string }[] }
        expect(change.results.map((r) => r.status)).not.toContain('removed')
        expect(change.results.map((r) => r.detail ?? '').join('\n'), 'the removal of the Chromium row').toMatch(new RegExp(`${escape(machine.browserDb)}[^]*(${SAYS[kind].source})`))
      }
    }, 3 * HANG_MS)
  }

  it('a device node inside --system-root, reached by an absolute link as the image has it, is refused, not opened', async (context) => {
    const reason = cannotMake('char-device')
    if (reason) {
      context.skip(reason)
      return
    }
    const machine = plantSpecialMachine('zero-link')
    // The image's own devices: each link that is read inside the image (from the root, or from the home
    // as the image reads it) now leads to a real device node inside the root, one per place (kinds that
    // read a file once however many places lead to it would otherwise name one place for all).
    const inImage = machine.placements.filter((p) => p.inRoot || p.onMachine)
    for (const [index, place] of inImage.entries()) {
      rmSync(place.path)
      symlinkSync(`/dev/zero${index}`, place.path)
      makeSpecial('char-device', join(machine.root, `dev/zero${index}`))
    }
    const result = await scanInProcess(machine)
    expect(result).not.toBeNull()
    const report = JSON.parse(result!.stdout) as ScanReport
    const messages = said(report)
    for (const place of inImage) {
      expect.soft(messages.filter((m) => m.includes(place.path)).join('\n'), `${place.what} (${place.path})`).toMatch(/character device/)
    }
    expect(report.findings.map((f) => f.certificate.sha256)).toContain(qaznet.sha256)
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
