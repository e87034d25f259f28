/**
 * The issued-by rule: what a listed CA issued is flagged with the CA's severity, proved by the
 * signature (RSA and EC) or, for a CA known only by key identifier, by authority key identifier and
 * issuer name together. A name alone proves nothing; the stock roots are covered in stock-roots.test.ts.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist, parseBlocklist } from '../../src/audit/blocklist.js'
import { publicRootsFrom } from '../../src/audit/references.js'
import { entriesFor, loadPin, pinnedFiles } from '../../scripts/lib/chromium-pin.js'
import { bundledDocument } from '../support/blocklists.js'
import { CORPUS_ABSENT_REASON, corpusAvailable, factPem, loadFacts } from '../support/corpus.js'
import { makeCertificate, makeKey, type KeyPair, type MadeCertificate, type NameSpec } from '../support/certificates.js'

const now = new Date('2026-12-01T00:00:00Z')
const text = { en: 'A CA the tests made and listed.', ru: 'Центр, созданный тестами.', kk: 'Тесттер жасаған орталық.' }

function listedCa(id: string, ca: MadeCertificate, name: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    category: 'government-interception',
    country: 'KZ',
    severity: 'critical',
    sha256: ca.sha256,
    spkiSha256: ca.spkiSha256,
    spki: ca.key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    subject: name,
    blockedBy: [],
    references: ['https://example.invalid/ca'],
    explanation: text,
    advice: text,
    ...extra,
  }
}

function audit(list: ReturnType<typeof loadBlocklist>, ...certs: MadeCertificate[]) {
  const auditor = new Auditor({ blocklist: list, publicRoots: publicRootsFrom('none', []), now })
  for (const [i, cert] of certs.entries()) auditor.add({ der: cert.der, storeId: 'file:/b.pem', kind: 'file', location: '/b.pem', entry: `certificate ${i + 1}`, trust: 'trusted' })
  return auditor.findings('en')
}

const caName: NameSpec = [['C', 'KZ'], ['O', 'Test Interception'], ['CN', 'Test Interception Root']]
const caNameText = 'CN=Test Interception Root,O=Test Interception,C=KZ'

describe('issued-by: proved by the signature', () => {
  for (const spec of [{ type: 'rsa' as const }, { type: 'ec' as const }, { type: 'ec' as const, curve: 'P-384' as const }]) {
    it(`a leaf and an intermediate signed by a listed ${spec.type.toUpperCase()}${'curve' in spec ? ` ${spec.curve}` : ''} CA get its severity and say "issued by"`, () => {
      const caKey = makeKey(spec)
      const ca = makeCertificate({ subject: caName, key: caKey, ca: true })
      const document = bundledDocument()
      document.entries.push(listedCa('test-ca', ca, caNameText))
      const list = parseBlocklist(document)
      const intermediateKey = makeKey()
      const intermediate = makeCertificate({ subject: [['CN', 'Test Sub CA']], issuer: caName, key: intermediateKey, issuerKey: caKey, ca: true })
      const leaf = makeCertificate({ subject: [['CN', 'mail.example']], issuer: caName, issuerKey: caKey, ca: false })
      const findings = audit(list, intermediate, leaf)
      expect(findings).toHaveLength(2)
      for (const finding of findings) {
        expect(finding).toMatchObject({ rule: 'issued-by', severity: 'critical', matchedBy: 'issuer', blocklistEntry: { id: 'test-ca' } })
        expect(finding.explanation).toMatch(/^This certificate was issued by CN=Test Interception Root.*: its signature was made with that authority's key/)
        expect(finding.explanation).toContain(text.en)
      }
    })
  }

  it('the same issuer name with another key is not "issued by": anyone can write any name', () => {
    const caKey = makeKey({ type: 'rsa' })
    const ca = makeCertificate({ subject: caName, key: caKey, ca: true })
    const document = bundledDocument()
    document.entries.push(listedCa('test-ca', ca, caNameText))
    const impostor = makeKey({ type: 'rsa' })
    const leaf = makeCertificate({ subject: [['CN', 'mail.example']], issuer: caName, issuerKey: impostor, ca: false })
    const findings = audit(parseBlocklist(document), leaf)
    expect(findings.filter((f) => f.rule === 'issued-by')).toEqual([])
  })

  it('a CA known only by key identifier: issued-by when the authority key identifier and the issuer name both match', () => {
    const caKey: KeyPair = makeKey()
    const keyId = createHash('sha1').update(caKey.publicKey.export({ type: 'spki', format: 'der' })).digest('hex')
    const document = bundledDocument()
    document.entries.push({ ...listedCa('test-ca', makeCertificate({ subject: caName, key: caKey }), caNameText), spki: undefined, sha256: undefined, spkiSha256: undefined, subjectKeyId: keyId })
    const list = parseBlocklist(JSON.parse(JSON.stringify(document)))
    const leaf = makeCertificate({ subject: [['CN', 'mail.example']], issuer: caName, issuerKey: caKey, ca: false })
    expect(audit(list, leaf)[0]).toMatchObject({ rule: 'issued-by', matchedBy: 'issuer', severity: 'critical' })
    expect(audit(list, leaf)[0]!.explanation).toContain('by name and by key identifier')
    // The same key identifier under another issuer name is not enough.
    const renamed = makeCertificate({ subject: [['CN', 'mail.example']], issuer: [['CN', 'Another Root']], issuerKey: caKey, ca: false })
    expect(audit(list, renamed).filter((f) => f.rule === 'issued-by')).toEqual([])
  })
})

describe("issued-by on Chromium's own list: what a listed CA issued, with its own entry taken out", () => {
  const files = pinnedFiles(loadPin())
  const bundled = loadBlocklist()
  // Pairs in the pinned list where one blocked certificate was signed by another blocked CA (DigiNotar,
  // WoSign/StartCom, Camerfirma, CNNIC …): without its own entry, the issued one is still caught.
  const pairs = files.flatMap((child) => {
    if (!child.der || !child.details || child.details.selfSigned) return []
    const parent = files.find((p) => p !== child && p.details?.isCA && p.details.subject.toLowerCase() === child.details!.issuer.toLowerCase())
    return parent ? [{ child, parent }] : []
  })

  it('finds such pairs in the pinned list', () => {
    expect(pairs.length).toBeGreaterThan(0)
  })

  it('each child is issued-by its parent entry, with the parent\'s severity, proved by signature', () => {
    for (const { child, parent } of pairs) {
      const childEntry = entriesFor(child, bundled.entries)[0]!
      const parentEntry = entriesFor(parent, bundled.entries)[0]!
      const document = bundledDocument()
      document.entries = document.entries.filter((e) => e.id !== childEntry.id)
      const list = parseBlocklist(document)
      const auditor = new Auditor({ blocklist: list, publicRoots: publicRootsFrom('none', []), now })
      auditor.add({ der: child.der!, storeId: 'file:/c.pem', kind: 'file', location: '/c.pem', entry: 'certificate 1', trust: 'trusted' })
      const [finding] = auditor.findings('en')
      expect(finding, child.name).toMatchObject({ rule: 'issued-by', matchedBy: 'issuer', severity: parentEntry.severity, blocklistEntry: { id: parentEntry.id } })
    }
  })
})

describe('the CA keys kept in the list', () => {
  const bundled = loadBlocklist()
  const withKey = bundled.entries.filter((e) => e.spki)

  it("each is the key its entry's spkiSha256 names, so a signature check uses the right key", () => {
    expect(withKey.length).toBeGreaterThan(0)
    for (const entry of withKey) {
      expect(createHash('sha256').update(Buffer.from(entry.spki!, 'base64')).digest('hex'), entry.id).toBe(entry.spkiSha256)
    }
  })

  it('include the Russian Trusted Root CA and both Sub CAs, so a later Sub CA of the root is caught too', () => {
    for (const id of ['ru-mincifry-root-2022', 'ru-mincifry-sub-2022', 'ru-mincifry-sub-2024']) {
      expect(bundled.byId.get(id)?.spki, id).toBeTruthy()
    }
  })
})

describe('issued-by on the Russian Sub CAs from the shared corpus, with their own entries taken out', () => {
  if (!corpusAvailable) {
    it.skip(`skipped: ${CORPUS_ABSENT_REASON}`, () => {})
    return
  }
  const subCas = loadFacts().filter((f) => f.id.startsWith('ru-mincifry-sub-'))

  it.each(subCas.map((f) => [f.id, f] as const))('%s is issued by the Russian Trusted Root CA, proved by signature', (id, fact) => {
    const document = bundledDocument()
    document.entries = document.entries.filter((e) => e.id !== id)
    // Its name pattern goes too: what is left to recognise it is the root's key.
    document.namePatterns = document.namePatterns.filter((p) => (p as { entryId: string }).entryId !== id)
    const auditor = new Auditor({ blocklist: parseBlocklist(document), publicRoots: publicRootsFrom('none', []), now })
    const der = Buffer.from(factPem(fact)!.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')
    auditor.add({ der, storeId: 'file:/c.pem', kind: 'file', location: '/c.pem', entry: 'certificate 1', trust: 'trusted' })
    const [finding] = auditor.findings('en')
    expect(finding).toMatchObject({ rule: 'issued-by', matchedBy: 'issuer', blocklistEntry: { id: 'ru-mincifry-root-2022' } })
  })
})
