/**
 * One planted machine per class of distribution without a layout the linux-system kind knows: an
 * interception root (a fresh-key look-alike) in the default bundle or folder, found where it is.
 */
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { opensslStore } from '../../../src/stores/openssl/index.js'
import { put, opensslRehash } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { bySha, envFor, findingOf, listAll, lookalike, scanRoot, shaOf, STOCK } from './support.js'

const NO_SOURCE = /: in the bundle, no source file known$/

describe('Alpine-like: /etc/ssl/certs/ca-certificates.crt and /etc/ssl/cert.pem linking to it', () => {
  const root = tempDir('certaudit-alpine-')
  const bundle = put(root, 'etc/ssl/certs/ca-certificates.crt', [...STOCK, lookalike.pem].join(''))
  symlinkSync('certs/ca-certificates.crt', join(root, 'etc/ssl/cert.pem'))
  put(root, 'etc/alpine-release', '3.20.3\n')
  put(root, 'lib/apk/db/installed', 'C:Q1abc=\nP:musl\nV:1.2.5-r0\nF:lib\nR:ld-musl-x86_64.so.1\n\nC:Q1def=\nP:ca-certificates-bundle\nV:20240705-r0\nF:etc\nF:etc/ssl\nR:cert.pem\nF:etc/ssl/certs\nR:ca-certificates.crt\n\n')

  it('is one place, named by the file, reached by both names, read by everyone who reads either', async () => {
    const locations = await opensslStore.discover(envFor(root))
    expect(locations).toEqual([
      {
        id: `openssl:${bundle}`,
        kind: 'openssl',
        location: bundle,
        note: `default certificate bundle read by OpenSSL, LibreSSL, GnuTLS, Go, Rust, curl; also reached as ${join(root, 'etc/ssl/cert.pem')}`,
        facts: { readBy: ['OpenSSL', 'LibreSSL', 'GnuTLS', 'Go', 'Rust', 'curl'] },
      },
    ])
  })

  it('finds the look-alike in the bundle, with no source, and says which package rebuilds the file', async () => {
    const report = await scanRoot(root)
    expect(report.verdict.level).toBe('high')
    const finding = findingOf(report, lookalike.sha256)
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high' })
    expect(finding!.locations).toEqual([
      expect.objectContaining({ kind: 'openssl', location: bundle, entry: expect.stringMatching(NO_SOURCE), trust: 'trusted', origin: { file: bundle } }),
    ])
    const target = { storeId: `openssl:${bundle}`, kind: 'openssl' as const, location: bundle, entry: '', sha256: lookalike.sha256, pem: lookalike.pem, trust: 'trusted' as const, origin: { file: bundle } }
    const can = await opensslStore.capabilities(target, envFor(root))
    expect(can.modes).toEqual([])
    expect(can.manual).toMatchObject({ code: 'openssl-apk', values: { package: 'ca-certificates-bundle', command: "sudo apk fix ca-certificates-bundle" } })
  })
})

