import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { identify } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { envBundleStore } from '../../../src/stores/env-bundle/index.js'
import { ADDED } from '../../../src/stores/shared/pointed.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Proxy CA']] })

async function listAll(location: StoreLocation, env = createEnvironment({ env: {} })): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of envBundleStore.list(location, env)) items.push(item)
  return items
}

describe('env-bundle store', () => {
  const home = tempDir('certaudit-home-')
  const bundle = put(home, 'proxy/bundle.pem', corp.pem + isca.pem)
  const capath = join(home, 'capath')
  put(home, 'capath/corp.pem', corp.pem)
  symlinkSync('corp.pem', join(capath, '1a2b3c4d.0')) // OpenSSL's hash link to the same file
  put(home, 'capath/README', 'not a certificate')
  put(home, 'git/ca.pem', isca.pem)
  put(home, '.gitconfig', `[user]\n\tname = A\n[http]\n\tsslCAInfo = ~/git/ca.pem\n[http "https://intranet.example"]\n\tsslcapath = ${capath}\n`)

  const env = createEnvironment({
    home,
    systemRoot: tempDir('certaudit-root-'),
    env: { SSL_CERT_FILE: bundle, REQUESTS_CA_BUNDLE: bundle, SSL_CERT_DIR: `${capath}:${join(home, 'nowhere')}`, NODE_EXTRA_CA_CERTS: join(home, 'missing.pem') },
  })

  it('discovers every bundle and folder that a variable or git points at, once each, naming who set it', async () => {
    const locations = await envBundleStore.discover(env)
    expect(locations).toEqual([
      { id: `env-bundle:${bundle}`, kind: 'env-bundle', location: bundle, note: 'bundle set by SSL_CERT_FILE and REQUESTS_CA_BUNDLE', facts: { setBy: ['SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE'] } },
      { id: `env-bundle:${capath}`, kind: 'env-bundle', location: capath, note: `folder set by SSL_CERT_DIR and http.sslcapath in ${join(home, '.gitconfig')}`, facts: { setBy: ['SSL_CERT_DIR', `http.sslcapath in ${join(home, '.gitconfig')}`] } },
      { id: `env-bundle:${join(home, 'nowhere')}`, kind: 'env-bundle', location: join(home, 'nowhere'), note: 'folder set by SSL_CERT_DIR', facts: { setBy: ['SSL_CERT_DIR'] } },
      { id: `env-bundle:${join(home, 'missing.pem')}`, kind: 'env-bundle', location: join(home, 'missing.pem'), note: 'bundle set by NODE_EXTRA_CA_CERTS', facts: { setBy: ['NODE_EXTRA_CA_CERTS'] } },
      { id: `env-bundle:${join(home, 'git/ca.pem')}`, kind: 'env-bundle', location: join(home, 'git/ca.pem'), note: `bundle set by http.sslCAInfo in ${join(home, '.gitconfig')}`, facts: { setBy: [`http.sslCAInfo in ${join(home, '.gitconfig')}`] } },
    ])
  })

  it('lists a bundle, and a folder reading each file once even through hash links', async () => {
    const [bundleLocation, folder] = await envBundleStore.discover(env)
    const fromBundle = await listAll(bundleLocation!)
    // Neither is in the system store or Mozilla's list: both are said to be added.
    expect(fromBundle.map((i) => i.type === 'entry' && [identify(i.der).sha256, i.entry, i.trust])).toEqual([
      [corp.sha256, `certificate 1 (line 1), ${ADDED}`, 'trusted'],
      [isca.sha256, expect.stringMatching(/^certificate 2 \(line \d+\), added/), 'trusted'],
    ])
    const fromFolder = await listAll(folder!)
    expect(fromFolder.map((i) => i.type === 'entry' && [identify(i.der).sha256, i.entry])).toEqual([[corp.sha256, join(capath, '1a2b3c4d.0')]])
  })

  it('a variable pointing at nothing is a failed store that says which variable', async () => {
    const missing = (await envBundleStore.discover(env))[3]!
    await expect(listAll(missing)).rejects.toThrow(`${join(home, 'missing.pem')} does not exist. (This bundle set by NODE_EXTRA_CA_CERTS.)`)
  })

  it('feeds the scan: each finding names the bundle, and the report lists every store with its status', async () => {
    const report = await scan({ kinds: ['env-bundle'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const finding = report.findings.find((f) => f.certificate.sha256 === isca.sha256)
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high' })
    expect(finding!.locations.map((l) => [l.kind, l.location])).toEqual([
      ['env-bundle', join(home, 'git/ca.pem')],
      ['env-bundle', bundle],
    ])
    expect(report.stores.map((s) => [s.location, s.status, s.entryCount])).toEqual([
      [bundle, 'ok', 2],
      [capath, 'ok', 1],
      [join(home, 'nowhere'), 'failed', 0],
      [join(home, 'missing.pem'), 'failed', 0],
      [join(home, 'git/ca.pem'), 'ok', 1],
    ])
  })

  it('finds nothing when nothing is set', async () => {
    expect(await envBundleStore.discover(createEnvironment({ home: tempDir(), systemRoot: tempDir(), env: {} }))).toEqual([])
  })
})
