/**
 * The store contract (store-contract.ts) for the Linux adapters, on real stores made and changed by
 * the real tools in temp dirs: an NSS database (certutil), a Debian system store
 * (update-ca-certificates), a Java keystore (keytool), a Chromium profile's ServerCertificate database
 * (made and read back by sqlite3) and a Chromium policy file (which CertAudit edits itself). The same
 * checks the Windows and macOS adapters pass on their simulated machines.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { createElevation } from '../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { chromiumStore } from '../../src/stores/chromium/index.js'
import { chromiumPolicyStore } from '../../src/stores/chromium-policy/index.js'
import { javaStore } from '../../src/stores/java/index.js'
import { linuxSystemStore } from '../../src/stores/linux-system/index.js'
import { nssStore } from '../../src/stores/nss/index.js'
import type { Elevation, StoreAdapter } from '../../src/stores/types.js'
import { makeCertificate } from '../support/certificates.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'
import { certutilInstalled, makeNssDb } from './nss/fixtures.js'
import { storeContract } from './store-contract.js'
import { haveKeytool } from '../support/tools.js'
import { haveSqlite3, makeServerCertificate, metadata, SQLITE3_ABSENT_REASON, TRUSTED, UNSPECIFIED } from './chromium/fixtures.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Contract Tests'], ['CN', 'Root To Keep']] })

/** An elevation whose tool claims success without running: the engine must still see the certificate. */
const lyingAbout = (tool: string, real: Elevation): Elevation => ({
  run: async (command, args, options) => (command === tool || args.includes(tool) ? { command: [command, ...args], exitCode: 0, stdout: '', stderr: '', elevated: options.admin } : real.run(command, args, options)),
})

/** A writer that says it changed the store and did nothing (the Linux writer edits files itself, without a tool to lie). */
const lyingAdapter = (adapter: StoreAdapter): StoreAdapter => ({ ...adapter, apply: async () => ({ ok: true, commands: [] }) })

if (!certutilInstalled) describe.skip('store contract: NSS (skipped: certutil is not installed; apt-get install libnss3-tools)', () => it('needs certutil', () => {}))
else
  storeContract('NSS database (certutil)', ['delete', 'distrust'], async () => {
    const home = tempDir()
    const db = makeNssDb(join(home, '.mozilla/firefox/a1.default'), [
      { nickname: 'Qaznet Trust Network', trust: 'CT,C,C', cert: qaznet },
      { nickname: 'Root To Keep', trust: 'C,,', cert: keeper },
    ])
    const env = createEnvironment({ home, systemRoot: join(home, 'no-system'), env: {} })
    const elevation = createElevation(env)
    return {
      env,
      elevation,
      adapter: nssStore,
      location: { id: `nss:${db}`, kind: 'nss', location: db },
      planted: qaznet,
      lie: () => ({ elevation: lyingAbout('certutil', elevation) }),
      garble: () => writeFileSync(join(db, 'cert9.db'), 'this is not an SQLite database, it was overwritten'),
      garbled: /cert9\.db is damaged or is not an NSS certificate database/,
    }
  })

if (!haveUpdateCaCertificates) describe.skip('store contract: Debian system store (skipped: update-ca-certificates is not installed)', () => it('needs update-ca-certificates', () => {}))
else
  storeContract('Debian system store (update-ca-certificates)', ['delete', 'distrust'], async () => {
    const root = tempDir()
    buildDebianTree(root, { local: { 'qaznet.crt': qaznet.pem, 'keeper.crt': keeper.pem } })
    const env = createEnvironment({ home: join(root, 'home'), systemRoot: root, env: {} })
    const [location] = await linuxSystemStore.discover(env)
    const bundle = join(root, 'etc/ssl/certs/ca-certificates.crt')
    return {
      env,
      elevation: createElevation(env),
      adapter: linuxSystemStore,
      location: location!,
      planted: qaznet,
      lie: () => ({ adapter: lyingAdapter(linuxSystemStore) }),
      // The bundle cut in the middle of its last certificate, as a full disk would leave it.
      garble: () => truncateSync(bundle, readFileSync(bundle).length - 200),
      garbled: /ca-certificates\.crt: The "CERTIFICATE" block .* has no END marker/,
    }
  })

if (!haveKeytool) describe.skip('store contract: Java keystore (skipped: keytool is not on the PATH)', () => it('needs keytool', () => {}))
else
  storeContract('Java keystore (keytool)', ['delete'], async () => {
    const dir = tempDir()
    const path = join(dir, 'jdk/lib/security/cacerts')
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(join(dir, 'qaznet.pem'), qaznet.pem)
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'qaznet', '-file', join(dir, 'qaznet.pem'), '-keystore', path, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'ignore' })
    const env = createEnvironment({ home: join(dir, 'home'), systemRoot: join(dir, 'root'), env: {} })
    const elevation = createElevation(env)
    return {
      env,
      elevation,
      adapter: javaStore,
      location: { id: `java:${path}`, kind: 'java', location: path },
      planted: qaznet,
      lie: () => ({ elevation: lyingAbout('keytool', elevation) }),
      garble: () => truncateSync(path, 300),
      garbled: /cacerts is a damaged PKCS #12 keystore: it is cut short/,
    }
  })

storeContract('Chromium policy file (a JSON file CertAudit edits)', ['delete'], async () => {
  const root = tempDir()
  const file = join(root, 'etc/opt/chrome/policies/managed/corp.json')
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, `{\n  // both roots\n  "CACertificates": [\n    "${keeper.der.toString('base64')}",\n    "${qaznet.der.toString('base64')}"\n  ]\n}\n`)
  const env = createEnvironment({ platform: 'linux', home: join(root, 'home'), systemRoot: root, env: {} })
  const [location] = await chromiumPolicyStore.discover(env)
  return {
    env,
    elevation: createElevation(env),
    adapter: chromiumPolicyStore,
    location: location!,
    planted: qaznet,
    lie: () => ({ adapter: lyingAdapter(chromiumPolicyStore) }),
    // Cut in the middle of the list, as a full disk would leave it.
    garble: () => truncateSync(file, 60),
    garbled: /corp\.json is not a policy file the browser can read \(.*cut short.*\): the browser ignores it/,
  }
})

if (!haveSqlite3) describe.skip(`store contract: Chromium ServerCertificate (skipped: ${SQLITE3_ABSENT_REASON})`, () => it('needs sqlite3', () => {}))
else
  storeContract(
    'Chromium profile ServerCertificate (sqlite3)',
    ['delete', 'distrust'],
    async () => {
      const home = tempDir()
      const file = makeServerCertificate(join(home, '.config/google-chrome/Default'), [
        { der: keeper.der, trust: metadata(UNSPECIFIED) },
        { der: qaznet.der, trust: metadata(TRUSTED) },
      ])
      const env = createEnvironment({ home, systemRoot: join(home, 'no-system'), env: {} })
      const [location] = await chromiumStore.discover(env)
      return {
        env,
        elevation: createElevation(env),
        adapter: chromiumStore,
        location: location!,
        planted: qaznet,
        lie: () => ({ adapter: lyingAdapter(chromiumStore) }),
        garble: () => writeFileSync(file, 'this is not an SQLite database, it was overwritten'),
        garbled: /ServerCertificate is damaged or is not the browser's certificate database/,
      }
    },
    { distrustKeepsEntry: true },
  )
