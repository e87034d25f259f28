import type { Language } from '../audit/blocklist.js'
import type { Severity } from '../audit/report.js'

/** Words of the human-readable CLI output. */
export interface CliTexts {
  readonly severity: Readonly<Record<Severity, string>>
  readonly scanned: (stores: number, certificates: number) => string
  readonly whatToDo: string
  readonly foundIn: string
  readonly problems: string
  readonly distrusted: string
  readonly details: string
}

const en: CliTexts = {
  severity: { critical: 'CRITICAL', high: 'HIGH', medium: 'DECIDE', review: 'REVIEW', info: 'INFO' },
  scanned: (s, c) => `Scanned ${s} ${s === 1 ? 'store' : 'stores'}, ${c} ${c === 1 ? 'certificate' : 'certificates'}.`,
  whatToDo: 'What to do',
  foundIn: 'Found in',
  problems: 'Problems',
  distrusted: 'distrusted',
  details: 'Run with --json for fingerprints, dates and sources.',
}

const ru: CliTexts = {
  severity: { critical: 'КРИТИЧНО', high: 'ОПАСНО', medium: 'РЕШИТЕ', review: 'ПРОВЕРЬТЕ', info: 'К СВЕДЕНИЮ' },
  scanned: (s, c) => `Проверено хранилищ: ${s}, сертификатов: ${c}.`,
  whatToDo: 'Что делать',
  foundIn: 'Где найден',
  problems: 'Проблемы',
  distrusted: 'недоверенный',
  details: 'Отпечатки, даты и источники — с параметром --json.',
}

const kk: CliTexts = {
  severity: { critical: 'ӨТЕ ҚАУІПТІ', high: 'ҚАУІПТІ', medium: 'ШЕШІҢІЗ', review: 'ТЕКСЕРІҢІЗ', info: 'МӘЛІМЕТ' },
  scanned: (s, c) => `Тексерілген қоймалар: ${s}, сертификаттар: ${c}.`,
  whatToDo: 'Не істеу керек',
  foundIn: 'Табылған жері',
  problems: 'Мәселелер',
  distrusted: 'сенімсіз',
  details: 'Саусақ іздері, күндер мен дереккөздер --json параметрімен шығады.',
}

const TEXTS: Readonly<Record<Language, CliTexts>> = { en, ru, kk }

export function cliTexts(language: Language): CliTexts {
  return TEXTS[language]
}
