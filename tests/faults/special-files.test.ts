/**
 * Class 1 of issue 14, end to end: every file a scan reads, made in turn into each kind of file that is
 * not a certificate file — a FIFO, a link to /dev/zero or /dev/urandom, a socket, a device node (as a
 * disk image's own /dev holds them), a sparse file of 2 TB, a link loop — on one machine per kind. The
 * built CLI scans it in its own process (so a hang is a timeout, not a stuck test run) and must:
 * finish in seconds, report each place as a problem naming it and saying what it is, go on with the
 * other stores (the Qaznet look-alike planted beside them is still found), and never say "clean".
 *
 * On the code before regular-file.ts the FIFO machine hung until the timeout, and the /dev/zero one
 * read until memory ran out.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'
import { cannotMake, makeSpecial, SAYS, type SpecialKind } from '../support/special-files.js'
import { put } from '../support/system-root.js'
import { certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { faultTempDir } from './machine.js'

const BIN = fileURLToPath(new URL('../../bin/certaudit.mjs', import.meta.url))
const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))
/** A scan of this small machine takes about a second; a hang is anything past this. */
const HANG_MS = 45_000
/** Bigger than the cap of every kind of file CertAudit reads (the largest, a bundle, is 1 GB). */
const SPARSE_BYTES = 2 * 1024 ** 4

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })
const other = makeCertificate({ subject: [['O', 'Example'], ['CN', 'Example Root']], key: makeKey({ type: 'ec' }) })

/** One NSS database made by certutil, copied wherever a real one is needed beside a special file. */
let goodDb: string | undefined
function realDb(): string {
  goodDb ??= makeNssDb(join(faultTempDir('certaudit-db-'), 'db'), [{ nickname: 'Example', trust: 'C,,', cert: other }])
  return goodDb
}

interface Placement {
  /** What the file is, for the test's messages. */
  readonly what: string
  readonly path: string
  /** Inside --system-root, where links to /dev are the image's own (missing here) and devices are nodes. */
  readonly inRoot: boolean
  /** A link that leads nowhere here is no store at all (a JDK without its cacerts): not a problem. */
  readonly danglingIsNothing?: boolean
}

interface SpecialMachine {
  readonly home: string
  readonly root: string
  readonly data: string
  readonly env: Record<string, string>
  readonly placements: readonly Placement[]
}

/** A machine whose every readable place is `kind`, beside a Debian anchor holding the Qaznet look-alike. */
function plantSpecialMachine(kind: SpecialKind): SpecialMachine {
  const home = faultTempDir('certaudit-special-home-')
  const root = faultTempDir('certaudit-special-root-')
  const data = join(home, '.local/share')
  const placements: Placement[] = []
  const special = (what: string, path: string, inRoot: boolean, danglingIsNothing = false) => {
    makeSpecial(kind, path, SPARSE_BYTES)
    placements.push({ what, path, inRoot, danglingIsNothing })
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
  special('~/.gitconfig', join(home, '.gitconfig'), false)
  special('SSL_CERT_FILE', join(home, 'env-bundle.pem'), false)
  special('a hash file in SSL_CERT_DIR', join(home, 'certdir/0a1b2c3d.0'), false)

  // The system root: Debian's anchors, bundle, conf-listed file and conf; Fedora's p11-kit anchors; Java; Firefox policies.
  special('a Debian anchor', join(root, 'usr/local/share/ca-certificates/special.crt'), true)
  special("Debian's bundle", join(root, 'etc/ssl/certs/ca-certificates.crt'), true)
  special('a file ca-certificates.conf names', join(root, 'usr/share/ca-certificates/mozilla/Special.crt'), true)
  put(root, 'etc/ca-certificates.conf', 'mozilla/Example.crt\nmozilla/Special.crt\n')
  special('a Fedora p11-kit anchor', join(root, 'etc/pki/ca-trust/source/anchors/special.p11-kit'), true)
  special("Java's cacerts", join(root, 'etc/ssl/certs/java/cacerts'), true, true)
  special('policies.json', join(root, 'etc/firefox/policies/policies.json'), true, true)
  put(root, 'usr/lib/firefox/distribution/policies.json', JSON.stringify({ policies: { Certificates: { Install: ['special.pem'] } } }))
  special('a certificate a policy installs', join(root, 'usr/lib/mozilla/certificates/special.pem'), true)
  return { home, root, data, env: { SSL_CERT_FILE: join(home, 'env-bundle.pem'), SSL_CERT_DIR: join(home, 'certdir') }, placements }
}

/** The built CLI in its own process; null when it had to be killed. */
function scanInProcess(machine: SpecialMachine): Promise<{ code: number | null; stdout: string; stderr: string; ms: number } | null> {
  const started = Date.now()
  const args = ['scan', '--json', '--file', join(machine.home, 'named.pem'), '--store', 'nss', '--store', 'linux-system', '--store', 'java', '--store', 'env-bundle', '--store', 'firefox-policy']
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--home', machine.home, '--system-root', machine.root],
      { env: { ...ISOLATED_ENV, XDG_DATA_HOME: machine.data, LANG: 'C', ...machine.env }, timeout: HANG_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; killed?: boolean }) | null
        if (e?.killed) return resolve(null)
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr, ms: Date.now() - started })
      },
    )
  })
}

