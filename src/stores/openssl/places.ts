/**
 * Every certificate file and folder that TLS libraries and programs trust by default on Unix-like
 * systems, with who reads each, as the libraries' own sources list them. Nothing here is read by a
 * program only when it is told to (that is the env-bundle and runtime kinds' business). Windows has
 * none: its programs use the Windows store (the windows kind).
 *
 * - OpenSSL: OPENSSLDIR/cert.pem and OPENSSLDIR/certs (X509_get_default_cert_file/_dir;
 *   https://docs.openssl.org/3.0/man3/SSL_CTX_load_verify_locations/), for each OPENSSLDIR the
 *   distributions and installers build it with (`openssl version -d`).
 * - LibreSSL: /etc/ssl/cert.pem (OpenBSD, and macOS's /usr/bin/openssl and curl).
 * - GnuTLS: its compiled-in default trust file (configure.ac, --with-default-trust-store-file; the
 *   auto-detected list, and what distributions pass).
 * - Go: crypto/x509's certFiles (the first that exists) and certDirectories (every file of each) in
 *   root_linux.go, root_bsd.go, root_solaris.go, root_aix.go (https://github.com/golang/go/tree/master/src/crypto/x509).
 * - Rust programs (the openssl crate, rustls-native-certs): openssl-probe's lists, today's per OS
 *   (https://github.com/rustls/openssl-probe/blob/main/src/lib.rs) and 0.1.x's folders × file names,
 *   which many programs still build with (https://github.com/alexcrichton/openssl-probe/blob/master/src/lib.rs).
 * - curl: configure's CA bundle search (CURL_CHECK_CA_BUNDLE: https://github.com/curl/curl/blob/master/m4/curl-confopts.m4).
 *
 * A program stops at the first file of its list that exists, but which one it stops at depends on
 * the program and its build: every place that exists is read.
 */

/** A program that reads a place by default, as people name it (not translated). */
export type Reader = 'OpenSSL' | 'LibreSSL' | 'GnuTLS' | 'Go' | 'curl' | 'Rust' | 'Nix' | 'Guix' | 'Clear Linux' | 'Android'

export interface Place {
  /** As on the machine; mapped into --system-root by discover.ts. A trailing `*` matches names in the folder. */
  readonly path: string
  readonly type: 'file' | 'folder'
  readonly readers: readonly Reader[]
}

/**
 * OPENSSLDIRs: /etc/ssl (Alpine, Arch, Gentoo, Void, Slackware, NixOS, openSUSE, FreeBSD base, OpenBSD
 * and macOS LibreSSL), /usr/lib/ssl (Debian, Ubuntu), /etc/pki/tls (Fedora, RHEL, Amazon Linux),
 * /usr/local/ssl (OpenSSL built from source), /usr/local/openssl (FreeBSD ports), /etc/openssl
 * (NetBSD), /etc/ssl1.1 (Alpine's openssl1.1-compat), Homebrew's openssl@N (Intel and Apple silicon
 * Macs, Linuxbrew), MacPorts (and pkgsrc on SmartOS), pkgsrc on NetBSD and macOS, Entware, Termux; /usr/ssl, /usr/share/ssl and /var/ssl are older
 * builds' (Cygwin, Red Hat 7-9, AIX), still in openssl-probe's first list.
 */
export const OPENSSLDIRS: readonly string[] = [
  '/etc/ssl',
  '/usr/lib/ssl',
  '/etc/pki/tls',
  '/usr/local/ssl',
  '/usr/local/openssl',
  '/usr/local/etc/ssl',
  '/etc/openssl',
  '/etc/ssl1.1',
  '/usr/local/etc/openssl*',
  '/opt/homebrew/etc/openssl*',
  '/home/linuxbrew/.linuxbrew/etc/openssl*',
  '/opt/local/etc/openssl',
  '/usr/pkg/etc/openssl',
  '/opt/pkg/etc/openssl',
  '/opt/etc/ssl',
  '/data/data/com.termux/files/usr/etc/tls',
  '/usr/ssl',
  '/usr/share/ssl',
  '/var/ssl',
]

