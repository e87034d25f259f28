/**
 * The one function for text people see: every control and invisible character is shown as `⟨U+XXXX⟩`,
 * everything people can read (spaces, Cyrillic, Kazakh, Arabic, CJK, accents on letters) stays itself.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeCodePoint, MAX_MARKS, shown, textRuns, visible } from '../../src/audit/visible.js'
import { HOSTILE_NAME, HOSTILE_NAMES, rawHidden, SHOWN_ESCAPES } from '../support/hostile-text.js'

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** The characters the issue names, written out by hand (not from the same regular expression). */
const NAMED = [
  ...range(0x00, 0x1f), // C0, tab and newline included
  0x7f, // DEL
  ...range(0x80, 0x9f), // C1
  ...range(0x202a, 0x202e), // bidi embeddings and overrides
  ...range(0x2066, 0x2069), // bidi isolates
  0x200e, 0x200f, 0x061c, // LRM, RLM, ALM
  0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, // zero-width space, non-joiner, joiner, word joiner, BOM
  0x00ad, // soft hyphen
  0x2028, 0x2029, // line and paragraph separators
]

describe('visible', () => {
  it.each(NAMED.map((cp) => [escapeCodePoint(cp), cp]))('shows %s as an escape, wherever it is', (escape, cp) => {
    const char = String.fromCodePoint(cp)
    expect(visible(char)).toBe(escape)
    expect(visible(`a${char}b`)).toBe(`a${escape}b`)
    expect(visible(`Қ${char}`)).toBe(`Қ${escape}`)
  })

  it('shows the other invisible characters too: tags, fillers, variation selectors, odd spaces, private use, unassigned, lone surrogates', () => {
    expect(visible('x\u{E0041}\u{E007F}')).toBe('x⟨U+E0041⟩⟨U+E007F⟩') // tag characters (hidden text)
    expect(visible('a\u3164b\u115Fc\uFFA0')).toBe('a⟨U+3164⟩b⟨U+115F⟩c⟨U+FFA0⟩') // Hangul fillers: letters that draw nothing
    expect(visible('a\uFE0F\u034F')).toBe('a⟨U+FE0F⟩⟨U+034F⟩') // variation selector, combining grapheme joiner
    expect(visible('a\u00A0b\u2009c\u3000d\u202Fe')).toBe('a⟨U+00A0⟩b⟨U+2009⟩c⟨U+3000⟩d⟨U+202F⟩e')
    expect(visible('\uE000\u{F0000}')).toBe('⟨U+E000⟩⟨U+F0000⟩')
    expect(visible('\u0378\u{E0080}')).toBe('⟨U+0378⟩⟨U+E0080⟩')
    expect(visible('a\uD800b\uDC00')).toBe('a⟨U+D800⟩b⟨U+DC00⟩')
    expect(visible('\u180E\u2064\u{1D173}')).toBe('⟨U+180E⟩⟨U+2064⟩⟨U+1D173⟩')
  })

  it('keeps what people read as it is: ASCII, spaces, Cyrillic, Kazakh, Arabic, CJK, emoji, accents on letters', () => {
    const readable = [
      'Qaznet Trust Network',
      'Russian Trusted Root CA',
      'Министерство цифрового развития',
      'Қазақстан Республикасы ӘәҒғҚқҢңӨөҰұҮүҺһІі',
      'شهادة الجذر',
      '中国金融认证中心',
      'Tiếng Việt Ελληνικά Ünïcödé',
      'e\u0301 a\u0308 n\u0303', // decomposed accents on letters
      'CA 🙂',
      'C:\\Users\\a\\cacerts /etc/ssl/certs',
    ]
    for (const text of readable) expect(visible(text)).toBe(text)
  })

  it('shows a combining mark that sits on no letter, and the marks past the limit on one', () => {
    expect(visible('\u0301x')).toBe('⟨U+0301⟩x')
    expect(visible('"\u0338"')).toBe('"⟨U+0338⟩"')
    expect(visible(' \u0301')).toBe(' ⟨U+0301⟩')
    const marks = '\u0300\u0301\u0302\u0303\u0304\u0305\u0306'
    expect(visible(`a${marks}`)).toBe(`a${marks.slice(0, MAX_MARKS)}⟨U+0304⟩⟨U+0305⟩⟨U+0306⟩`)
    expect(visible('\u202E\u0301')).toBe('⟨U+202E⟩⟨U+0301⟩') // not on our own escape either
  })

  it('shows every trick of the hostile names', () => {
    const out = visible(HOSTILE_NAME)
    expect(rawHidden(out, [])).toEqual([])
    for (const escape of SHOWN_ESCAPES) expect(out).toContain(escape)
    expect(visible(HOSTILE_NAMES.clearScreen)).toBe('Evil⟨U+001B⟩[2J⟨U+001B⟩[H⟨U+001B⟩[32mNo dangerous certificates found⟨U+001B⟩[0m')
  })

  it('on any text: nothing hidden comes out, shown twice is shown once, and text with nothing hidden is unchanged', () => {
    const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}]/u
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const out = visible(text)
        expect(hidden.test(out)).toBe(false)
        expect(visible(out)).toBe(out)
        if (!hidden.test(text) && !/\p{M}/u.test(text) && !/[^\S ]/u.test(text)) expect(out).toBe(text)
      }),
      { numRuns: 2000 },
    )
  })

  it('every code point is itself or its escape, never anything else', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const char = String.fromCodePoint(cp)
      const out = visible(char)
      if (out !== char && out !== escapeCodePoint(cp)) throw new Error(`U+${cp.toString(16)} became ${JSON.stringify(out)}`)
    }
  })

  it('textRuns: what visible() keeps and what it shows as escapes, in order', () => {
    expect(textRuns('ab\u202Ecd\u200B\u200Be\u0301\u0301x')).toEqual([
      { text: 'ab', hidden: false },
      { text: '\u202E', hidden: true },
      { text: 'cd', hidden: false },
      { text: '\u200B\u200B', hidden: true },
      { text: 'e\u0301\u0301x', hidden: false },
    ])
    expect(textRuns(' \u0301')).toEqual([{ text: ' ', hidden: false }, { text: '\u0301', hidden: true }])
  })

  it('shown`…` shows the values, not the template', () => {
    expect(shown`line\n  - ${'a\x1b[2Jb'}: ${3}`).toBe('line\n  - a⟨U+001B⟩[2Jb: 3')
  })
})
