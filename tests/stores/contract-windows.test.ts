/**
 * The store contract (store-contract.ts) for the Windows adapter, on a simulated Windows
 * (windows-simulator.ts): PowerShell, UAC and certutil.exe cannot run on Linux, so their output is
 * replayed from tests/fixtures/windows while the stores change in memory. The real elevation module
 * runs, so the computer's store is changed through the simulated UAC prompt.
 */
import { createElevation } from '../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { createWindowsStore } from '../../src/stores/windows/index.js'
import { windowsLocation } from '../../src/stores/windows/discover.js'
import type { WindowsLocationName } from '../../src/stores/windows/query.js'
import { makeCertificate } from '../support/certificates.js'
import { replay } from '../support/recorded-output.js'
import { tempDir } from '../support/temp.js'
import { storeContract, type ContractWorld } from './store-contract.js'
import { SimulatedWindows } from './windows/simulator.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['C', 'US'], ['CN', 'Root To Keep']] })

function windowsWorld(location: WindowsLocationName): () => Promise<ContractWorld> {
  return async () => {
    const windows = new SimulatedWindows().put(location, 'Root', qaznet, 'Qaznet Trust Network').put('LocalMachine', 'Root', keeper)
    const env = createEnvironment({ platform: 'win32', home: tempDir(), env: { SystemRoot: 'C:\\Windows' }, run: windows.run })
    return {
      env,
      elevation: createElevation(env),
      adapter: createWindowsStore({ effectiveRoots: async () => [] }),
      location: windowsLocation({ location, store: 'Root' }),
      planted: qaznet,
      lie: () => void (windows.lie = true),
      garble: () => void (windows.listing = replay('windows', 'store-listing-truncated', { qaznet })),
      garbled: /it may have been cut short/,
    }
  }
}

// certutil -addstore puts the certificate back from its bytes, without the friendly name it had ("Name (THUMBPRINT)" → "THUMBPRINT").
const thumbprintOnly = (entry: string) => /\(([0-9A-F]{40})\)$/.exec(entry)?.[1] ?? entry
storeContract("Windows, this user's Root store (certutil -user)", ['delete', 'distrust'], windowsWorld('CurrentUser'), { distrustKeepsEntry: true, undoLosesName: thumbprintOnly })
storeContract("Windows, the computer's Root store (certutil through UAC)", ['delete', 'distrust'], windowsWorld('LocalMachine'), { distrustKeepsEntry: true, undoLosesName: thumbprintOnly })
