/**
 * Unicode confusable skeletons (UTS #39 section 4, https://www.unicode.org/reports/tr39/#Confusable_Detection)
 * and the comparison keys the look-alike rule builds on them: two names look alike when their keys
 * are equal (or one contains the other), whatever scripts, invisible characters or styled letters
 * they are written with. The mapping is confusables.txt (version in confusables-data.ts); NFD, NFKC,
 * case and Default_Ignorable_Code_Point come from the JavaScript engine's own Unicode data (ICU's, in
 * Node and Electron).
 */
import { CONFUSABLES_TABLE } from './confusables-data.js'

let prototypes: ReadonlyMap<number, string> | undefined

/** confusables.txt as a map from a code point to its prototype, decoded on first use (~1 ms). */
function prototypeTable(): ReadonlyMap<number, string> {
  if (prototypes) return prototypes
  const table = new Map<number, string>()
  for (const line of CONFUSABLES_TABLE) {
    for (const entry of line.split(',')) {
      const colon = entry.indexOf(':')
      const target = entry
        .slice(colon + 1)
        .split('.')
        .map((hex) => String.fromCodePoint(parseInt(hex, 16)))
        .join('')
      table.set(parseInt(entry.slice(0, colon), 16), target)
    }
  }
  prototypes = table
  return table
}

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u

/**
 * skeleton(X) exactly as UTS #39 section 4 defines it: NFD, remove Default_Ignorable_Code_Point
 * characters, replace each character by its prototype from confusables.txt, NFD again. Case is kept
 * ("I" and "l" share a skeleton, "I" and "i" do not): see comparisonKeys for the case-blind keys.
 */
export function skeleton(text: string): string {
  const table = prototypeTable()
  let out = ''
  for (const ch of text.normalize('NFD')) {
    if (DEFAULT_IGNORABLE.test(ch)) continue
    out += table.get(ch.codePointAt(0)!) ?? ch
  }
  return out.normalize('NFD')
}

/**
 * What a case-blind comparison of shapes must also treat as one letter:
 * - Latin small capitals are the capital's shape at the size of a small letter, a case form of the
 *   letter; confusables.txt maps to them (Cyrillic т to ᴛ, н to ʜ, Cherokee small letters to ᴀ …),
 *   so without this "Qaznет" would not be "Qaznet";
 * - "l" and "i": confusables.txt gives "I" the prototype "l" (they are drawn alike) while case makes it
 *   "i", so in a name in capitals "INFORMATlON" would match neither "Information" nor its skeleton.
 */
const CASE_FOLDS: ReadonlyMap<string, string> = new Map([
  ...(
    [
      [0x1d00, 'a'], [0x0299, 'b'], [0x1d04, 'c'], [0x1d05, 'd'], [0x1d07, 'e'], [0xa730, 'f'], [0x0262, 'g'],
      [0x029c, 'h'], [0x026a, 'i'], [0x1d0a, 'j'], [0x1d0b, 'k'], [0x029f, 'i'], [0x1d0d, 'm'], [0x0274, 'n'],
      [0x1d0f, 'o'], [0x1d18, 'p'], [0xa7af, 'q'], [0x0280, 'r'], [0xa731, 's'], [0x1d1b, 't'], [0x1d1c, 'u'],
      [0x1d20, 'v'], [0x1d21, 'w'], [0x028f, 'y'], [0x1d22, 'z'],
    ] as const
  ).map(([cp, letter]): [string, string] => [String.fromCodePoint(cp), letter]),
  ['l', 'i'],
])
const FOLDED = new RegExp(`[${[...CASE_FOLDS.keys()].join('')}]`, 'gu')

function fold(text: string): string {
  return text.toLowerCase().replace(FOLDED, (c) => CASE_FOLDS.get(c)!)
}

/**
 * Only letters and digits are compared: spaces of every kind, punctuation, symbols, combining marks
 * and control or format characters can be slipped into a name without changing what a reader takes
 * it to say ("Qaz-net", "Q.a.z.n.e.t", "Qazne̲t", "Qaz net"), and the listed names are long and
 * distinctive enough that ignoring them makes no other name match (tests/audit/lookalike-stock.test.ts
 * checks every name of Node's and Debian's roots).
 */
