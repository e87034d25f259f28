/**
 * Readers of the schedule formats, written from their specifications (not from src/guard's writers),
 * so a test can read back what CertAudit wrote and run it: systemd's Exec lines, desktop entries'
 * Exec key, and the Windows command line (CommandLineToArgvW's rules).
 */

/** Splits a systemd Exec line as systemd.service(5) "Command lines" says: specifiers, quotes, C escapes, `$$` in arguments. */
export function parseSystemdExec(line: string): string[] {
  const words: string[] = []
  let at = 0
  const text = line
  while (at < text.length) {
    while (text[at] === ' ' || text[at] === '\t') at++
    if (at >= text.length) break
    let word = ''
    if (text[at] === '"') {
      at++
      while (text[at] !== '"') {
        if (at >= text.length) throw new Error('unterminated quote')
        if (text[at] === '\\') {
          const next = text[at + 1]!
          word += next === 'n' ? '\n' : next === 't' ? '\t' : next
          at += 2
        } else word += text[at++]
      }
      at++
    } else {
      while (at < text.length && text[at] !== ' ') word += text[at++]
    }
    words.push(word)
  }
  // Specifiers (%%) in every word; $$ only in the arguments (systemd does not expand the executable's name).
  return words.map((w, i) => (i === 0 ? w.replace(/%%/g, '%') : w.replace(/%%/g, '%').replace(/\$\$/g, '$')))
}

/** The value of `key` in an INI-like file ([Section] key=value). */
export function iniValue(text: string, key: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1))
}

/** A desktop entry's Exec value as argv: string-value escapes first, then the Exec quoting rules, then `%%`. */
export function parseDesktopExec(value: string): string[] {
  const unescaped = value.replace(/\\([sntr\\])/g, (_, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]!)
  const words: string[] = []
  let at = 0
  while (at < unescaped.length) {
    while (unescaped[at] === ' ') at++
    if (at >= unescaped.length) break
    let word = ''
    if (unescaped[at] === '"') {
      at++
      while (unescaped[at] !== '"') {
        if (at >= unescaped.length) throw new Error('unterminated quote')
        if (unescaped[at] === '\\' && '"`$\\'.includes(unescaped[at + 1]!)) {
          word += unescaped[at + 1]
          at += 2
        } else word += unescaped[at++]
      }
      at++
    } else {
      while (at < unescaped.length && unescaped[at] !== ' ') word += unescaped[at++]
    }
    words.push(word.replace(/%%/g, '%'))
  }
  return words
}

/** Splits a Windows command line as CommandLineToArgvW does (the rules of the Microsoft C runtime). */
export function parseWindowsCommandLine(line: string): string[] {
  const args: string[] = []
  let at = 0
  while (at < line.length) {
    while (line[at] === ' ' || line[at] === '\t') at++
    if (at >= line.length) break
    let arg = ''
    let quoted = false
    while (at < line.length && (quoted || (line[at] !== ' ' && line[at] !== '\t'))) {
      let backslashes = 0
      while (line[at] === '\\') {
        backslashes++
        at++
      }
      if (line[at] === '"') {
        arg += '\\'.repeat(Math.floor(backslashes / 2))
        if (backslashes % 2 === 1) arg += '"'
        else if (quoted && line[at + 1] === '"') {
          arg += '"'
          at++
        } else quoted = !quoted
        at++
      } else {
        arg += '\\'.repeat(backslashes)
        if (at < line.length && (quoted || (line[at] !== ' ' && line[at] !== '\t'))) arg += line[at++]
      }
    }
    args.push(arg)
  }
  return args
}

/** XML text back to what it says (the five entities and numeric references). */
export function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(parseInt(e.slice(1), 10)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!,
  )
}
