/**
 * A small reader of XML property lists, the format `security trust-settings-export` writes (Apple's
 * TrustSettings::createExternal uses CFPropertyListCreateXMLData). Dictionaries become Maps, so a key
 * such as "__proto__" is only a key. Anything that is not a well-formed plist is an error: trust
 * settings that cannot be read must never be guessed.
 * Format: https://developer.apple.com/library/archive/documentation/Cocoa/Conceptual/PropertyLists/UnderstandXMLPlist/UnderstandXMLPlist.html
 */

export type PlistValue = string | number | boolean | Uint8Array | PlistDate | readonly PlistValue[] | ReadonlyMap<string, PlistValue>

/** A `<date>`, kept as the text it was written in. */
export interface PlistDate {
  readonly date: string
}

export class PlistError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlistError'
  }
}

/** Deeper than any real property list: past this a document is refused, before it could exhaust the stack. */
export const MAX_PLIST_DEPTH = 256

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeText(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10))
    const value = ENTITIES[name]
    if (value === undefined) throw new PlistError(`unknown entity ${whole}`)
    return value
  })
}

/** Parses an XML plist document and returns its one top-level value. */
export function parsePlist(xml: string): PlistValue {
  let at = 0
  /** The next tag, after whitespace, comments, the XML declaration and the DOCTYPE. */
  const nextTag = (): { name: string; closing: boolean; empty: boolean; end: number } => {
    for (;;) {
      const match = /\s*<(!--[\s\S]*?--|\?[\s\S]*?\?|!DOCTYPE[^>]*|\/?)([A-Za-z]*)([^>]*)>/y
      match.lastIndex = at
      const found = match.exec(xml)
      if (!found) throw new PlistError(at >= xml.trimEnd().length ? 'the document ends early (it may have been cut short)' : `unexpected text at character ${at}`)
      at = match.lastIndex
      if (found[1] !== '' && found[1] !== '/') continue // comment, declaration or DOCTYPE
      return { name: found[2]!, closing: found[1] === '/', empty: found[3]!.trimEnd().endsWith('/'), end: at }
    }
  }
  /** The text up to the closing tag `name`. */
  const textUntil = (name: string): string => {
    const close = xml.indexOf(`</${name}>`, at)
    if (close < 0) throw new PlistError(`<${name}> is never closed (the document may have been cut short)`)
    const text = xml.slice(at, close)
    if (text.includes('<')) throw new PlistError(`<${name}> holds markup`)
    at = close + name.length + 3
    return decodeText(text)
  }
  const value = (tag: ReturnType<typeof nextTag>, depth = 0): PlistValue => {
    if (tag.closing) throw new PlistError(`unexpected </${tag.name}>`)
    if (depth > MAX_PLIST_DEPTH) throw new PlistError(`values are nested more than ${MAX_PLIST_DEPTH} deep`)
    switch (tag.name) {
      case 'true':
      case 'false':
        if (!tag.empty) textUntil(tag.name)
        return tag.name === 'true'
      case 'string':
        return tag.empty ? '' : textUntil('string')
      case 'integer':
      case 'real': {
        const text = textUntil(tag.name).trim()
        const number = Number(text)
        if (text === '' || !Number.isFinite(number) || (tag.name === 'integer' && !/^[+-]?\d+$/.test(text))) throw new PlistError(`<${tag.name}>${text}</${tag.name}> is not a number`)
        return number
      }
      case 'data': {
        const text = tag.empty ? '' : textUntil('data').replace(/\s+/g, '')
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new PlistError('<data> is not base64')
        return new Uint8Array(Buffer.from(text, 'base64'))
      }
      case 'date':
        return { date: textUntil('date').trim() }
      case 'array': {
        const items: PlistValue[] = []
        if (tag.empty) return items
        for (let next = nextTag(); !(next.closing && next.name === 'array'); next = nextTag()) items.push(value(next, depth + 1))
        return items
      }
      case 'dict': {
        const entries = new Map<string, PlistValue>()
        if (tag.empty) return entries
        for (let next = nextTag(); !(next.closing && next.name === 'dict'); next = nextTag()) {
          if (next.name !== 'key' || next.closing) throw new PlistError(`<dict> holds <${next.name}> where a <key> belongs`)
          const key = next.empty ? '' : textUntil('key')
          if (entries.has(key)) throw new PlistError(`<dict> has the key "${key}" twice`)
          entries.set(key, value(nextTag(), depth + 1))
        }
        return entries
      }
      default:
        throw new PlistError(`unknown element <${tag.name}>`)
    }
  }
  const root = nextTag()
  if (root.name !== 'plist' || root.closing) throw new PlistError('the document is not a property list (no <plist>)')
  const result = value(nextTag())
  const close = nextTag()
  if (!(close.closing && close.name === 'plist')) throw new PlistError('more than one value in <plist>')
  if (xml.slice(at).trim() !== '') throw new PlistError('text after </plist>')
  return result
}

/** The value as a dictionary, or null. */
export function asDict(value: PlistValue | undefined): ReadonlyMap<string, PlistValue> | null {
  return value instanceof Map ? value : null
}
