import { rootCertificates } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { identify } from './certificate.js'
import { readCertificates } from './pem.js'
import { readRegularFileSync } from '../stores/shared/regular-file.js'

/**
 * The roots of the public root programs, by certificate and by key hash. A self-signed CA that is in
 * neither set is "unknown" and worth a look: corporate proxies and antivirus roots land there.
 * `retired` holds roots that were in the program as distros packaged it and have since been removed:
 * a stock system trusts them until its certificates package is updated.
 */
export interface PublicRoots {
  readonly name: string
  readonly sha256: ReadonlySet<string>
  readonly spkiSha256: ReadonlySet<string>
  readonly retired: { readonly sha256: ReadonlySet<string>; readonly spkiSha256: ReadonlySet<string> }
}

/** resources/retired-roots.json, made by scripts/sync-retired-roots.ts. */
export interface RetiredRootsDocument {
  readonly updated: string
  readonly roots: readonly { sha256: string; spkiSha256: string; subject: string; notAfter: string; source: string }[]
}

const RETIRED_ROOTS_PATH = fileURLToPath(new URL('../../resources/retired-roots.json', import.meta.url))

/** Builds a reference set from PEM texts. */
export function publicRootsFrom(name: string, pems: readonly string[], retired: RetiredRootsDocument['roots'] = []): PublicRoots {
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
  return {
    name,
    sha256,
    spkiSha256,
    retired: { sha256: new Set(retired.map((r) => r.sha256)), spkiSha256: new Set(retired.map((r) => r.spkiSha256)) },
  }
}

let mozilla: PublicRoots | undefined

/**
 * The Mozilla root program as shipped inside Node (`tls.rootCertificates`, the NSS list of the Node
 * release that runs us), with the retired roots of resources/retired-roots.json. Built once, on first use.
 */
export function mozillaRoots(): PublicRoots {
  if (!mozilla) {
    const retired = (JSON.parse(readRegularFileSync(RETIRED_ROOTS_PATH, { maxBytes: 16 * 1024 * 1024, what: 'list of retired roots' }).toString('utf8')) as RetiredRootsDocument).roots
    mozilla = publicRootsFrom('Mozilla CA list (Node.js tls.rootCertificates)', rootCertificates, retired)
  }
  return mozilla
}
