/** OpenSSL's `-nameopt RFC2253` prints non-ASCII bytes as \XX escapes; CertAudit keeps names as UTF-8. */
export function decodeOpensslEscapes(name: string): string {
  return name.replace(/(?:\\[0-9A-F]{2})+/g, (run) => Buffer.from(run.replaceAll('\\', ''), 'hex').toString('utf8'))
}
