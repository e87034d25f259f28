import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Auditor, type AuditEntry } from '../../src/audit/auditor.js'
import { loadBlocklist, parseBlocklist } from '../../src/audit/blocklist.js'
import { publicRootsFrom } from '../../src/audit/references.js'
import type { Finding } from '../../src/audit/report.js'
import { makeCertificate, makeKey, type MadeCertificate } from '../support/certificates.js'

const blocklist = loadBlocklist()
const now = new Date('2026-11-26T00:00:00Z')

/** A blocklist with extra entries pointing at certificates made by the test. */
function blocklistWith(...entries: { id: string; made: MadeCertificate; category: string; severity: string; by?: 'sha256' | 'spkiSha256' | 'sha1' }[]) {
  const doc = JSON.parse(JSON.stringify({ ...blocklist, bySha256: undefined, bySpkiSha256: undefined, bySha1: undefined, byId: undefined, issuers: undefined }))
  const template = blocklist.entries[0]!
  for (const { id, made, category, severity, by } of entries) {
    doc.entries.push({
      id,
      name: `Test entry ${id}`,
      category,
      country: 'KZ',
      severity,
      ...(by ? { [by]: made[by] } : { sha256: made.sha256, spkiSha256: made.spkiSha256, sha1: made.sha1 }),
      blockedBy: [],
      references: [],
      explanation: { en: `Explanation of ${id} in English`, ru: 'Объяснение по-русски', kk: 'Қазақша түсіндірме' },
      advice: template.advice,
    })
  }
  return parseBlocklist(doc)
}

function audit(entries: (Partial<AuditEntry> & { der: Uint8Array })[], options: { list?: ReturnType<typeof loadBlocklist>; publicRoots?: MadeCertificate[] } = {}) {
  const auditor = new Auditor({
    blocklist: options.list ?? blocklist,
    publicRoots: publicRootsFrom('test roots', (options.publicRoots ?? []).map((c) => c.pem)),
    now,
  })
  for (const [i, entry] of entries.entries()) {
    auditor.add({ storeId: 'file:/b.pem', kind: 'file', location: '/b.pem', entry: `certificate ${i + 1}`, trust: 'trusted', ...entry })
  }
  return { auditor, findings: auditor.findings('en') }
}

const only = (findings: Finding[]): Finding => {
  expect(findings).toHaveLength(1)
  return findings[0]!
}

