import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../src/audit/texts.js'
import { STORE_KINDS, STORES } from '../../../src/stores/registry.js'
import { commonNotices, noticeText, type NoticeCatalogue } from '../../../src/stores/shared/notices.js'
import { linuxSystemNotices } from '../../../src/stores/linux-system/notices.js'
import { macosNotices } from '../../../src/stores/macos/notices.js'
import { nssNotices } from '../../../src/stores/nss/notices.js'
import { placedByNotices } from '../../../src/stores/shared/placed-by-notices.js'
import { windowsNotices } from '../../../src/stores/windows/notices.js'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

/** Every catalogue: the ones shared by all stores, and each kind's own (as the registry hands them out). */
const CATALOGUES: readonly [string, NoticeCatalogue][] = [['common', commonNotices], ['placed-by', placedByNotices], ...STORE_KINDS.map((kind): [string, NoticeCatalogue] => [kind, STORES[kind].notices])]

describe('store notices', () => {
  it('every kind has its own catalogue, and no code is declared by two of them', () => {
    const codes = CATALOGUES.flatMap(([, catalogue]) => Object.keys(catalogue.texts.en))
    expect(new Set(codes).size).toBe(codes.length)
    expect(new Set(CATALOGUES.map(([, catalogue]) => catalogue)).size).toBe(CATALOGUES.length)
  })

  it('every language says every notice, with exactly the placeholders of the English text', () => {
    for (const [kind, { texts }] of CATALOGUES) {
      const codes = Object.keys(texts.en)
      for (const language of LANGUAGES) {
        expect(Object.keys(texts[language]).sort(), `${kind} ${language}`).toEqual([...codes].sort())
        for (const code of codes) expect(placeholders(texts[language][code]!), `${kind} ${language} ${code}`).toEqual(placeholders(texts.en[code]!))
      }
    }
  })

  it('fills in values, says words (menus, modes, trust domains) in the language, and leaves paths and commands alone', () => {
    const firefox = nssNotices.notice('nss-by-hand', { location: 'C:\\Users\\a\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\x.default', reason: 'it has changed.', program: 'Firefox' })
    expect(noticeText(firefox)).toContain('in Firefox itself: Settings → Privacy & Security → Certificates → View Certificates → Authorities, select it')
    expect(noticeText(firefox, 'ru')).toContain('Настройки → Приватность и защита → Сертификаты')
    expect(noticeText(firefox, 'ru')).toContain('C:\\Users\\a\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\x.default')
    expect(noticeText(firefox, 'kk')).toContain('Баптаулар → Жекелік және қауіпсіздік')
    expect(noticeText(commonNotices.notice('mode-fallback-delete', { mode: 'distrust' }))).toBe('This store cannot distrust a certificate; it will be deleted (a backup is kept) instead.')
    expect(noticeText(commonNotices.notice('mode-fallback-delete', { mode: 'distrust' }), 'ru')).toContain('не умеет отзывать доверие')
    expect(noticeText(macosNotices.notice('macos-limited-settings', { domain: 'admin' }), 'ru')).toContain('(администратора)')
    expect(noticeText(windowsNotices.notice('windows-managed', { place: 'HKLM\\…\\Root', manager: 'Group Policy' }))).toContain('manages HKLM\\…\\Root (Group Policy)')
    expect(noticeText(linuxSystemNotices.notice('linux-in-blocklist', { file: '/etc/pki/x.pem' }), 'kk')).toContain('/etc/pki/x.pem')
  })

  it('leaves no placeholder unfilled when every value is given', () => {
    for (const [kind, catalogue] of CATALOGUES) {
      for (const code of Object.keys(catalogue.texts.en)) {
        const values = Object.fromEntries(placeholders(catalogue.texts.en[code]!).map((name) => [name, `<${name}>`]))
        for (const language of LANGUAGES) expect(noticeText(catalogue.notice(code, values), language), `${kind} ${language} ${code}`).not.toMatch(/\{\w+\}/)
      }
    }
  })
})
