/**
 * The store contract (store-contract.ts) for the macOS adapter, on a simulated Mac
 * (macos-simulator.ts): `security` and osascript cannot run on Linux, so their output is replayed
 * from tests/fixtures/macos while keychains and trust settings change in memory. The real elevation
 * module runs, so the System keychain and the admin trust settings change through the simulated
 * administrator prompt, whose shell line the real /bin/sh splits.
 */
import { join } from 'node:path'
import { createElevation } from '../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { createMacosStore } from '../../src/stores/macos/index.js'
import { macKeychains, type KeychainKind } from '../../src/stores/macos/discover.js'
import type { RemovalMode } from '../../src/stores/types.js'
import { makeCertificate } from '../support/certificates.js'
import { replay } from '../support/recorded-output.js'
import { tempDir } from '../support/temp.js'
import { SimulatedMac, type SimSetting } from './macos/simulator.js'
import { storeContract, type ContractWorld } from './store-contract.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const SSL_AND_BASIC: SimSetting[] = [
  { policy: 'KoZIhvdjZAED', policyName: 'sslServer' },
  { policy: 'KoZIhvdjZAEC', policyName: 'basicX509' },
]

function macWorld(kind: KeychainKind): () => Promise<ContractWorld> {
  return async () => {
    const dir = tempDir()
    const env = createEnvironment({ platform: 'darwin', home: join(dir, 'Users/aigerim'), systemRoot: join(dir, 'root'), env: {} })
    const mac = new SimulatedMac()
    for (const keychain of macKeychains(env).slice(0, 3)) mac.keychain(keychain.path, keychain.kind === kind ? [qaznet] : [])
    // A root the user installed and trusts; one the administrator trusts for every user; Apple's own root.
    if (kind === 'login') mac.setTrust('user', qaznet, SSL_AND_BASIC)
    if (kind === 'system') mac.setTrust('admin', qaznet, [])
    const world = { ...env, run: mac.run }
    const keychain = macKeychains(env).find((k) => k.kind === kind)!
    return {
      env: world,
      elevation: createElevation(world, { isRoot: false }),
      adapter: createMacosStore({ certificates: async () => [] }),
      location: { id: `macos:${keychain.path}`, kind: 'macos', location: keychain.path },
      planted: qaznet,
      lie: () => void (mac.lie = true),
      garble: () => void (mac.findOutput = replay('macos', 'find-certificate-truncated', { qaznet, russian: makeCertificate({ subject: [['CN', 'Russian']] }) })),
      garbled: /may have been cut short/,
    }
  }
}

const both: RemovalMode[] = ['delete', 'distrust']
storeContract('macOS login keychain (user trust settings)', both, macWorld('login'), { distrustKeepsEntry: true })
storeContract('macOS System keychain (admin trust, through the administrator prompt)', both, macWorld('system'), { distrustKeepsEntry: true })
storeContract('macOS System Roots (distrust only, admin trust settings)', ['distrust'], macWorld('system-roots'), { distrustKeepsEntry: true })
