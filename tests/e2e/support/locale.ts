/** The window's own words, read from renderer/locales, so the tests find buttons in any language. */
import { readFileSync } from 'node:fs'

export type Lang = 'en' | 'ru' | 'kk'
export const LANGS: readonly Lang[] = ['en', 'ru', 'kk']
/** The LANG of the planted machine that makes the app open in each language (appInfo.language). */
export const LOCALE_OF: Readonly<Record<Lang, string>> = { en: 'en_US.UTF-8', ru: 'ru_RU.UTF-8', kk: 'kk_KZ.UTF-8' }

type Message = string | Record<string, string>
const catalogs = new Map<Lang, Record<string, Message>>()

function catalog(lang: Lang): Record<string, Message> {
  let found = catalogs.get(lang)
  if (!found) {
    found = JSON.parse(readFileSync(new URL(`../../../renderer/locales/${lang}.json`, import.meta.url), 'utf8')) as Record<string, Message>
    catalogs.set(lang, found)
  }
  return found
}

/** A message as the window shows it (same placeholder and plural rules as renderer/src/i18n.ts). */
export function msg(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const message = catalog(lang)[key]
  if (message === undefined) throw new Error(`no message ${key} in ${lang}`)
  const text = typeof message === 'string' ? message : (message[new Intl.PluralRules(lang).select(Number(vars.count ?? 0))] ?? message.other!)
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (vars[name] === undefined ? whole : typeof vars[name] === 'number' ? new Intl.NumberFormat(lang).format(vars[name]) : String(vars[name])))
}
