/**
 * The look-alike rule: subject and issuer names compared with the blocklist's name patterns by
 * confusable skeleton (UTS #39, see confusables.ts), so the next re-run of an interception CA is
 * caught however its name is dressed up: letters of other scripts, invisible or bidi characters,
 * full-width or mathematical letters, odd spaces, accents, punctuation.
 *
 * - A name that is a listed name (up to letter case and spacing) gets the pattern's own rule:
 *   `lookalike` (high) for an interception CA, `government-ca` (medium) for a state CA.
 * - A name that matches only once its disguises are undone is a `lookalike` (high) whatever CA it
 *   imitates: a certificate authority writes its own name plainly, and one that disguises the name of
 *   a state CA is made to be trusted as that CA without being recognised.
 */
import type { Blocklist, NamePattern } from './blocklist.js'
import type { CertificateDetails } from './certificate.js'
import { comparisonKeys, keyedCharacters, type ComparisonKeys, type KeyVariant } from './confusables.js'
import { describeDisguise, mergeDisguises, plainForm, type NameDisguise } from './name-disguise.js'
import { attributeValues, type DistinguishedName } from './names.js'
import type { RuleMatch } from './rules.js'

interface PreparedPattern {
  readonly text: string
  readonly contains: boolean
  readonly plain: string
  readonly keys: ComparisonKeys
  readonly countryKeys: ComparisonKeys | null
}

/** Each pattern's keys, made once per pattern instead of once per certificate. */
const prepared = new WeakMap<NamePattern, PreparedPattern>()

function prepare(pattern: NamePattern): PreparedPattern {
  let ready = prepared.get(pattern)
  if (!ready) {
    const text = pattern.equals ?? pattern.contains ?? ''
    ready = {
      text,
      contains: pattern.equals === undefined,
      plain: plainForm(text),
      keys: comparisonKeys(text),
      countryKeys: pattern.country ? comparisonKeys(pattern.country) : null,
    }
    prepared.set(pattern, ready)
  }
  return ready
}

/** A name's attribute values by type, with their keys, found on first use: each is compared with several patterns. */
class NameValues {
  readonly #raw = new Map<string, string[]>()
  readonly #keys = new Map<string, ComparisonKeys[]>()

  constructor(private readonly name: DistinguishedName) {}

  raw(type: string): string[] {
    let values = this.#raw.get(type)
    if (!values) {
      values = attributeValues(this.name, type)
      this.#raw.set(type, values)
    }
    return values
  }

  keys(type: string): readonly ComparisonKeys[] {
    let keys = this.#keys.get(type)
    if (!keys) {
      keys = this.raw(type).map(comparisonKeys)
      this.#keys.set(type, keys)
    }
    return keys
  }
}

/** Which key variant of `value` equals (or contains) the pattern's, if any. */
function matchingVariant(value: ComparisonKeys, pattern: PreparedPattern): KeyVariant | null {
  // A pattern with no letters or digits would be contained in every name: it matches nothing.
  if (pattern.keys.caseFirst === '' || pattern.keys.shapeFirst === '') return null
  for (const variant of ['caseFirst', 'shapeFirst'] as const) {
    if (pattern.contains ? value[variant].includes(pattern.keys[variant]) : value[variant] === pattern.keys[variant]) return variant
  }
  return null
}

const HIDDEN_OR_MARK = /[\p{M}\p{Default_Ignorable_Code_Point}\p{Cf}]/u

/** The part of `value` whose key is the pattern's: the look-alike inside a longer name, with marks and invisible characters at its edges. */
function matchedPart(value: string, pattern: PreparedPattern, variant: KeyVariant): string {
  if (!pattern.contains) return value
  const { key, starts, ends } = keyedCharacters(value, variant)
  const at = key.indexOf(pattern.keys[variant])
  let start = starts[at]!
  let end = ends[at + pattern.keys[variant].length - 1]!
  for (let before = charBefore(value, start); before && HIDDEN_OR_MARK.test(before); before = charBefore(value, start)) start -= before.length
  for (let after = charAt(value, end); after && HIDDEN_OR_MARK.test(after); after = charAt(value, end)) end += after.length
  return value.slice(start, end)
}

function charAt(text: string, index: number): string {
  return index < text.length ? String.fromCodePoint(text.codePointAt(index)!) : ''
}

function charBefore(text: string, index: number): string {
  if (index <= 0) return ''
  const low = text.charCodeAt(index - 1)
  const pair = index >= 2 && low >= 0xdc00 && low <= 0xdfff && text.charCodeAt(index - 2) >= 0xd800 && text.charCodeAt(index - 2) <= 0xdbff
  return text.slice(pair ? index - 2 : index - 1, index)
}

/** Whether a name matches a pattern: undefined if not, else how it is disguised (null: not at all). */
function nameMatches(name: NameValues, pattern: NamePattern): NameDisguise | null | undefined {
  const ready = prepare(pattern)
  let countryDisguise: NameDisguise | null = null
  if (pattern.country) {
    const countries = name.raw('C')
    if (!countries.some((c) => c.toUpperCase() === pattern.country)) {
      const country = ready.countryKeys!
      const index = name.keys('C').findIndex((keys) => keys.caseFirst === country.caseFirst || keys.shapeFirst === country.shapeFirst)
      if (index < 0) return undefined
      countryDisguise = describeDisguise(countries[index]!, pattern.country)
    }
  }
  const keys = name.keys(pattern.attribute)
  for (let i = 0; i < keys.length; i++) {
    const variant = matchingVariant(keys[i]!, ready)
    if (!variant) continue
    const value = name.raw(pattern.attribute)[i]!
    if (ready.contains ? plainForm(value).includes(ready.plain) : plainForm(value) === ready.plain) return countryDisguise
    return mergeDisguises(describeDisguise(matchedPart(value, ready, variant), ready.text), countryDisguise)
  }
  return undefined
}

/** Interception look-alikes outrank state-CA names; the subject counts before the issuer. */
export function matchNamePatterns(details: CertificateDetails, blocklist: Blocklist): RuleMatch | null {
  let best: RuleMatch | null = null
  let subject: NameValues | undefined
  let issuer: NameValues | undefined
  // A root's issuer is its subject: one look is enough.
  const sameNames = details.issuer === details.subject
  for (const pattern of blocklist.namePatterns) {
    subject ??= new NameValues(details.subjectName)
    let disguise = nameMatches(subject, pattern)
    if (disguise === undefined) {
      if (sameNames) continue
      issuer ??= new NameValues(details.issuerName)
      disguise = nameMatches(issuer, pattern)
      if (disguise === undefined) continue
    }
    const entry = blocklist.byId.get(pattern.entryId)!
    const imitated = pattern.rule === 'lookalike' ? 'interception' : 'state-ca'
    const match: RuleMatch =
      pattern.rule === 'lookalike' || disguise
        ? { rule: 'lookalike', severity: 'high', entry, matchedBy: 'name', lookalikeOf: pattern.name, imitated, ...(disguise ? { disguise } : {}) }
        : { rule: 'government-ca', severity: 'medium', entry, matchedBy: 'name', lookalikeOf: pattern.name, imitated }
    if (match.rule === 'lookalike') return match
    best ??= match
  }
  return best
}
