/**
 * Folders of 100,000 entries wherever a scan looks into a folder — Debian's anchors, a Firefox profile
 * root, the folder of JDKs, SSL_CERT_DIR — (one folder, linked into each place, so the machine is made
 * in seconds). The built CLI scans it in its own process: it finishes in bounded time and memory, says
 * what it did not look at (profile and JDK folders are looked at to 10,000 entries), lists at most
 * 1,000 problems per store, still finds the look-alike planted beside, and does not say "clean".
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { MAX_PROBLEMS_PER_STORE } from '../../src/api/scan.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'
import { makeManyFiles } from '../support/special-files.js'
import { put } from '../support/system-root.js'
import { faultTempDir } from './machine.js'

const BIN = fileURLToPath(new URL('../../bin/certaudit.mjs', import.meta.url))
const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))
const ENTRIES = 100_000
const HANG_MS = 120_000

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })

describe('folders of 100,000 entries', () => {
  if (!BUILT) {
    it.skip('skipped: needs the built CLI (npm run build)', () => {})
    return
  }

  it('Debian anchors, a Firefox profile root, /usr/lib/jvm and SSL_CERT_DIR: bounded, said, the rest read', async () => {
    const home = faultTempDir('certaudit-crowded-home-')
    const root = faultTempDir('certaudit-crowded-root-')
    const crowded = join(root, 'crowded')
    makeManyFiles(crowded, ENTRIES, '.crt')
    put(root, 'etc/ca-certificates.conf', '')
    put(root, 'usr/local/share/ca-certificates/qaznet.crt', qaznet.pem)
    symlinkSync(relative(join(root, 'usr/local/share/ca-certificates'), crowded), join(root, 'usr/local/share/ca-certificates/crowded'))
    mkdirSync(join(root, 'usr/lib'), { recursive: true })
    symlinkSync(relative(join(root, 'usr/lib'), crowded), join(root, 'usr/lib/jvm'))
    mkdirSync(join(home, '.mozilla'), { recursive: true })
    symlinkSync(crowded, join(home, '.mozilla/firefox'))

    const started = Date.now()
    const result = await new Promise<{ code: number | null; stdout: string; killed: boolean }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'scan', '--json', '--home', home, '--system-root', root],
        { env: { ...ISOLATED_ENV, LANG: 'C', XDG_DATA_HOME: join(home, 'data'), SSL_CERT_DIR: crowded }, timeout: HANG_MS, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 },
        (error, stdout) => {
          const e = error as (Error & { code?: number; killed?: boolean }) | null
          resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, killed: Boolean(e?.killed) })
        },
      )
    })
    const ms = Date.now() - started
    expect(result.killed, `the scan did not finish in ${HANG_MS / 1000} s`).toBe(false)
    const report = JSON.parse(result.stdout) as ScanReport
    console.log(`[measured] a scan meeting four folders of ${ENTRIES.toLocaleString('en')} entries: ${ms} ms, ${report.problems.length} problems listed`)

    expect(report.findings.map((f) => f.certificate.sha256)).toContain(qaznet.sha256)
    expect(result.code).toBe(1)
    expect(report.verdict.unchecked).toBeGreaterThan(0)
    const messages = report.problems.map((p) => p.message)
    expect(messages).toContainEqual(expect.stringContaining(`${join(home, '.mozilla/firefox')} holds more than 10,000 entries`))
    expect(messages).toContainEqual(expect.stringContaining(`${join(root, 'usr/lib/jvm')} holds more than 10,000 entries`))
    // 100,000 empty anchors: each a problem, the list cut at 1,000 and the rest counted.
    const debian = report.problems.filter((p) => p.storeId === 'linux-system:debian')
    expect(debian).toHaveLength(MAX_PROBLEMS_PER_STORE + 1)
    expect(debian.at(-1)!.message).toMatch(/^\d+ more problems in linux-system:debian are not listed/)
  })
})
