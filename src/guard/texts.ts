/**
 * The guard's words for people, in English, Russian and Kazakh: the lines `certaudit watch` prints and
 * the notifications it shows. Places are named from their kind and facts, as the window names them.
 */
import type { Language } from '../audit/blocklist.js'
import { placedByText } from '../stores/shared/placed-by-notices.js'
import type { PlacedBy } from '../stores/types.js'
import type { GuardEvent, GuardLocation } from './schemas.js'

interface GuardTexts {
  readonly kind: Readonly<Record<GuardEvent['kind'], string>>
  readonly place: (location: GuardLocation) => string
  /** What put it there and whether it comes back: the same words as the scan's (placed-by-notices.ts). */
  readonly placedBy: (placed: PlacedBy) => string
  readonly removedBy: (changeId: string) => string
  readonly baseline: string
  readonly noChange: string
  readonly present: (count: number) => string
  readonly allClear: string
  readonly problems: string
  readonly notifyTitle: { readonly returned: string; readonly new: string }
  readonly notifyBody: (event: GuardEvent, more: number) => string
  readonly open: string
}

type PlaceWords = { firefox: (profile?: string) => string; thunderbird: (profile?: string) => string; chromium: string; policy: string; system: string; java: string; env: (by?: string) => string; windows: string; macos: string; file: string }

function placeWith(w: PlaceWords) {
  return (l: GuardLocation): string => {
    const f = l.facts ?? {}
    switch (l.kind) {
      case 'nss':
        return f.program === 'chromium' ? w.chromium : f.program === 'thunderbird' || /thunderbird/i.test(l.location) ? w.thunderbird(f.profile) : w.firefox(f.profile)
      case 'firefox-policy':
        return w.policy
      case 'linux-system':
        return w.system
      case 'java':
        return w.java
      case 'env-bundle':
        return w.env(f.setBy?.join(', '))
      case 'windows':
        return `${w.windows} (${l.location})`
      case 'macos':
        return w.macos
      default:
        return w.file
    }
  }
}

const en: GuardTexts = {
  kind: { new: 'FOUND', returned: 'CAME BACK', gone: 'GONE' },
  place: placeWith({
    firefox: (p) => (p ? `Firefox (profile “${p}”)` : 'Firefox'),
    thunderbird: (p) => (p ? `Thunderbird (profile “${p}”)` : 'Thunderbird'),
    chromium: 'Chrome and Chromium',
    policy: 'a Firefox policy',
    system: 'the system certificates',
    java: 'Java',
    env: (by) => (by ? `the bundle set by ${by}` : 'a certificate bundle'),
    windows: 'Windows',
    macos: 'the macOS keychains',
    file: 'a file',
  }),
  placedBy: (p) => placedByText(p, 'en'),
  removedBy: (id) => `removed by change ${id}`,
  baseline: 'First check: this is the baseline the next checks compare with.',
  noChange: 'Nothing changed since the last check.',
  present: (n) => `${n} dangerous ${n === 1 ? 'certificate is' : 'certificates are'} trusted on this computer.`,
  allClear: 'No dangerous certificate is trusted on this computer.',
  problems: 'Problems',
  notifyTitle: { returned: 'A certificate you removed came back', new: 'A dangerous certificate was found' },
  notifyBody: (e, more) =>
    `${e.title}: ${e.kind === 'returned' ? 'trusted again in' : 'trusted in'} ${[...new Set(e.locations.map((l) => en.place(l)))].join(', ')}.${more ? ` And ${more} more.` : ''} Open CertAudit to remove it.`,
  open: 'Open CertAudit',
}

const ru: GuardTexts = {
  kind: { new: 'НАЙДЕН', returned: 'ВЕРНУЛСЯ', gone: 'ИСЧЕЗ' },
  place: placeWith({
    firefox: (p) => (p ? `Firefox (профиль «${p}»)` : 'Firefox'),
    thunderbird: (p) => (p ? `Thunderbird (профиль «${p}»)` : 'Thunderbird'),
    chromium: 'Chrome и Chromium',
    policy: 'политика Firefox',
    system: 'системные сертификаты',
    java: 'Java',
    env: (by) => (by ? `набор сертификатов из ${by}` : 'набор сертификатов'),
    windows: 'Windows',
    macos: 'связки ключей macOS',
    file: 'файл',
  }),
  placedBy: (p) => placedByText(p, 'ru'),
  removedBy: (id) => `удалён изменением ${id}`,
  baseline: 'Первая проверка: с ней будут сравниваться следующие.',
  noChange: 'С прошлой проверки ничего не изменилось.',
  present: (n) => `Опасных сертификатов, которым доверяет этот компьютер: ${n}.`,
  allClear: 'Этот компьютер не доверяет ни одному опасному сертификату.',
  problems: 'Проблемы',
  notifyTitle: { returned: 'Удалённый вами сертификат вернулся', new: 'Найден опасный сертификат' },
  notifyBody: (e, more) =>
    `${e.title}: ${e.kind === 'returned' ? 'снова доверенный в' : 'доверенный в'}: ${[...new Set(e.locations.map((l) => ru.place(l)))].join(', ')}.${more ? ` И ещё ${more}.` : ''} Откройте CertAudit, чтобы удалить его.`,
  open: 'Открыть CertAudit',
}

const kk: GuardTexts = {
  kind: { new: 'ТАБЫЛДЫ', returned: 'ҚАЙТА ОРНАТЫЛДЫ', gone: 'ЖОҚ' },
  place: placeWith({
    firefox: (p) => (p ? `Firefox («${p}» профилі)` : 'Firefox'),
    thunderbird: (p) => (p ? `Thunderbird («${p}» профилі)` : 'Thunderbird'),
    chromium: 'Chrome және Chromium',
    policy: 'Firefox саясаты',
    system: 'жүйелік сертификаттар',
    java: 'Java',
    env: (by) => (by ? `${by} көрсететін сертификаттар жинағы` : 'сертификаттар жинағы'),
    windows: 'Windows',
    macos: 'macOS кілттер бумасы',
    file: 'файл',
  }),
  placedBy: (p) => placedByText(p, 'kk'),
  removedBy: (id) => `${id} өзгерісімен жойылған`,
  baseline: 'Алғашқы тексеру: келесі тексерулер осымен салыстырылады.',
  noChange: 'Соңғы тексеруден бері ештеңе өзгерген жоқ.',
  present: (n) => `Бұл компьютер сенетін қауіпті сертификаттар саны: ${n}.`,
  allClear: 'Бұл компьютер бірде-бір қауіпті сертификатқа сенбейді.',
  problems: 'Мәселелер',
  notifyTitle: { returned: 'Сіз жойған сертификат қайта орнатылды', new: 'Қауіпті сертификат табылды' },
  notifyBody: (e, more) =>
    `${e.title}: ${e.kind === 'returned' ? 'қайтадан сенімді' : 'сенімді'}: ${[...new Set(e.locations.map((l) => kk.place(l)))].join(', ')}.${more ? ` Тағы ${more}.` : ''} Оны жою үшін CertAudit бағдарламасын ашыңыз.`,
  open: 'CertAudit ашу',
}

const TEXTS: Readonly<Record<Language, GuardTexts>> = { en, ru, kk }

export function guardTexts(language: Language): GuardTexts {
  return TEXTS[language]
}
