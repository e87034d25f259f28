/**
 * The window's three catalogs (renderer/locales/{en,ru,kk}.json) against each other and against the
 * code: the same keys everywhere, the plural forms each language needs, the same placeholders, and
 * every key the renderer uses present (and every key present used).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const RENDERER = fileURLToPath(new URL('../../renderer/', import.meta.url))
const LANGS = ['en', 'ru', 'kk'] as const
type Message = string | Record<string, string>
const catalogs = Object.fromEntries(LANGS.map((lang) => [lang, JSON.parse(readFileSync(join(RENDERER, 'locales', `${lang}.json`), 'utf8')) as Record<string, Message>]))
const en = catalogs.en!

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : []
  })
}
const code = sources(join(RENDERER, 'src')).map((file) => readFileSync(file, 'utf8')).join('\n')
const namespaces = new Set(Object.keys(en).map((key) => key.split('.')[0]!))
/** Every quoted string in the code that looks like a message key of a known namespace. */
const usedKeys = new Set([...code.matchAll(/['"`]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9-]+)+)['"`]/g)].map((m) => m[1]!).filter((key) => namespaces.has(key.split('.')[0]!)))
/** Keys built from data: `country.${code}`, `month.${n}`. */
const usedPrefixes = [...code.matchAll(/`([a-z][A-Za-z0-9]*\.)\$\{/g)].map((m) => m[1]!)

const forms = (message: Message): string[] => (typeof message === 'string' ? [message] : Object.values(message))
const placeholders = (message: Message): string[] => [...new Set(forms(message).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort()

describe('renderer locales', () => {
  it.each(LANGS)('%s has exactly the keys of the others', (lang) => {
    for (const other of LANGS) {
      const missing = Object.keys(catalogs[other]!).filter((key) => !(key in catalogs[lang]!))
      expect(missing, `keys of ${other} missing in ${lang}`).toEqual([])
    }
  })

  it.each(LANGS)('%s has the plural forms Intl.PluralRules needs, where English has plurals, and nothing empty', (lang) => {
    const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort()
    for (const [key, message] of Object.entries(catalogs[lang]!)) {
      expect(typeof message, `${lang} ${key}: plural in one language, not in another`).toBe(typeof en[key])
      if (typeof message !== 'string') expect(Object.keys(message).sort(), `${lang} ${key}`).toEqual(categories)
      for (const text of forms(message)) expect(text.trim(), `${lang} ${key}`).not.toBe('')
    }
  })

  it.each(LANGS)('%s uses the same placeholders as English', (lang) => {
    for (const [key, message] of Object.entries(catalogs[lang]!)) expect(placeholders(message), `${lang} ${key}`).toEqual(placeholders(en[key]!))
  })

  it('Kazakh is written with Kazakh letters, and Russian without them', () => {
    const text = (lang: string) => Object.values(catalogs[lang]!).flatMap(forms).join(' ')
    for (const letter of 'әғқңөұүі') expect(text('kk'), `Kazakh uses ${letter}`).toContain(letter)
    expect(text('ru')).not.toMatch(/[әғқңөұүһі]/i)
  })

  it('every key the code uses is in the catalogs', () => {
    expect(usedKeys.size).toBeGreaterThan(100)
    expect([...usedKeys].filter((key) => !(key in en))).toEqual([])
    for (const prefix of usedPrefixes) expect(Object.keys(en).some((key) => key.startsWith(prefix)), `a key starting with ${prefix}`).toBe(true)
  })

  it('every key in the catalogs is used by the code', () => {
    expect(Object.keys(en).filter((key) => !usedKeys.has(key) && !usedPrefixes.some((prefix) => key.startsWith(prefix)))).toEqual([])
  })
})
