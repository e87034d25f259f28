/**
 * Bad input is a reported problem and the scan goes on: a home folder of 100,000 folders, a virtual
 * environment of 100,000 folders, links in loops, links that point out of the home folder or the
 * image, config files that are binary junk, garbage or huge, and FIFOs where files should be.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, it, onTestFinished } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { MAX_CHILDREN, MAX_FOLDERS } from '../../../src/stores/runtime/python.js'
import { runtimeStore } from '../../../src/stores/runtime/index.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { noticeText } from '../../../src/stores/shared/notices.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { havePythonVenv, installCertifi, makeVenv, PYTHON_VENV_MISSING } from '../../support/python-envs.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const corp = makeCertificate({ subject: [['CN', 'Corp Root Behind Junk']] })
const imageRoot = makeCertificate({ subject: [['CN', 'The Image’s Own System Root']] })

/**
 * A temp folder for trees of 100,000 folders: in /dev/shm where the machine has it (memory: making and
 * removing them takes a second there, twenty on a disk), removed when the test ends.
 */
function fastTempDir(prefix: string): string {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** 100 folders of 1,000 folders each, made one level at a time (mkdir -p would look at every parent again). */
function hundredThousandFolders(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < 100; i++) {
    mkdirSync(join(dir, `d${i}`))
    for (let j = 0; j < 1000; j++) mkdirSync(join(dir, `d${i}`, `e${j}`))
  }
}

async function listAll(location: StoreLocation, env: Environment): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of runtimeStore.list(location, env)) items.push(item)
  return items
}

