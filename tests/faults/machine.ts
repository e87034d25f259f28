/**
 * A small planted machine for the fault tests: the Qaznet look-alike root trusted in one Firefox
 * profile (an NSS database made by certutil) and as a Debian local anchor (made live by
 * update-ca-certificates), in temp dirs. Two entries, one of each kind of writer (certutil, and
 * files plus a rebuild command), so every fault meets both. Helpers run the CLI in this process or
 * in its own (so it can really be killed), and take a fingerprint of everything a removal touches.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import type { ScanReport } from '../../src/audit/report.js'
import { scan } from '../../src/api/scan.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { createEnvironment, type Environment } from '../../src/stores/shared/environment.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { certutil, certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'

/** The built CLI, with the test-only crash hook (CERTAUDIT_FAULT). */
const BIN = fileURLToPath(new URL('../support/crashing-cli.mjs', import.meta.url))

/** The tools the fault tests drive (certutil, update-ca-certificates) and the built CLI they kill. */
export const faultToolsReady = certutilInstalled && haveUpdateCaCertificates && existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))
export const FAULT_TOOLS_REASON = 'needs certutil (libnss3-tools), update-ca-certificates and the built CLI (npm run build)'

/** A look-alike of the 2019 Kazakh interception root: same name, a small key (small journal records). */
export const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })
export const findingId = qaznet.sha256.slice(0, 16)
export const NICKNAME = 'Qaznet "$(x)" ü'

export interface Machine {
  readonly home: string
  readonly root: string
  readonly profile: string
  readonly anchor: string
  readonly env: Environment
  /** Where CertAudit keeps journals and backups for this machine (XDG_DATA_HOME). */
  readonly data: string
}

const made: string[] = []
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

/**
 * A temp dir removed when the test file ends. Not tests/support/temp.ts: the fault tests run
 * concurrently, and a dir tied to "the current test" would go when another test finishes.
 */
export function faultTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** A fresh machine with the root trusted in a Firefox profile and as a Debian local anchor. */
export function plantMachine(options: { data?: string } = {}): Machine {
  const home = faultTempDir('certaudit-fault-home-')
  const root = faultTempDir('certaudit-fault-root-')
  const firefox = join(home, '.mozilla/firefox')
  const profile = makeNssDb(join(firefox, 'a1.default-release'), [{ nickname: NICKNAME, trust: 'C,,', cert: qaznet }])
  writeFileSync(join(firefox, 'profiles.ini'), '[Profile0]\nName=default-release\nIsRelative=1\nPath=a1.default-release\n')
  buildDebianTree(root, { local: { 'qaznet.crt': qaznet.pem } })
  const data = options.data ?? join(home, '.local/share')
  return { home, root, profile, anchor: join(root, 'usr/local/share/ca-certificates/qaznet.crt'), data, env: createEnvironment({ home, systemRoot: root, env: { XDG_DATA_HOME: data } }) }
}

/** `certaudit …` in this process, on the machine. */
export async function cli(machine: Machine, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', XDG_DATA_HOME: machine.data } }
  const code = await main([...args, '--home', machine.home, '--system-root', machine.root], io)
  return { code, stdout, stderr }
}

/** `certaudit …` in its own process (so CERTAUDIT_FAULT can kill it), on the machine. */
export function runBin(machine: Machine, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--home', machine.home, '--system-root', machine.root],
      { env: { ...ISOLATED_ENV, XDG_DATA_HOME: machine.data, LANG: 'C', ...env } },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; signal?: string }) | null
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr })
      },
    )
  })
}

/** A scan of the machine, in this process. */
export function scanMachine(machine: Machine): Promise<ScanReport> {
  return scan({}, { env: machine.env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
}

/**
 * Everything a removal changes, as it is now: the anchor file's bytes, the profile's trust flags for
 * the root (certutil's own listing), and the places a scan finds it trusted.
 */
export async function fingerprint(machine: Machine): Promise<{ anchor: string | null; flags: string; trustedIn: string[] }> {
  const listing = certutil(['-L', '-d', `sql:${machine.profile}`])
  const line = listing.split('\n').find((l) => l.startsWith('Qaznet'))
  const report = await scanMachine(machine)
  const finding = report.findings.find((f) => f.certificate.sha256 === qaznet.sha256)
  return {
    anchor: existsSync(machine.anchor) ? readFileSync(machine.anchor, 'utf8') : null,
    flags: line?.trim().split(/\s+/).pop() ?? '(absent)',
    trustedIn: (finding?.locations ?? []).filter((l) => l.trust === 'trusted').map((l) => l.kind).sort(),
  }
}
