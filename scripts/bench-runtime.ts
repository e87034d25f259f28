/**
 * Part of `npm run bench` (`--only runtime`): discovery of a developer's home folder with a few
 * virtual environments made by `python3 -m venv` (each with certifi's stock bundle plus one root), a
 * pipx tool, a conda environment, a pyenv Python, tools' config files, and the noise around them
 * (projects with node_modules, thousands of document folders). Times the runtime kind's discovery
 * in-process, env-bundle's, and a whole `certaudit scan` of the same machine — which also has three
 * browsers (Google Chrome, Microsoft Edge and Brave profiles with their own ServerCertificate database,
 * made by sqlite3), a Firefox profile (certutil) and the stock Debian store (update-ca-certificates over
 * this machine's Mozilla roots), when those tools are here: issue 15's "whole machine under one second".
 *
 *   npm run bench -- --only runtime [--venvs 5] [--noise-folders 5000] [--runtime-rounds 5]
 */
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { envBundleStore } from '../src/stores/env-bundle/index.js'
import { runtimeStore } from '../src/stores/runtime/index.js'
import { createEnvironment } from '../src/stores/shared/environment.js'
import { makeCertificate } from '../tests/support/certificates.js'
import { ISOLATED_ENV } from '../tests/support/isolated-env.js'
import { havePythonVenv, installCertifi, makeCondaEnv, makeVenv, PYTHON_VENV_MISSING, stockCertifiBundle } from '../tests/support/python-envs.js'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../tests/support/system-root.js'
import { haveSqlite3, makeServerCertificate, metadata, TRUSTED } from '../tests/stores/chromium/fixtures.js'
import { certutilInstalled, makeNssDb } from '../tests/stores/nss/fixtures.js'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'

// Not strict: bench.ts owns the command line and has options of its own.
const { values } = parseArgs({ options: { venvs: { type: 'string', default: '5' }, 'noise-folders': { type: 'string', default: '5000' }, 'runtime-rounds': { type: 'string', default: '5' } }, strict: false })
const CLI = fileURLToPath(new URL('../bin/certaudit.mjs', import.meta.url))
/** What "stays fast" means: discovery of the kind, and a whole scan process of the machine. */
const DISCOVERY_TARGET_MS = 250
const SCAN_TARGET_MS = 1000

async function bestOf<T>(rounds: number, run: () => Promise<T> | T): Promise<{ ms: number; last: T }> {
  let ms = Infinity
  let last!: T
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    last = await run()
    ms = Math.min(ms, performance.now() - start)
  }
  return { ms, last }
}

