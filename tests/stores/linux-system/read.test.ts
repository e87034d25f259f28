import { appendFileSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { identify } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { linuxSystemStore } from '../../../src/stores/linux-system/index.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { buildDebianTree, buildFedoraTree, CANNOT_BUILD_FEDORA, haveUpdateCaCertificates, put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const distroRoot = makeCertificate({ subject: [['O', 'Distro'], ['CN', 'Distro Root']] })
const deselected = makeCertificate({ subject: [['O', 'Distro'], ['CN', 'Deselected Root']] })
const unlisted = makeCertificate({ subject: [['O', 'Distro'], ['CN', 'Unlisted Root']] })
const dropped = makeCertificate({ subject: [['O', 'Dropper'], ['CN', 'Dropped In CApath']] })
const appended = makeCertificate({ subject: [['O', 'Appender'], ['CN', 'Appended To Bundle']] })
const ignoredPem = makeCertificate({ subject: [['CN', 'Ignored Pem Extension']] })

function envFor(root: string) {
  return createEnvironment({ home: join(root, 'home/user'), systemRoot: root, env: {} })
}

async function listAll(location: StoreLocation, root: string): Promise<{ entries: Extract<ListItem, { type: 'entry' }>[]; problems: Extract<ListItem, { type: 'problem' }>[] }> {
  const entries: Extract<ListItem, { type: 'entry' }>[] = []
  const problems: Extract<ListItem, { type: 'problem' }>[] = []
  for await (const item of linuxSystemStore.list(location, envFor(root))) {
    if (item.type === 'entry') entries.push(item)
    else problems.push(item)
  }
  return { entries, problems }
}

const bySha = (entries: Extract<ListItem, { type: 'entry' }>[], sha256: string) => entries.filter((e) => identify(e.der).sha256 === sha256)

describe.skipIf(!haveUpdateCaCertificates)('Debian/Ubuntu system store (built by update-ca-certificates)', () => {
  const root = tempDir('certaudit-debian-')
  buildDebianTree(root, {
    distro: { 'mozilla/Distro_Root.crt': distroRoot.pem, 'mozilla/Deselected_Root.crt': deselected.pem, 'mozilla/Unlisted_Root.crt': unlisted.pem },
    local: { 'isca.crt': isca.pem, 'corp/qazca.crt': qaznet.der, 'ignored.pem': ignoredPem.pem },
    confLines: ['mozilla/Distro_Root.crt', '!mozilla/Deselected_Root.crt'],
  })
  // A tool that bypasses update-ca-certificates: a file dropped into /etc/ssl/certs, a certificate appended to the bundle.
  put(root, 'etc/ssl/certs/dropped.pem', dropped.pem)
  appendFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), appended.pem)

  it('is discovered, with the bundle as its location', async () => {
    expect(await linuxSystemStore.discover(envFor(root))).toEqual([
      { id: 'linux-system:debian', kind: 'linux-system', location: join(root, 'etc/ssl/certs/ca-certificates.crt'), note: 'Debian/Ubuntu system store (update-ca-certificates)', facts: { distro: 'Debian/Ubuntu' } },
    ])
  })

  it('attributes every certificate to the file and conf line that put it there, with its trust', async () => {
    const [location] = await linuxSystemStore.discover(envFor(root))
    const { entries, problems } = await listAll(location!, root)
    expect(problems).toEqual([])
    const local = join(root, 'usr/local/share/ca-certificates')
    const distro = join(root, 'usr/share/ca-certificates/mozilla')
    expect(bySha(entries, isca.sha256).map((e) => [e.entry, e.trust, e.origin])).toEqual([[`${local}/isca.crt`, 'trusted', { file: `${local}/isca.crt` }]])
    // A DER file with the .crt extension, in a sub-folder.
    expect(bySha(entries, qaznet.sha256).map((e) => [e.entry, e.trust])).toEqual([[`${local}/corp/qazca.crt`, 'trusted']])
    expect(bySha(entries, ignoredPem.sha256).map((e) => [e.entry, e.trust])).toEqual([
      [`${local}/ignored.pem (ignored by update-ca-certificates, which only reads .crt files)`, 'not-trusted'],
    ])
    expect(bySha(entries, distroRoot.sha256).map((e) => [e.entry, e.trust, e.origin])).toEqual([
      [`${distro}/Distro_Root.crt (ca-certificates.conf line 2)`, 'trusted', { file: `${distro}/Distro_Root.crt`, confLine: 2 }],
    ])
    expect(bySha(entries, deselected.sha256).map((e) => [e.entry, e.trust])).toEqual([
      [`${distro}/Deselected_Root.crt (ca-certificates.conf line 3, deselected with !)`, 'distrusted'],
    ])
    expect(bySha(entries, unlisted.sha256).map((e) => [e.entry, e.trust])).toEqual([[`${distro}/Unlisted_Root.crt (not selected in ca-certificates.conf)`, 'not-trusted']])
    expect(bySha(entries, dropped.sha256).map((e) => [e.entry, e.trust])).toEqual([[`${join(root, 'etc/ssl/certs/dropped.pem')} (placed directly in ${join(root, 'etc/ssl/certs')})`, 'trusted']])
    const bundle = join(root, 'etc/ssl/certs/ca-certificates.crt')
    expect(bySha(entries, appended.sha256).map((e) => [e.entry, e.trust, e.origin])).toEqual([
      [expect.stringMatching(new RegExp(`^${bundle} certificate \\d+ \\(line \\d+\\): in the bundle, but in no source file$`)), 'trusted', { file: bundle }],
    ])
    // Certificates that update-ca-certificates put in the bundle and linked in /etc/ssl/certs are not repeated.
    expect(entries).toHaveLength(8)
  })

  it('reports a symlink loop and a conf line naming a missing file, and goes on', async () => {
    const broken = tempDir('certaudit-debian-broken-')
    buildDebianTree(broken, { local: { 'isca.crt': isca.pem } })
    symlinkSync(join(broken, 'usr/local/share/ca-certificates/loop'), join(broken, 'usr/local/share/ca-certificates/loop'))
    mkdirSync(join(broken, 'usr/local/share/ca-certificates/sub'))
    symlinkSync('..', join(broken, 'usr/local/share/ca-certificates/sub/up'))
    appendFileSync(join(broken, 'etc/ca-certificates.conf'), 'mozilla/Gone.crt\n')
    const { entries, problems } = await listAll({ id: 'linux-system:debian', kind: 'linux-system', location: '' }, broken)
    expect(bySha(entries, isca.sha256)).toHaveLength(1)
    expect(problems.map((p) => p.code).sort()).toEqual(['eloop', 'eloop', 'missing-source'])
    expect(problems.find((p) => p.code === 'missing-source')!.message).toContain('ca-certificates.conf line 2 names')
  })

  it('reads every file of /etc/ssl/certs, as Go does, whatever its name; a file with no certificate and no certificate name is no problem', async () => {
    const tree = tempDir('certaudit-debian-names-')
    buildDebianTree(tree, { local: { 'isca.crt': isca.pem } })
    put(tree, 'etc/ssl/certs/dropped-without-extension', dropped.pem)
    put(tree, 'etc/ssl/certs/README', 'Certificates of this system.\n')
    const { entries, problems } = await listAll({ id: 'linux-system:debian', kind: 'linux-system', location: '' }, tree)
    expect(problems).toEqual([])
    expect(bySha(entries, dropped.sha256).map((e) => e.entry)).toEqual([`${join(tree, 'etc/ssl/certs/dropped-without-extension')} (placed directly in ${join(tree, 'etc/ssl/certs')})`])
    expect(entries).toHaveLength(2)
  })

  it('feeds the scan: a look-alike in /usr/local/share/ca-certificates is a lookalike finding located in the system store', async () => {
    const report = await scan({ kinds: ['linux-system'] }, { env: envFor(root), blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const finding = report.findings.find((f) => f.certificate.sha256 === isca.sha256)
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high' })
    expect(finding!.locations).toEqual([
      {
        storeId: 'linux-system:debian',
        kind: 'linux-system',
        location: join(root, 'etc/ssl/certs/ca-certificates.crt'),
        entry: join(root, 'usr/local/share/ca-certificates/isca.crt'),
        trust: 'trusted',
        origin: { file: join(root, 'usr/local/share/ca-certificates/isca.crt') },
        // No package database in this root: an administrator's anchor, by hand (src/stores/linux-system/placed-by.ts).
        placedBy: { by: 'hand', file: join(root, 'usr/local/share/ca-certificates/isca.crt'), comesBack: false },
      },
    ])
    expect(report.stores).toEqual([expect.objectContaining({ id: 'linux-system:debian', status: 'ok', entryCount: 8 })])
  })
})

describe('p11-kit system stores (Fedora, Arch, openSUSE)', () => {
  const p11kit = (objects: { label: string; pem: string; attributes: string }[]) =>
    objects.map((o) => `[p11-kit-object-v1]\nlabel: "${o.label}"\n${o.attributes}\n${o.pem}\n[p11-kit-object-v1]\nclass: x-certificate-extension\nlabel: "${o.label}"\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`).join('\n')

  it('Fedora: anchors in any format, blocklist distrusted, p11-kit trust attributes, bundle-only entries', async () => {
    const root = tempDir('certaudit-fedora-')
    put(root, 'etc/pki/ca-trust/source/anchors/isca.pem', isca.pem)
    put(root, 'etc/pki/ca-trust/source/anchors/qazca.cer', qaznet.der)
    put(root, 'etc/pki/ca-trust/source/blocklist/dropped.crt', dropped.pem)
    put(root, 'usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit', p11kit([
      { label: 'Distro Root', pem: distroRoot.pem, attributes: 'trusted: true\nnss-mozilla-ca-policy: true' },
      { label: 'Deselected Root', pem: deselected.pem, attributes: 'x-distrusted: true' },
    ]))
    put(root, 'etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', isca.pem + qaznet.pem + distroRoot.pem + appended.pem)
    const env = envFor(root)
    const [location] = await linuxSystemStore.discover(env)
    expect(location).toMatchObject({ id: 'linux-system:fedora', location: join(root, 'etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem') })
    const { entries, problems } = await listAll(location!, root)
    expect(problems).toEqual([])
    const trustOf = (sha: string) => bySha(entries, sha).map((e) => e.trust)
    expect(trustOf(isca.sha256)).toEqual(['trusted'])
    expect(trustOf(qaznet.sha256)).toEqual(['trusted'])
    expect(trustOf(dropped.sha256)).toEqual(['distrusted'])
    expect(bySha(entries, distroRoot.sha256).map((e) => [e.entry, e.trust])).toEqual([[`${join(root, 'usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit')}: "Distro Root"`, 'trusted']])
    expect(trustOf(deselected.sha256)).toEqual(['distrusted'])
    expect(bySha(entries, appended.sha256).map((e) => e.entry)).toEqual([expect.stringContaining('in the bundle, but in no source file')])
    expect(entries).toHaveLength(6)
  })

  it.each([
    ['arch', 'etc/ca-certificates/trust-source/anchors', 'etc/ca-certificates/trust-source/blocklist'],
    ['opensuse', 'etc/pki/trust/anchors', 'etc/pki/trust/blacklist'],
  ])('%s: anchors trusted, blocklist distrusted', async (id, anchors, blocklist) => {
    const root = tempDir(`certaudit-${id}-`)
    put(root, `${anchors}/isca.crt`, isca.pem)
    put(root, `${blocklist}/qaznet.crt`, qaznet.pem)
    const [location] = await linuxSystemStore.discover(envFor(root))
    expect(location?.id).toBe(`linux-system:${id}`)
    const { entries, problems } = await listAll(location!, root)
    expect(problems).toEqual([])
    expect(entries.map((e) => [identify(e.der).sha256, e.trust, e.entry])).toEqual([
      [isca.sha256, 'trusted', join(root, anchors, 'isca.crt')],
      [qaznet.sha256, 'distrusted', join(root, blocklist, 'qaznet.crt')],
    ])
  })

  it('a corrupt anchor and a damaged p11-kit object are problems; the rest is read', async () => {
    const root = tempDir('certaudit-fedora-bad-')
    put(root, 'etc/pki/ca-trust/source/anchors/garbage.pem', 'not a certificate at all\n')
    put(root, 'etc/pki/ca-trust/source/anchors/isca.pem', isca.pem)
    put(root, 'usr/share/pki/ca-trust-source/broken.p11-kit', `[p11-kit-object-v1]\ntrusted: true\n-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n`)
    const { entries, problems } = await listAll({ id: 'linux-system:fedora', kind: 'linux-system', location: '' }, root)
    expect(entries.map((e) => identify(e.der).sha256)).toEqual([isca.sha256])
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['no-certificates', join(root, 'etc/pki/ca-trust/source/anchors/garbage.pem')],
      ['corrupt-pem', join(root, 'usr/share/pki/ca-trust-source/broken.p11-kit')],
    ])
  })

  describe.skipIf(CANNOT_BUILD_FEDORA !== null)(`Fedora extracted by p11-kit's trust${CANNOT_BUILD_FEDORA ? ` (skipped: ${CANNOT_BUILD_FEDORA})` : ''}`, () => {
    it('reads the hashed folder and the OpenSSL trust bundle too: each certificate once, extras reported', async () => {
      const root = tempDir('certaudit-fedora-extracted-')
      buildFedoraTree(root, {
        anchors: { 'isca.pem': isca.pem },
        blocklist: { 'qaznet.pem': qaznet.pem },
        distro: `[p11-kit-object-v1]\nlabel: "Distro Root"\ntrusted: true\n${distroRoot.pem}`,
      })
      put(root, 'etc/pki/ca-trust/extracted/pem/directory-hash/dropped.pem', dropped.pem)
      const [location] = await linuxSystemStore.discover(envFor(root))
      const { entries, problems } = await listAll(location!, root)
      expect(problems).toEqual([])
      expect(entries.map((e) => [identify(e.der).sha256, e.trust])).toEqual(expect.arrayContaining([[isca.sha256, 'trusted'], [qaznet.sha256, 'distrusted'], [distroRoot.sha256, 'trusted']]))
      const hashed = join(root, 'etc/pki/ca-trust/extracted/pem/directory-hash')
      expect(bySha(entries, dropped.sha256).map((e) => e.entry)).toEqual([`${hashed}/dropped.pem (placed directly in ${hashed})`])
      expect(entries).toHaveLength(4)
    })
  })

  it('finds no system store in an empty root', async () => {
    expect(await linuxSystemStore.discover(envFor(tempDir('certaudit-empty-')))).toEqual([])
  })
})
