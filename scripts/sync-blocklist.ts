/**
 * Rebuilds resources/roots-blocklist.json from the corpus facts (hashes, names, dates, sources),
 * keeping the hand-written explanations and advice already in the list.
 *
 *   npx tsx scripts/sync-blocklist.ts --facts ../shared/corpus/facts.json [--texts texts.json] [--version N]
 *
 * --texts supplies explanations for new entries: `{ "<id>": { "explanation": {en,ru,kk}, "advice": {en,ru,kk} } }`.
 * The result is validated with the same loader the app uses before it is written.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { decodeOpensslEscapes } from './lib/openssl-names.js'
import { DEFAULT_BLOCKLIST_PATH, parseBlocklist, type BlocklistEntry, type LocalizedText, type NamePattern } from '../src/audit/blocklist.js'

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

function main(): void {
  const { values } = parseArgs({
    options: {
      facts: { type: 'string', default: '../shared/corpus/facts.json' },
      texts: { type: 'string' },
      out: { type: 'string', default: DEFAULT_BLOCKLIST_PATH },
      version: { type: 'string' },
    },
  })
  const facts = JSON.parse(readFileSync(values.facts, 'utf8')) as Fact[]
  const previous = readPrevious(values.out)
  const texts: Texts = values.texts ? (JSON.parse(readFileSync(values.texts, 'utf8')) as Texts) : {}
  const oldEntries = new Map((previous?.entries ?? []).map((e) => [e.id, e]))

  const entries = facts.map((fact): BlocklistEntry => {
    const text: Texts[string] | undefined = texts[fact.id] ?? oldEntries.get(fact.id)
    if (!text) throw new Error(`No explanation for "${fact.id}": pass --texts with one`)
    const subject = splitRemark(fact.subject)
    const issuer = splitRemark(fact.issuer)
    const notes = [fact.notes, subject.remark, issuer.remark].filter(Boolean).join(' ')
    const validity = {
      ...(fact.not_before ? { notBefore: fact.not_before } : {}),
      ...(fact.not_after ? { notAfter: fact.not_after } : {}),
    }
    return {
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
      blockedBy: fact.blocked_by,
      references: fact.references,
      notes,
      explanation: text.explanation,
      advice: text.advice,
    }
  })
  const document = {
    $schema: './roots-blocklist.schema.json',
    version: values.version ? Number(values.version) : (previous?.version ?? 1),
    updated: new Date().toISOString().slice(0, 10),
    entries,
    namePatterns: previous?.namePatterns ?? INITIAL_NAME_PATTERNS,
  }
  parseBlocklist(document) // refuse to write a list the app would refuse to load
  writeFileSync(values.out, JSON.stringify(document, null, 2) + '\n')
  console.log(`Wrote ${entries.length} entries and ${document.namePatterns.length} name patterns to ${values.out}`)
}

main()
