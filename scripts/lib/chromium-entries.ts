/**
 * Brings the roots blocklist up to the pinned Chromium list: one entry per file of
 * net/data/ssl/blocklist, with both hashes (and SHA-1, names and dates) computed from the file's
 * bytes, the CA's public key where the file is an authority or a bare key (so the issued-by rule can
 * prove what it issued), and the texts of its README group (scripts/data/chromium-groups.json).
 * Entries already in the list keep their id, category and texts; only their facts are refreshed.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { BlocklistEntry, LocalizedText } from '../../src/audit/blocklist.js'
import { entriesFor, isAuthority, pinnedFiles, type PinDocument, type PinnedFile } from './chromium-pin.js'

export const CHROMIUM_GROUPS_PATH = fileURLToPath(new URL('../data/chromium-groups.json', import.meta.url))
const README_URL = 'https://chromium.googlesource.com/chromium/src/+/main/net/data/ssl/blocklist/README.md'

type Text = { readonly explanation: LocalizedText; readonly advice: LocalizedText }

export interface GroupsDocument {
  readonly kinds: Readonly<Record<'ca' | 'leaf' | 'key', Text>>
  readonly groups: Readonly<
    Record<string, { readonly slug: string; readonly category: BlocklistEntry['category']; readonly country: string | null; readonly references: readonly string[]; readonly story: LocalizedText }>
  >
}

export function loadGroups(path: string = CHROMIUM_GROUPS_PATH): GroupsDocument {
  return JSON.parse(readFileSync(path, 'utf8')) as GroupsDocument
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The entries with every pinned file covered; returns the new list and what changed, for the log. */
export function mergeChromium(entries: readonly BlocklistEntry[], pin: PinDocument, groups: GroupsDocument): { entries: BlocklistEntry[]; added: string[]; updated: string[] } {
  const out = entries.map((e) => ({ ...e }) as Mutable<BlocklistEntry>)
  const added: string[] = []
  const updated: string[] = []
  for (const file of pinnedFiles(pin)) {
    if (file.namedBy === null) throw new Error(`${file.name}: the pinned bytes do not hash to the file name; fix the pin first`)
    const [existing] = entriesFor(file, out)
    if (existing) {
      refresh(existing, file)
      // Entries this script made follow their group's texts as they change; hand-written ones keep theirs.
      if (existing.id.startsWith('chromium-')) Object.assign(existing, texts(file, groups), { notes: notesFor(file) })
      updated.push(existing.id)
    } else {
      const entry = create(file, groups)
      out.push(entry)
      added.push(entry.id)
    }
  }
  return { entries: out, added, updated }
}

function kindOf(file: PinnedFile): 'ca' | 'leaf' | 'key' {
  if (file.kind === 'key') return 'key'
  return isAuthority(file) ? 'ca' : 'leaf'
}

/** Facts from the bytes, laid over an entry: hashes, names, dates, the CA key, blockedBy, the file's URL. */
function refresh(entry: Mutable<BlocklistEntry>, file: PinnedFile): void {
  if (file.sha256 && file.kind === 'certificate') entry.sha256 = file.sha256
  if (file.spkiSha256) entry.spkiSha256 = file.spkiSha256
  if (file.sha1) entry.sha1 = file.sha1
  const d = file.details
  if (d) {
    entry.subject = d.subject
    entry.issuer = d.issuer
    entry.validity = { notBefore: d.notBefore.replace(/\.\d+Z$/, 'Z'), notAfter: d.notAfter.replace(/\.\d+Z$/, 'Z') }
    if (d.isCA && d.subjectKeyId) entry.subjectKeyId = d.subjectKeyId
  }
  // Public keys are data: with it the engine proves, by signature, what this authority issued.
  if (file.spki && kindOf(file) !== 'leaf') entry.spki = file.spki.toString('base64')
  const blockedBy = new Set(entry.blockedBy)
  blockedBy.add('chromium')
  if (file.knownInterception) blockedBy.add('chromium-known-interception')
  entry.blockedBy = [...blockedBy]
  if (entry.severity === 'medium') entry.severity = 'high' // what a browser blocks is at least high
  const references = new Set(entry.references)
  references.add(README_URL)
  references.add(file.url)
  entry.references = [...references]
}

function groupOf(file: PinnedFile, groups: GroupsDocument): GroupsDocument['groups'][string] {
  const group = groups.groups[file.group]
  if (!group) throw new Error(`${file.name} is in Chromium's group "${file.group}", which scripts/data/chromium-groups.json does not describe`)
  return group
}

/** The group's story, then what this kind of certificate can do; the advice for its kind. */
function texts(file: PinnedFile, groups: GroupsDocument): Text {
  const kind = groups.kinds[kindOf(file)]
  const { story } = groupOf(file, groups)
  return {
    explanation: { en: `${story.en} ${kind.explanation.en}`, ru: `${story.ru} ${kind.explanation.ru}`, kk: `${story.kk} ${kind.explanation.kk}` },
    advice: kind.advice,
  }
}

function create(file: PinnedFile, groups: GroupsDocument): Mutable<BlocklistEntry> {
  const group = groupOf(file, groups)
  const commonName = file.details ? /(?:^|,)CN=((?:\\,|[^,])+)/.exec(file.details.subject)?.[1]?.replace(/\\(.)/g, '$1') : undefined
  const entry: Mutable<BlocklistEntry> = {
    id: `chromium-${group.slug}-${file.nameHash.slice(0, 8)}`,
    name: `${commonName ?? (file.kind === 'key' ? 'Public key' : 'Certificate')} (Chromium block list: ${file.group})`,
    category: group.category,
    country: group.country,
    severity: group.category === 'government-interception' ? 'critical' : 'high',
    blockedBy: [],
    references: [...group.references],
    notes: notesFor(file),
    ...texts(file, groups),
  }
  refresh(entry, file)
  return entry
}

/** Where the entry's facts come from: the file, its README group, and where its bytes were read. */
function notesFor(file: PinnedFile): string {
  const where = file.copiedFrom
    ? `, bytes read from a copy of Chromium's tree (${file.copiedFrom}) and checked against the file name`
    : file.commit
      ? `, read at commit ${file.commit}`
      : ''
  return `Chromium's ${file.name} (README group "${file.group}")${where}.`
}
