/**
 * Chromium's policy files (Linux: /etc/opt/chrome/policies/managed/*.json …) as the browser reads
 * them, which is more than JSON.parse takes: ConfigDirPolicyLoader parses each file with
 * JSON_PARSE_CHROMIUM_EXTENSIONS | JSON_ALLOW_TRAILING_COMMAS, i.e. `//` and `/* *\/` comments,
 * trailing commas, raw newlines and control characters inside strings, `\v` and `\xHH` escapes, and a
 * UTF-8 byte order mark. A file JSON.parse refused would hide its certificates from the audit while
 * the browser trusts them.
 * https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/config_dir_policy_loader.cc
 * https://source.chromium.org/chromium/chromium/src/+/main:base/json/json_reader.h (the options)
 *
 * Every value keeps where it is in the file, in bytes (the text is read one byte per character), so
 * the writer can cut one certificate out and leave every other byte as it was.
 */

/** How deep Chromium's JSON parser lets values nest (base/json/json_parser.cc, kStackMaxDepth). */
export const MAX_JSON_DEPTH = 200

interface Span {
  /** Byte offset of the value's first byte. */
  readonly start: number
  /** Byte offset just past the value. */
  readonly end: number
}

export interface JsonMember {
  readonly key: string
  readonly keyStart: number
  readonly value: JsonNode
}

export type JsonNode = Span &
  (
    | { readonly type: 'object'; readonly members: readonly JsonMember[] }
    | { readonly type: 'array'; readonly items: readonly JsonNode[] }
    | { readonly type: 'string'; readonly value: string }
    | { readonly type: 'number'; readonly value: number }
    | { readonly type: 'boolean'; readonly value: boolean }
    | { readonly type: 'null' }
  )

/** Why a policy file cannot be read, and where (1-based line and column, as editors show them). */
export class PolicyJsonError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`)
    this.name = 'PolicyJsonError'
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

/** Parses a policy file's bytes as Chromium does; throws {@link PolicyJsonError}. */
export function parsePolicyJson(bytes: Uint8Array): JsonNode {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const text = buffer.toString('latin1') // one character per byte: offsets are byte offsets
  let at = text.startsWith('\xef\xbb\xbf') ? 3 : 0
  const fail = (message: string, where = at): never => {
    const before = text.slice(0, where)
    const line = before.split('\n').length
    throw new PolicyJsonError(message, line, where - before.lastIndexOf('\n'))
  }
  const skip = () => {
    for (;;) {
      const c = text[at]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') at++
      else if (text.startsWith('//', at)) {
        const end = text.indexOf('\n', at)
        at = end < 0 ? text.length : end + 1
      } else if (text.startsWith('/*', at)) {
        const end = text.indexOf('*/', at + 2)
        if (end < 0) fail('a /* comment is never closed (the file may have been cut short)')
        at = end + 2
      } else return
    }
  }
  const string = (): JsonNode => {
    const start = at++
    const parts: string[] = []
    let run = at
    const flush = () => parts.push(Buffer.from(text.slice(run, at), 'latin1').toString('utf8'))
    for (;;) {
      if (at >= text.length) fail('a string is never closed (the file may have been cut short)', start)
      const c = text[at]!
      if (c === '"') break
      if (c !== '\\') {
        at++
        continue
      }
      flush()
      const e = text[at + 1]
      if (e !== undefined && SIMPLE_ESCAPES[e] !== undefined) {
        parts.push(SIMPLE_ESCAPES[e])
        at += 2
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
        parts.push(String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16)))
        at += 6
      } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(at + 2, at + 4))) {
        parts.push(String.fromCharCode(parseInt(text.slice(at + 2, at + 4), 16)))
        at += 4
      } else fail('an unknown escape sequence in a string')
      run = at
    }
    flush()
    at++
    return { type: 'string', start, end: at, value: parts.join('') }
  }
  const value = (depth: number): JsonNode => {
    if (depth > MAX_JSON_DEPTH) fail(`values are nested more than ${MAX_JSON_DEPTH} deep`)
    skip()
    const start = at
    const c = text[at]
    if (c === '{' || c === '[') {
      at++
      const close = c === '{' ? '}' : ']'
      const members: JsonMember[] = []
      const items: JsonNode[] = []
      for (;;) {
        skip()
        if (text[at] === close) break
        if (c === '{') {
          if (text[at] !== '"') fail('expected a quoted key or }')
          const keyStart = at
          const key = string()
          skip()
          if (text[at] !== ':') fail('expected : after a key')
          at++
          members.push({ key: (key as { value: string }).value, keyStart, value: value(depth + 1) })
        } else items.push(value(depth + 1))
        skip()
        if (text[at] === ',') at++ // a comma before the closing bracket is allowed (trailing comma)
        else if (text[at] !== close) fail(`expected , or ${close}`)
      }
      at++
      return c === '{' ? { type: 'object', start, end: at, members } : { type: 'array', start, end: at, items }
    }
    if (c === '"') return string()
    const word = /^(?:true|false|null)\b/.exec(text.slice(at, at + 6))?.[0]
    if (word) {
      at += word.length
      return word === 'null' ? { type: 'null', start, end: at } : { type: 'boolean', start, end: at, value: word === 'true' }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 400))?.[0]
    if (number) {
      at += number.length
      return { type: 'number', start, end: at, value: Number(number) }
    }
    return fail(at >= text.length ? 'the file ends where a value belongs (it may have been cut short)' : `unexpected character "${c}"`)
  }
  const root = value(0)
  skip()
  if (at < text.length) fail('more text after the end of the document')
  return root
}

/** A value without its positions: objects as Maps (a key such as "__proto__" stays a key), arrays as arrays. */
export type PlainValue = string | number | boolean | null | readonly PlainValue[] | ReadonlyMap<string, PlainValue>

/** The node's value; of a key written twice in one object, the last value is kept. */
export function plainValue(node: JsonNode): PlainValue {
  switch (node.type) {
    case 'object':
      return new Map(node.members.map((m) => [m.key, plainValue(m.value)]))
    case 'array':
      return node.items.map(plainValue)
    case 'null':
      return null
    default:
      return node.value
  }
}
