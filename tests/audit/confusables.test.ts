/**
 * The confusable skeleton (UTS #39 section 4) and the comparison keys of the look-alike rule, tested
 * over whole classes of characters rather than one example each: every homoglyph confusables.txt
 * lists for each letter of each listed name, every invisible character, every space, every
 * combining mark, every punctuation mark, every styled (full-width, mathematical …) letter.
 */
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CONFUSABLES_FILE, confusablesSource, parseConfusables, PINNED_SOURCE_FILE } from '../../scripts/lib/confusables-source.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { comparisonKeys, keyedCharacters, skeleton } from '../../src/audit/confusables.js'
import { CONFUSABLES_TABLE, CONFUSABLES_UNICODE_VERSION } from '../../src/audit/confusables-data.js'

/** Two names are alike when either key is equal (name-patterns.ts). */
const alike = (a: string, b: string) => {
  const x = comparisonKeys(a)
  const y = comparisonKeys(b)
  return x.caseFirst === y.caseFirst || x.shapeFirst === y.shapeFirst
}

/** Every code point with a property, as a string each. */
function everyCharacter(property: RegExp): string[] {
  const out: string[] = []
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue
    const ch = String.fromCodePoint(cp)
    if (property.test(ch)) out.push(ch)
  }
  return out
}

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
const LISTED = [...new Set(loadBlocklist().namePatterns.map((p) => p.equals ?? p.contains!))]
/** Whether Unicode itself draws a character like a letter or digit (confusables.txt or a compatibility form). */
const drawnLikeLetters = (ch: string) => /[\p{L}\p{N}]/u.test(skeleton(ch) + skeleton(ch.normalize('NFKC')))

describe('confusables data', () => {
  it('is what scripts/make-confusables.ts makes from the pinned source, whose hash it records', () => {
    const pinned = readFileSync(PINNED_SOURCE_FILE, 'utf8')
    expect(readFileSync(CONFUSABLES_FILE, 'utf8')).toBe(confusablesSource(pinned))
    expect(readFileSync(CONFUSABLES_FILE, 'utf8')).toContain(createHash('sha256').update(pinned).digest('hex'))
    expect(CONFUSABLES_UNICODE_VERSION).toBe('13.0.0')
    expect(CONFUSABLES_TABLE.join(',').split(',')).toHaveLength(6311)
  })

  it("reads Unicode's confusables.txt format the same as the JSON form", () => {
    const text = [
      '# confusables.txt',
      '\uFEFF0430 ;\t0061 ;\tMA\t# ( а → a ) CYRILLIC SMALL LETTER A → LATIN SMALL LETTER A',
      '006D ;\t0072 006E ;\tMA\t# ( m → rn ) LATIN SMALL LETTER M → LATIN SMALL LETTER R, LATIN SMALL LETTER N',
      '',
    ].join('\n')
    expect(parseConfusables(text)).toEqual(parseConfusables(JSON.stringify({ а: 'a', m: 'rn' })))
    expect(() => parseConfusables('0061 ; 0062 ; MA\n0062 ; 0063 ; MA')).toThrow(/mapped again/)
  })
})

describe('skeleton (UTS #39 section 4)', () => {
  it('maps homoglyphs to their prototype, drops default-ignorables, keeps case', () => {
    expect(skeleton('pаypаl')).toBe(skeleton('paypal'))
    expect(skeleton('ѕсоре')).toBe(skeleton('scope'))
    expect(skeleton('Qa\u200Bz\u00ADn\u2066et')).toBe('Qaznet')
    expect(skeleton('𝐐𝐚𝐳𝐧𝐞𝐭')).toBe('Qaznet')
    expect(skeleton('I')).toBe('l')
    expect(skeleton('i')).toBe('i')
    expect(skeleton('é')).toBe('e\u0301')
  })
})

