/**
 * How a name that imitates a listed CA's name differs from it, for the finding's explanation: the
 * scripts its letters come from, invisible or unusual characters, styled letters. Run only for names
 * that already matched a pattern by confusable skeleton (confusables.ts), so it may take its time.
 */
import { comparisonKeys } from './confusables.js'

/** One way a disguised name differs from the real one, in the order the explanation lists them. */
export type DisguiseKind = 'script' | 'styled' | 'invisible' | 'spacing' | 'marks' | 'digits' | 'punctuation' | 'letters'

/** The scripts the explanation names in every language; the rest are "another alphabet". */
export const SCRIPT_NAMES = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Cherokee', 'Coptic', 'Hebrew', 'Arabic', 'Lisu', 'Canadian_Aboriginal'] as const
export type ScriptName = (typeof SCRIPT_NAMES)[number] | 'other'

export interface NameDisguise {
  readonly kinds: readonly DisguiseKind[]
  /** For 'script': the scripts of the letters that the real name does not use. */
  readonly scripts: readonly ScriptName[]
  /** The scripts of the real name's letters. */
  readonly realScripts: readonly ScriptName[]
}

const KIND_ORDER: readonly DisguiseKind[] = ['script', 'styled', 'invisible', 'spacing', 'marks', 'digits', 'punctuation', 'letters']

const SCRIPT_TESTS: readonly (readonly [ScriptName, RegExp])[] = SCRIPT_NAMES.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')])
const LETTER = /\p{L}/u
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u
const DIGIT = /\p{N}/u
const MARK = /\p{M}/u
const MARKS = /\p{M}/gu
/** Space characters, and the controls that break or space a line. */
const SPACE = /[\p{Z}\t\n\v\f\r\u0085]/u
/** Characters a reader does not see: Default_Ignorable_Code_Point (zero-width, bidi controls, soft hyphen …), controls, format, private use, unassigned. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u

/**
 * A name as it is meant to be read: canonical form, letter case and runs of ordinary spaces ignored.
 * Two names with the same plain form are the same name; any other difference that still leaves the
 * skeletons equal is a disguise.
 */
export function plainForm(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ {2,}/g, ' ').trim()
}

/** The script of a letter (of its base letter, for an accented one); null for digits, marks, symbols. */
function scriptOf(ch: string): ScriptName | null {
  const base = [...ch.normalize('NFKC').normalize('NFD')][0] ?? ch
  if (!LETTER.test(base)) return null
  for (const [name, test] of SCRIPT_TESTS) if (test.test(base)) return name
  return 'other'
}

/** The scripts of a text's letters, in the order met. */
export function scriptsOf(text: string): ScriptName[] {
  const scripts: ScriptName[] = []
  for (const ch of text) {
    const script = scriptOf(ch)
    if (script && !scripts.includes(script)) scripts.push(script)
  }
  return scripts
}

/**
 * Full-width, mathematical, circled … letters: a compatibility form of a letter, drawn as that letter
 * in another style. Not the compatibility forms drawn otherwise (the lunate sigma "Ϲ" is a form of
 * "Σ" but is drawn like C): their keys differ.
 */
function isStyled(ch: string): boolean {
  const compat = ch.normalize('NFKC')
  if (compat === ch.normalize('NFC')) return false
  const keys = comparisonKeys(ch)
  const compatKeys = comparisonKeys(compat)
  return keys.caseFirst !== '' && (keys.caseFirst === compatKeys.caseFirst || keys.shapeFirst === compatKeys.shapeFirst)
}

/**
 * How `shown` (a name, or the part of it that matched) differs from `real` (a listed CA's name):
 * null when it is the real name, only written in other letter case or spacing.
 */
export function describeDisguise(shown: string, real: string): NameDisguise | null {
  if (plainForm(shown) === plainForm(real)) return null
  const realScripts = scriptsOf(real)
  const realMarks = new Set(real.normalize('NFD').match(MARKS) ?? [])
  const kinds = new Set<DisguiseKind>()
  const scripts: ScriptName[] = []
  for (const ch of shown) {
    if (SPACE.test(ch)) {
      if (ch !== ' ') kinds.add('spacing')
    } else if (INVISIBLE.test(ch)) kinds.add('invisible')
    else if (MARK.test(ch)) {
      if (!realMarks.has(ch)) kinds.add('marks')
    } else if (isStyled(ch)) kinds.add('styled')
    else if (LETTER_OR_DIGIT.test(ch)) {
      if ((ch.normalize('NFD').match(MARKS) ?? []).some((m) => !realMarks.has(m))) kinds.add('marks')
      if (DIGIT.test(ch) && LETTER.test(comparisonKeys(ch).shapeFirst) && !real.includes(ch)) kinds.add('digits')
      const script = scriptOf(ch)
      if (script && !realScripts.includes(script)) {
        kinds.add('script')
        if (!scripts.includes(script)) scripts.push(script)
      }
    } else if (comparisonKeys(ch).shapeFirst !== '') kinds.add('digits') // a symbol drawn like a letter: "|" for "l"
    else if (!real.includes(ch)) kinds.add('punctuation')
  }
  // Nothing odd in it, yet not the real name: look-alike letters of the same script ("rn" for "m").
  if (kinds.size === 0) kinds.add('letters')
  return { kinds: KIND_ORDER.filter((k) => kinds.has(k)), scripts, realScripts }
}

/** Both names' disguises as one (a disguised attribute and a disguised country). */
export function mergeDisguises(a: NameDisguise | null, b: NameDisguise | null): NameDisguise | null {
  if (!a || !b) return a ?? b
  return {
    kinds: KIND_ORDER.filter((k) => a.kinds.includes(k) || b.kinds.includes(k)),
    scripts: [...new Set([...a.scripts, ...b.scripts])],
    realScripts: [...new Set([...a.realScripts, ...b.realScripts])],
  }
}