describe('Auditor rules', () => {
  it('known-interception by certificate hash, critical, with the entry texts and matchedBy', () => {
    const made = makeCertificate({ subject: [['CN', 'Planted']] })
    const list = blocklistWith({ id: 'planted', made, category: 'government-interception', severity: 'critical' })
    const finding = only(audit([{ der: made.der }], { list }).findings)
    expect(finding).toMatchObject({
      id: made.sha256.slice(0, 16),
      rule: 'known-interception',
      severity: 'critical',
      matchedBy: 'sha256',
      blocklistEntry: { id: 'planted', category: 'government-interception', country: 'KZ' },
      explanation: 'Explanation of planted in English',
      certificate: { sha256: made.sha256, spkiSha256: made.spkiSha256, sha1: made.sha1, subject: 'CN=Planted', selfSigned: true, isCA: true },
    })
  })

  it('catches a re-issued certificate by its key (SPKI), and says so', () => {
    const original = makeCertificate({ subject: [['CN', 'Original']] })
    const reissued = makeCertificate({ subject: [['CN', 'Reissued']], key: original.key })
    const list = blocklistWith({ id: 'leaked', made: original, category: 'leaked-private-key', severity: 'high', by: 'spkiSha256' })
    const finding = only(audit([{ der: reissued.der }], { list }).findings)
    expect(finding).toMatchObject({ rule: 'known-compromised', severity: 'high', matchedBy: 'spkiSha256' })
    expect(finding.explanation).toContain('same key')
  })

  it('matches an entry known only by SHA-1', () => {
    const made = makeCertificate({ subject: [['CN', 'Intermediate']] })
    const list = blocklistWith({ id: 'sha1-only', made, category: 'government-interception', severity: 'critical', by: 'sha1' })
    expect(only(audit([{ der: made.der }], { list }).findings)).toMatchObject({ rule: 'known-interception', matchedBy: 'sha1' })
  })

  it('flags a fresh-key look-alike of the Kazakh ISCA and Qaznet roots as lookalike (high)', () => {
    const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
    const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network 2027']] })
    // An interception intermediate: its issuer has the ISCA name.
    const intermediate = makeCertificate({
      subject: [['CN', 'MITM intermediate']],
      issuer: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']],
      issuerKey: isca.key,
    })
    const { findings } = audit([{ der: isca.der }, { der: qaznet.der }, { der: intermediate.der }])
    expect(findings.map((f) => [f.certificate.subject, f.rule, f.severity, f.matchedBy])).toEqual([
      ['CN=Information Security Certification Authority,O=ISCA,C=KZ', 'lookalike', 'high', 'name'],
      ['CN=MITM intermediate', 'lookalike', 'high', 'name'],
      ['CN=Qaznet Trust Network 2027,C=KZ', 'lookalike', 'high', 'name'],
    ])
    expect(findings[0]!.explanation).toContain('ISCA (Information Security Certification Authority, Kazakhstan)')
  })

  it('flags a new Russian Trusted Root CA key as government-ca (medium), not as an alarm', () => {
    const made = makeCertificate({ subject: [['C', 'RU'], ['O', 'The Ministry of Digital Development and Communications'], ['CN', 'Russian Trusted Root CA']] })
    const finding = only(audit([{ der: made.der }]).findings)
    expect(finding).toMatchObject({ rule: 'government-ca', severity: 'medium', matchedBy: 'name', blocklistEntry: { id: 'ru-mincifry-root-2022' } })
  })

  it('does not flag names that merely resemble a listed CA', () => {
    const made = makeCertificate({ subject: [['C', 'US'], ['O', 'ISCA Labs'], ['CN', 'Information Security Root']] })
    const other = makeCertificate({ subject: [['C', 'US'], ['O', 'Example'], ['CN', 'leaf']], issuer: [['CN', 'Public']], ca: false })
    expect(audit([{ der: made.der }, { der: other.der }]).findings.map((f) => f.rule)).toEqual(['unknown-root'])
  })

  it('reports a self-signed CA outside the public roots as unknown-root (review), and a public root not at all', () => {
    const corporate = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Proxy CA']] })
    const publicRoot = makeCertificate({ subject: [['CN', 'Public Root']] })
    const { findings } = audit([{ der: corporate.der }, { der: publicRoot.der }], { publicRoots: [publicRoot] })
    expect(only(findings)).toMatchObject({ rule: 'unknown-root', severity: 'review', blocklistEntry: null, matchedBy: null })
  })

  it('a public root re-issued with the same key is still public', () => {
    const publicRoot = makeCertificate({ subject: [['CN', 'Public Root']] })
    const reissued = makeCertificate({ subject: [['CN', 'Public Root']], key: publicRoot.key, serial: '77' })
    expect(audit([{ der: reissued.der }], { publicRoots: [publicRoot] }).findings).toEqual([])
  })

  it('hygiene: expired, short keys and SHA-1 signatures by a CA are info', () => {
    const root = makeCertificate({ subject: [['CN', 'Root']] })
    const expired = makeCertificate({ subject: [['CN', 'Expired']], issuer: [['CN', 'Root']], issuerKey: root.key, ca: false, notAfter: new Date('2021-01-01T00:00:00Z') })
    const weak = makeCertificate({ subject: [['CN', 'Weak']], issuer: [['CN', 'Root']], issuerKey: root.key, ca: false, key: makeKey({ type: 'rsa', bits: 1024 }) })
    const sha1 = makeCertificate({ subject: [['CN', 'Sha1']], issuer: [['CN', 'Root']], issuerKey: root.key, ca: false, hash: 'sha1' })
    const { findings } = audit([{ der: expired.der }, { der: weak.der }, { der: sha1.der }], { publicRoots: [] })
    const byCn = Object.fromEntries(findings.map((f) => [f.certificate.subject, f]))
    expect(byCn['CN=Expired']).toMatchObject({ rule: 'expired', severity: 'info' })
    expect(byCn['CN=Expired']!.explanation).toContain('2021-01-01')
    expect(byCn['CN=Weak']).toMatchObject({ rule: 'weak-key', severity: 'info' })
    expect(byCn['CN=Weak']!.explanation).toContain('1024-bit RSA')
    expect(byCn['CN=Sha1']).toMatchObject({ rule: 'weak-signature', severity: 'info' })
  })

  it('an unknown root that also has a weak key lists both rules', () => {
    const made = makeCertificate({ subject: [['CN', 'Old Root']], key: makeKey({ type: 'rsa', bits: 1024 }), notAfter: new Date('2020-06-01T00:00:00Z'), notBefore: new Date('2010-01-01T00:00:00Z') })
    expect(only(audit([{ der: made.der }]).findings)).toMatchObject({ rule: 'unknown-root', alsoMatched: ['expired', 'weak-key'] })
  })
})

