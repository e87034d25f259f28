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
 * - rustls-native-certs and the openssl crate: openssl-probe's list (https://github.com/rustls/openssl-probe/blob/main/src/lib.rs).
 * - curl: configure's CA bundle search (CURL_CHECK_CA_BUNDLE: https://github.com/curl/curl/blob/master/m4/curl-confopts.m4).
 *
 * A program stops at the first file of its list that exists, but which one it stops at depends on
 * the program and its build: every place that exists is read.
 */

/** A program that reads a place by default, as people name it (not translated). */
export type Reader = 'OpenSSL' | 'LibreSSL' | 'GnuTLS' | 'Go' | 'curl' | 'rustls' | 'Nix' | 'Clear Linux' | 'Android'

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
 * Macs, Linuxbrew), MacPorts, Entware, Termux; /usr/ssl, /usr/share/ssl and /var/ssl are older
 * builds' (Cygwin, Red Hat 7-9, AIX), still in openssl-probe's first list.
 */
const OPENSSLDIRS = [
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
  '/opt/etc/ssl',
  '/data/data/com.termux/files/usr/etc/tls',
  '/usr/ssl',
  '/usr/share/ssl',
  '/var/ssl',
]

const file = (path: string, ...readers: Reader[]): Place => ({ path, type: 'file', readers })
const folder = (path: string, ...readers: Reader[]): Place => ({ path, type: 'folder', readers })

/** The places, most specific first: the first path that leads to a file names it in the report. */
export const PLACES: readonly Place[] = [
  // Go's Linux certFiles; curl's, GnuTLS's and openssl-probe's lists share most of them.
  file('/etc/ssl/certs/ca-certificates.crt', 'Go', 'GnuTLS', 'curl', 'rustls'), // Debian, Ubuntu, Gentoo, Alpine, Void, Slackware, NixOS
  file('/etc/pki/tls/certs/ca-bundle.crt', 'Go', 'GnuTLS', 'curl', 'rustls'), // Fedora, RHEL
  file('/etc/ssl/ca-bundle.pem', 'Go', 'GnuTLS', 'rustls'), // openSUSE
  file('/etc/pki/tls/cacert.pem', 'Go', 'rustls'), // OpenELEC
  file('/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', 'Go', 'rustls'), // CentOS, RHEL 7+
  file('/etc/ssl/cert.pem', 'Go', 'GnuTLS', 'curl', 'rustls', 'LibreSSL'), // Alpine, OpenBSD, macOS, FreeBSD 14
  file('/opt/etc/ssl/certs/ca-certificates.crt', 'rustls'), // Entware
  file('/etc/ssl/certs/ca-bundle.crt', 'Nix'), // NixOS links it beside ca-certificates.crt (nixos/modules/security/ca.nix)
  file('/etc/ssl/ca-bundle.crt', 'GnuTLS'), // GnuTLS builds of some distributions (--with-default-trust-store-file)
  file('/etc/ssl/ca-certificates.crt', 'GnuTLS'),
  file('/etc/ca-certificates.crt', 'curl'), // Google App Engine images
  file('/usr/share/ssl/certs/ca-bundle.crt', 'curl'), // older Red Hat, in curl's search
  // Go's BSD certFiles (root_bsd.go): FreeBSD, DragonFly, NetBSD.
  file('/usr/local/etc/ssl/cert.pem', 'Go', 'rustls'),
  file('/usr/local/share/certs/ca-root-nss.crt', 'Go', 'GnuTLS', 'curl', 'rustls'), // FreeBSD's ca_root_nss
  file('/etc/openssl/certs/ca-certificates.crt', 'Go', 'rustls'),
  // Go's Solaris and illumos certFiles (root_solaris.go), AIX (root_aix.go).
  file('/etc/certs/ca-certificates.crt', 'Go', 'rustls'),
  file('/etc/ssl/cacert.pem', 'Go', 'rustls'), // OmniOS
  file('/var/ssl/certs/ca-bundle.crt', 'Go'),
  // Clear Linux: clrtrust's store, and the prebuilt one used until clrtrust has run (its OpenSSL, curl and Go are patched to read them).
  file('/var/cache/ca-certs/compat/ca-roots.pem', 'Clear Linux'),
  file('/usr/share/ca-certs/.prebuilt-store/compat/ca-roots.pem', 'Clear Linux'),
  // Homebrew's ca-certificates (macOS and Linux) and MacPorts' curl.
  file('/opt/homebrew/etc/ca-certificates/cert.pem', 'curl', 'OpenSSL'),
  file('/usr/local/etc/ca-certificates/cert.pem', 'curl', 'OpenSSL'),
  file('/home/linuxbrew/.linuxbrew/etc/ca-certificates/cert.pem', 'curl', 'OpenSSL'),
  file('/opt/local/share/curl/curl-ca-bundle.crt', 'curl'),
  // Termux (Android) and Haiku, in openssl-probe.
  file('/boot/system/data/ssl/CARootCertificates.pem', 'rustls'),
  ...OPENSSLDIRS.map((dir) => file(`${dir}/cert.pem`, 'OpenSSL')),
  // Folders: Go reads every file of each (certDirectories), OpenSSL the hash-named ones (CApath).
  folder('/etc/ssl/certs', 'Go', 'curl', 'rustls'), // SLES, FreeBSD 12.2+ (certctl), most distributions
  folder('/etc/pki/tls/certs', 'Go', 'rustls'), // Fedora, RHEL
  folder('/usr/local/share/certs', 'Go', 'rustls'), // FreeBSD
  folder('/etc/openssl/certs', 'Go', 'rustls'), // NetBSD
  folder('/etc/certs/CA', 'Go', 'rustls'), // Solaris, illumos
  folder('/var/ssl/certs', 'Go', 'rustls'), // AIX
  folder('/system/etc/security/cacerts', 'Go', 'Android'), // Android's system CAs
  folder('/apex/com.android.conscrypt/cacerts', 'Android'), // Android 14+ (updatable through the Conscrypt module)
  folder('/data/misc/keychain/certs-added', 'Go', 'Android'), // CAs a user added on Android
  folder('/var/cache/ca-certs/anchors', 'Clear Linux'),
  folder('/usr/share/ca-certs/.prebuilt-store/anchors', 'Clear Linux'),
  ...OPENSSLDIRS.map((dir) => folder(`${dir}/certs`, 'OpenSSL')),
]

/** Folders Go reads every file of: a file there is read by Go whatever else names it. */
export const GO_FOLDERS: ReadonlySet<string> = new Set(PLACES.filter((p) => p.type === 'folder' && p.readers.includes('Go')).map((p) => p.path))
