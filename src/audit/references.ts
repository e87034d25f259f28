import { rootCertificates } from 'node:tls'
import { identify } from './certificate.js'
import { readCertificates } from './pem.js'

/**
 * The roots of the public root programs, by certificate and by key hash. A self-signed CA that is in
 * neither set is "unknown" and worth a look: corporate proxies and antivirus roots land there.
 */
export interface PublicRoots {
  readonly name: string
  readonly sha256: ReadonlySet<string>
  readonly spkiSha256: ReadonlySet<string>
}

/** Builds a reference set from PEM texts. */
export function publicRootsFrom(name: string, pems: readonly string[]): PublicRoots {
  const sha256 = new Set<string>()
  const spkiSha256 = new Set<string>()
  for (const pem of pems) {
    for (const item of readCertificates(Buffer.from(pem, 'latin1'))) {
      if (item.type !== 'certificate') continue
      const identity = identify(item.der)
      sha256.add(identity.sha256)
      spkiSha256.add(identity.spkiSha256)
    }
  }
  return { name, sha256, spkiSha256 }
}

let mozilla: PublicRoots | undefined

/**
 * The Mozilla root program as shipped inside Node (`tls.rootCertificates`, the NSS list of the Node
 * release that runs us). Built once, on first use.
 */
export function mozillaRoots(): PublicRoots {
  mozilla ??= publicRootsFrom('Mozilla CA list (Node.js tls.rootCertificates)', rootCertificates)
  return mozilla
}