describe('Auditor bookkeeping', () => {
  it('one finding per certificate, listing every place it was found', () => {
    const made = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
    const { findings, auditor } = audit([
      { der: made.der, storeId: 'nss:/a', kind: 'nss', location: '/home/u/.mozilla/firefox/a.default', entry: 'Qaznet' },
      { der: made.der, storeId: 'nss:/b', kind: 'nss', location: '/home/u/.pki/nssdb', entry: 'qaznet' },
      { der: made.der, storeId: 'linux-system:/x', kind: 'linux-system', location: '/usr/local/share/ca-certificates', entry: 'qazca.crt' },
    ])
    // Sorted by store, whatever order the concurrent reads finished in.
    expect(only(findings).locations.map((l) => l.storeId)).toEqual(['linux-system:/x', 'nss:/a', 'nss:/b'])
    expect(auditor.counts).toEqual({ certificates: 1, entries: 3 })
  })

  it('a certificate distrusted everywhere it was found is info, and says why', () => {
    const made = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
    const finding = only(audit([{ der: made.der, trust: 'distrusted' }, { der: made.der, trust: 'not-trusted' }]).findings)
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'info' })
    expect(finding.explanation).toContain('already marked as not trusted')
    const trustedOnce = only(audit([{ der: made.der, trust: 'distrusted' }, { der: made.der, trust: 'trusted' }]).findings)
    expect(trustedOnce.severity).toBe('high')
  })

  it('a damaged certificate becomes a problem and the audit goes on', () => {
    const good = makeCertificate({ subject: [['CN', 'Unknown CA']] })
    const damaged = Buffer.from(makeCertificate({ subject: [['CN', 'Damaged']] }).der)
    damaged.write('20XX', damaged.indexOf(Buffer.from('200101000000Z')), 'latin1')
    const { findings, auditor } = audit([{ der: Buffer.from('garbage') }, { der: damaged }, { der: good.der }])
    expect(findings.map((f) => f.certificate.subject)).toEqual(['CN=Unknown CA'])
    expect(auditor.problems.map((p) => p.code)).toEqual(['corrupt-certificate', 'corrupt-certificate'])
    expect(auditor.problems[0]!.message).toMatch(/certificate 1 in \/b\.pem is not a readable certificate/)
    expect(auditor.problems[1]!.message).toMatch(/damaged body/)
  })

  it('a listed certificate with a damaged body is still reported, from its hash', () => {
    const made = makeCertificate({ subject: [['CN', 'Listed']] })
    const damaged = Buffer.from(made.der)
    damaged.write('20XX', damaged.indexOf(Buffer.from('200101000000Z')), 'latin1')
    const list = blocklistWith({ id: 'listed', made: { ...made, der: damaged, sha256: createHash('sha256').update(damaged).digest('hex') }, category: 'government-interception', severity: 'critical', by: 'sha256' })
    expect(only(audit([{ der: damaged }], { list }).findings)).toMatchObject({ rule: 'known-interception', certificate: { subject: '(unreadable)' } })
  })

  it('writes findings in Russian and Kazakh too', () => {
    const made = makeCertificate({ subject: [['CN', 'Corporate Root']] })
    const { auditor } = audit([{ der: made.der }])
    expect(auditor.findings('ru')[0]!.explanation).toMatch(/корневой сертификат/)
    expect(auditor.findings('kk')[0]!.explanation).toMatch(/түбірлік сертификат/)
  })
})

describe('retired roots', () => {
  it('a root the public programs have removed is retired-root (info), with advice to update the system', () => {
    const retired = makeCertificate({ subject: [['CN', 'Retired Root']] })
    const auditor = new Auditor({
      blocklist,
      publicRoots: publicRootsFrom('test roots', [], [{ sha256: retired.sha256, spkiSha256: retired.spkiSha256, subject: 'CN=Retired Root', notAfter: '', source: 'test' }]),
      now,
    })
    auditor.add({ der: retired.der, storeId: 's', kind: 'file', location: '/b.pem', entry: 'c', trust: 'trusted' })
    const [finding] = auditor.findings('en')
    expect(finding).toMatchObject({ rule: 'retired-root', severity: 'info' })
    expect(finding!.advice).toContain('ca-certificates')
  })
})
