/**
 * Look-alikes across scripts (issue 15, item 7): certificates with fresh keys whose names imitate the
 * blocklist's name patterns, dressed up by every technique of the class (other scripts' homoglyphs,
 * invisible and bidi characters, soft hyphens, combining marks, full-width and mathematical letters,
 * odd spaces, punctuation, digits for letters), several names per technique and per listed name. Each
 * is a real certificate (tests/support/certificates.ts, UTF8String and BMPString; a few from openssl).
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist, type Blocklist } from '../../src/audit/blocklist.js'
import { publicRootsFrom } from '../../src/audit/references.js'
import type { Finding } from '../../src/audit/report.js'
import { blocklistWith } from '../support/blocklists.js'
import { makeCertificate, makeKey, type NameSpec } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'

const blocklist = loadBlocklist()
const now = new Date('2026-11-26T00:00:00Z')

function audit(ders: Uint8Array[], list: Blocklist = blocklist, language: 'en' | 'ru' | 'kk' = 'en'): Finding[] {
  const auditor = new Auditor({ blocklist: list, publicRoots: publicRootsFrom('none', []), now })
  ders.forEach((der, i) => auditor.add({ der, storeId: 'file:/b.pem', kind: 'file', location: '/b.pem', entry: `certificate ${i + 1}`, trust: 'trusted' }))
  return auditor.findings(language)
}

function auditOne(subject: NameSpec, stringType: 'utf8' | 'bmp' = 'utf8'): Finding {
  const findings = audit([makeCertificate({ subject, stringType }).der])
  expect(findings).toHaveLength(1)
  return findings[0]!
}

// The listed names the patterns stand for, as a certificate carries them.
const QAZNET = (cn: string): NameSpec => [['C', 'KZ'], ['CN', cn]]
const ISCA_O = (o: string): NameSpec => [['C', 'KZ'], ['O', o], ['CN', 'Root']]
const ISCA_CN = (cn: string): NameSpec => [['C', 'KZ'], ['CN', cn]]
const RUSSIAN = (cn: string): NameSpec => [['C', 'RU'], ['CN', cn]]
const NUC = (cn: string): NameSpec => [['C', 'KZ'], ['CN', cn]]

type Case = readonly [name: NameSpec, entryId: string, differs: string]
const qaznet = 'kz-qaznet-2016'
const iscaCa = 'kz-isca-ca-2020'
const isca = 'kz-isca-2020-0643'
const russian = 'ru-mincifry-root-2022'
const nuc = 'kz-root-2015-nuc'

/** Technique → names, the entry each imitates, and the words of the explanation that say how it differs. */
const TECHNIQUES: Readonly<Record<string, readonly Case[]>> = {
  'Cyrillic homoglyphs': [
    [QAZNET('Qаznеt Trust Network'), qaznet, 'uses Cyrillic letters where the real name has Latin ones'],
    [QAZNET('QAZNEТ TRUST NETWORK'), qaznet, 'uses Cyrillic letters'],
    [QAZNET('Qazneт Trust Network'), qaznet, 'uses Cyrillic letters'],
    [ISCA_O('ІЅСА'), iscaCa, 'uses Cyrillic letters'],
    [ISCA_CN('Іnformation Security Сertification Аuthority'), isca, 'uses Cyrillic letters'],
    [RUSSIAN('Russiаn Тrusted Rооt СА'), russian, 'uses Cyrillic letters'],
  ],
  'Greek homoglyphs': [
    [QAZNET('Qαznet Trust Network'), qaznet, 'uses Greek letters where the real name has Latin ones'],
    [ISCA_O('ΙSCΑ'), iscaCa, 'uses Greek letters'],
    [ISCA_O('ISϹA'), iscaCa, 'uses Greek letters'], // the lunate sigma: drawn like C, though NFKC makes it Σ
    [ISCA_CN('Ιnformation Security Certification Αuthority'), isca, 'uses Greek letters'],
    [RUSSIAN('Russian Trusted Rοοt CΑ'), russian, 'uses Greek letters'],
    [RUSSIAN('RUSSΙΑΝ ΤRUSΤΕD ROOT CA'), russian, 'uses Greek letters'],
  ],
  'Armenian homoglyphs': [
    [QAZNET('Qazոet Trust Network'), qaznet, 'uses Armenian letters where the real name has Latin ones'],
    [RUSSIAN('Russian Trusted Rօօt CA'), russian, 'uses Armenian letters'],
    [ISCA_CN('Information Տecurity Certification Authority'), isca, 'uses Armenian letters'],
  ],
  'other scripts: Cherokee, Lisu, Coptic': [
    [ISCA_O('ꓲꓢꓚꓮ'), iscaCa, 'uses Lisu letters'],
    [RUSSIAN('Russian Trusted Root ᏟᎪ'), russian, 'uses Cherokee letters'],
    [RUSSIAN('Russian Trusted Rⲟⲟt CA'), russian, 'uses Coptic letters'],
  ],
  'mixed scripts in one word': [
    [QAZNET('Qαzոеt'), qaznet, 'uses Greek and Armenian and Cyrillic letters'],
    [RUSSIAN('Rսssіаn Trusτed Root CA'), russian, 'uses Armenian and Cyrillic and Greek letters'],
    [NUC('HEГIЗГI KУӘЛAHДЫPУШЫ OPTAЛЫҚ'), nuc, 'uses Latin letters where the real name has Cyrillic ones'],
  ],
  'zero-width and bidi characters': [
    [QAZNET('Qaz\u200Bnet Trust Network'), qaznet, 'contains invisible characters'],
    [QAZNET('Q\u200Caz\u200Dnet'), qaznet, 'contains invisible characters'],
    [QAZNET('\uFEFFQa\u2060znet'), qaznet, 'contains invisible characters'],
    [QAZNET('Qaz\u202Eten\u202C'.replace('ten', 'net')), qaznet, 'contains invisible characters'],
    [QAZNET('Qa\u2066z\u2069net\u200E'), qaznet, 'contains invisible characters'],
    [ISCA_O('IS\u200FCA'), iscaCa, 'contains invisible characters'],
    [ISCA_CN('Information\u202A Security Certification Authority\u202C'), isca, 'contains invisible characters'],
    [RUSSIAN('Russian\u200B Trusted Root CA'), russian, 'contains invisible characters'],
    [RUSSIAN('Russian Trusted Root\u2068 CA\u2069'), russian, 'contains invisible characters'],
  ],
  'soft hyphens': [
    [QAZNET('Qaz\u00ADnet Trust Network'), qaznet, 'contains invisible characters'],
    [ISCA_O('IS\u00ADCA'), iscaCa, 'contains invisible characters'],
    [RUSSIAN('Rus\u00ADsian Trus\u00ADted Root CA'), russian, 'contains invisible characters'],
  ],
  'combining marks': [
    [QAZNET('Qa\u0301znet'), qaznet, 'has accents or other marks added'],
    [QAZNET('Qazn\u0335et Trust'), qaznet, 'has accents or other marks added'],
    [ISCA_O('I\u0323SCA'), iscaCa, 'has accents or other marks added'],
    [RUSSIAN('Russian Tru\u0308sted Root CA'), russian, 'has accents or other marks added'],
    [RUSSIAN('Russian Trusted Root CA\u0332'), russian, 'has accents or other marks added'],
  ],
  'full-width forms': [
    [QAZNET('Ｑａｚｎｅｔ Trust Network'), qaznet, 'uses styled letters (full-width or mathematical)'],
    [ISCA_O('ＩＳＣＡ'), iscaCa, 'uses styled letters'],
    [RUSSIAN('Ｒｕｓｓｉａｎ Ｔｒｕｓｔｅｄ Ｒｏｏｔ ＣＡ'), russian, 'uses styled letters'],
  ],
  'mathematical alphanumerics and other styled letters': [
    [QAZNET('𝐐𝐚𝐳𝐧𝐞𝐭 Trust Network'), qaznet, 'uses styled letters'],
    [QAZNET('𝕼𝖆𝖟𝖓𝖊𝖙'), qaznet, 'uses styled letters'],
    [ISCA_O('𝕀𝕊ℂ𝔸'), iscaCa, 'uses styled letters'],
    [QAZNET('ℚaznet'), qaznet, 'uses styled letters'],
    [QAZNET('Ⓠⓐⓩⓝⓔⓣ'), qaznet, 'uses styled letters'],
    [RUSSIAN('𝖱𝗎𝗌𝗌𝗂𝖺𝗇 𝖳𝗋𝗎𝗌𝗍𝖾𝖽 𝖱𝗈𝗈𝗍 𝖢𝖠'), russian, 'uses styled letters'],
  ],
  'other whitespace (NBSP, thin, ideographic)': [
    [QAZNET('Qaz\u00A0net Trust Network'), qaznet, 'uses unusual space characters'],
    [ISCA_CN('Information\u00A0Security\u2009Certification Authority'), isca, 'uses unusual space characters'],
    [RUSSIAN('Russian\u3000Trusted Root CA'), russian, 'uses unusual space characters'],
    [RUSSIAN('Russian\u2002Trusted\u205FRoot CA'), russian, 'uses unusual space characters'],
    [RUSSIAN('Russian\tTrusted Root CA'), russian, 'uses unusual space characters'],
  ],
  'punctuation and separators': [
    [QAZNET('Qaz-net Trust Network'), qaznet, 'has punctuation or symbols inserted'],
    [QAZNET('Q.a.z.n.e.t'), qaznet, 'has punctuation or symbols inserted'],
    [QAZNET('Qaz_Net'), qaznet, 'has punctuation or symbols inserted'],
    [ISCA_O('I.S.C.A.'), iscaCa, 'has punctuation or symbols inserted'],
    [RUSSIAN('Russian-Trusted-Root-CA'), russian, 'has punctuation or symbols inserted'],
  ],
  'digits, symbols and same-script letters in place of letters': [
    [ISCA_O('1SCA'), iscaCa, 'uses digits or symbols in place of letters'],
    [ISCA_O('|SCA'), iscaCa, 'uses digits or symbols in place of letters'],
    [RUSSIAN('Russian Trusted R00t CA'), russian, 'uses digits or symbols in place of letters'],
    [ISCA_O('lSCA'), iscaCa, 'uses similar-looking letters in place of the real ones'],
    [ISCA_CN('Inforrnation Security Certification Authority'), isca, 'uses similar-looking letters'],
    [ISCA_CN('INFORMATlON SECURlTY CERTlFlCATlON AUTHORlTY'), isca, 'uses similar-looking letters'],
  ],
}

