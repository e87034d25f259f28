/**
 * Keeps resources/roots-blocklist.json the public record, in two steps:
 *
 * 1. (optional) `--facts FILE`: rebuilds the entries named in a facts file (the shared corpus's
 *    facts.json: hashes, names, dates, sources), keeping the hand-written explanations already in
 *    the list; `--texts` supplies texts for new ones:
 *    `{ "<id>": { "explanation": {en,ru,kk}, "advice": {en,ru,kk} } }`.
 * 2. Always: brings the list up to Chromium's block list as pinned in
 *    scripts/data/chromium-blocklist.json (scripts/lib/chromium-entries.ts): one entry per file,
 *    hashes computed from the bytes, each authority's public key, group texts from
 *    scripts/data/chromium-groups.json.
 *
 *   npx tsx scripts/sync-blocklist.ts [--facts ../shared/corpus/facts.json] [--texts texts.json] [--version N]
 *   npx tsx scripts/sync-blocklist.ts --check     only report where the list and the pin disagree (exit 1)
 *
 * The result is validated with the same loader the app uses, and checked against the pin, before it is written.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { decodeOpensslEscapes } from './lib/openssl-names.js'
import { DEFAULT_BLOCKLIST_PATH, parseBlocklist, type BlocklistEntry, type LocalizedText, type NamePattern } from '../src/audit/blocklist.js'
import { loadGroups, mergeChromium } from './lib/chromium-entries.js'
import { loadPin, pinProblems } from './lib/chromium-pin.js'

interface Fact {
  id: string
  name: string
  category: BlocklistEntry['category']
  country: string | null
  subject: string | null
  issuer: string | null
  sha256: string | null
  spki_sha256: string | null
  sha1: string | null
  not_before: string | null
  not_after: string | null
  blocked_by: string[]
  references: string[]
  notes: string
}

type Texts = Record<string, { explanation: LocalizedText; advice: LocalizedText }>

const SEVERITY: Record<BlocklistEntry['category'], BlocklistEntry['severity']> = {
  'government-interception': 'critical',
  'government-ca-outside-root-programs': 'medium',
  'compromised-ca': 'high',
  'distrusted-ca': 'high',
  misissued: 'high',
  'leaked-private-key': 'high',
  'interception-software': 'high',
  test: 'high',
}

/** Names that betray the next re-run of a listed CA. Used only when the list has none yet. */
const INITIAL_NAME_PATTERNS: NamePattern[] = [
  { id: 'isca-organization', name: 'ISCA (Information Security Certification Authority, Kazakhstan)', entryId: 'kz-isca-ca-2020', rule: 'lookalike', attribute: 'O', equals: 'ISCA', country: 'KZ' },
  { id: 'isca-common-name', name: 'ISCA (Information Security Certification Authority, Kazakhstan)', entryId: 'kz-isca-2020-0643', rule: 'lookalike', attribute: 'CN', equals: 'Information Security Certification Authority' },
  { id: 'isca-ca-common-name', name: 'ISCA (Information Security Certification Authority, Kazakhstan)', entryId: 'kz-isca-ca-2020', rule: 'lookalike', attribute: 'CN', equals: 'Information Security Certification Authority CA' },
  { id: 'qaznet-common-name', name: 'Qaznet Trust Network (Kazakhstan)', entryId: 'kz-qaznet-2016', rule: 'lookalike', attribute: 'CN', contains: 'Qaznet' },
  { id: 'qaznet-organization', name: 'Qaznet Trust Network (Kazakhstan)', entryId: 'kz-qaznet-2016', rule: 'lookalike', attribute: 'O', contains: 'Qaznet' },
  { id: 'russian-trusted-root', name: 'Russian Trusted Root CA', entryId: 'ru-mincifry-root-2022', rule: 'government-ca', attribute: 'CN', equals: 'Russian Trusted Root CA' },
  { id: 'russian-trusted-sub', name: 'Russian Trusted Sub CA', entryId: 'ru-mincifry-sub-2024', rule: 'government-ca', attribute: 'CN', equals: 'Russian Trusted Sub CA' },
  { id: 'russian-mincifry-organization', name: 'Russian Trusted Root CA', entryId: 'ru-mincifry-root-2022', rule: 'government-ca', attribute: 'O', equals: 'The Ministry of Digital Development and Communications', country: 'RU' },
  { id: 'kazakhstan-root-2015', name: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (Kazakhstan)', entryId: 'kz-root-2015-nuc', rule: 'government-ca', attribute: 'CN', equals: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ' },
  { id: 'venezuela-suscerte', name: 'SUSCERTE (Venezuela)', entryId: 've-suscerte-root', rule: 'government-ca', attribute: 'CN', equals: 'Autoridad de Certificacion Raiz del Estado Venezolano' },
]

/** "CN=X (as listed by OONI; full DN not seen)" → the name, and the remark for the notes. */
function splitRemark(name: string | null): { name?: string; remark?: string } {
  if (!name) return {}
  const match = /^(.*?) \(((?:as listed|assumed)[^)]*)\)$/.exec(name)
  return match ? { name: decodeOpensslEscapes(match[1]!), remark: `subject ${match[2]}` } : { name: decodeOpensslEscapes(name) }
}

