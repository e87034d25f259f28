import { describe, expect, it } from 'vitest'
import { MAX_JSON_DEPTH, parsePolicyJson, PolicyJsonError, plainValue, type JsonNode } from '../../../src/stores/chromium-policy/policy-json.js'

const parse = (text: string | Buffer) => parsePolicyJson(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'))
const plain = (text: string | Buffer) => plainValue(parse(text))

describe('Chromium policy JSON (JSON_PARSE_CHROMIUM_EXTENSIONS | JSON_ALLOW_TRAILING_COMMAS)', () => {
  it('reads what JSON.parse reads, the same', () => {
    const text = JSON.stringify({ a: [1, -2.5e3, true, false, null, 'x\u00e9\u{1F642}', { b: '\\"/\b\f\n\r\t\u0001' }], __proto__x: 1 })
    expect(plain(text)).toEqual(new Map<string, unknown>([['a', [1, -2500, true, false, null, 'x\u00e9\u{1F642}', new Map([['b', '\\"/\b\f\n\r\t\u0001']])]], ['__proto__x', 1]]))
  })

  it('takes what Chromium takes and JSON.parse refuses: comments, trailing commas, raw newlines, \\v and \\x escapes, a BOM', () => {
    const text = '\ufeff{\n  // the company root\n  "CACertificates": [ "MII\nB", /* old */ "MIIC", ],\n  "x": "\\x41\\v",\n}\n'
    expect(() => JSON.parse(text)).toThrow()
    expect(plain(text)).toEqual(new Map<string, unknown>([['CACertificates', ['MII\nB', 'MIIC']], ['x', 'A\v']]))
  })

  it('keeps the byte offsets of every value, non-ASCII text before it included', () => {
    const bytes = Buffer.from('{"ключ": "значение", "CACertificates": ["AAA", "BBB"]}', 'utf8')
    const root = parse(bytes) as Extract<JsonNode, { type: 'object' }>
    const list = root.members[1]!.value as Extract<JsonNode, { type: 'array' }>
    expect(list.items.map((i) => bytes.subarray(i.start, i.end).toString())).toEqual(['"AAA"', '"BBB"'])
    expect(bytes.subarray(root.members[0]!.keyStart, root.members[0]!.value.end).toString()).toBe('"ключ": "значение"')
  })

  it('refuses broken documents with the line and column, as an editor shows them', () => {
    for (const [text, message] of [
      ['{"a": [1, 2}', /expected , or \] at line 1, column 12/],
      ['{\n "a": \'x\'\n}', /unexpected character "'" at line 2, column 7/],
      ['{"a": "never closed', /string is never closed/],
      ['{"a": 1} trailing', /more text after the end/],
      ['{"a": /* open', /comment is never closed/],
      ['{"a": "\\q"}', /unknown escape/],
      ['', /ends where a value belongs/],
      ['{a: 1}', /expected a quoted key/],
    ] as const) {
      expect(() => parse(text), text).toThrow(PolicyJsonError)
      expect(() => parse(text), text).toThrow(message)
    }
  })

  it(`refuses values nested deeper than Chromium does (${MAX_JSON_DEPTH}), before the stack runs out`, () => {
    expect(() => parse('['.repeat(100_000))).toThrow(/nested more than 200 deep/)
    expect(plain(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeDefined()
  })

  it('keeps the last of a key written twice in a nested object', () => {
    expect(plain('{"a": {"k": 1, "k": 2}}')).toEqual(new Map([['a', new Map([['k', 2]])]]))
  })
})
