import type { Language } from '../../audit/blocklist.js'

/**
 * What a store tells the user before a change (Capabilities: what to do by hand, warnings): a code
 * and its values, put into words in the user's language where it is shown (the removal plan), so a
 * Russian or Kazakh user reads the wizard's most important step in their own language. Messages of
 * errors and command output stay English (they are quoted to IT staff and in bug reports).
 *
 * Each store kind declares its own notices in its folder (`<kind>/notices.ts`) with
 * {@link defineNotices}; a notice carries its catalogue, so it is put into words wherever it goes.
 * `{name}` in a text is replaced by the notice's value of that name; every language's text uses
 * exactly the names the English one does (tests/stores/shared/notices.test.ts).
 */

/** Values that are themselves words (menu paths, program names) in each language, by placeholder name. */
export type NoticeWords = Readonly<Record<string, Readonly<Record<Language, string>>>>
/** Values said differently in each language (a mode, a trust domain), by placeholder name and value. */
export type NoticeValueWords = Readonly<Record<string, Readonly<Record<Language, Readonly<Record<string, string>>>>>>

/** A catalogue's texts: every code in every language. */
export type NoticeTexts<Code extends string = string> = Readonly<Record<Language, Readonly<Record<Code, string>>>>

/** One thing to tell the user, with the catalogue that says it. */
export interface Notice {
  readonly code: string
  readonly values?: Readonly<Record<string, string | number>>
  readonly catalogue: NoticeCatalogue
}

/** The notices of one store kind. */
export interface NoticeCatalogue<Code extends string = string> {
  readonly texts: NoticeTexts<Code>
  readonly words: NoticeWords
  readonly valueWords: NoticeValueWords
  notice(code: Code, values?: Readonly<Record<string, string | number>>): Notice
}

/** Declares a kind's notices; `notice(code, values)` is then checked against its codes by the compiler. */
export function defineNotices<const Code extends string>(
  texts: { readonly en: Readonly<Record<Code, string>>; readonly ru: Readonly<Record<Code, string>>; readonly kk: Readonly<Record<Code, string>> },
  options: { readonly words?: NoticeWords; readonly valueWords?: NoticeValueWords } = {},
): NoticeCatalogue<Code> {
  const catalogue: NoticeCatalogue<Code> = {
    texts,
    words: options.words ?? {},
    valueWords: { ...COMMON_VALUE_WORDS, ...options.valueWords },
    notice: (code, values) => (values ? { code, values, catalogue } : { code, catalogue }),
  }
  return catalogue
}

export function isNotice(value: unknown): value is Notice {
  return typeof value === 'object' && value !== null && typeof (value as Notice).code === 'string' && typeof (value as Notice).catalogue === 'object'
}

/** The notice in words, in `language`. */
export function noticeText(item: Notice, language: Language = 'en'): string {
  const { catalogue } = item
  const text = catalogue.texts[language][item.code] ?? catalogue.texts.en[item.code] ?? item.code
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const word = catalogue.words[name]
    if (word) return word[language]
    const value = item.values?.[name]
    if (value === undefined) return whole
    return catalogue.valueWords[name]?.[language][String(value)] ?? String(value)
  })
}

/** Several notices as one paragraph. */
export function noticesText(items: readonly Notice[], language: Language = 'en'): string {
  return items.map((item) => noticeText(item, language)).join(' ')
}

/** A mode, said in each language. */
const COMMON_VALUE_WORDS: NoticeValueWords = {
  mode: {
    en: { delete: 'delete', distrust: 'distrust' },
    ru: { delete: 'удалять сертификаты', distrust: 'отзывать доверие к сертификатам' },
    kk: { delete: 'жою', distrust: 'сенімді алу' },
  },
}

/** What the removal plan says of any store. */
export const commonNotices = defineNotices({
  en: {
    'manual-default': 'CertAudit cannot change this store; remove the certificate by hand.',
    'mode-fallback-delete': 'This store cannot {mode} a certificate; it will be deleted (a backup is kept) instead.',
    'mode-fallback-distrust': 'This store cannot {mode} a certificate; it will be distrusted instead.',
  },
  ru: {
    'manual-default': 'CertAudit не может изменить это хранилище; удалите сертификат вручную.',
    'mode-fallback-delete': 'Это хранилище не умеет {mode}; сертификат будет удалён (резервная копия сохраняется).',
    'mode-fallback-distrust': 'Это хранилище не умеет {mode}; вместо этого доверие к сертификату будет отозвано.',
  },
  kk: {
    'manual-default': 'CertAudit бұл қойманы өзгерте алмайды; сертификатты қолмен жойыңыз.',
    'mode-fallback-delete': 'Бұл қойма {mode} әрекетін орындай алмайды; оның орнына сертификат жойылады (сақтық көшірмесі сақталады).',
    'mode-fallback-distrust': 'Бұл қойма {mode} әрекетін орындай алмайды; оның орнына сертификатқа сенім алынады.',
  },
})