export async function benchRuntime(): Promise<void> {
  if (!havePythonVenv) {
    console.log(`Runtime benchmark skipped: ${PYTHON_VENV_MISSING}.`)
    return
  }
  const venvs = Number(values.venvs)
  const noise = Number(values['noise-folders'])
  const rounds = Number(values['runtime-rounds'])
  const work = mkdtempSync(join(tmpdir(), 'certaudit-bench-runtime-'))
  try {
    const home = join(work, 'home')
    const root = join(work, 'root')
    mkdirSync(root, { recursive: true })
    const stock = stockCertifiBundle()
    for (let i = 0; i < venvs; i++) {
      const corp = makeCertificate({ subject: [['O', 'Bench Corp'], ['CN', `Bench Proxy Root ${i}`]] })
      installCertifi(makeVenv(join(home, `src/project-${i}/.venv`)), stock + corp.pem)
      for (let j = 0; j < 2000 / venvs; j++) mkdirSync(join(home, `src/project-${i}/node_modules/pkg-${j}/lib`), { recursive: true })
    }
    installCertifi(makeVenv(join(home, '.local/share/pipx/venvs/httpie')), stock)
    installCertifi(makeCondaEnv(join(home, 'miniconda3/envs/ds'), stock).sitePackages, stock)
    makeCondaEnv(join(home, 'miniconda3'), stock)
    installCertifi(join(home, '.pyenv/versions/3.12.4/lib/python3.12/site-packages'), stock)
    const bundle = put(home, 'certs/corp.pem', makeCertificate({ subject: [['CN', 'Bench Config Root']] }).pem)
    put(home, '.npmrc', `cafile=${bundle}\n`)
    put(home, '.curlrc', `cacert = "${bundle}"\n`)
    put(home, '.config/pip/pip.conf', `[global]\ncert = ${bundle}\n`)
    for (let i = 0; i < noise; i++) mkdirSync(join(home, 'Documents', `folder-${Math.floor(i / 100)}`, `sub-${i % 100}`), { recursive: true })
    const also = plantBrowsersAndSystem(home, root)
    const env = createEnvironment({ home, systemRoot: root, env: { REQUESTS_CA_BUNDLE: bundle } })

    const runtime = await bestOf(rounds, () => runtimeStore.discover(env))
    const envBundle = await bestOf(rounds, () => envBundleStore.discover(env))
    const scanProcess = await bestOf(rounds, () => {
      try {
        execFileSync(process.execPath, [CLI, 'scan', '--json', '--home', home, '--system-root', root], { stdio: 'ignore', env: { ...ISOLATED_ENV, REQUESTS_CA_BUNDLE: bundle } })
      } catch (error) {
        if ((error as { status?: number }).status !== 1) throw error // 1: findings (the planted roots)
      }
    })
    console.log(`\nRuntime discovery: a home of ${venvs} venvs (python3 -m venv, certifi = stock + 1 root), pipx, conda base + 1 env, pyenv, 3 config files, ${2000 + noise} other folders; best of ${rounds}.`)
    console.log(`  runtime discover (in-process)           ${runtime.ms.toFixed(1).padStart(8)} ms   ${runtime.last.length} places   target ≤ ${DISCOVERY_TARGET_MS} ms: ${runtime.ms <= DISCOVERY_TARGET_MS ? 'met' : 'MISSED'}`)
    console.log(`  env-bundle discover (in-process)        ${envBundle.ms.toFixed(1).padStart(8)} ms   ${envBundle.last.length} places`)
    console.log(`  \`certaudit scan --json\` (whole process) ${scanProcess.ms.toFixed(1).padStart(8)} ms   every kind            target ≤ ${SCAN_TARGET_MS} ms: ${scanProcess.ms <= SCAN_TARGET_MS ? 'met' : 'MISSED'}`)
    console.log(`  the same machine also has: ${also.join('; ')}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Three browsers' own stores, a Firefox profile and the stock Debian store, where the tools to make them are here. */
function plantBrowsersAndSystem(home: string, root: string): string[] {
  const planted: string[] = []
  if (haveSqlite3) {
    const rows = (browser: string) => [1, 2, 3].map((i) => ({ der: makeCertificate({ subject: [['CN', `${browser} Imported Root ${i}`]] }).der, trust: metadata(TRUSTED) }))
    for (const [folder, browser] of [['google-chrome', 'Chrome'], ['microsoft-edge', 'Edge'], ['BraveSoftware/Brave-Browser', 'Brave']] as const) {
      makeServerCertificate(join(home, '.config', folder, 'Default'), rows(browser))
      put(home, `.config/${folder}/Local State`, JSON.stringify({ profile: { info_cache: { Default: { name: 'Person 1' } } } }))
    }
    planted.push('Chrome, Edge and Brave profiles (3 roots each in ServerCertificate)')
  } else planted.push('no browser stores (sqlite3 is not installed)')
  if (certutilInstalled) {
    makeNssDb(join(home, '.mozilla/firefox/b1.default-release'), [{ nickname: 'Bench Firefox Root', trust: 'C,,', cert: makeCertificate({ subject: [['CN', 'Bench Firefox Root']] }) }])
    put(home, '.mozilla/firefox/profiles.ini', '[Profile0]\nName=default-release\nIsRelative=1\nPath=b1.default-release\n')
    planted.push('a Firefox profile')
  }
  const mozilla = '/usr/share/ca-certificates/mozilla'
  if (haveUpdateCaCertificates && existsSync(mozilla)) {
    cpSync(mozilla, join(root, 'usr/share/ca-certificates/mozilla'), { recursive: true })
    buildDebianTree(root, { confLines: readdirSync(mozilla).map((name) => `mozilla/${name}`) })
    planted.push(`the stock Debian store (${readdirSync(mozilla).length} roots)`)
  } else planted.push('no Debian store (update-ca-certificates or the Mozilla roots are not installed)')
  return planted
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRuntime()
