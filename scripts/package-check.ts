/**
 * `npm run package:check` (part of `npm test`): what can be proved offline about the installers that
 * `npm run dist` builds from electron-builder.yml.
 *
 * Checked here:
 * - electron-builder.yml loads and validates with electron-builder's own loader and schema, and says what
 *   the issue asks (asar, fuses, publish off, per-user NSIS, universal hardened mac, AppImage/deb/rpm, icons);
 * - `electron-builder --linux dir` packs the app around a stand-in Electron (a file holding only Electron's
 *   fuse wire, with Electron's defaults): electron-builder's own file filter, asar writer and fuse flipper run
 *   for real, and the fuses read back from the stand-in are the configured ones;
 * - the app.asar holds exactly package.json, the shell (dist/electron: main.js, the one-file bundle of the
 *   main process and the engine, and preload.cjs), the window (dist/renderer), resources/*.json|pem and the
 *   production node_modules: no tests, sources, maps, test output or the tsc-built engine modules (probe
 *   files planted in dist/ prove the filter drops them), every file with its integrity hash;
 * - the packed main process, extracted and started with plain Node (a stand-in for `electron`) on the packed
 *   node_modules, answers its window over its real IPC handlers: the bundled blocklist loads from inside the
 *   app, a scan runs, sql.js loads its .wasm, and another window is refused.
 *
 * Not checked offline (needs Electron's real binaries and tools from the internet, or the target OS): that
 * the real Electron starts from the package and honours its fuses; the Windows, macOS and Linux installers
 * themselves (NSIS, portable, dmg/zip, universal merge, AppImage/deb/rpm) and what they install; win-ca's
 * binaries unpacked on Windows; .ico/.icns conversion; signing, notarization, and the embedded asar
 * integrity hash (macOS and Windows only).
 */
import type { Configuration } from 'electron-builder'
import type * as Asar from '@electron/asar'
import type * as Fuses from '@electron/fuses'
import type * as FuseConstants from '@electron/fuses/dist/constants.js'
import type * as BuilderConfig from 'app-builder-lib/out/util/config/config.js'
import type * as BuilderUtil from 'builder-util'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { LINUX_ICON_SIZES } from './lib/icon-sizes.js'

const ROOT = join(import.meta.dirname, '..')
const started = performance.now()

// electron-builder's own copies of its libraries, resolved the way electron-builder resolves them.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
const fromAppBuilder = createRequire(fromBuilder.resolve('app-builder-lib'))
const { getConfig, validateConfiguration } = fromAppBuilder('./util/config/config.js') as typeof BuilderConfig
const { DebugLogger } = fromAppBuilder('builder-util') as typeof BuilderUtil
const asar = fromAppBuilder('@electron/asar') as typeof Asar
const fuses = fromAppBuilder('@electron/fuses') as typeof Fuses
const { SENTINEL: FUSE_SENTINEL } = fromAppBuilder('@electron/fuses/dist/constants.js') as typeof FuseConstants
const BUILDER_CLI = fromBuilder.resolve('electron-builder/cli.js')

