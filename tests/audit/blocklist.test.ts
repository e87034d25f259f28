import { createHash, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BlocklistError, DEFAULT_BLOCKLIST_PATH, loadBlocklist, parseBlocklist } from '../../src/audit/blocklist.js'
import { CertificateRecord } from '../../src/audit/certificate.js'
import { readCertificates } from '../../src/audit/pem.js'
import { matchBlocklist } from '../../src/audit/rules.js'
import { CORPUS_ABSENT_REASON, corpusAvailable, factPem, loadFacts } from '../support/corpus.js'

const raw = () => JSON.parse(readFileSync(DEFAULT_BLOCKLIST_PATH, 'utf8')) as { entries: Record<string, unknown>[]; namePatterns: Record<string, unknown>[] }

describe('the bundled roots blocklist', () => {
  const blocklist = loadBlocklist()

  it('loads, validates against its schema and indexes every hash', () => {
    expect(blocklist.entries.length).toBeGreaterThanOrEqual(55)
    for (const entry of blocklist.entries) {
      if (entry.sha256) expect(blocklist.bySha256.get(entry.sha256)).toBe(entry)
      if (entry.sha1) expect(blocklist.bySha1.get(entry.sha1)).toBe(entry)
      // Re-issues share a key (DigiNotar's root three times): the index holds one entry per key.
      if (entry.spkiSha256) expect(blocklist.bySpkiSha256.get(entry.spkiSha256)?.spkiSha256).toBe(entry.spkiSha256)
    }
  })

  it('rates government interception critical, everything Chromium blocks at least high, state CAs medium', () => {
    for (const entry of blocklist.entries) {
      if (entry.category === 'government-interception') expect(entry.severity, entry.id).toBe('critical')
      if (entry.blockedBy.some((b) => b.startsWith('chromium'))) expect(['critical', 'high'], entry.id).toContain(entry.severity)
      if (entry.category === 'government-ca-outside-root-programs') expect(entry.severity, entry.id).toBe('medium')
    }
    expect(blocklist.byId.get('ru-mincifry-root-2022')).toMatchObject({ severity: 'medium', category: 'government-ca-outside-root-programs', country: 'RU' })
    expect(blocklist.byId.get('kz-qaznet-2016')).toMatchObject({ severity: 'critical', country: 'KZ' })
  })

  it('explains every entry in English, Russian and Kazakh', () => {
    for (const entry of blocklist.entries) {
      for (const text of [entry.explanation, entry.advice]) {
        expect(text.en, entry.id).toMatch(/[a-z]{3}/)
        expect(text.ru, entry.id).toMatch(/[а-яё]{3}/)
        // Kazakh has letters Russian lacks; every Kazakh text should use at least one.
        expect(text.kk, entry.id).toMatch(/[әғқңөұүһі]/)
      }
    }
  })

  it('has name patterns that all point at listed entries', () => {
    expect(blocklist.namePatterns.length).toBeGreaterThan(0)
    for (const pattern of blocklist.namePatterns) expect(blocklist.byId.has(pattern.entryId), pattern.id).toBe(true)
  })
})

describe('parseBlocklist rejects a bad list with a clear error', () => {
  const withEntries = (mutate: (doc: ReturnType<typeof raw>) => void) => {
    const doc = raw()
    mutate(doc)
    return () => parseBlocklist(doc)
  }

  it('a schema violation names the field', () => {
    expect(withEntries((d) => (d.entries[0]!.sha256 = 'not-a-hash'))).toThrow(/\/entries\/0\/sha256 must match pattern/)
    expect(withEntries((d) => delete d.entries[1]!.explanation)).toThrow(/\/entries\/1 must have required property 'explanation'/)
    expect(withEntries((d) => (d.entries[2]!.severity = 'low'))).toThrow(BlocklistError)
    expect(() => parseBlocklist({})).toThrow(/must have required property 'version'/)
    expect(() => parseBlocklist(null)).toThrow(BlocklistError)
  })

  it('a duplicate id or a certificate hash on two entries', () => {
    expect(withEntries((d) => d.entries.push({ ...d.entries[0]! }))).toThrow(/id "diginotar-pkioverheid" is used twice/)
    expect(withEntries((d) => (d.entries[1]!.sha256 = d.entries[0]!.sha256))).toThrow(/sha256 \w+ is on both "diginotar-pkioverheid" and "diginotar-root"/)
    expect(withEntries((d) => (d.entries[1]!.sha1 = d.entries[0]!.sha1))).toThrow(/sha1 \w+ is on both/)
  })

  it('a name pattern pointing at no entry', () => {
    expect(withEntries((d) => (d.namePatterns[0]!.entryId = 'nope'))).toThrow(/points at unknown entry "nope"/)
  })

  it('a file that is not JSON', () => {
    expect(() => loadBlocklist('/nonexistent/blocklist.json')).toThrow(/Cannot read the blocklist/)
  })
})

describe('the blocklist against the shared corpus', () => {
  if (!corpusAvailable) {
    it.skip(`skipped: ${CORPUS_ABSENT_REASON}`, () => {})
    return
  }
  const blocklist = loadBlocklist()
  const facts = loadFacts()

  it('carries every fact with the same hashes, names and category', () => {
    for (const fact of facts) {
      const entry = blocklist.byId.get(fact.id)
      expect(entry, fact.id).toBeDefined()
      expect(entry).toMatchObject({ category: fact.category, country: fact.country, name: fact.name })
      expect(entry!.sha256 ?? null).toBe(fact.sha256)
      expect(entry!.spkiSha256 ?? null).toBe(fact.spki_sha256)
      expect(entry!.sha1 ?? null).toBe(fact.sha1)
    }
  })

  it.each(facts.filter((f) => f.pem_file).map((f) => [f.id, f] as const))('%s: its corpus file matches the entry by sha256 and spkiSha256', (id, fact) => {
    const pem = factPem(fact)!
    if (fact.pem_file!.endsWith('.key.pem')) {
      // A bare public key: only its SPKI hash can match.
      const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' })
      const spkiSha256 = createHash('sha256').update(spki).digest('hex')
      expect(blocklist.bySpkiSha256.get(spkiSha256)?.id).toBe(id)
      return
    }
    const [item] = readCertificates(Buffer.from(pem))
    expect(item?.type).toBe('certificate')
    const record = new CertificateRecord(item!.type === 'certificate' ? item!.der : Buffer.alloc(0))
    expect(matchBlocklist(record, blocklist)).toMatchObject({ entry: { id }, matchedBy: 'sha256' })
    expect(blocklist.bySpkiSha256.get(record.spkiSha256)?.id).toBe(id)
  })
})