const KINDS: readonly SpecialKind[] = ['fifo', 'zero-link', 'urandom-link', 'socket', 'char-device', 'block-device', 'sparse', 'link-loop']

describe('a scan meets FIFOs, devices, sockets, huge sparse files and link loops wherever it reads', () => {
  if (!BUILT) {
    it.skip('skipped: needs the built CLI (npm run build)', () => {})
    return
  }
  if (!certutilInstalled) console.warn('[skipped] the cert9.db-wal and cert9.db-journal placements: certutil is not installed (apt-get install libnss3-tools)')

  for (const kind of KINDS) {
    it(`${kind}: every place is a problem that names it, the scan finishes, the rest is read, the verdict is not clean`, async (context) => {
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
      const said = [...report.problems.map((p) => p.message), ...report.stores.map((s) => s.problem ?? '')]
      const dangling = (place: Placement) => place.inRoot && (kind === 'zero-link' || kind === 'urandom-link')
      for (const place of machine.placements.filter((p) => !(p.danglingIsNothing && dangling(p)))) {
        const about = said.filter((m) => m.includes(place.path))
        expect(about, `no problem names ${place.what} (${place.path})`).not.toEqual([])
        // A link to /dev inside a disk image leads to the image's own /dev (not there here): "does not exist" is right.
        const expected = dangling(place) ? /does not exist|no such file was found|character device/ : SAYS[kind]
        expect(about.join('\n'), `${place.what} (${place.path})`).toMatch(expected)
      }
      expect(ms).toBeLessThan(HANG_MS)
    })
  }

  it('a device node inside --system-root, reached by an absolute link as the image has it, is refused, not opened', async (context) => {
    const reason = cannotMake('char-device')
    if (reason) {
      context.skip(reason)
      return
    }
    const machine = plantSpecialMachine('zero-link')
    // The image's own /dev/zero: the links above now lead to a real device node inside the root.
    makeSpecial('char-device', join(machine.root, 'dev/zero'))
    makeSpecial('char-device', join(machine.root, 'dev/urandom'))
    const result = await scanInProcess(machine)
    expect(result).not.toBeNull()
    const report = JSON.parse(result!.stdout) as ScanReport
    const said = [...report.problems.map((p) => p.message), ...report.stores.map((s) => s.problem ?? '')]
    for (const place of machine.placements.filter((p) => p.inRoot)) {
      expect(said.filter((m) => m.includes(place.path)).join('\n'), `${place.what} (${place.path})`).toMatch(/character device/)
    }
    expect(report.findings.map((f) => f.certificate.sha256)).toContain(qaznet.sha256)
  })
})