/** openssl-probe 0.1.x: each of these folders × each file name below, and the folder's certs/. */
export const PROBE_DIRS: readonly string[] = [
  '/var/ssl',
  '/usr/share/ssl',
  '/usr/local/ssl',
  '/usr/local/openssl',
  '/usr/local/etc/openssl',
  '/usr/local/share',
  '/usr/lib/ssl',
  '/usr/ssl',
  '/etc/openssl',
  '/etc/pki/ca-trust/extracted/pem',
  '/etc/pki/tls',
  '/etc/ssl',
  '/etc/certs',
  '/opt/etc/ssl',
  '/data/data/com.termux/files/usr/etc/tls',
  '/boot/system/data/ssl',
]
export const PROBE_NAMES: readonly string[] = [
  'cert.pem',
  'certs.pem',
  'ca-bundle.pem',
  'cacert.pem',
  'ca-certificates.crt',
  'certs/ca-certificates.crt',
  'certs/ca-root-nss.crt',
  'certs/ca-bundle.crt',
  'CARootCertificates.pem',
  'tls-ca-bundle.pem',
]

const file = (path: string, ...readers: Reader[]): Place => ({ path, type: 'file', readers })
const folder = (path: string, ...readers: Reader[]): Place => ({ path, type: 'folder', readers })

/** Each path once, its readers merged, in the order first listed. */
function merged(places: readonly Place[]): Place[] {
  const byPath = new Map<string, Place>()
  for (const place of places) {
    const known = byPath.get(place.path)
    byPath.set(place.path, known ? { ...known, readers: [...new Set([...known.readers, ...place.readers])] } : place)
  }
  return [...byPath.values()]
}

