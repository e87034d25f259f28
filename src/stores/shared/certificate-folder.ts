/**
 * What programs make of the files in a certificate folder (OpenSSL's CApath, the folders Go reads),
 * shared by the kinds that read such folders (linux-system's /etc/ssl/certs, the openssl kind).
 *
 * OpenSSL reads only `<subject hash>.<n>` names there (X509_LOOKUP_hash_dir:
 * https://docs.openssl.org/3.0/man3/X509_LOOKUP_hash_dir/), Go reads every file of the folder and
 * keeps its PEM certificates (crypto/x509 root_unix.go, loadSystemRoots), GnuTLS every file too
 * (gnutls_x509_trust_list_add_trust_dir). So every file is read; a file that holds no certificate
 * trusts nothing, and is a problem only when its name says it should hold one.
 */

/** `5ed36f99.0`: what `openssl rehash` / c_rehash name a certificate's link (`.r0` for a CRL). */
export const HASH_NAME = /^[0-9a-f]{8}\.r?\d+$/

/** True for a name people and tools give a certificate file. */
export function looksLikeCertificateFile(name: string): boolean {
  return HASH_NAME.test(name) || /\.(pem|crt|cer|der|cert)$/i.test(name)
}

/**
 * Whether a problem met reading one file of a certificate folder is worth reporting: a damaged
 * certificate block always is (a program may still take the rest of the file); a README, a key or a
 * config file beside the certificates is not, as no program takes a certificate from it.
 */
export function problemMatters(name: string, code: string): boolean {
  return looksLikeCertificateFile(name) || code === 'corrupt-pem' || code === 'truncated-pem'
}
