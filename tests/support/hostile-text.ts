/**
 * Names an attacker picks for a certificate, a nickname, an alias or a file, to make CertAudit's own
 * output lie: an ESC sequence that clears the terminal and prints a fake green verdict, a right-to-left
 * override that reverses what follows, zero-width characters inside a familiar name, newlines that
 * start fake lines, and the rest of the controls and format characters. And the checks that what
 * people see shows each of them, and holds none of them raw.
 */
import { visible } from '../../src/audit/visible.js'

/** What the fake lines claim. */
export const FAKE_VERDICT = 'No dangerous certificates found'

/** One hostile name per trick; none holds `,` `+` `"` `\` `<` `>` `;` (RFC 4514 would escape them in a subject, hiding nothing). */
export const HOSTILE_NAMES = {
  /** Clears the screen, homes the cursor, prints a green all-clear. */
  clearScreen: `Evil\x1b[2J\x1b[H\x1b[32m${FAKE_VERDICT}\x1b[0m`,
  /** "Invoice exe.txt Root" on screen: the override reverses "txt.exe". */
  reversed: 'Invoice \u202Etxt.exe\u202C Root',
  /** Reads "Example Trust Services" and is not (a zero-width "Qaznet" would be a look-alike finding, titled by the list's name). */
  zeroWidth: 'Exa\u200Bmple\u200C Trust\u200D Ser\u2060vices\uFEFF',
  /** Fake lines, with a carriage return that would overwrite the start of a line. */
  fakeLines: `Ordinary CA\n\n${FAKE_VERDICT}.\r`,
  /** Isolates and marks: U+2066–2069, LRM, RLM, ALM. */
  isolates: 'iso \u2066a\u2069 \u2067b\u2069 \u2068c\u2069 \u200E\u200F\u061C end',
  /** Soft hyphen, line and paragraph separators, tab, DEL, NEL, a C1 CSI, a vertical tab. */
  others: 'soft\u00ADhyphen\u2028line\u2029para\ttab\x7fdel\x85nel\x9bcsi\x0bvt',
} as const

/** Every trick in one name (what a real certificate's CN or a nickname gets in the end-to-end tests). */
export const HOSTILE_NAME = Object.values(HOSTILE_NAMES).join(' ')

/** The escapes of {@link HOSTILE_NAME} people must see (src/audit/visible.ts writes `⟨U+XXXX⟩`). */
export const SHOWN_ESCAPES = [
  '⟨U+001B⟩[2J',
  '⟨U+001B⟩[32m',
  '⟨U+202E⟩txt.exe⟨U+202C⟩',
  'Exa⟨U+200B⟩mple⟨U+200C⟩',
  'Trust⟨U+200D⟩ Ser⟨U+2060⟩vices',
  '⟨U+FEFF⟩',
  'Ordinary CA⟨U+000A⟩⟨U+000A⟩',
  '⟨U+000D⟩',
  '⟨U+2066⟩a⟨U+2069⟩',
  '⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩',
  'soft⟨U+00AD⟩hyphen⟨U+2028⟩line⟨U+2029⟩para⟨U+0009⟩tab⟨U+007F⟩del⟨U+0085⟩nel⟨U+009B⟩csi⟨U+000B⟩vt',
] as const

/** Controls, format characters and separators that must never reach people raw. */
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u

/** The raw hidden characters in `text` (line feeds allowed: the output's own lines), as code points. */
export function rawHidden(text: string, allowed: readonly string[] = ['\n']): string[] {
  return [...text].filter((char) => RAW.test(char) && !allowed.includes(char)).map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
}

/**
 * What is wrong with output people see: a raw control or format character (but the line feeds between
 * its own lines), a line of its own that starts with the fake verdict, a trick of the hostile name not
 * shown. Empty when all is well. No test framework here: the window's tests (Playwright) use it too.
 */
export function showingProblems(output: string, escapes: readonly string[] = SHOWN_ESCAPES): string[] {
  const raw = rawHidden(output)
  return [
    ...(raw.length ? [`raw characters: ${raw.join(' ')}`] : []),
    ...output.split('\n').filter((line) => line.trimStart().startsWith(FAKE_VERDICT)).map((line) => `a fake line: ${JSON.stringify(line)}`),
    ...escapes.filter((escape) => !output.includes(escape)).map((escape) => `not shown: ${escape}`),
  ]
}

/** Throws, listing {@link showingProblems}, unless the output shows the hostile names safely. */
export function expectShownSafely(output: string, escapes: readonly string[] = SHOWN_ESCAPES): void {
  const problems = showingProblems(output, escapes)
  // The output itself is quoted shown, or the failure report would do on the terminal what the test caught.
  if (problems.length) throw new Error(`not shown safely:\n  ${problems.join('\n  ')}\n--- output, shown ---\n${visible(output)}`)
}