describe('lookalike: names that imitate a listed CA, by technique', () => {
  for (const [technique, cases] of Object.entries(TECHNIQUES)) {
    it(`${technique}: lookalike (high), and the explanation says how the name differs`, () => {
      for (const [subject, entryId, differs] of cases) {
        const label = JSON.stringify(subject)
        for (const stringType of ['utf8', 'bmp'] as const) {
          if (stringType === 'bmp' && subject.some(([, v]) => [...v].some((c) => c.codePointAt(0)! > 0xffff))) continue // BMPString has no astral planes
          const finding = auditOne(subject, stringType)
          expect(finding, label).toMatchObject({ rule: 'lookalike', severity: 'high', matchedBy: 'name', blocklistEntry: { id: entryId } })
          expect(finding.explanation, label).toContain('imitates the name of')
          expect(finding.explanation, label).toContain(differs)
        }
      }
    })
  }

  it('a disguised name in the issuer: an intermediate below a look-alike root is a lookalike too', () => {
    const root = makeKey()
    const intermediate = makeCertificate({ subject: [['CN', 'MITM intermediate']], issuer: QAZNET('Qаznеt Trust Network'), issuerKey: root, ca: true })
    const [finding] = audit([intermediate.der])
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high', blocklistEntry: { id: qaznet } })
    expect(finding!.explanation).toContain('uses Cyrillic letters')
  })

  it('a disguised country: O=ISCA with C written in Greek capitals', () => {
    // '2.5.4.6' by number, so the helper writes it as a UTF8String (a PrintableString cannot hold Greek).
    const finding = auditOne([['2.5.4.6', 'ΚΖ'], ['O', 'ISCA'], ['CN', 'Root']])
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high', blocklistEntry: { id: iscaCa } })
    expect(finding.explanation).toContain('uses Greek letters')
  })

  it('the explanation in Russian and Kazakh says the same', () => {
    const der = makeCertificate({ subject: RUSSIAN('Russiаn Trusted\u200B Root CA') }).der
    const [ru] = audit([der], blocklist, 'ru')
    const [kk] = audit([der], blocklist, 'kk')
    expect(ru!.explanation).toContain('подражает имени Russian Trusted Root CA')
    expect(ru!.explanation).toContain('буквы другого алфавита (кириллица) там, где в настоящем имени — латиница')
    expect(ru!.explanation).toContain('невидимые символы')
    expect(kk!.explanation).toContain('Russian Trusted Root CA атауына еліктейді')
    expect(kk!.explanation).toContain('шын атауда латын әріптері тұрған жерде кирилл әріптері қолданылған')
    expect(kk!.explanation).toContain('көзге көрінбейтін таңбалар')
  })

  it('certificates made by openssl with hostile names are caught the same way', () => {
    const dir = tempDir('certaudit-lookalike-')
    const names = ['/C=KZ/CN=Qаznеt Trust Network', '/C=KZ/O=I\u200BSCA/CN=x', '/C=RU/CN=Ｒｕｓｓｉａｎ Trusted Root CA', '/C=KZ/CN=Qaz\u00ADnet']
    const ders = names.map((subject, i) => {
      const out = `${dir}/${i}.der`
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${dir}/${i}.key`, '-utf8', '-subj', subject, '-days', '30', '-outform', 'DER', '-out', out], { stdio: 'ignore' })
      return execFileSync('cat', [out])
    })
    const findings = audit(ders)
    expect(findings.map((f) => [f.rule, f.severity])).toEqual(names.map(() => ['lookalike', 'high']))
  })
})

describe('lookalike: what must not change', () => {
  it('the same hostile names with a listed key are still the listed entry (critical), by certificate or by key', () => {
    for (const [subject] of Object.values(TECHNIQUES).flat()) {
      const made = makeCertificate({ subject })
      const list = blocklistWith(made, { id: 'listed-one' })
      expect(audit([made.der], list)[0], JSON.stringify(subject)).toMatchObject({ rule: 'known-interception', severity: 'critical', matchedBy: 'sha256' })
      const reissued = makeCertificate({ subject, key: made.key, serial: 'abcdef' })
      expect(audit([reissued.der], list)[0], JSON.stringify(subject)).toMatchObject({ rule: 'known-interception', severity: 'critical', matchedBy: 'spkiSha256' })
    }
  })

  it('a listed name written plainly keeps its own rule: Qaznet lookalike with the plain text, state CAs government-ca (medium), whatever the letter case', () => {
    const plain = auditOne(QAZNET('QAZNET Trust Network 2027'))
    expect(plain).toMatchObject({ rule: 'lookalike', severity: 'high' })
    expect(plain.explanation).toContain('carries the name of Qaznet Trust Network')
    for (const subject of [
      RUSSIAN('Russian Trusted Root CA'),
      RUSSIAN('RUSSIAN TRUSTED ROOT CA'),
      RUSSIAN('  Russian  Trusted Root CA '),
      [['C', 'RU'], ['O', 'The Ministry of Digital Development and Communications'], ['CN', 'Something else']] as NameSpec,
      NUC('НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ'),
      NUC('негізгі куәландырушы орталық'),
      NUC('НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ'.normalize('NFD')),
    ]) {
      expect(auditOne(subject), JSON.stringify(subject)).toMatchObject({ rule: 'government-ca', severity: 'medium' })
    }
  })

  it('names that are not a listed name stay what they were: Kazakh and Russian CAs outside the list, other near names', () => {
    for (const subject of [
      [['C', 'KZ'], ['CN', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)']],
      [['C', 'KZ'], ['O', 'НАО «Государственная корпорация «Правительство для граждан»'], ['CN', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)']],
      [['C', 'KZ'], ['O', 'Qazaq Network'], ['CN', 'Qazpost Trust Root']],
      [['C', 'RU'], ['O', 'Минцифры России'], ['CN', 'Главный удостоверяющий центр']],
      [['C', 'RU'], ['CN', 'Russian Trusted Root CA 2027 Test Lab']],
      [['C', 'US'], ['O', 'ISCA Labs'], ['CN', 'Information Security Root']],
      [['C', 'US'], ['O', 'ISCA'], ['CN', 'Independent School Clubs Association']],
      [['C', 'KZ'], ['O', 'IS CA Group'], ['CN', 'Root']],
      [['C', 'GR'], ['O', 'Ελληνικά Πανεπιστήμια'], ['CN', 'Ρίζα Πιστοποίησης']],
    ] as NameSpec[]) {
      expect(auditOne(subject), JSON.stringify(subject)).toMatchObject({ rule: 'unknown-root', severity: 'review' })
    }
  })
})