describe('NixOS-like: every name a link through /etc/static into one file of /nix/store', () => {
  const root = tempDir('certaudit-nixos-')
  const store = '/nix/store/0a1b2c3d4e5f-nss-cacert-3.104/etc/ssl/certs/ca-bundle.crt'
  put(root, store, [...STOCK, lookalike.pem].join(''))
  const etc = '/nix/store/9z8y7x6w5v4u-etc/etc'
  for (const name of ['ssl/certs/ca-certificates.crt', 'ssl/certs/ca-bundle.crt', 'pki/tls/certs/ca-bundle.crt']) {
    mkdirSync(join(root, etc, name, '..'), { recursive: true })
    symlinkSync(store, join(root, etc, name)) // absolute links, as NixOS makes them: mapped into the root
  }
  mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
  mkdirSync(join(root, 'etc/pki/tls/certs'), { recursive: true })
  symlinkSync(etc, join(root, 'etc/static'))
  for (const name of ['ssl/certs/ca-certificates.crt', 'ssl/certs/ca-bundle.crt', 'pki/tls/certs/ca-bundle.crt']) symlinkSync(`/etc/static/${name}`, join(root, 'etc', name))
  put(root, 'etc/NIXOS', '')

  it('is one place inside the root, named by its first listed path, the others as aliases', async () => {
    const [location, ...rest] = await opensslStore.discover(envFor(root))
    expect(rest).toEqual([])
    expect(location).toMatchObject({ location: join(root, 'etc/ssl/certs/ca-certificates.crt') })
    expect(location!.note).toContain(join(root, 'etc/ssl/certs/ca-bundle.crt'))
    expect(location!.note).toContain(join(root, 'etc/pki/tls/certs/ca-bundle.crt'))
    expect(location!.facts?.readBy).toEqual(['GnuTLS', 'Go', 'Rust', 'curl', 'Nix'])
    const { entries, problems } = await listAll(location!, envFor(root))
    expect(problems).toEqual([])
    expect(entries.map(shaOf)).toHaveLength(STOCK.length + 1)
  })

  it('finds the look-alike, and says the file comes from the NixOS configuration', async () => {
    const report = await scanRoot(root)
    const finding = findingOf(report, lookalike.sha256)
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high', locations: [expect.objectContaining({ kind: 'openssl', entry: expect.stringMatching(NO_SOURCE) })] })
    const location = finding!.locations[0]!
    const can = await opensslStore.capabilities({ ...location, sha256: lookalike.sha256, pem: lookalike.pem }, envFor(root))
    expect(can.manual).toMatchObject({ code: 'openssl-nix', values: { command: 'sudo nixos-rebuild switch' } })
  })
})

it('a bundle only Nix names, in /etc/ssl/certs, is read by Go too (Go reads every file of that folder)', async () => {
  const root = tempDir('certaudit-nix-name-')
  put(root, 'nix/store/0a1b-nss-cacert/etc/ssl/certs/ca-bundle.crt', lookalike.pem)
  mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
  symlinkSync('/nix/store/0a1b-nss-cacert/etc/ssl/certs/ca-bundle.crt', join(root, 'etc/ssl/certs/ca-bundle.crt'))
  expect((await opensslStore.discover(envFor(root))).map((l) => l.facts?.readBy)).toEqual([['Go', 'Rust', 'Nix']])
})