describe('comparison keys: every character of each class', () => {
  it('every homoglyph confusables.txt lists, in place of each letter of each listed name', () => {
    const byPrototype = new Map<string, string[]>()
    for (const line of CONFUSABLES_TABLE) {
      for (const entry of line.split(',')) {
        const [from, to] = entry.split(':') as [string, string]
        const prototype = to.split('.').map((h) => String.fromCodePoint(parseInt(h, 16))).join('')
        byPrototype.set(prototype, [...(byPrototype.get(prototype) ?? []), String.fromCodePoint(parseInt(from, 16))])
      }
    }
    let tried = 0
    const missed: string[] = []
    for (const name of LISTED) {
      const chars = [...name]
      chars.forEach((ch, i) => {
        for (const homoglyph of byPrototype.get(skeleton(ch).normalize('NFC')) ?? []) {
          tried++
          if (!alike(chars.with(i, homoglyph).join(''), name)) missed.push(`${hex(homoglyph)} for "${ch}" in ${name}`)
        }
      })
    }
    expect(missed).toEqual([])
    expect(tried).toBeGreaterThan(3000)
  })

  it('every invisible character (Default_Ignorable_Code_Point, format, control) slipped in anywhere', () => {
    const invisible = everyCharacter(/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/u)
    expect(invisible.length).toBeGreaterThan(4000)
    const missed = invisible.filter((c) => !alike(`${c}Qa${c}znet`, 'Qaznet') || !alike(`Russian${c} Trusted Root CA${c}`, 'Russian Trusted Root CA'))
    expect(missed.map(hex)).toEqual([])
  })

  it('every space character in place of a space, or inside a word', () => {
    const spaces = everyCharacter(/[\s\p{Z}]/u)
    const missed = spaces.filter((c) => !alike(`Russian${c}Trusted${c}${c}Root CA`, 'Russian Trusted Root CA') || !alike(`Qaz${c}net`, 'Qaznet'))
    expect(missed.map(hex)).toEqual([])
  })

  it('every nonspacing and enclosing combining mark, and every other mark or punctuation not drawn like a letter', () => {
    const marks = everyCharacter(/[\p{Mn}\p{Me}]/u)
    expect(marks.filter((c) => !alike(`Qa${c}z${c}${c}net`, 'Qaznet')).map(hex)).toEqual([])
    const others = everyCharacter(/[\p{Mc}\p{P}\p{S}]/u).filter((c) => !drawnLikeLetters(c))
    expect(others.length).toBeGreaterThan(6000)
    expect(others.filter((c) => !alike(`I${c}S${c}C${c}A`, 'ISCA')).map(hex)).toEqual([])
  })

  it('every styled form of a letter (full-width, mathematical, circled …) that Unicode maps back to it', () => {
    const styled = everyCharacter(/[\p{L}\p{N}\p{So}]/u).filter((c) => /^[A-Za-z]$/.test(c.normalize('NFKC')) && c !== c.normalize('NFKC'))
    expect(styled.length).toBeGreaterThan(700)
    // Where confusables.txt and NFKC disagree, confusables.txt wins (it says how a letter is drawn): the
    // long s "ſ" is drawn like f, and superscript or modifier letters are not drawn like their letter.
    const missed = styled.filter((c) => !alike(`Qaznet ${c}`, `Qaznet ${c.normalize('NFKC')}`) && skeleton(c) === c && !/\p{Lm}/u.test(c))
    expect(missed.map(hex)).toEqual([])
  })

  it('letter case, and the capitals that are drawn like other small letters', () => {
    for (const name of LISTED) {
      expect(alike(name.toUpperCase(), name), name).toBe(true)
      expect(alike(name.toLowerCase(), name), name).toBe(true)
    }
    expect(alike('INFORMATlON SECURlTY', 'Information Security')).toBe(true)
    expect(alike('1SCA', 'ISCA')).toBe(true)
    expect(alike('ΒANK', 'bank')).toBe(true) // Greek capital beta
    expect(alike('Qazneт', 'Qaznet')).toBe(true) // Cyrillic small te, whose prototype is the small capital ᴛ
  })
})

describe('comparison keys: as fast as they are right', () => {
  it('the ASCII path gives what the general path gives', () => {
    let seed = 15
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => String.fromCharCode(0x20 + Math.floor(random() * 95))).join('')
      const ascii = comparisonKeys(text)
      const general = comparisonKeys(text + 'é') // not ASCII: the general path; é adds "e"
      expect(general, JSON.stringify(text)).toEqual({ caseFirst: ascii.caseFirst + 'e', shapeFirst: ascii.shapeFirst + 'e' })
    }
  })

  it('maps each key character back to the character of the name it came from', () => {
    const name = 'Root Qа\u200Bz𝐧et CA'
    const { key, starts, ends } = keyedCharacters(name, 'caseFirst')
    expect(key).toBe('rootqaznetca')
    const at = key.indexOf('qaznet')
    expect(name.slice(starts[at]!, ends[at + 5]!)).toBe('Qа\u200Bz𝐧et')
  })
})
