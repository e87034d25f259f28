import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan, type ScanProgress } from '../../src/api/scan.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import { envBundleStore } from '../../src/stores/env-bundle/index.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { linuxSystemStore } from '../../src/stores/linux-system/index.js'
import { makeCertificate } from '../support/certificates.js'
import { put } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'

describe('scan()', () => {
  const home = tempDir('certaudit-scan-home-')
  const root = tempDir('certaudit-scan-root-')
  const lookalike = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
  put(root, 'etc/pki/trust/anchors/qaznet.crt', lookalike.pem)
  const bundle = put(home, 'bundle.pem', lookalike.pem)
  const env = createEnvironment({ home, systemRoot: root, env: { SSL_CERT_FILE: bundle, CURL_CA_BUNDLE: join(home, 'missing.pem') } })
  const context = { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots(), readers: [linuxSystemStore, envBundleStore] }

  it('reads every store, reports progress for each, and one failing store does not stop the others', async () => {
    const events: ScanProgress[] = []
    const report = await scan({}, { ...context, onProgress: (e) => events.push(e) })
    expect(report.stores.map((s) => [s.id, s.status, s.entryCount])).toEqual([
      ['linux-system:opensuse', 'ok', 1],
      [`env-bundle:${bundle}`, 'ok', 1],
      [`env-bundle:${join(home, 'missing.pem')}`, 'failed', 0],
    ])
    expect(events.filter((e) => e.type === 'store-started').map((e) => e.type === 'store-started' && e.store.id)).toHaveLength(3)
    expect(events.filter((e) => e.type === 'store-finished').map((e) => e.type === 'store-finished' && [e.store.id, e.store.status])).toContainEqual([
      `env-bundle:${join(home, 'missing.pem')}`,
      'failed',
    ])
    // One finding for the certificate, with both places it was found.
    expect(report.findings).toHaveLength(1)
    expect(report.findings[0]!.locations.map((l) => l.kind)).toEqual(['env-bundle', 'linux-system'])
    expect(report.summary).toEqual({ certificates: 1, entries: 2, findings: { critical: 0, high: 1, medium: 0, review: 0, info: 0 } })
  })

  it('narrows to the kinds asked for', async () => {
    const report = await scan({ kinds: ['linux-system'] }, context)
    expect(report.stores.map((s) => s.kind)).toEqual(['linux-system'])
  })

  it('with nothing readable, the verdict says nothing was scanned', async () => {
    const report = await scan({ kinds: [], files: [join(home, 'nope.pem')] }, context)
    expect(report.verdict.level).toBe('nothing-scanned')
  })
})