describe('BSD-like', () => {
  it('OpenBSD / LibreSSL: a plain /etc/ssl/cert.pem; removed by hand', async () => {
    const root = tempDir('certaudit-openbsd-')
    const bundle = put(root, 'etc/ssl/cert.pem', [...STOCK, lookalike.pem].join(''))
    const report = await scanRoot(root)
    const finding = findingOf(report, lookalike.sha256)
    expect(finding?.locations).toEqual([expect.objectContaining({ kind: 'openssl', location: bundle, entry: expect.stringMatching(NO_SOURCE) })])
    expect(report.stores).toEqual([expect.objectContaining({ kind: 'openssl', status: 'ok', entryCount: STOCK.length + 1, facts: { readBy: ['OpenSSL', 'LibreSSL', 'GnuTLS', 'Go', 'Rust', 'curl'] } })])
    const can = await opensslStore.capabilities({ ...finding!.locations[0]!, sha256: lookalike.sha256, pem: lookalike.pem }, envFor(root))
    expect(can.manual).toMatchObject({ code: 'openssl-by-hand' })
  })

  it('FreeBSD: ca_root_nss, certctl\'s hashed /etc/ssl/certs and a root dropped into /usr/local/share/certs, each file once', async () => {
    const root = tempDir('certaudit-freebsd-')
    const nss = put(root, 'usr/local/share/certs/ca-root-nss.crt', STOCK.join(''))
    mkdirSync(join(root, 'usr/local/etc/ssl'), { recursive: true })
    symlinkSync('/usr/local/share/certs/ca-root-nss.crt', join(root, 'usr/local/etc/ssl/cert.pem'))
    const dropped = put(root, 'usr/local/share/certs/isca.pem', lookalike.pem)
    put(root, 'usr/share/certs/trusted/Stock_Root.pem', STOCK[0]!)
    // certctl rehash: links in /etc/ssl/certs to the trusted files, and (FreeBSD 14) /etc/ssl/cert.pem.
    // Relative links here, so that openssl rehash (run on this machine) can follow them.
    mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
    symlinkSync('../../../usr/share/certs/trusted/Stock_Root.pem', join(root, 'etc/ssl/certs/Stock_Root.pem'))
    symlinkSync('../../../usr/local/share/certs/isca.pem', join(root, 'etc/ssl/certs/isca.pem'))
    opensslRehash(join(root, 'etc/ssl/certs'))
    put(root, 'etc/ssl/cert.pem', STOCK[0]! + lookalike.pem)
    const env = envFor(root)
    const locations = await opensslStore.discover(env)
    expect(locations.map((l) => [l.location, l.facts?.folder ?? false])).toEqual([
      [join(root, 'etc/ssl/cert.pem'), false],
      [nss, false],
      [join(root, 'etc/ssl/certs'), true],
      [join(root, 'usr/local/share/certs'), true],
    ])
    expect(locations[1]!.note).toContain(join(root, 'usr/local/etc/ssl/cert.pem'))
    const report = await scanRoot(root)
    const found = [...findingOf(report, lookalike.sha256)!.locations].sort((a, b) => a.location.localeCompare(b.location))
    const places = found.map((l) => [l.location, l.entry, l.origin?.file])
    expect(places).toEqual([
      [join(root, 'etc/ssl/cert.pem'), `${join(root, 'etc/ssl/cert.pem')} certificate 2 (line ${STOCK[0]!.split('\n').length}): in the bundle, from ${join(root, 'etc/ssl/certs/isca.pem')}`, join(root, 'etc/ssl/certs/isca.pem')],
      // The hash link and the name link lead to one file: one entry, named by the name.
      [join(root, 'etc/ssl/certs'), expect.stringMatching(new RegExp(`^${join(root, 'etc/ssl/certs/isca.pem')} → ${dropped} \\(also [0-9a-f]{8}\\.0\\)$`)), join(root, 'etc/ssl/certs/isca.pem')],
      [join(root, 'usr/local/share/certs'), dropped, dropped],
    ])
    // ca-root-nss.crt is a place of its own: not read again as a file of /usr/local/share/certs.
    expect(report.stores.find((s) => s.location === join(root, 'usr/local/share/certs'))).toMatchObject({ entryCount: 1, status: 'ok' })
    const commands = await Promise.all(found.map(async (l) => (await opensslStore.capabilities({ ...l, sha256: lookalike.sha256, pem: lookalike.pem }, env)).manual?.values?.command))
    expect(commands).toEqual(['sudo certctl untrust /etc/ssl/certs/isca.pem', 'sudo certctl untrust /etc/ssl/certs/isca.pem', 'sudo certctl untrust /usr/local/share/certs/isca.pem'])
  })
})

describe('Clear Linux-like: the prebuilt store, no clrtrust run yet', () => {
  const root = tempDir('certaudit-clear-')
  const store = join(root, 'usr/share/ca-certs/.prebuilt-store')
  put(root, 'usr/share/ca-certs/trusted/Stock_Root.pem', STOCK[0]!)
  const added = put(root, 'etc/ca-certs/trusted/isca.pem', lookalike.pem)
  put(root, 'usr/share/ca-certs/.prebuilt-store/anchors/Stock_Root.pem', STOCK[0]!)
  put(root, 'usr/share/ca-certs/.prebuilt-store/anchors/isca.pem', lookalike.pem)
  opensslRehash(join(store, 'anchors'))
  put(root, 'usr/share/ca-certs/.prebuilt-store/compat/ca-roots.pem', STOCK[0]! + lookalike.pem)

  it('reads the anchors folder and the compat bundle, attributing the bundle\'s root to clrtrust\'s source', async () => {
    const report = await scanRoot(root)
    expect(report.stores.map((s) => [s.location, s.entryCount, s.facts])).toEqual([
      [join(store, 'compat/ca-roots.pem'), 2, { readBy: ['Clear Linux'] }],
      [join(store, 'anchors'), 2, { readBy: ['Clear Linux'], folder: true }],
    ])
    const locations = [...findingOf(report, lookalike.sha256)!.locations].sort((a, b) => b.location.localeCompare(a.location))
    expect(locations.map((l) => [l.location, l.origin?.file])).toEqual([
      [join(store, 'compat/ca-roots.pem'), added],
      [join(store, 'anchors'), join(store, 'anchors/isca.pem')],
    ])
    expect(locations[1]!.entry).toMatch(new RegExp(`^${join(store, 'anchors/isca.pem')} \\(also [0-9a-f]{8}\\.0\\), from ${added}$`))
    expect((await opensslStore.capabilities({ ...locations[0]!, sha256: lookalike.sha256, pem: lookalike.pem }, envFor(root))).manual).toMatchObject({
      code: 'openssl-clear',
      values: { command: 'sudo clrtrust remove /etc/ca-certs/trusted/isca.pem' },
    })
  })
})