/** The places named one by one (the rest are derived from the lists above). */
export const LISTED: readonly Place[] = [
  // Go's Linux certFiles; curl's, GnuTLS's and openssl-probe's lists share most of them.
  file('/etc/ssl/certs/ca-certificates.crt', 'Go', 'GnuTLS', 'curl', 'Rust'), // Debian, Ubuntu, Gentoo, Alpine, Void, Slackware, NixOS
  file('/etc/pki/tls/certs/ca-bundle.crt', 'Go', 'GnuTLS', 'curl', 'Rust'), // Fedora, RHEL
  file('/etc/ssl/ca-bundle.pem', 'Go', 'GnuTLS', 'Rust'), // openSUSE
  file('/etc/pki/tls/cacert.pem', 'Go', 'Rust'), // OpenELEC
  file('/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', 'Go', 'Rust'), // CentOS, RHEL 7+
  file('/etc/ssl/cert.pem', 'Go', 'GnuTLS', 'curl', 'Rust', 'LibreSSL'), // Alpine, OpenBSD, macOS, FreeBSD 14
  file('/opt/etc/ssl/certs/ca-certificates.crt', 'Rust'), // Entware
  file('/etc/ssl/certs/ca-bundle.crt', 'Nix'), // NixOS links it beside ca-certificates.crt (nixos/modules/security/ca.nix)
  file('/etc/pki/tls/cert.pem', 'GnuTLS'), // in GnuTLS's auto-detected list (and OpenSSL's on Fedora)
  file('/etc/ssl/ca-bundle.crt', 'GnuTLS'), // GnuTLS builds of some distributions (--with-default-trust-store-file)
  file('/etc/ssl/ca-certificates.crt', 'GnuTLS'),
  file('/etc/ca-certificates.crt', 'curl'), // Google App Engine images
  file('/usr/share/ssl/certs/ca-bundle.crt', 'curl'), // older Red Hat, in curl's search
  // Go's BSD certFiles (root_bsd.go): FreeBSD, DragonFly, NetBSD.
  file('/usr/local/etc/ssl/cert.pem', 'Go', 'Rust'),
  file('/usr/local/share/certs/ca-root-nss.crt', 'Go', 'GnuTLS', 'curl', 'Rust'), // FreeBSD's ca_root_nss
  file('/etc/openssl/certs/ca-certificates.crt', 'Go', 'Rust'),
  // Go's Solaris and illumos certFiles (root_solaris.go), AIX (root_aix.go).
  file('/etc/certs/ca-certificates.crt', 'Go', 'Rust'),
  file('/etc/ssl/cacert.pem', 'Go', 'Rust'), // OmniOS
  file('/var/ssl/certs/ca-bundle.crt', 'Go'),
  // Clear Linux: clrtrust's store, and the prebuilt one its programs fall back to until clrtrust has run.
  file('/var/cache/ca-certs/compat/ca-roots.pem', 'Clear Linux'),
  file('/usr/share/ca-certs/.prebuilt-store/compat/ca-roots.pem', 'Clear Linux'),
  // Homebrew's ca-certificates (macOS and Linux) and MacPorts' curl.
  file('/opt/homebrew/etc/ca-certificates/cert.pem', 'curl', 'OpenSSL'),
  file('/usr/local/etc/ca-certificates/cert.pem', 'curl', 'OpenSSL'),
  file('/home/linuxbrew/.linuxbrew/etc/ca-certificates/cert.pem', 'curl', 'OpenSSL'),
  file('/opt/local/share/curl/curl-ca-bundle.crt', 'curl'),
  file('/usr/local/share/curl/curl-ca-bundle.crt', 'curl'),
  // The bundles of the layouts the linux-system kind knows, for an image that has the bundle but not
  // the layout's markers (programs reach them through the links above; that kind reads them when it has).
  file('/etc/ca-certificates/extracted/tls-ca-bundle.pem', 'OpenSSL', 'Go'), // Arch
  file('/var/lib/ca-certificates/ca-bundle.pem', 'OpenSSL', 'Go'), // openSUSE, SLES
  // Nix's own bundle where Nix is installed on another distribution (its installer points Nix at it).
  file('/nix/var/nix/profiles/default/etc/ssl/certs/ca-bundle.crt', 'Nix'),
  // Guix System: the nss-certs package's bundle in the system profile (/etc/ssl/certs links into it).
  file('/run/current-system/profile/etc/ssl/certs/ca-certificates.crt', 'Guix'),
  // Termux (Android) and Haiku, in openssl-probe.
  file('/boot/system/data/ssl/CARootCertificates.pem', 'Rust'),
  // Folders: Go reads every file of each (certDirectories), OpenSSL the hash-named ones (CApath).
  folder('/etc/ssl/certs', 'Go', 'curl', 'Rust'), // SLES, FreeBSD 12.2+ (certctl), most distributions
  folder('/etc/pki/tls/certs', 'Go', 'Rust'), // Fedora, RHEL
  folder('/usr/local/share/certs', 'Go', 'Rust'), // FreeBSD
  folder('/etc/openssl/certs', 'Go', 'Rust'), // NetBSD
  folder('/etc/certs/CA', 'Go', 'Rust'), // Solaris, illumos
  folder('/var/ssl/certs', 'Go', 'Rust'), // AIX
  folder('/system/etc/security/cacerts', 'Go', 'Android'), // Android's system CAs
  folder('/apex/com.android.conscrypt/cacerts', 'Android'), // Android 14+ (updatable through the Conscrypt module)
  folder('/data/misc/keychain/certs-added', 'Go', 'Android'), // CAs a user added on Android
  folder('/var/cache/ca-certs/anchors', 'Clear Linux'),
  folder('/usr/share/ca-certs/.prebuilt-store/anchors', 'Clear Linux'),
  folder('/etc/pki/ca-trust/extracted/pem/directory-hash', 'OpenSSL', 'Go'), // Fedora 38+ (through /etc/ssl/certs)
  folder('/etc/ca-certificates/extracted/cadir', 'OpenSSL', 'Go'), // Arch (through /etc/ssl/certs)
  folder('/var/lib/ca-certificates/pem', 'OpenSSL', 'Go'), // openSUSE (through /etc/ssl/certs)
  folder('/var/lib/ca-certificates/openssl', 'OpenSSL'), // openSUSE: OpenSSL's form, with trust settings
  folder('/run/current-system/profile/etc/ssl/certs', 'Guix'),
]

/** The places, most specific first: the first path that leads to a file names it in the report. */
export const PLACES: readonly Place[] = merged([
  ...LISTED.filter((p) => p.type === 'file'),
  ...OPENSSLDIRS.map((dir) => file(`${dir}/cert.pem`, 'OpenSSL')),
  ...LISTED.filter((p) => p.type === 'folder'),
  ...OPENSSLDIRS.map((dir) => folder(`${dir}/certs`, 'OpenSSL')),
  ...PROBE_DIRS.flatMap((dir) => PROBE_NAMES.map((name) => file(`${dir}/${name}`, 'Rust'))),
  ...PROBE_DIRS.map((dir) => folder(`${dir}/certs`, 'Rust')),
])

/** Folders Go reads every file of: a file there is read by Go whatever else names it. */
export const GO_FOLDERS: ReadonlySet<string> = new Set(PLACES.filter((p) => p.type === 'folder' && p.readers.includes('Go')).map((p) => p.path))