const NOT_COMPARED = /[^\p{L}\p{N}]|\p{Lm}/gu

/**
 * The two comparison keys of a name. Case-blindness and confusability do not commute ("I" is drawn
 * like "l" but is the capital of "i"), so a name is compared both ways and matches if either does:
 * - `caseFirst`: letters lower-cased, then skeleton: "Тrust" (Cyrillic Т) → "т" → "ᴛ" → "t";
 * - `shapeFirst`: skeleton of the letters as drawn, then lower-cased: "ΒANK" (Greek capital beta) →
 *   "B" → "b", where lower-casing first would give "β", whose prototype is "ß".
 * Characters that confusables.txt does not map are taken in their NFKC form (full-width letters are
 * compatibility forms, not confusables), and every step is applied character by character, so a key maps back to
 * the characters that made it (keyedCharacters) and each character's key is computed once.
 */
export interface ComparisonKeys {
  readonly caseFirst: string
  readonly shapeFirst: string
}

export type KeyVariant = keyof ComparisonKeys

function computeKeys(ch: string): readonly [string, string] {
  // confusables.txt first, NFKC only for what it does not map: NFKC's compatibility forms are not all
  // look-alikes (it turns the lunate sigma "Ϲ", drawn like C, into "Σ").
  const table = prototypeTable()
  const base = [...ch.normalize('NFD')].some((c) => table.has(c.codePointAt(0)!) || DEFAULT_IGNORABLE.test(c)) ? ch : ch.normalize('NFKC')
  return [compared(fold(skeleton(fold(base)))), compared(fold(skeleton(fold(skeleton(base)))))]
}

function compared(text: string): string {
  return text.replace(NOT_COMPARED, '')
}

/** The keys of every ASCII character, made once: most names are ASCII and never reach the memo. */
const ASCII_KEYS: readonly (readonly [string, string])[] = Array.from({ length: 128 }, (_, code) => computeKeys(String.fromCharCode(code)))

/** Keys of the non-ASCII characters met so far; bounded, so a hostile store cannot grow it without end. */
const memo = new Map<number, readonly [string, string]>()
const MEMO_LIMIT = 1 << 16

function keysOf(codePoint: number, ch: string): readonly [string, string] {
  if (codePoint < 128) return ASCII_KEYS[codePoint]!
  let keys = memo.get(codePoint)
  if (!keys) {
    keys = computeKeys(ch)
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(codePoint, keys)
  }
  return keys
}

/** Both comparison keys of a name (see ComparisonKeys). */
export function comparisonKeys(text: string): ComparisonKeys {
  let caseFirst = ''
  let shapeFirst = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 128) return nonAsciiKeys(text)
    const keys = ASCII_KEYS[code]!
    caseFirst += keys[0]
    shapeFirst += keys[1]
  }
  return { caseFirst, shapeFirst }
}

function nonAsciiKeys(text: string): ComparisonKeys {
  let caseFirst = ''
  let shapeFirst = ''
  for (const ch of text) {
    const keys = keysOf(ch.codePointAt(0)!, ch)
    caseFirst += keys[0]
    shapeFirst += keys[1]
  }
  return { caseFirst, shapeFirst }
}

/**
 * One key with, for each of its characters, the UTF-16 range [start, end) of the character of `text`
 * it came from: to find which part of a longer name imitates a listed one.
 */
export function keyedCharacters(text: string, variant: KeyVariant): { readonly key: string; readonly starts: readonly number[]; readonly ends: readonly number[] } {
  const which = variant === 'caseFirst' ? 0 : 1
  let key = ''
  const starts: number[] = []
  const ends: number[] = []
  let at = 0
  for (const ch of text) {
    const piece = keysOf(ch.codePointAt(0)!, ch)[which]
    key += piece
    for (let i = 0; i < piece.length; i++) {
      starts.push(at)
      ends.push(at + ch.length)
    }
    at += ch.length
  }
  return { key, starts, ends }
}