describe('a hashed certs/ folder only', () => {
  it('OpenSSL\'s own default (/usr/local/ssl/certs), made by openssl rehash: each certificate once, named by its file', async () => {
    const root = tempDir('certaudit-hashed-')
    const dir = join(root, 'usr/local/ssl/certs')
    const file = put(root, 'usr/local/ssl/certs/proxy-ca.pem', lookalike.pem)
    put(root, 'usr/local/ssl/certs/stock.pem', STOCK[1]!)
    put(root, 'usr/local/ssl/certs/README', 'Put your CA certificates here and run openssl rehash.\n')
    opensslRehash(dir)
    const [location, ...rest] = await opensslStore.discover(envFor(root))
    expect(rest).toEqual([])
    expect(location).toMatchObject({ location: dir, facts: { readBy: ['OpenSSL', 'Rust'], folder: true } })
    const { entries, problems } = await listAll(location!, envFor(root))
    expect(problems).toEqual([])
    expect(entries).toHaveLength(2)
    expect(bySha(entries, lookalike.sha256).map((e) => [e.entry, e.origin])).toEqual([[expect.stringMatching(new RegExp(`^${file} \\(also [0-9a-f]{8}\\.0\\)$`)), { file }]])
    const finding = findingOf(await scanRoot(root), lookalike.sha256)
    expect(finding).toMatchObject({ severity: 'high', locations: [expect.objectContaining({ kind: 'openssl', location: dir })] })
    const can = await opensslStore.capabilities({ ...finding!.locations[0]!, sha256: lookalike.sha256, pem: lookalike.pem }, envFor(root))
    expect(can.manual).toMatchObject({ code: 'openssl-folder-file', values: { file, folder: dir, command: 'sudo openssl rehash /usr/local/ssl/certs' } })
  })

  it('a hash-named file with no name link (Android\'s system CAs: PEM with text)', async () => {
    const root = tempDir('certaudit-android-')
    const file = put(root, 'system/etc/security/cacerts/0a1b2c3d.0', `${lookalike.pem}Certificate:\n    Data:\n        Version: 3 (0x2)\n`)
    const finding = findingOf(await scanRoot(root), lookalike.sha256)
    expect(finding?.locations).toEqual([expect.objectContaining({ kind: 'openssl', location: join(root, 'system/etc/security/cacerts'), entry: file })])
  })
})

