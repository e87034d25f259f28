/**
 * Chromium's whole block list, assembled from the pinned bytes (scripts/data/chromium-blocklist.json,
 * never PEM files in the repository), scanned as one store: every certificate gives a critical or high
 * finding, expired or not, and every blocked key does in a certificate made around it.
 */
import { createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { mozillaRoots } from '../../src/audit/references.js'
import type { Finding } from '../../src/audit/report.js'
import { loadPin, pinnedFiles } from '../../scripts/lib/chromium-pin.js'
import { makeCertificate, makeKey } from '../support/certificates.js'

const files = pinnedFiles(loadPin())
const blocklist = loadBlocklist()
const now = new Date('2026-12-01T00:00:00Z')

function scan(ders: readonly Uint8Array[]): Finding[] {
  const auditor = new Auditor({ blocklist, publicRoots: mozillaRoots(), now })
  for (const [i, der] of ders.entries()) {
    auditor.add({ der, storeId: 'file:chromium', kind: 'file', location: 'chromium-blocklist', entry: `certificate ${i + 1}`, trust: 'trusted' })
  }
  return auditor.findings('en')
}

describe("Chromium's block list, scanned", () => {
  const certificates = files.filter((f) => f.der)

  it('every pinned certificate gives a critical or high finding naming its entry', () => {
    expect(certificates.length, 'certificates pinned with their bytes').toBe(files.filter((f) => f.kind === 'certificate').length)
    const findings = scan(certificates.map((f) => f.der!))
    const bySha256 = new Map(findings.map((f) => [f.certificate.sha256, f]))
    for (const file of certificates) {
      const finding = bySha256.get(file.sha256!)
      expect(finding, file.name).toBeDefined()
      expect(['critical', 'high'], `${file.name}: ${finding?.rule} ${finding?.severity}`).toContain(finding!.severity)
      expect(finding!.blocklistEntry, file.name).not.toBeNull()
      expect(finding!.references.some((r) => r.includes('chromium')), file.name).toBe(true)
    }
  })

  it('expired is an extra note, never a downgrade; the Kazakh interception roots stay critical', () => {
    const findings = scan(certificates.map((f) => f.der!))
    const expired = findings.filter((f) => Date.parse(f.certificate.notAfter) < now.getTime())
    expect(expired.length).toBeGreaterThan(20)
    for (const finding of expired) {
      expect(finding.alsoMatched, finding.certificate.subject).toContain('expired')
      expect(['critical', 'high']).toContain(finding.severity)
    }
    const qaznet = findings.filter((f) => files.find((file) => file.sha256 === f.certificate.sha256)?.group === 'Qaznet Trust Network')
    expect(qaznet.length).toBe(10)
    for (const finding of qaznet) expect(finding).toMatchObject({ rule: 'known-interception', severity: 'critical' })
  })

  it('every blocked key, in a certificate made around it, gives a high finding by its key', () => {
    const keys = files.filter((f) => f.kind === 'key')
    expect(keys.length).toBe(4)
    const signer = makeKey()
    const made = keys.map((file) => {
      const publicKey = createPublicKey({ key: file.spki!, format: 'der', type: 'spki' })
      // The test holds no private key for a blocked public key, so a key of its own signs the certificate.
      return makeCertificate({ subject: [['CN', `carries ${file.name}`]], issuer: [['CN', 'test signer']], key: { publicKey, privateKey: signer.privateKey, spec: { type: 'rsa' } }, issuerKey: signer })
    })
    const findings = scan(made.map((m) => m.der))
    expect(findings.length).toBe(keys.length)
    for (const finding of findings) expect(finding).toMatchObject({ matchedBy: 'spkiSha256', severity: 'high' })
  })
})
