/**
 * Certificates inside a trust source file, found and cut out by SHA-256 (never by name or serial,
 * STYLE.md 6): for the writers that change files holding certificates.
 */
import { firstElementLength, sha256Hex } from '../../audit/certificate.js'
import { readCertificates } from '../../audit/pem.js'

/** SHA-256 of each certificate in a file (PEM blocks, p11-kit objects or DER). */
export function certificatesIn(bytes: Uint8Array): string[] {
  return readCertificates(bytes).flatMap((item) => (item.type === 'certificate' ? [sha256Hex(item.der)] : []))
}

/** The DER of the certificate with this SHA-256 in a file, or undefined when the file does not hold it. */
export function findCertificate(bytes: Uint8Array, sha: string): Uint8Array | undefined {
  for (const item of readCertificates(bytes)) if (item.type === 'certificate' && sha256Hex(item.der) === sha) return item.der
  return undefined
}

const PEM_BLOCK = /-----BEGIN (CERTIFICATE|TRUSTED CERTIFICATE|X509 CERTIFICATE)-----([\s\S]*?)-----END \1-----[^\S\n]*\n?/g

/**
 * The file without this certificate's PEM block(s), every other byte kept (comments too), or null
 * when that cannot be done safely: a p11-kit object file (its attributes belong to the block), DER,
 * or a result that does not hold exactly the other certificates.
 */
export function withoutCertificate(bytes: Buffer, sha: string): Buffer | null {
  const text = bytes.toString('latin1') // one character per byte: offsets stay byte offsets
  if (text.includes('[p11-kit-object-v1]')) return null
  let [kept, last, cut] = ['', 0, 0]
  for (const match of text.matchAll(PEM_BLOCK)) {
    const der = Buffer.from(match[2]!, 'base64')
    let blockSha: string
    try {
      blockSha = sha256Hex(der.subarray(0, firstElementLength(der)))
    } catch {
      continue
    }
    if (blockSha !== sha) continue
    kept += text.slice(last, match.index)
    last = match.index + match[0].length
    cut++
  }
  if (cut === 0) return null
  const result = Buffer.from(kept + text.slice(last), 'latin1')
  const before = certificatesIn(bytes)
  const after = certificatesIn(result)
  return after.length === before.length - cut && !after.includes(sha) ? result : null
}
