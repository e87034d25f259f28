import { systemPath, type Environment } from '../shared/environment.js'
import { existsInRoot } from '../shared/paths.js'
import type { StoreLocation, TrustState } from '../types.js'

/** A folder of trust sources: its certificates are trusted (anchors) or distrusted (blocklist). */
export interface SourceDir {
  readonly dir: string
  readonly trust: TrustState
  readonly recursive: boolean
  /** Which file names the distro tool picks up; the rest is reported as not trusted. */
  readonly accepts?: (name: string) => boolean
  readonly ignoredNote?: string
}

/** How one distro family builds its system store: the sources it reads and the bundle it writes. */
export interface Layout {
  readonly id: string
  readonly label: string
  /** The distribution family, as people name it. */
  readonly distro: string
  /** Any of these existing means the machine uses this layout. */
  readonly markers: readonly string[]
  readonly sources: readonly SourceDir[]
  /** Debian: /etc/ca-certificates.conf selects files of /usr/share/ca-certificates (`!` deselects). */
  readonly conf?: { readonly file: string; readonly certsDir: string }
  /** The bundles programs read (OpenSSL, curl, Python, Go …): entries in none of the sources are reported too. */
  readonly bundles: readonly string[]
  /**
   * OpenSSL's hashed folder (CApath, and a folder Go reads every file of): certificate files placed
   * there directly are trusted by those programs. Its certificates that the sources explain are not
   * repeated; the openssl kind leaves this folder and the bundles to this layout (each place read once).
   */
  readonly hashedDir?: string
  /** Further hashed folders its tool writes, read the same way (openSUSE's OpenSSL folder with trust settings). */
  readonly alsoHashed?: readonly string[]
  /** Where a distrusted certificate's copy goes (p11-kit's blocklist). Debian has none. */
  readonly blocklist?: string
  /** The command that rebuilds the bundle from the sources, as run on the machine itself. */
  readonly update: readonly [string, ...string[]]
}

/** update-ca-certificates reads only .crt files. */
export const crtOnly = (name: string) => name.endsWith('.crt')
const DEBIAN_IGNORED = 'ignored by update-ca-certificates, which only reads .crt files'

/** The four families (DESIGN.md, store matrix). Paths are as on the machine; `systemPath` maps them. */
export const LAYOUTS: readonly Layout[] = [
  {
    id: 'debian',
    label: 'Debian/Ubuntu system store (update-ca-certificates)',
    distro: 'Debian/Ubuntu',
    markers: ['/etc/ca-certificates.conf', '/usr/local/share/ca-certificates'],
    sources: [{ dir: '/usr/local/share/ca-certificates', trust: 'trusted', recursive: true, accepts: crtOnly, ignoredNote: DEBIAN_IGNORED }],
    conf: { file: '/etc/ca-certificates.conf', certsDir: '/usr/share/ca-certificates' },
    bundles: ['/etc/ssl/certs/ca-certificates.crt'],
    hashedDir: '/etc/ssl/certs',
    update: ['update-ca-certificates', '--fresh'],
  },
  {
    id: 'fedora',
    label: 'Fedora/RHEL system store (update-ca-trust)',
    distro: 'Fedora/RHEL',
    markers: ['/etc/pki/ca-trust'],
    sources: [
      { dir: '/etc/pki/ca-trust/source/anchors', trust: 'trusted', recursive: true },
      { dir: '/etc/pki/ca-trust/source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/pki/ca-trust/source/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/pki/ca-trust/source', trust: 'not-trusted', recursive: false },
      { dir: '/usr/share/pki/ca-trust-source/anchors', trust: 'trusted', recursive: true },
      { dir: '/usr/share/pki/ca-trust-source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/ca-trust-source/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/ca-trust-source', trust: 'not-trusted', recursive: false },
    ],
    // ca-bundle.trust.crt: OpenSSL's "TRUSTED CERTIFICATE" form, in /etc/pki/tls/certs (a folder Go reads).
    bundles: ['/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', '/etc/pki/ca-trust/extracted/openssl/ca-bundle.trust.crt'],
    // Fedora 38+ points /etc/ssl/certs and OpenSSL's CApath here (update-ca-trust(8)).
    hashedDir: '/etc/pki/ca-trust/extracted/pem/directory-hash',
    blocklist: '/etc/pki/ca-trust/source/blocklist',
    update: ['update-ca-trust', 'extract'],
  },
  {
    id: 'arch',
    label: 'Arch Linux system store (update-ca-trust)',
    distro: 'Arch Linux',
    markers: ['/etc/ca-certificates/trust-source'],
    sources: [
      { dir: '/etc/ca-certificates/trust-source/anchors', trust: 'trusted', recursive: true },
      { dir: '/etc/ca-certificates/trust-source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/ca-certificates/trust-source/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/ca-certificates/trust-source', trust: 'not-trusted', recursive: false },
      { dir: '/usr/share/ca-certificates/trust-source/anchors', trust: 'trusted', recursive: true },
      { dir: '/usr/share/ca-certificates/trust-source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/ca-certificates/trust-source', trust: 'not-trusted', recursive: false },
    ],
    bundles: ['/etc/ca-certificates/extracted/tls-ca-bundle.pem'],
    // `trust extract-compat` fills /etc/ssl/certs with hash links into /etc/ca-certificates/extracted/cadir.
    hashedDir: '/etc/ssl/certs',
    blocklist: '/etc/ca-certificates/trust-source/blocklist',
    update: ['update-ca-trust', 'extract'],
  },
  {
    id: 'opensuse',
    label: 'openSUSE system store (update-ca-certificates)',
    distro: 'openSUSE',
    markers: ['/etc/pki/trust', '/var/lib/ca-certificates'],
    sources: [
      { dir: '/etc/pki/trust/anchors', trust: 'trusted', recursive: true },
      { dir: '/etc/pki/trust/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/pki/trust/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/trust/anchors', trust: 'trusted', recursive: true },
      { dir: '/usr/share/pki/trust/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/trust/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/trust', trust: 'not-trusted', recursive: false },
    ],
    bundles: ['/var/lib/ca-certificates/ca-bundle.pem'],
    // /etc/ssl/certs is a link to it.
    hashedDir: '/var/lib/ca-certificates/pem',
    alsoHashed: ['/var/lib/ca-certificates/openssl'],
    blocklist: '/etc/pki/trust/blocklist',
    update: ['update-ca-certificates'],
  },
]

/** Every distribution family with one of its markers under the system root, its bundle as the location. */
export async function discover(env: Environment): Promise<StoreLocation[]> {
  return (await detectedLayouts(env)).map((layout) => ({
    id: `linux-system:${layout.id}`,
    kind: 'linux-system',
    location: systemPath(env, layout.bundles[0]!),
    note: layout.label,
    facts: { distro: layout.distro },
  }))
}

/** The layouts this machine uses (one of its markers exists): what this kind reads, so the openssl kind reads the rest. */
export async function detectedLayouts(env: Environment): Promise<Layout[]> {
  const found: Layout[] = []
  for (const layout of LAYOUTS) {
    const markers = await Promise.all(layout.markers.map((m) => existsInRoot(env, systemPath(env, m))))
    if (markers.some(Boolean)) found.push(layout)
  }
  return found
}