const failures: string[] = []
function expect(ok: boolean, what: string): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'}  ${what}\n`)
  if (!ok) failures.push(what)
}
function step(title: string): void {
  process.stdout.write(`\n${title} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
}

const FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
} as const
// Electron's fuse wire (https://www.electronjs.org/docs/latest/tutorial/fuses), in @electron/fuses' order,
// with Electron's defaults: RunAsNode, NodeOptions, NodeCliInspect and GrantFileProtocolExtraPrivileges on.
const FUSE_ORDER = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'] as const
const ELECTRON_DEFAULT_WIRE = '10110001'

/** Width and height from a PNG's IHDR chunk, or null when the file is missing or not a PNG. */
function pngSize(path: string): { width: number; height: number } | null {
  if (!existsSync(path)) return null
  const bytes = readFileSync(path)
  if (bytes.length < 24 || bytes.toString('latin1', 1, 4) !== 'PNG') return null
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

async function checkConfig(): Promise<Configuration> {
  step('electron-builder.yml, through electron-builder’s loader and schema')
  const config = await getConfig(ROOT, null, null)
  await validateConfiguration(config, new DebugLogger(false))
  expect(true, 'valid for electron-builder')
  const targets = (value: unknown): string[] => (Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t : `${t.target}:${[t.arch].flat().join('+')}`)) : [])
  const entitlements = readFileSync(join(ROOT, config.mac?.entitlements ?? 'missing'), 'utf8')
  const facts: [boolean, string][] = [
    [/^[a-z][a-z0-9-]*(\.[a-z0-9-]+){2,}$/.test(config.appId ?? '') && config.productName === 'CertAudit' && !!config.copyright, 'reverse-DNS appId, productName CertAudit, copyright'],
    [/\$\{version\}/.test(config.artifactName ?? '') && /\$\{arch\}/.test(config.artifactName ?? ''), 'artifact names carry version and arch'],
    [config.asar !== false && config.asar != null, 'asar on'],
    [Object.entries(FUSES).every(([name, value]) => config.electronFuses?.[name as keyof typeof FUSES] === value), `fuses ${JSON.stringify(FUSES)}`],
    [config.publish === null, 'publish off'],
    [targets(config.win?.target).join() === 'nsis:x64,portable:x64', 'Windows: NSIS and portable'],
    [config.nsis?.oneClick === true && config.nsis.perMachine === false && config.nsis.allowElevation === false && config.nsis.deleteAppDataOnUninstall === false, 'NSIS per user, never elevated, keeps the data folder'],
    [targets(config.mac?.target).join() === 'dmg:universal,zip:universal', 'macOS: dmg and zip, universal'],
    [config.mac?.minimumSystemVersion === '13.0', 'macOS 13 or later, as Electron 44+ needs (LSMinimumSystemVersion)'],
    [config.mac?.hardenedRuntime === true && (entitlements.match(/<key>/g) ?? []).length === 1 && entitlements.includes('com.apple.security.cs.allow-jit'), 'macOS hardened runtime, one entitlement (allow-jit)'],
    [targets(config.linux?.target).join() === 'AppImage:x64,deb:x64,rpm:x64', 'Linux: AppImage, deb and rpm'],
    [!!config.linux?.category && !!config.linux.description && !!config.linux.desktop?.entry, 'Linux desktop entry with category and description'],
  ]
  for (const [ok, what] of facts) expect(ok, what)
  const big = pngSize(join(ROOT, 'resources/icons/icon.png'))
  expect(big?.width === 1024 && big.height === 1024, 'resources/icons/icon.png is a 1024 px PNG (mac and win icons)')
  const linuxIcons = LINUX_ICON_SIZES.every((n) => {
    const size = pngSize(join(ROOT, `resources/icons/linux/${n}x${n}.png`))
    return size?.width === n && size.height === n
  })
  expect(linuxIcons, `resources/icons/linux/{${LINUX_ICON_SIZES.join(',')}} PNGs of their sizes`)
  return config
}

/** A folder electron-builder accepts as an unpacked Electron for Linux: a placeholder `electron` that holds only the fuse wire. */
function makeStandIn(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true })
  const wire = Buffer.concat([Buffer.from('CertAudit package:check stand-in for Electron; it cannot run.\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('\n')])
  writeFileSync(join(dir, 'electron'), wire)
  chmodSync(join(dir, 'electron'), 0o755)
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n')
}

/** Files the filter must drop, planted where a careless pattern would pack them. */
const PROBES = ['dist/e2e-results/package-check-probe.js', 'dist/electron/package-check-probe.js.map', 'dist/electron/package-check-probe.test.js', 'dist/electron/package-check-probe.ts', 'dist/audit/package-check-probe.js']

function pack(standIn: string, out: string): boolean {
  step('electron-builder --linux dir with the stand-in Electron')
  const hadTestOutput = existsSync(join(ROOT, 'dist/e2e-results'))
  for (const probe of PROBES) {
    mkdirSync(dirname(join(ROOT, probe)), { recursive: true })
    writeFileSync(join(ROOT, probe), '// planted by scripts/package-check.ts; must not be packed\n')
  }
  try {
    const args = [BUILDER_CLI, '--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${standIn}`, `-c.directories.output=${out}`]
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
    const ok = result.status === 0
    if (!ok) process.stdout.write(`${result.stdout}${result.stderr}`.split('\n').slice(-40).join('\n'))
    expect(ok, `electron-builder ${args.slice(1).join(' ')}`)
    return ok
  } finally {
    for (const probe of PROBES) rmSync(join(ROOT, probe), { force: true })
    if (!hadTestOutput) rmSync(join(ROOT, 'dist/e2e-results'), { recursive: true, force: true })
  }
}

/** The names of the production packages in package-lock.json (no `dev` flag): the only node_modules allowed. */
function productionPackages(): Set<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }
  const names = Object.entries(lock.packages).flatMap(([key, entry]) => {
    const name = key.startsWith('node_modules/') ? key.slice('node_modules/'.length) : null
    return name && !name.includes('/node_modules/') && !entry.dev ? [name] : []
  })
  return new Set(names)
}

async function fuseWire(executable: string): Promise<string> {
  const wire = await fuses.getCurrentFuseWire(executable)
  return FUSE_ORDER.map((_, i) => String.fromCharCode(wire[i as keyof typeof wire] as number)).join('')
}

