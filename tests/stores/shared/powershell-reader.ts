/**
 * An independent reading of the PowerShell that CertAudit shows people to paste (command-text.ts), for
 * tests on a machine without PowerShell: the words of a command line, each a bare word, a single-quoted
 * literal (a quote, typographic ones included, written twice) or a parenthesised sum of literals and
 * `[char]0x…` / `[char]::ConvertFromUtf32(0x…)`. Anything else (a `$`, a backtick, a double-quoted
 * string: what PowerShell would expand or run) is refused, so a test passes only for text that is inert.
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
 */
const QUOTES = "'\u2018\u2019\u201a\u201b"
const LITERAL = new RegExp(`^'((?:[^${QUOTES}]|[${QUOTES}]{2})*)'`)
const CHAR = /^\[char\]0x([0-9A-F]+)/
const UTF32 = /^\[char\]::ConvertFromUtf32\(0x([0-9A-F]+)\)/
const BARE = /^[\w@%+=:,./-]+/

/** The argument array PowerShell would pass for `line`; throws on anything outside the inert subset. */
export function readPowerShell(line: string): string[] {
  let rest = line.startsWith('& ') ? line.slice(2) : line
  const words: string[] = []
  const literal = (): string | null => {
    const m = LITERAL.exec(rest)
    if (!m) return null
    rest = rest.slice(m[0].length)
    return m[1]!.replace(new RegExp(`([${QUOTES}])\\1`, 'g'), '$1')
  }
  while (rest.length) {
    let word: string | null = literal()
    if (word === null && rest.startsWith('(')) {
      rest = rest.slice(1)
      word = ''
      for (;;) {
        const text = literal()
        const m = text === null ? (UTF32.exec(rest) ?? CHAR.exec(rest)) : null
        if (text !== null) word += text
        else if (m) {
          word += String.fromCodePoint(parseInt(m[1]!, 16))
          rest = rest.slice(m[0].length)
        } else throw new Error(`not inert PowerShell at: ${rest}`)
        if (rest.startsWith(' + ')) rest = rest.slice(3)
        else if (rest.startsWith(')')) break
        else throw new Error(`not inert PowerShell at: ${rest}`)
      }
      rest = rest.slice(1)
    }
    if (word === null) {
      const m = BARE.exec(rest)
      if (!m) throw new Error(`not inert PowerShell at: ${rest}`)
      word = m[0]
      rest = rest.slice(m[0].length)
    }
    words.push(word)
    if (rest.startsWith(' ')) rest = rest.slice(1)
    else if (rest.length) throw new Error(`not inert PowerShell at: ${rest}`)
  }
  return words
}
