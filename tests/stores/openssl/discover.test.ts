/**
 * Each place read by exactly one kind: on images the linux-system kind knows (Debian built by
 * update-ca-certificates, Fedora extracted by p11-kit's trust), the openssl kind adds nothing but what
 * no layout reads; and a whole scan of such an image reports each certificate once.
 */
import { X509Certificate } from 'node:crypto'
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../../src/cli/main.js'
import type { ScanReport } from '../../../src/audit/report.js'
import { STORE_KINDS, STORES } from '../../../src/stores/registry.js'
import { opensslStore } from '../../../src/stores/openssl/index.js'
import type { Environment } from '../../../src/stores/shared/environment.js'
import { identify } from '../../../src/audit/certificate.js'
import { CORPUS_ABSENT_REASON, corpusAvailable, factPem, loadFacts } from '../../support/corpus.js'
import { buildDebianTree, buildFedoraTree, CANNOT_BUILD_FEDORA, haveUpdateCaCertificates, opensslRehash, put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { envFor, findingOf, lookalike, scanRoot } from './support.js'

/** Mozilla's roots as Node.js ships them, as a distribution's files: a stock store. */
const MOZILLA = Object.fromEntries(rootCertificates.map((pem, i) => [`mozilla/Root_${i}.crt`, `${pem}\n`]))

/** Every entry of every kind on the machine: [kind, SHA-256] for each. */
async function everyEntry(env: Environment): Promise<[string, string][]> {
  const found: [string, string][] = []
  for (const kind of STORE_KINDS) {
    for (const location of await STORES[kind].discover(env)) {
      for await (const item of STORES[kind].list(location, env)) if (item.type === 'entry' && item.trust === 'trusted') found.push([kind, identify(item.der).sha256])
    }
  }
  return found
}

/** The SHA-256s trusted in more than one place. */
function repeated(entries: readonly [string, string][]): string[] {
  const count = new Map<string, number>()
  for (const [, sha] of entries) count.set(sha, (count.get(sha) ?? 0) + 1)
  return [...count].filter(([, n]) => n > 1).map(([sha]) => sha)
}

describe.skipIf(!haveUpdateCaCertificates)(`a stock Debian image${haveUpdateCaCertificates ? '' : ' (skipped: update-ca-certificates is not installed)'}`, () => {
  const root = tempDir('certaudit-stock-debian-')
  buildDebianTree(root, { distro: MOZILLA })
  // As the openssl package lays out OPENSSLDIR on Debian: links into /etc/ssl.
  mkdirSync(join(root, 'usr/lib/ssl'), { recursive: true })
  symlinkSync('/etc/ssl/certs/ca-certificates.crt', join(root, 'usr/lib/ssl/cert.pem'))
  symlinkSync('/etc/ssl/certs', join(root, 'usr/lib/ssl/certs'))

  it('has no place of the openssl kind: the system store reads every default path', async () => {
    expect(await opensslStore.discover(envFor(root))).toEqual([])
  })

  it('reports each certificate once, in the system store', async () => {
    const entries = await everyEntry(envFor(root))
    expect(entries).toHaveLength(rootCertificates.length)
    expect(new Set(entries.map(([kind]) => kind))).toEqual(new Set(['linux-system']))
    expect(repeated(entries)).toEqual([])
  })

  it('a copy of the bundle at /etc/ssl/cert.pem is a place of its own, read by the openssl kind', async () => {
    const tree = tempDir('certaudit-debian-copy-')
    buildDebianTree(tree, { distro: { 'mozilla/Root_0.crt': MOZILLA['mozilla/Root_0.crt']! } })
    const copy = put(tree, 'etc/ssl/cert.pem', MOZILLA['mozilla/Root_0.crt']! + lookalike.pem)
    expect((await opensslStore.discover(envFor(tree))).map((l) => l.location)).toEqual([copy])
    const finding = findingOf(await scanRoot(tree), lookalike.sha256)
    expect(finding?.locations.map((l) => [l.kind, l.location])).toEqual([['openssl', copy]])
  })
})

describe.skipIf(!haveUpdateCaCertificates)(`a default path into the system store's sources${haveUpdateCaCertificates ? '' : ' (skipped: update-ca-certificates is not installed)'}`, () => {
  it('/etc/ssl/cert.pem → a .pem that update-ca-certificates ignores: trusted by OpenSSL through the link, so found there', async () => {
    const tree = tempDir('certaudit-debian-link-')
    buildDebianTree(tree, { local: { 'proxy.pem': lookalike.pem } })
    symlinkSync('/usr/local/share/ca-certificates/proxy.pem', join(tree, 'etc/ssl/cert.pem'))
    const finding = findingOf(await scanRoot(tree), lookalike.sha256)
    expect(finding?.severity).toBe('high')
    expect(finding?.locations.map((l) => [l.kind, l.location, l.trust]).sort()).toEqual([
      ['linux-system', join(tree, 'etc/ssl/certs/ca-certificates.crt'), 'not-trusted'],
      ['openssl', join(tree, 'etc/ssl/cert.pem'), 'trusted'],
    ])
  })
})

describe.skipIf(CANNOT_BUILD_FEDORA !== null)(`a stock Fedora image${CANNOT_BUILD_FEDORA ? ` (skipped: ${CANNOT_BUILD_FEDORA})` : ''}`, () => {
  const root = tempDir('certaudit-stock-fedora-')
  const distro = rootCertificates.map((pem, i) => `[p11-kit-object-v1]\nlabel: "Root ${i}"\ntrusted: true\nnss-mozilla-ca-policy: true\n${pem}\n`).join('\n')
  buildFedoraTree(root, { distro })

  it('has no place of the openssl kind besides what no layout reads, and each certificate once', async () => {
    // /etc/pki/tls/certs (a Go folder) holds only links into the extracted files, which the system store reads.
    expect(await opensslStore.discover(envFor(root))).toEqual([])
    const entries = await everyEntry(envFor(root))
    expect(entries).toHaveLength(rootCertificates.length)
    expect(repeated(entries)).toEqual([])
  })

  it('a root dropped into /etc/pki/tls/certs is found there', async () => {
    const tree = tempDir('certaudit-fedora-dropped-')
    buildFedoraTree(tree, { distro: `[p11-kit-object-v1]\nlabel: "Root"\ntrusted: true\n${rootCertificates[0]}\n` })
    const dropped = put(tree, 'etc/pki/tls/certs/proxy.pem', lookalike.pem)
    const finding = findingOf(await scanRoot(tree), lookalike.sha256)
    // /etc/ssl/certs is a link to /etc/pki/tls/certs: one place, one entry.
    expect(finding?.locations).toEqual([expect.objectContaining({ kind: 'openssl', location: join(tree, 'etc/pki/tls/certs'), entry: dropped })])
  })
})

describe('Arch and openSUSE images, their extracted files laid out as their tools leave them', () => {
  const stock = rootCertificates.slice(0, 20).map((pem) => `${pem}\n`)
  const p11kit = stock.map((pem, i) => `[p11-kit-object-v1]\nlabel: "Root ${i}"\ntrusted: true\n${pem}`).join('\n')

  it('Arch: /etc/ssl/certs of links into cadir, /etc/ssl/cert.pem to the bundle: each certificate once', async () => {
    const root = tempDir('certaudit-stock-arch-')
    put(root, 'usr/share/ca-certificates/trust-source/mozilla.trust.p11-kit', p11kit)
    put(root, 'etc/ca-certificates/extracted/tls-ca-bundle.pem', stock.join(''))
    stock.forEach((pem, i) => put(root, `etc/ca-certificates/extracted/cadir/Root_${i}.pem`, pem))
    mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
    stock.forEach((_, i) => symlinkSync(`../../ca-certificates/extracted/cadir/Root_${i}.pem`, join(root, `etc/ssl/certs/Root_${i}.pem`)))
    opensslRehash(join(root, 'etc/ssl/certs'))
    symlinkSync('../../ca-certificates/extracted/tls-ca-bundle.pem', join(root, 'etc/ssl/certs/ca-certificates.crt'))
    symlinkSync('../ca-certificates/extracted/tls-ca-bundle.pem', join(root, 'etc/ssl/cert.pem'))
    mkdirSync(join(root, 'etc/ca-certificates/trust-source/anchors'), { recursive: true })
    expect(await opensslStore.discover(envFor(root))).toEqual([])
    const entries = await everyEntry(envFor(root))
    expect(entries).toHaveLength(stock.length)
    expect(repeated(entries)).toEqual([])
  })

  it('openSUSE: /etc/ssl/certs and /etc/ssl/ca-bundle.pem are links into /var/lib/ca-certificates: each certificate once', async () => {
    const root = tempDir('certaudit-stock-opensuse-')
    put(root, 'usr/share/pki/trust/anchors/mozilla.trust.p11-kit', p11kit)
    put(root, 'var/lib/ca-certificates/ca-bundle.pem', stock.join(''))
    stock.forEach((pem, i) => put(root, `var/lib/ca-certificates/pem/Root_${i}.pem`, pem))
    opensslRehash(join(root, 'var/lib/ca-certificates/pem'))
    // OpenSSL's form of the same, as p11-kit's openssl-directory format writes it (TRUSTED CERTIFICATE blocks).
    stock.forEach((pem, i) => put(root, `var/lib/ca-certificates/openssl/Root_${i}.pem`, pem.replace(/CERTIFICATE-----/g, 'TRUSTED CERTIFICATE-----')))
    mkdirSync(join(root, 'etc/pki/trust/anchors'), { recursive: true })
    mkdirSync(join(root, 'etc/ssl'), { recursive: true })
    symlinkSync('/var/lib/ca-certificates/pem', join(root, 'etc/ssl/certs'))
    symlinkSync('/var/lib/ca-certificates/ca-bundle.pem', join(root, 'etc/ssl/ca-bundle.pem'))
    expect(await opensslStore.discover(envFor(root))).toEqual([])
    const entries = await everyEntry(envFor(root))
    expect(entries).toHaveLength(stock.length)
    expect(repeated(entries)).toEqual([])
    // A root dropped into the hashed folder is the system store's to report, once.
    put(root, 'var/lib/ca-certificates/pem/proxy.pem', lookalike.pem)
    expect(findingOf(await scanRoot(root), lookalike.sha256)?.locations.map((l) => l.kind)).toEqual(['linux-system'])
  })
})

/** The report, with the new kind and facts, is what resources/scan-report.schema.json describes. */
function validReport(report: ScanReport): boolean {
  const schema = JSON.parse(readFileSync(new URL('../../../resources/scan-report.schema.json', import.meta.url), 'utf8')) as { $id: string }
  const ajv = new Ajv({ allErrors: true })
  ajv.addSchema(schema)
  const valid = ajv.getSchema(schema.$id)!
  if (!valid(report)) throw new Error(JSON.stringify(valid.errors))
  return true
}

describe('the command line on an image with no known layout', () => {
  if (!corpusAvailable) {
    it.skip(`skipped: ${CORPUS_ABSENT_REASON}`, () => {})
    return
  }
  const fact = loadFacts().find((f) => f.id === 'kz-qaznet-2016')!
  const qaznet = factPem(fact)!
  const io = (): CliIo & { out: string[] } => {
    const out: string[] = []
    return { out, stdout: (t) => void out.push(t), stderr: () => {}, isTty: false, env: { LANG: 'C' } }
  }

  it('finds a known interception root in an Alpine bundle: critical, exit 1 (it was "nothing could be scanned", exit 2)', async () => {
    const root = tempDir('certaudit-cli-alpine-')
    const home = tempDir('certaudit-cli-home-')
    const bundle = put(root, 'etc/ssl/certs/ca-certificates.crt', `${rootCertificates[0]}\n${qaznet}`)
    symlinkSync('certs/ca-certificates.crt', join(root, 'etc/ssl/cert.pem'))
    const cli = io()
    expect(await main(['scan', '--json', '--home', home, '--system-root', root], cli)).toBe(1)
    const report = JSON.parse(cli.out.join('')) as ScanReport
    expect(report.verdict.level).toBe('critical')
    const sha = identify(new X509Certificate(qaznet).raw).sha256
    expect(findingOf(report, sha)).toMatchObject({ rule: 'known-interception', severity: 'critical', locations: [expect.objectContaining({ kind: 'openssl', location: bundle })] })
    expect(report.stores).toEqual([expect.objectContaining({ kind: 'openssl', status: 'ok', facts: expect.objectContaining({ readBy: expect.arrayContaining(['OpenSSL', 'Go']) }) })])
    expect(validReport(report)).toBe(true)
  })

  it('--store openssl scans only these places', async () => {
    const root = tempDir('certaudit-cli-store-')
    put(root, 'etc/ssl/cert.pem', qaznet)
    put(root, 'usr/local/ssl/certs/qaznet.pem', qaznet)
    const cli = io()
    expect(await main(['scan', '--json', '--store', 'openssl', '--home', root, '--system-root', root], cli)).toBe(1)
    const report = JSON.parse(cli.out.join('')) as ScanReport
    expect(report.stores.map((s) => [s.kind, s.facts?.folder ?? false])).toEqual([['openssl', false], ['openssl', true]])
    expect(validReport(report)).toBe(true)
  })
})
