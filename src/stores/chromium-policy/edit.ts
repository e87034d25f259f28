/**
 * Takes one certificate out of a JSON policy file, keeping every other byte: each list item that
 * names it is cut out with the comma that separated it from its neighbour, so comments, indentation,
 * key order and the other certificates stay exactly as the administrator wrote them. The result is
 * parsed again and must list exactly the same certificates less the ones cut; otherwise nothing is
 * written (the caller gets null).
 */
import { sha256Hex } from '../../audit/certificate.js'
import { caPolicy, certificateOf, type CaPolicy } from './policies.js'
import { parsePolicyJson, plainValue, type JsonNode } from './policy-json.js'

type ArrayNode = Extract<JsonNode, { type: 'array' }>

/** Where a certificate is listed in a policy file: which policy, which list, which item. */
export interface Occurrence {
  readonly policy: CaPolicy
  readonly list: ArrayNode
  readonly index: number
}

/** Every list item of the file's CA policies that names the certificate `sha256`. */
export function occurrences(root: JsonNode, sha256: string): Occurrence[] {
  if (root.type !== 'object') return []
  const found: Occurrence[] = []
  for (const member of root.members) {
    const policy = caPolicy(member.key)
    if (!policy || member.value.type !== 'array') continue
    const list = member.value
    list.items.forEach((item, index) => {
      const der = certificateOf(policy, plainValue(item))
      if (der && sha256Hex(der) === sha256) found.push({ policy, list, index })
    })
  }
  return found
}

/** The certificates the file's CA policies list, as `policy sha256` strings, sorted (for comparing two versions of a file). */
function listed(root: JsonNode, bytes: Buffer): string[] {
  if (root.type !== 'object') return []
  return root.members
    .flatMap((member) => {
      const policy = caPolicy(member.key)
      if (!policy || member.value.type !== 'array') return []
      return member.value.items.map((item) => {
        const der = certificateOf(policy, plainValue(item))
        return `${policy} ${der ? sha256Hex(der) : `unreadable ${bytes.subarray(item.start, item.end).toString('latin1')}`}`
      })
    })
    .sort()
}

/**
 * The file without the items of policies `from` that name the certificate `sha256`, or null when there
 * is none to cut or the result would not be exactly that (then the file must be changed by hand).
 */
export function cutCertificate(bytes: Buffer, sha256: string, from: readonly CaPolicy[]): Buffer | null {
  let root: JsonNode
  try {
    root = parsePolicyJson(bytes)
  } catch {
    return null
  }
  const cut = occurrences(root, sha256).filter((o) => from.includes(o.policy))
  if (cut.length === 0) return null
  const ranges: (readonly [number, number])[] = []
  for (const list of new Set(cut.map((o) => o.list))) ranges.push(...rangesOf(list, new Set(cut.filter((o) => o.list === list).map((o) => o.index)), bytes))
  ranges.sort((a, b) => a[0] - b[0])
  const parts: Buffer[] = []
  let at = 0
  for (const [start, end] of ranges) {
    parts.push(bytes.subarray(at, start))
    at = end
  }
  parts.push(bytes.subarray(at))
  const result = Buffer.concat(parts)
  // The proof: the same certificates, less exactly the items cut.
  let after: JsonNode
  try {
    after = parsePolicyJson(result)
  } catch {
    return null
  }
  const expected = listed(root, bytes)
  for (const o of cut) expected.splice(expected.indexOf(`${o.policy} ${sha256}`), 1)
  return JSON.stringify(listed(after, result)) === JSON.stringify(expected) ? result : null
}

/**
 * The byte ranges to cut for items `removed` of one list. Items each on a line of their own (the
 * usual layout) go with their whole lines, so a comment on a neighbour's line stays; a removed last
 * item that had no comma after it takes the comma of the item now last. Otherwise each run of
 * removed items goes with the separator after it (up to the next kept item), or, at the end of the
 * list, with the separator before it; a list left empty keeps its brackets.
 */
function rangesOf(list: ArrayNode, removed: ReadonlySet<number>, bytes: Buffer): (readonly [number, number])[] {
  const items = list.items
  const lines = [...removed].map((i) => wholeLines(bytes, items[i]!))
  if (lines.every((range) => range !== null)) {
    const ranges: (readonly [number, number])[] = lines
    const last = items.length - 1
    const kept = items.map((_, i) => i).filter((i) => !removed.has(i))
    const newLast = kept[kept.length - 1]
    if (removed.has(last) && newLast !== undefined && commaAfter(bytes, items[last]!.end) === null) {
      const comma = commaAfter(bytes, items[newLast]!.end)
      if (comma !== null) ranges.push([comma, comma + 1])
    }
    return ranges
  }
  const ranges: (readonly [number, number])[] = []
  for (let first = 0; first < items.length; first++) {
    if (!removed.has(first)) continue
    let last = first
    while (removed.has(last + 1)) last++
    const next = items[last + 1]
    const previous = items[first - 1]
    if (next) ranges.push([items[first]!.start, next.start])
    else if (previous) ranges.push([previous.end, items[last]!.end])
    else ranges.push([items[first]!.start, (commaAfter(bytes, items[last]!.end) ?? items[last]!.end - 1) + 1])
    first = last
  }
  return ranges
}

const isBlank = (byte: number | undefined) => byte === 0x20 || byte === 0x09

/** The lines an item fills alone (only blanks before it on its first line; only its comma and blanks after it on its last), or null. */
function wholeLines(bytes: Buffer, item: JsonNode): readonly [number, number] | null {
  let start = item.start
  while (isBlank(bytes[start - 1])) start--
  if (start > 0 && bytes[start - 1] !== 0x0a) return null
  let end = commaAfter(bytes, item.end) ?? item.end - 1
  end++
  while (isBlank(bytes[end])) end++
  if (bytes[end] === 0x0d) end++
  return bytes[end] === 0x0a ? [start, end + 1] : null
}

/** The offset of a comma right after `at` (blanks and line breaks between allowed), or null. */
function commaAfter(bytes: Buffer, at: number): number | null {
  let i = at
  while (isBlank(bytes[i]) || bytes[i] === 0x0a || bytes[i] === 0x0d) i++
  return bytes[i] === 0x2c ? i : null
}
