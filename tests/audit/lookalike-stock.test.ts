/**
 * Confusable matching must add no false alarm on real certificates: every subject and issuer of
 * Node's Mozilla roots, of Debian's bundle built by update-ca-certificates, of the pinned Chromium
 * block list and of the shared corpus goes through the name patterns directly (the auditor skips
 * public roots before any rule, so a scan alone would not show a bad pattern here).
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { describe as details } from '../../src/audit/certificate.js'
import { matchNamePatterns } from '../../src/audit/name-patterns.js'
import { readCertificates } from '../../src/audit/pem.js'
import { CHROMIUM_PIN_PATH, type PinDocument } from '../../scripts/lib/chromium-pin.js'
import { certificateFacts, CORPUS_ABSENT_REASON, corpusAvailable, factPem } from '../support/corpus.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'

const blocklist = loadBlocklist()

function ders(bytes: Uint8Array): Uint8Array[] {
  return readCertificates(bytes).flatMap((item) => (item.type === 'certificate' ? [item.der] : []))
}

/** The name matches of some certificates: `subject → rule` for each that matched a pattern. */
function nameMatches(certificates: Uint8Array[]): { subject: string; rule: string; disguised: boolean }[] {
  return certificates.flatMap((der) => {
    const d = details(der)
    const match = matchNamePatterns(d, blocklist)
    return match ? [{ subject: d.subject, rule: match.rule, disguised: match.matchedBy === 'name' && 'disguise' in match && match.disguise !== undefined }] : []
  })
}

describe('look-alike names: no false alarm on real certificates', () => {
  it(`Node's Mozilla roots (${rootCertificates.length}): no name matches a pattern`, () => {
    const certificates = ders(Buffer.from(rootCertificates.join('\n')))
    expect(certificates).toHaveLength(rootCertificates.length)
    expect(nameMatches(certificates)).toEqual([])
  })

  const sourceDir = '/usr/share/ca-certificates/mozilla'
  const ready = haveUpdateCaCertificates && existsSync(sourceDir)
  it.skipIf(!ready)(`Debian's bundle built by update-ca-certificates: no name matches a pattern${ready ? '' : ' (skipped: ca-certificates is not installed)'}`, () => {
    const root = tempDir('certaudit-debian-names-')
    cpSync(sourceDir, join(root, 'usr/share/ca-certificates/mozilla'), { recursive: true })
    const names = readdirSync(sourceDir).filter((n) => n.endsWith('.crt'))
    buildDebianTree(root, { confLines: names.map((n) => `mozilla/${n}`) })
    const certificates = ders(readFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt')))
    expect(certificates).toHaveLength(names.length)
    expect(nameMatches(certificates)).toEqual([])
  })

  it("the pinned Chromium block list: only the Kazakh and Russian CAs' own names match, none as a disguise", () => {
    const pin = JSON.parse(readFileSync(CHROMIUM_PIN_PATH, 'utf8')) as PinDocument
    const certificates = pin.files.flatMap((f) => (f.der ? [Buffer.from(f.der, 'base64')] : []))
    expect(certificates.length).toBeGreaterThan(100)
    const matches = nameMatches(certificates)
    expect(matches.length, 'the list holds ISCA certificates, whose names do match').toBeGreaterThan(0)
    for (const match of matches) {
      expect(match.disguised, match.subject).toBe(false)
      expect(match.subject, 'a name pattern matched a certificate of another CA').toMatch(/Qaznet|ISCA|Information Security Certification Authority|Russian Trusted|Ministry of Digital Development/)
    }
  })

  it.skipIf(!corpusAvailable)(`the shared corpus: the real interception and state certificates match plainly, the rest not at all${corpusAvailable ? '' : ` (skipped: ${CORPUS_ABSENT_REASON})`}`, () => {
    let matched = 0
    for (const fact of certificateFacts()) {
      const matches = nameMatches(ders(Buffer.from(factPem(fact)!)))
      matched += matches.length
      for (const match of matches) {
        expect(match.disguised, `${fact.id}: ${match.subject}`).toBe(false)
        expect(['KZ', 'RU', 'VE'], `${fact.id} matched a name pattern`).toContain(fact.country)
      }
    }
    expect(matched, 'the corpus holds Qaznet, ISCA and Russian certificates, whose names do match').toBeGreaterThan(0)
  })
})
