// Run by scripts/package-check.ts with plain `node` on an extracted copy of the packed app.asar:
//   node probe-packaged-engine.mjs <extracted app> <empty home> <empty system root>
// It does what the packaged main process does at start (electron/main.ts: createCertAuditApi over
// createEnvironment), from the packed files and the packed node_modules only, then prints what it found as
// JSON: where the bundled blocklist and signing key resolve, the list the engine chose, a scan's result,
// and whether sql.js loads its .wasm.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [appDir, home, systemRoot] = process.argv.slice(2)
const load = (relative) => import(pathToFileURL(join(appDir, relative)).href)

const { DEFAULT_BLOCKLIST_PATH, loadBlocklist } = await load('dist/audit/blocklist.js')
const { SIGNING_KEY_PATH } = await load('dist/audit/blocklist-signature.js')
const { createCertAuditApi } = await load('dist/api/certaudit-api.js')
const { createEnvironment } = await load('dist/stores/environment.js')
const { readNssSqlite } = await load('dist/stores/nss-sqlite.js')

const env = createEnvironment({ home, systemRoot, env: { HOME: home, PATH: process.env.PATH ?? '' } })
const api = createCertAuditApi({ env, version: 'package-check' })
const info = await api.handle('app:info', {})
const report = await api.handle('scan:start', { language: 'en' })

// An empty image is a valid, empty SQLite database: reading it proves the .wasm loaded and ran a query.
let sqlite = null
try {
  await readNssSqlite(new Uint8Array(0), 'an empty database')
} catch (error) {
  sqlite = { name: error.name, code: error.code ?? null, message: error.message }
}

process.stdout.write(
  JSON.stringify({
    blocklistPath: DEFAULT_BLOCKLIST_PATH,
    signingKeyPath: SIGNING_KEY_PATH,
    bundledEntries: loadBlocklist().entries.length,
    appInfo: info.blocklist,
    scan: { blocklist: report.blocklist, verdict: report.verdict.level, stores: report.stores.length },
    sqlite,
  }),
)
