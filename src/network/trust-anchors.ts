import { X509Certificate } from 'node:crypto'
import { rootCertificates } from 'node:tls'
import { mozillaRoots, publicRootsFrom, type PublicRoots } from '../audit/references.js'

/**
 * The roots a presented chain must end at to count as public: their hashes (to spot a root in the chain)
 * and the certificates themselves (to check by name and signature a chain that stops below its root,
 * as servers usually send it).
 */
export interface TrustAnchors {
  readonly name: string
  readonly roots: PublicRoots
  readonly certificates: readonly X509Certificate[]
}

/** Anchors from PEM texts; tests use this with roots they made. */
export function trustAnchorsFrom(name: string, pems: readonly string[]): TrustAnchors {
  return { name, roots: publicRootsFrom(name, pems), certificates: pems.map((pem) => new X509Certificate(pem)) }
}

let mozilla: TrustAnchors | undefined

/** The Mozilla root program as Node ships it (`tls.rootCertificates`), the same set `certaudit scan` compares with. */
export function mozillaAnchors(): TrustAnchors {
  if (!mozilla) {
    const roots = mozillaRoots()
    mozilla = { name: roots.name, roots, certificates: rootCertificates.map((pem) => new X509Certificate(pem)) }
  }
  return mozilla
}
