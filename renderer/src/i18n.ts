/**
 * A small i18n module: flat message catalogs in renderer/locales/{en,ru,kk}.json, `{name}`
 * placeholders, plural forms chosen by Intl.PluralRules, dates and numbers by Intl in the chosen
 * language. English is the reference catalog: its keys are the type of every `t()` call.
 */
import en from '../locales/en.json'
import kk from '../locales/kk.json'
import ru from '../locales/ru.json'
import { visible } from './visible'

export type Language = 'en' | 'ru' | 'kk'
export type MessageKey = keyof typeof en
export type Vars = Readonly<Record<string, string | number>>

type Message = string | Readonly<Partial<Record<Intl.LDMLPluralRule, string>>>
const CATALOGS: Readonly<Record<Language, Readonly<Record<string, Message>>>> = { en, ru, kk }

/** The languages of the switch, each named in itself. */
export const LANGUAGES: readonly { readonly code: Language; readonly name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'ru', name: 'Русский' },
  { code: 'kk', name: 'Қазақша' },
]

export interface Translator {
  readonly lang: Language
  /** The message of `key`; a plural message picks its form from `vars.count`. */
  t(key: MessageKey, vars?: Vars): string
  /** True when `key` names a message (for keys built from data, such as `country.KZ`). */
  has(key: string): key is MessageKey
  formatDate(iso: string): string
  formatDateTime(iso: string): string
  formatNumber(value: number): string
  /** A country's name from its ISO code ("KZ" → "Kazakhstan", "Казахстан", "Қазақстан"). */
  regionName(code: string): string
}

/**
 * True when this browser's ICU really has the language's data. Chromium's trimmed ICU claims `kk`
 * (supportedLocalesOf lists it) but formats "2026 M11 26" and names countries in English: detected by
 * whether January comes out in Cyrillic.
 */
function intlHasData(lang: Language): boolean {
  if (lang === 'en') return true
  try {
    const month = new Intl.DateTimeFormat(lang, { month: 'long' }).format(new Date(2020, 0, 15))
    const country = new Intl.DisplayNames([lang], { type: 'region' }).of('KZ') ?? ''
    return /[\u0400-\u04ff]/.test(month) && /[\u0400-\u04ff]/.test(country)
  } catch {
    return false
  }
}

export function createTranslator(lang: Language): Translator {
  const plurals = new Intl.PluralRules(lang)
  const numbers = new Intl.NumberFormat(lang)
  const withIntl = intlHasData(lang)
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'long' })
  const dateTimes = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' })
  const times = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  let regions: Intl.DisplayNames | null = null
  // Values put into messages are names, paths and entries from the machine: shown with their hidden
  // characters made visible (./visible.ts), so a profile or alias named with a bidi override cannot
  // turn the sentence around it. visible() leaves what it already made alone (store labels come twice).
  const fill = (text: string, vars: Vars | undefined) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars?.[name]
      return value === undefined ? whole : typeof value === 'number' ? numbers.format(value) : visible(value)
    })
  const valid = (iso: string) => !Number.isNaN(Date.parse(iso))
  const t = (key: MessageKey, vars?: Vars): string => {
    const message = CATALOGS[lang][key] ?? CATALOGS.en[key] ?? key
    if (typeof message === 'string') return fill(message, vars)
    const count = Number(vars?.count ?? 0)
    return fill(message[plurals.select(count)] ?? message.other ?? '', vars)
  }
  const has = (key: string): key is MessageKey => key in CATALOGS.en
  /** The catalog's own long date, for a language the ICU data lacks. */
  const longDate = (date: Date) => {
    const month = `month.${date.getMonth() + 1}`
    return t('date.long', { day: String(date.getDate()), month: has(month) ? t(month) : String(date.getMonth() + 1), year: String(date.getFullYear()) })
  }
  return {
    lang,
    t,
    has,
    formatDate: (iso) => (!valid(iso) ? iso : withIntl ? dates.format(new Date(iso)) : longDate(new Date(iso))),
    formatDateTime: (iso) =>
      !valid(iso) ? iso : withIntl ? dateTimes.format(new Date(iso)) : t('date.time', { date: longDate(new Date(iso)), time: times.format(new Date(iso)) }),
    formatNumber: (value) => numbers.format(value),
    regionName(code) {
      const own = `country.${code}`
      if (!withIntl) return has(own) ? t(own) : code
      try {
        regions ??= new Intl.DisplayNames([lang], { type: 'region' })
        return regions.of(code) ?? code
      } catch {
        return code
      }
    },
  }
}