function checkAppAsar(appOut: string): string[] {
  step('app.asar')
  const archive = join(appOut, 'resources', 'app.asar')
  const files = asar.listPackage(archive, { isPack: false }).map((p) => p.replace(/\\/g, '/').replace(/^\//, ''))
  const isFile = (p: string): boolean => 'size' in asar.statFile(archive, p)
  const regular = files.filter(isFile)
  const has = (p: string): boolean => files.includes(p)
  for (const required of ['package.json', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'resources/roots-blocklist.json', 'resources/roots-blocklist.schema.json', 'resources/retired-roots.json', 'resources/blocklist-signing-key.pub.pem', 'node_modules/sql.js/dist/sql-wasm.wasm']) {
    expect(has(required), `has ${required}`)
  }
  const main = asar.extractFile(archive, 'dist/electron/main.js').toString('utf8')
  const relativeImports = [...main.matchAll(/(?:from|import\() ?["'](\.\.?\/[^"']+)["']/g)].map((m) => m[1]!)
  expect(relativeImports.length === 0, `the main process is one file: dist/electron/main.js imports only electron, node: and packages${relativeImports.length ? `, not ${relativeImports.join(', ')}` : ''}`)
  const resources = [...main.matchAll(/new URL\("(\.\.\/\.\.\/resources\/[^"]+)", import\.meta\.url\)/g)].map((m) => join('dist/electron', m[1]!))
  expect(resources.length >= 3 && resources.every(has), `every resource the bundle reads next to itself is packed (${[...new Set(resources)].join(', ')})`)
  const html = asar.extractFile(archive, 'dist/renderer/index.html').toString('utf8')
  const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `dist/renderer/${m[1]}`)
  expect(assets.length > 0 && assets.every(has), `every asset index.html loads is packed (${assets.length})`)

  const allowed = (p: string): boolean =>
    p === 'package.json' || p.startsWith('dist/renderer/') || p === 'dist/electron/main.js' || p === 'dist/electron/preload.cjs' || /^resources\/[^/]+\.(json|pem)$/.test(p) || p.startsWith('node_modules/')
  const stray = regular.filter((p) => !allowed(p))
  expect(stray.length === 0, `only package.json, dist/electron/{main.js,preload.cjs}, dist/renderer, resources/*.json|pem and node_modules${stray.length ? `: also ${stray.slice(0, 5).join(', ')}` : ''}`)
  const sources = regular.filter((p) => /\.(ts|tsx|mts|cts|map)$/.test(p) || /(^|\/)(tests?|__tests__)\//.test(p) || /\.(test|spec)\.[cm]?js$/.test(p) || p.startsWith('dist/e2e-results'))
  expect(sources.length === 0, `no tests, .ts/.tsx sources, .map files or dist/e2e-results${sources.length ? `: ${sources.slice(0, 5).join(', ')}` : ''}`)
  expect(PROBES.every((probe) => !has(probe)), 'the probe files planted in dist/ were left out')
  const production = productionPackages()
  const modules = new Set(files.filter((p) => p.startsWith('node_modules/')).map((p) => p.split('/').slice(1, p.split('/')[1]!.startsWith('@') ? 3 : 2).join('/')))
  const extra = [...modules].filter((m) => !production.has(m))
  const missing = [...production].filter((m) => !modules.has(m))
  expect(extra.length === 0 && missing.length === 0, `node_modules = the production dependencies (${[...modules].sort().join(', ')})${extra.length ? `; dev: ${extra.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`)
  const withoutIntegrity = regular.filter((p) => {
    const entry = asar.statFile(archive, p) as { integrity?: { algorithm?: string } }
    return entry.integrity?.algorithm !== 'SHA256'
  })
  expect(withoutIntegrity.length === 0, 'every file carries its SHA-256 integrity hash')
  const manifest = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as Record<string, unknown>
  expect(manifest.main === 'dist/electron/main.js' && manifest.type === 'module' && !('devDependencies' in manifest) && !('scripts' in manifest), 'packed package.json: main, ESM, no devDependencies or scripts')
  expect(!existsSync(join(appOut, 'resources', 'app.asar.unpacked')) && !existsSync(join(appOut, 'resources', 'app')), 'nothing outside app.asar (no app/ folder, nothing unpacked on Linux)')
  return files
}

function checkPackedEngine(appOut: string, files: readonly string[], work: string): void {
  step('the packed main process, extracted and started with Node (electron stood in for) on its own node_modules')
  const app = join(work, 'app')
  asar.extractAll(join(appOut, 'resources', 'app.asar'), app)
  // A damaged Chromium database in the home: with no certutil on PATH, only sql.js can read it.
  const home = join(work, 'home')
  mkdirSync(join(home, '.pki/nssdb'), { recursive: true })
  writeFileSync(join(home, '.pki/nssdb/cert9.db'), 'not a database\n')
  const noTools = join(work, 'no-tools')
  mkdirSync(noTools)
  const probe = join(import.meta.dirname, 'lib/probe-packaged-engine.mjs')
  const run = spawnSync(process.execPath, [probe, app], { cwd: work, encoding: 'utf8', env: { PATH: noTools, HOME: home, LANG: 'C.UTF-8' } })
  expect(run.status === 0, `node probe-packaged-engine.mjs${run.status === 0 ? '' : `: ${run.stderr.trim().split('\n').slice(0, 8).join('\n')}`}`)
  if (run.status !== 0) return
  const found = JSON.parse(run.stdout) as {
    windows: number
    windowOptions: { webPreferences?: { preload?: string; sandbox?: boolean; contextIsolation?: boolean; nodeIntegration?: boolean } }
    pageUrl: string
    channels: string[]
    appInfo: { version: number; entries: number; source: string }
    scan: { blocklist: { version: number }; verdict: string; stores: number; problems: { code: string; path: string }[] }
    foreign: string | null
  }
  const source = JSON.parse(readFileSync(join(ROOT, 'resources/roots-blocklist.json'), 'utf8')) as { version: number; entries: unknown[] }
  const prefs = found.windowOptions.webPreferences
  expect(found.windows === 1 && prefs?.preload === join(app, 'dist/electron/preload.cjs') && files.includes('dist/electron/preload.cjs'), `main.js makes one window, with the packed preload (${prefs?.preload})`)
  expect(prefs?.sandbox === true && prefs.contextIsolation === true && prefs.nodeIntegration === false, 'the window is sandboxed and isolated, without Node.js')
  expect(found.pageUrl === pathToFileURL(join(app, 'dist/renderer/index.html')).href, `it loads the packed page (${found.pageUrl})`)
  expect(found.channels.length > 0 && found.channels.includes('scan:start') && found.channels.includes('app:info'), `it registers the contract's channels (${found.channels.length})`)
  expect(found.appInfo.source === 'bundled' && found.appInfo.version === source.version && found.appInfo.entries === source.entries.length, `app:info: the blocklist packed in the app, version ${found.appInfo.version}, ${found.appInfo.entries} entries`)
  expect(found.scan.blocklist.version === source.version && found.scan.stores > 0 && typeof found.scan.verdict === 'string', `scan:start runs (${found.scan.stores} stores, verdict ${found.scan.verdict})`)
  // nss-corrupt-db comes only from SQLite's answer ("no nssPublic table"); a .wasm that fails to load throws before.
  const nss = found.scan.problems.find((p) => p.path.startsWith(join(home, '.pki/nssdb')))
  expect(nss?.code === 'nss-corrupt-db', `sql.js loads its packed .wasm and reads the database (${nss?.code ?? 'no problem reported for it'})`)
  expect(found.foreign === 'ForeignSenderError', 'a message from another window is refused')
}

async function main(work: string): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/electron/main.js')) || !existsSync(join(ROOT, 'dist/renderer/index.html'))) {
    expect(false, 'the app is built (npm run build:app)')
    return
  }
  let config: Configuration
  try {
    config = await checkConfig()
  } catch (error) {
    expect(false, `electron-builder.yml loads and validates:\n${(error as Error).message}`)
    return
  }
  makeStandIn(join(work, 'electron-dist'))
  if (!pack(join(work, 'electron-dist'), join(work, 'out'))) return
  const appOut = join(work, 'out', 'linux-unpacked')
  const executable = join(appOut, config.linux?.executableName ?? 'missing')
  expect(existsSync(executable), `the executable is ${config.linux?.executableName}`)
  const wire = await fuseWire(executable)
  const wanted = FUSE_ORDER.map((name, i) => (name in FUSES ? (FUSES[name as keyof typeof FUSES] ? '1' : '0') : ELECTRON_DEFAULT_WIRE[i])).join('')
  expect(wire === wanted, `electron-builder flipped the fuses: ${ELECTRON_DEFAULT_WIRE} → ${wire} (${FUSE_ORDER.map((name, i) => `${name}=${wire[i]}`).join(' ')})`)
  const files = checkAppAsar(appOut)
  checkPackedEngine(appOut, files, work)
}

const work = mkdtempSync(join(tmpdir(), 'certaudit-package-check-'))
try {
  await main(work)
} finally {
  rmSync(work, { recursive: true, force: true })
}

process.stdout.write(`\n${failures.length ? `package:check FAILED (${failures.length})` : 'package:check passed'} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
if (failures.length) process.exitCode = 1