function scanRuntime(env: Environment) {
  return scan({ kinds: ['runtime'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
}

describe.skipIf(!havePythonVenv)(`runtime: huge trees${havePythonVenv ? '' : ` (skipped: ${PYTHON_VENV_MISSING})`}`, () => {
  it('a home of 100,000 folders: environments are still found, the part not looked into is reported, and it stays fast', async () => {
    const home = fastTempDir('certaudit-huge-home-')
    hundredThousandFolders(join(home, 'junk'))
    const venv = installCertifi(makeVenv(join(home, 'zz-project/.venv')), corp.pem)
    const pipx = installCertifi(makeVenv(join(home, '.local/share/pipx/venvs/tool')), corp.pem)
    const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
    const started = performance.now()
    const report = await scanRuntime(env)
    const seconds = (performance.now() - started) / 1000
    expect(report.findings.find((f) => f.certificate.sha256 === corp.sha256)?.locations.map((l) => l.location).sort()).toEqual([pipx, venv].sort())
    const limit = report.problems.find((p) => p.code === 'search-limit')
    expect(limit?.message).toMatch(new RegExp(`after ${MAX_FOLDERS.toLocaleString('en')} folders`))
    expect(seconds).toBeLessThan(20)
  }, 120_000)

  it('a folder of more sub-folders than the walk takes from one folder is reported, and the walk goes on beside it', async () => {
    const home = tempDir('certaudit-wide-home-')
    for (let i = 0; i < MAX_CHILDREN + 5; i++) mkdirSync(join(home, 'wide', `f${String(i).padStart(5, '0')}`), { recursive: true })
    const venv = installCertifi(makeVenv(join(home, 'work/.venv')), corp.pem)
    const report = await scanRuntime(createEnvironment({ home, systemRoot: tempDir(), env: {} }))
    expect(report.findings.find((f) => f.certificate.sha256 === corp.sha256)?.locations.map((l) => l.location)).toEqual([venv])
    expect(report.problems.find((p) => p.code === 'search-limit')?.message).toMatch(/wide holds more than 1,000 folders/)
  })

  it('a virtual environment of 100,000 folders costs nothing: nothing inside it is walked', async () => {
    const home = fastTempDir('certaudit-fat-venv-')
    const site = makeVenv(join(home, 'fat/.venv'))
    hundredThousandFolders(join(site, 'fat_package'))
    const bundle = installCertifi(site, corp.pem)
    const started = performance.now()
    const locations = await runtimeStore.discover(createEnvironment({ home, systemRoot: tempDir(), env: {} }))
    expect(locations.map((l) => l.location)).toEqual([bundle])
    expect(performance.now() - started).toBeLessThan(5000)
  }, 120_000)
})

describe('runtime: links', () => {
  it('never follows a link to a folder (loops, or a way out of the home folder), and reports a loop where a bundle should be', async () => {
    const home = tempDir('certaudit-loops-')
    const outside = tempDir('certaudit-outside-')
    installCertifi(join(outside, 'venv/lib/python3.11/site-packages'), corp.pem)
    writeFileSync(join(outside, 'venv/pyvenv.cfg'), 'home = /usr/bin\n')
    symlinkSync(outside, join(home, 'elsewhere'))
    symlinkSync(home, join(home, 'loop'))
    mkdirSync(join(home, 'a/b'), { recursive: true })
    symlinkSync('../../a', join(home, 'a/b/up'))
    const site = join(home, 'venv/lib/python3.11/site-packages')
    mkdirSync(join(site, 'certifi'), { recursive: true })
    writeFileSync(join(home, 'venv/pyvenv.cfg'), 'home = /usr/bin\n')
    symlinkSync('cacert.pem', join(site, 'certifi/cacert.pem'))
    const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
    const report = await scanRuntime(env)
    expect(report.stores.map((s) => [s.location, s.status])).toEqual([[join(site, 'certifi/cacert.pem'), 'failed']])
    expect(report.stores[0]!.problem).toMatch(/link that points back to itself/)
  })

  it('under --system-root, a bundle linked to an absolute path is read inside the image, never on this machine', async () => {
    const root = tempDir('certaudit-image-')
    const home = tempDir('certaudit-image-home-') // given with --home, outside the image
    put(root, 'etc/ssl/certs/ca-certificates.crt', imageRoot.pem)
    const site = join(home, 'venv/lib/python3.11/site-packages')
    mkdirSync(join(site, 'certifi'), { recursive: true })
    writeFileSync(join(home, 'venv/pyvenv.cfg'), 'home = /usr/bin\n')
    symlinkSync('/etc/ssl/certs/ca-certificates.crt', join(site, 'certifi/cacert.pem')) // as Fedora's python3-certifi does
    const env = createEnvironment({ home, systemRoot: root, env: {} })
    const [location] = await runtimeStore.discover(env)
    expect(location!.note).toContain(`(a link to ${join(root, 'etc/ssl/certs/ca-certificates.crt')})`)
    expect((await listAll(location!, env)).map((i) => i.type === 'entry' && sha256Hex(i.der))).toEqual([imageRoot.sha256])
    // Not the user's file: the plan says where the certificate really is, and never writes through the link.
    const can = await runtimeStore.capabilities({ storeId: location!.id, kind: 'runtime', location: location!.location, entry: 'x', sha256: imageRoot.sha256, pem: imageRoot.pem, trust: 'trusted', facts: location!.facts! }, env)
    expect(can.modes).toEqual([])
    expect(noticeText(can.manual!)).toBe(`${location!.location} is a link to /etc/ssl/certs/ca-certificates.crt, which is not your own file, so CertAudit does not edit it. Remove this certificate there: if it is the system’s bundle, from the computer’s system store, which CertAudit lists on its own.`)
  })
})

describe('runtime: a disk image whose folders link out of it', () => {
  it('never lists a folder of this machine through an absolute link in the image', async () => {
    const root = tempDir('certaudit-escape-root-')
    const live = tempDir('certaudit-escape-live-')
    put(live, 'conda/conda-meta/history', '')
    put(live, 'conda/ssl/cacert.pem', corp.pem)
    put(live, 'php/8.2/cli/php.ini', `openssl.cafile=${put(live, 'corp.pem', corp.pem)}\n`)
    symlinkSync(live, join(root, 'opt')) // /opt -> (this machine's) folder
    mkdirSync(join(root, 'etc'))
    symlinkSync(join(live, 'php'), join(root, 'etc/php'))
    const report = await scanRuntime(createEnvironment({ home: join(root, 'home/u'), systemRoot: root, env: {} }))
    expect(report.stores).toEqual([])
  })
})

describe('runtime: config files that are not what their name says', () => {
  it('binary junk, garbage, a huge file and a FIFO each become a problem; the settings that could be read are followed', async () => {
    const home = tempDir('certaudit-garbage-')
    const target = put(home, 'certs/corp.pem', corp.pem)
    writeFileSync(join(home, '.npmrc'), Buffer.from([0x63, 0x61, 0x66, 0x69, 0x6c, 0x65, 0x00, 0xff, 0xfe, 0x00]))
    put(home, '.condarc', `}}}{{{ not yaml at all\nssl_verify: ${target}\n`)
    put(home, '.config/pip/pip.conf', `[global]\ncert = ${target}\n${'# padding\n'.repeat(120_000)}`)
    put(home, '.wgetrc', `this is not a wgetrc\n`)
    execFileSync('mkfifo', [join(home, '.curlrc')])
    const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
    const started = performance.now()
    const report = await scanRuntime(env)
    expect(performance.now() - started).toBeLessThan(10_000) // the FIFO was not waited on
    const problems = Object.fromEntries(report.problems.map((p) => [p.path, p.message]))
    expect(problems[join(home, '.npmrc')]).toMatch(/is not a text file/)
    expect(problems[join(home, '.condarc')]).toMatch(/is not a valid conda config file: line 1 is not a setting/)
    expect(problems[join(home, '.config/pip/pip.conf')]).toMatch(/far larger than any config file/)
    expect(problems[join(home, '.wgetrc')]).toMatch(/is not a valid wget config file/)
    expect(problems[join(home, '.curlrc')]).toMatch(/is a named pipe \(FIFO\)/)
    // What .condarc does say is still followed.
    expect(report.findings.find((f) => f.certificate.sha256 === corp.sha256)?.locations.map((l) => l.location)).toEqual([target])
  })

  it('a FIFO where certifi’s bundle should be is a failed store, not a wait', async () => {
    const home = tempDir('certaudit-fifo-')
    mkdirSync(join(home, 'venv/lib/python3.12/site-packages/certifi'), { recursive: true })
    writeFileSync(join(home, 'venv/pyvenv.cfg'), 'home = /usr/bin\n')
    execFileSync('mkfifo', [join(home, 'venv/lib/python3.12/site-packages/certifi/cacert.pem')])
    const report = await scanRuntime(createEnvironment({ home, systemRoot: tempDir(), env: {} }))
    expect(report.stores.map((s) => [s.status, s.problem])).toEqual([['failed', expect.stringMatching(/is a named pipe \(FIFO\)/)]])
  })
})
