import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../src/audit/texts.js'
import { NOTICE_TEXTS, notice, noticeText, type NoticeCode } from '../../../src/stores/shared/notices.js'

const CODES = Object.keys(NOTICE_TEXTS.en) as NoticeCode[]
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('store notices', () => {
  it('every language says every notice, with exactly the placeholders of the English text', () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(NOTICE_TEXTS[language]).sort(), language).toEqual([...CODES].sort())
      for (const code of CODES) expect(placeholders(NOTICE_TEXTS[language][code]), `${language} ${code}`).toEqual(placeholders(NOTICE_TEXTS.en[code]))
    }
  })

  it('fills in values, says words (menus, modes, trust domains) in the language, and leaves paths and commands alone', () => {
    const firefox = notice('firefox-on-windows', { location: 'C:\\Users\\a\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\x.default' })
    expect(noticeText(firefox)).toContain('in Firefox itself: Settings → Privacy & Security → Certificates → View Certificates → Authorities, select it')
    expect(noticeText(firefox, 'ru')).toContain('Настройки → Приватность и защита → Сертификаты')
    expect(noticeText(firefox, 'ru')).toContain('C:\\Users\\a\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\x.default')
    expect(noticeText(firefox, 'kk')).toContain('Баптаулар → Жекелік және қауіпсіздік')
    expect(noticeText(notice('mode-fallback-delete', { mode: 'distrust' }))).toBe('This store cannot distrust a certificate; it will be deleted (a backup is kept) instead.')
    expect(noticeText(notice('mode-fallback-delete', { mode: 'distrust' }), 'ru')).toContain('не умеет отзывать доверие')
    expect(noticeText(notice('macos-limited-settings', { domain: 'admin' }), 'ru')).toContain('(администратора)')
    expect(noticeText(notice('windows-managed', { place: 'HKLM\\…\\Root', manager: 'Group Policy' }))).toContain('manages HKLM\\…\\Root (Group Policy)')
  })

  it('leaves no placeholder unfilled when every value is given', () => {
    for (const language of LANGUAGES) {
      for (const code of CODES) {
        const values = Object.fromEntries(placeholders(NOTICE_TEXTS.en[code]).map((name) => [name, `<${name}>`]))
        expect(noticeText(notice(code, values), language), `${language} ${code}`).not.toMatch(/\{\w+\}/)
      }
    }
  })
})