describe('minimal images: only a bundle', () => {
  it.each([
    ['a distroless image (Debian\'s bundle, no ca-certificates.conf)', 'etc/ssl/certs/ca-certificates.crt'],
    ['a Red Hat UBI micro image without /etc/pki/ca-trust', 'etc/pki/tls/certs/ca-bundle.crt'],
    ['openSUSE\'s name, nothing else', 'etc/ssl/ca-bundle.pem'],
    ['a Solaris/illumos image', 'etc/certs/ca-certificates.crt'],
    ['NetBSD', 'etc/openssl/certs/ca-certificates.crt'],
    ['OpenSSL built from source', 'usr/local/ssl/cert.pem'],
    ['a Google App Engine image', 'etc/ca-certificates.crt'],
  ])('%s: %s', async (_what, path) => {
    const root = tempDir('certaudit-minimal-')
    const bundle = put(root, path, [...STOCK, lookalike.pem].join(''))
    const report = await scanRoot(root)
    expect(report.verdict.level).toBe('high')
    expect(findingOf(report, lookalike.sha256)?.locations).toEqual([expect.objectContaining({ kind: 'openssl', location: bundle, entry: expect.stringMatching(NO_SOURCE) })])
  })

  it('Gentoo/Void/Slackware-like: Debian\'s tool\'s output, but no /etc/ca-certificates.conf (the bundle and /etc/ssl/certs read as they are)', async () => {
    const root = tempDir('certaudit-gentoo-')
    put(root, 'usr/share/ca-certificates/mozilla/Stock.crt', STOCK[2]!)
    const source = put(root, 'usr/share/ca-certificates/local/isca.crt', lookalike.pem)
    mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
    symlinkSync('../../../usr/share/ca-certificates/mozilla/Stock.crt', join(root, 'etc/ssl/certs/Stock.pem'))
    symlinkSync('../../../usr/share/ca-certificates/local/isca.crt', join(root, 'etc/ssl/certs/isca.pem'))
    opensslRehash(join(root, 'etc/ssl/certs'))
    const bundle = put(root, 'etc/ssl/certs/ca-certificates.crt', STOCK[2]! + lookalike.pem)
    const report = await scanRoot(root)
    expect(report.stores.map((s) => [s.kind, s.location, s.entryCount])).toEqual([
      ['openssl', bundle, 2],
      ['openssl', join(root, 'etc/ssl/certs'), 2],
    ])
    expect([...findingOf(report, lookalike.sha256)!.locations].sort((a, b) => a.location.localeCompare(b.location)).map((l) => [l.location, l.entry])).toEqual([
      [join(root, 'etc/ssl/certs'), expect.stringMatching(new RegExp(`^${join(root, 'etc/ssl/certs/isca.pem')} → ${source} \\(also [0-9a-f]{8}\\.0\\)$`))],
      [bundle, expect.stringContaining(`: in the bundle, from ${join(root, 'etc/ssl/certs/isca.pem')}`)],
    ])
  })
})

describe('macOS: LibreSSL\'s /etc/ssl/cert.pem (through /etc → private/etc) and Homebrew\'s', () => {
  it('reads both; the plan names macOS and Homebrew', async () => {
    const root = tempDir('certaudit-macos-')
    symlinkSync('private/etc', join(root, 'etc'))
    const system = put(root, 'private/etc/ssl/cert.pem', [...STOCK, lookalike.pem].join(''))
    const brew = put(root, 'opt/homebrew/etc/ca-certificates/cert.pem', [...STOCK, lookalike.pem].join(''))
    mkdirSync(join(root, 'opt/homebrew/etc/openssl@3'), { recursive: true })
    symlinkSync('../ca-certificates/cert.pem', join(root, 'opt/homebrew/etc/openssl@3/cert.pem'))
    put(root, 'System/Library/CoreServices/SystemVersion.plist', '<plist/>')
    const env = envFor(root, 'darwin')
    const report = await scanRoot(root, 'darwin')
    const locations = [...findingOf(report, lookalike.sha256)!.locations].sort((a, b) => a.location.localeCompare(b.location))
    expect(locations.map((l) => l.location)).toEqual([join(root, 'etc/ssl/cert.pem'), brew])
    expect(report.stores.find((s) => s.location === brew)?.note).toContain(join(root, 'opt/homebrew/etc/openssl@3/cert.pem'))
    expect(system).toBe(join(root, 'private/etc/ssl/cert.pem'))
    const notice = async (i: number) => (await opensslStore.capabilities({ ...locations[i]!, sha256: lookalike.sha256, pem: lookalike.pem }, env)).manual?.code
    expect([await notice(0), await notice(1)]).toEqual(['openssl-macos', 'openssl-homebrew'])
  })

  it('Windows has none of these places', async () => {
    const root = tempDir('certaudit-windows-')
    put(root, 'etc/ssl/cert.pem', lookalike.pem)
    expect(await opensslStore.discover(envFor(root, 'win32'))).toEqual([])
  })
})
