/**
 * The store contract (store-contract.ts) for the kinds CertAudit changes by editing a bundle the
 * user owns: runtime (a virtual environment's certifi, made by `python3 -m venv`) and env-bundle (a
 * bundle REQUESTS_CA_BUNDLE points at in the home folder).
 */
import { readFileSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { envBundleStore } from '../../../src/stores/env-bundle/index.js'
import { runtimeStore } from '../../../src/stores/runtime/index.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { StoreAdapter } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { havePythonVenv, installCertifi, makeVenv, PYTHON_VENV_MISSING, stockCertifiBundle } from '../../support/python-envs.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { storeContract } from '../store-contract.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Contract Tests'], ['CN', 'Root To Keep']] })

/** A writer that says it changed the file and did nothing: the engine must still find the certificate. */
const lyingAdapter = (adapter: StoreAdapter): StoreAdapter => ({ ...adapter, apply: async () => ({ ok: true, commands: [] }) })

/** The bundle cut in the middle of its last certificate, as a full disk would leave it. */
const cutShort = (path: string) => truncateSync(path, readFileSync(path).length - 200)

if (!havePythonVenv) describe.skip(`store contract: runtime (skipped: ${PYTHON_VENV_MISSING})`, () => it('needs python3 -m venv', () => {}))
else
  storeContract('runtime: certifi in a virtual environment', ['delete'], async () => {
    const home = tempDir('certaudit-contract-runtime-')
    const bundle = installCertifi(makeVenv(join(home, 'proj/.venv')), `${stockCertifiBundle()}${qaznet.pem}${keeper.pem}`)
    const env = createEnvironment({ home, systemRoot: tempDir(), env: { XDG_DATA_HOME: join(home, '.local/share') } })
    const [location] = (await runtimeStore.discover(env)).filter((l) => l.location === bundle)
    return {
      env,
      elevation: createElevation(env),
      adapter: runtimeStore,
      location: location!,
      planted: qaznet,
      lie: () => ({ adapter: lyingAdapter(runtimeStore) }),
      garble: () => cutShort(bundle),
      garbled: /cacert\.pem: The "CERTIFICATE" block .* has no END marker/,
    }
  })

storeContract('env-bundle: a bundle REQUESTS_CA_BUNDLE points at in the home folder', ['delete'], async () => {
  const home = tempDir('certaudit-contract-env-')
  const bundle = put(home, 'corp/bundle.pem', `# corporate roots\n${keeper.pem}\n${qaznet.pem}`)
  const env = createEnvironment({ home, systemRoot: tempDir(), env: { REQUESTS_CA_BUNDLE: bundle, XDG_DATA_HOME: join(home, '.local/share') } })
  const [location] = await envBundleStore.discover(env)
  return {
    env,
    elevation: createElevation(env),
    adapter: envBundleStore,
    location: location!,
    planted: qaznet,
    lie: () => ({ adapter: lyingAdapter(envBundleStore) }),
    garble: () => cutShort(bundle),
    garbled: /bundle\.pem: The "CERTIFICATE" block .* has no END marker/,
  }
})