interface PreviousList {
  version: number
  entries: BlocklistEntry[]
  namePatterns?: NamePattern[]
}

/** The list as it is now, whose texts and name patterns are kept; null when there is none yet. */
function readPrevious(path: string): PreviousList | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PreviousList
  } catch {
    return null
  }
}

/** Entry fields in the schema's order, so the file reads the same whoever wrote each entry. */
const FIELD_ORDER = ['id', 'name', 'category', 'country', 'severity', 'sha256', 'spkiSha256', 'sha1', 'spki', 'subjectKeyId', 'subject', 'issuer', 'validity', 'blockedBy', 'references', 'notes', 'explanation', 'advice'] as const

function ordered(entry: BlocklistEntry): BlocklistEntry {
  const record = entry as unknown as Record<string, unknown>
  return Object.fromEntries(FIELD_ORDER.filter((k) => record[k] !== undefined).map((k) => [k, record[k]])) as unknown as BlocklistEntry
}

/** Step 1: the entries of a facts file, with the texts already written for them. */
function entriesFromFacts(factsPath: string, textsPath: string | undefined, previous: PreviousList | null): BlocklistEntry[] {
  const facts = JSON.parse(readFileSync(factsPath, 'utf8')) as Fact[]
  const texts: Texts = textsPath ? (JSON.parse(readFileSync(textsPath, 'utf8')) as Texts) : {}
  const oldEntries = new Map((previous?.entries ?? []).map((e) => [e.id, e]))
  const fromFacts = new Set(facts.map((f) => f.id))
  const built = facts.map((fact): BlocklistEntry => {
    const old = oldEntries.get(fact.id)
    const text: Texts[string] | undefined = texts[fact.id] ?? old
    if (!text) throw new Error(`No explanation for "${fact.id}": pass --texts with one`)
    const subject = splitRemark(fact.subject)
    const issuer = splitRemark(fact.issuer)
    const notes = [fact.notes, subject.remark, issuer.remark].filter(Boolean).join(' ')
    const validity = {
      ...(fact.not_before ? { notBefore: fact.not_before } : {}),
      ...(fact.not_after ? { notAfter: fact.not_after } : {}),
    }
    return {
      ...old, // keeps what later steps added (the CA key, Chromium's references)
      id: fact.id,
      name: fact.name,
      category: fact.category,
      country: fact.country,
      severity: SEVERITY[fact.category],
      ...(fact.sha256 ? { sha256: fact.sha256 } : {}),
      ...(fact.spki_sha256 ? { spkiSha256: fact.spki_sha256 } : {}),
      ...(fact.sha1 ? { sha1: fact.sha1 } : {}),
      ...(subject.name ? { subject: subject.name } : {}),
      ...(issuer.name ? { issuer: issuer.name } : {}),
      ...(Object.keys(validity).length ? { validity } : {}),
      blockedBy: [...new Set([...(old?.blockedBy ?? []), ...fact.blocked_by])],
      references: [...new Set([...fact.references, ...(old?.references ?? [])])],
      notes,
      explanation: text.explanation,
      advice: text.advice,
    }
  })
  // Entries the facts do not name (Chromium's, Kazakh and Russian additions) stay.
  return [...built, ...(previous?.entries ?? []).filter((e) => !fromFacts.has(e.id))]
}

function main(): void {
  const { values } = parseArgs({
    options: {
      facts: { type: 'string' },
      texts: { type: 'string' },
      out: { type: 'string', default: DEFAULT_BLOCKLIST_PATH },
      version: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
  })
  const previous = readPrevious(values.out)
  const pin = loadPin()
  if (values.check) {
    const problems = pinProblems(pin, parseBlocklist(previous))
    for (const problem of problems) console.log(problem)
    console.log(problems.length ? `${problems.length} problems` : `${values.out} covers all ${pin.files.length} files of Chromium's block list`)
    process.exitCode = problems.length ? 1 : 0
    return
  }
  const base = values.facts ? entriesFromFacts(values.facts, values.texts, previous) : (previous?.entries ?? [])
  const merged = mergeChromium(base, pin, loadGroups())
  const document = {
    $schema: './roots-blocklist.schema.json',
    version: values.version ? Number(values.version) : (previous?.version ?? 1),
    updated: new Date().toISOString().slice(0, 10),
    entries: merged.entries.map(ordered),
    namePatterns: previous?.namePatterns ?? INITIAL_NAME_PATTERNS,
  }
  const parsed = parseBlocklist(document) // refuse to write a list the app would refuse to load
  const problems = pinProblems(pin, parsed)
  writeFileSync(values.out, JSON.stringify(document, null, 2) + '\n')
  console.log(`Wrote ${document.entries.length} entries (${merged.added.length} added for Chromium's list) and ${document.namePatterns.length} name patterns to ${values.out}`)
  if (problems.length) {
    console.log(`Still short of the pinned Chromium list (${problems.length}):\n  ${problems.join('\n  ')}`)
    process.exitCode = 1
  }
}

main()
