/**
 * Text people see: machine-supplied strings (certificate names, nicknames, aliases, friendly names,
 * paths, tool output, problems that quote them) made safe to show in a terminal, the window and the
 * HTML report. A certificate's CN is chosen by whoever made the certificate: raw, an ESC sequence in it
 * clears the terminal and prints a fake verdict, a bidi override (U+202E) reverses what follows, a
 * zero-width character hides inside a name that looks like another, a newline starts a fake line.
 *
 * Every such character is shown as what it is, `⟨U+202E⟩`, and everything else is kept: ordinary
 * spaces, Latin, Cyrillic, Kazakh, Arabic, CJK, marks on letters. Shown as an escape:
 * - controls (Cc: C0, DEL, C1, so also tab and newline), format characters (Cf: bidi embeddings,
 *   overrides and isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, tags),
 *   line and paragraph separators (Zl, Zp);
 * - every other default-ignorable code point (Hangul fillers, variation selectors, CGJ): they draw
 *   nothing, which is all a look-alike name needs;
 * - spaces other than U+0020 (no-break, thin, ideographic…): they look like a space and are not one;
 * - private-use (Co) and unassigned (Cn) code points, and lone surrogates (Cs): no font draws them
 *   the same way twice, an unassigned one may be a format character of a later Unicode, and a lone
 *   surrogate cannot even be encoded;
 * - combining marks that sit on no letter or digit (they would draw over a quote, a bracket or our
 *   own escape), and any beyond {@link MAX_MARKS} on one letter ("Zalgo" text that paints over the
 *   lines around it). Up to that many on a letter stay: Vietnamese, Hebrew points, Indic vowel signs.
 *
 * The escape is not itself escaped (`⟨` stays `⟨`), so `visible(visible(x)) === visible(x)`: a value
 * may pass through it twice (a label made of names, then put into a sentence) without turning into
 * `⟨U+27E8⟩…`. The price: a name that spells `⟨U+202E⟩` in plain characters reads like one that holds
 * the character; that misleads nobody about anything hidden.
 *
 * Data stays raw: reports, JSON output, ids and the values the window sends back (skip lists) are never
 * passed through this; only the text put in front of a person is.
 *
 * This module imports nothing and uses only the language, so the window (renderer/) bundles this same
 * file (the one exception to "types only from src/", eslint.config.js) rather than a copy that could drift.
 */

/** Shown as an escape wherever they are (see above). Tested one by one against the categories. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/u
const MARK = /\p{M}/u
/** What a combining mark may sit on. */
const BASE = /[\p{L}\p{N}]/u
/** Text that needs no look at all: printable ASCII. */
const PLAIN = /^[\x20-\x7e]*$/

/** The most combining marks kept on one letter: stacks seen in real names (Vietnamese, Thai, Hebrew) stay under it. */
export const MAX_MARKS = 4

/** How one hidden code point is shown: `⟨U+202E⟩`, at least four hex digits, upper case (as Unicode writes them). */
export function escapeCodePoint(codePoint: number): string {
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`
}

/** `text` as people should see it: every control and invisible character shown as `⟨U+XXXX⟩`. */
export function visible(text: string): string {
  if (PLAIN.test(text)) return text
  let out = ''
  for (const run of textRuns(text)) out += run.hidden ? [...run.text].map((char) => escapeCodePoint(char.codePointAt(0)!)).join('') : run.text
  return out
}

/**
 * `text` cut into runs people can see as they are and runs {@link visible} shows as escapes (`hidden`),
 * in order: for whoever must write the hidden characters another way (a command to paste writes them
 * so its shell still gets them: src/stores/shared/command-text.ts).
 */
export function textRuns(text: string): { readonly text: string; readonly hidden: boolean }[] {
  const runs: { text: string; hidden: boolean }[] = []
  const add = (char: string, hidden: boolean) => {
    const last = runs.at(-1)
    if (last && last.hidden === hidden) last.text += char
    else runs.push({ text: char, hidden })
  }
  // Marks on the current letter so far; -1 when what precedes is not a letter or digit.
  let marks = -1
  // for…of walks code points; a lone surrogate comes as itself, and is \p{Cs}.
  for (const char of text) {
    if (HIDDEN.test(char)) {
      add(char, true)
      marks = -1
    } else if (MARK.test(char)) {
      const kept = marks >= 0 && marks < MAX_MARKS
      if (kept) marks++
      add(char, !kept)
    } else {
      marks = BASE.test(char) ? 0 : -1
      add(char, false)
    }
  }
  return runs
}

/**
 * A template for lines people read: every `${value}` passes through {@link visible}, the template's own
 * text (ours: newlines, colours, punctuation) does not. `shown\`${kind}: ${location} — ${entry}\``.
 */
export function shown(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  let out = strings[0]!
  values.forEach((value, i) => {
    out += visible(String(value)) + strings[i + 1]!
  })
  return out
}
