import { fileURLToPath } from 'node:url'
import type { ErrorObject } from 'ajv'
import { readRegularFileSync } from '../stores/shared/regular-file.js'
import { validate as matchesSchema } from './blocklist-schema-validator.js'
import { buildIssuerIndex, type IssuerIndex } from './issuers.js'

export type Language = 'en' | 'ru' | 'kk'
export type LocalizedText = Readonly<Record<Language, string>>

export type BlocklistCategory =
  | 'government-interception'
  | 'government-ca-outside-root-programs'
  | 'compromised-ca'
  | 'distrusted-ca'
  | 'misissued'
  | 'leaked-private-key'
  | 'interception-software'
  | 'test'

/** One known-bad certificate or key, as stored in resources/roots-blocklist.json. */
export interface BlocklistEntry {
  readonly id: string
  readonly name: string
  readonly category: BlocklistCategory
  readonly country: string | null
  readonly severity: 'critical' | 'high' | 'medium'
  readonly sha256?: string
  readonly spkiSha256?: string
  readonly sha1?: string
  /** The CA's SubjectPublicKeyInfo (DER, base64): proves what it issued (see issuers.ts). */
  readonly spki?: string
  /** The CA's subject key identifier (hex), where its key is not public. */
  readonly subjectKeyId?: string
  readonly subject?: string
  readonly issuer?: string
  readonly validity?: { readonly notBefore?: string; readonly notAfter?: string }
  readonly blockedBy: readonly string[]
  readonly references: readonly string[]
  readonly notes?: string
  readonly explanation: LocalizedText
  readonly advice: LocalizedText
}

/** Names that mark a look-alike of a listed CA: the next re-run with a fresh key. */
export interface NamePattern {
  readonly id: string
  readonly name: string
  readonly entryId: string
  readonly rule: 'lookalike' | 'government-ca'
  readonly attribute: 'CN' | 'O' | 'OU'
  readonly equals?: string
  readonly contains?: string
  readonly country?: string
}

interface BlocklistDocument {
  readonly version: number
  readonly updated: string
  readonly entries: readonly BlocklistEntry[]
  readonly namePatterns: readonly NamePattern[]
}

/** The validated list with its lookup indexes. */
export interface Blocklist extends BlocklistDocument {
  readonly bySha256: ReadonlyMap<string, BlocklistEntry>
  readonly bySpkiSha256: ReadonlyMap<string, BlocklistEntry>
  readonly bySha1: ReadonlyMap<string, BlocklistEntry>
  readonly byId: ReadonlyMap<string, BlocklistEntry>
  /** The listed CAs by name and key identifier, for the issued-by rule. */
  readonly issuers: IssuerIndex
}

export class BlocklistError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length ? `${message}:\n  ${details.join('\n  ')}` : message)
    this.name = 'BlocklistError'
  }
}

/** Where the bundled list lives, both in the source tree and in the built output (`dist/audit` → `resources`). */
export const DEFAULT_BLOCKLIST_PATH = fileURLToPath(new URL('../../resources/roots-blocklist.json', import.meta.url))
/**
 * resources/roots-blocklist.schema.json, compiled ahead of time (scripts/make-blocklist-validator.ts).
 * Ajv, not zod, for this one file: the blocklist is a public format (list authors, signed updates,
 * fleet tools validate it with any JSON Schema tool), so its schema is the JSON Schema document itself,
 * and Ajv's standalone code checks against exactly that with no schema compiled at start. Everything
 * CertAudit alone writes and reads back (IPC payloads, journals, backups) is checked with zod, whose
 * schemas give the TypeScript types too.
 */
const schemaValidator = matchesSchema as ((document: unknown) => boolean) & { errors?: ErrorObject[] | null }

function validate(document: unknown): asserts document is BlocklistDocument {
  if (!schemaValidator(document)) {
    throw new BlocklistError('The blocklist does not match its schema', (schemaValidator.errors ?? []).map(describeError))
  }
}

function describeError(error: ErrorObject): string {
  return `${error.instancePath || '(top level)'} ${error.message ?? 'is invalid'}`
}

/**
 * Validates a parsed blocklist document against the schema and builds its indexes.
 * Rejects duplicate ids and any hash that names two entries: one certificate must mean one thing.
 */
export function parseBlocklist(document: unknown): Blocklist {
  validate(document)
  const byId = new Map<string, BlocklistEntry>()
  const indexes = {
    sha256: new Map<string, BlocklistEntry>(),
    spkiSha256: new Map<string, BlocklistEntry>(),
    sha1: new Map<string, BlocklistEntry>(),
  }
  const duplicates: string[] = []
  for (const entry of document.entries) {
    if (byId.has(entry.id)) duplicates.push(`id "${entry.id}" is used twice`)
    byId.set(entry.id, entry)
    // What a browser blocks is never less than high: a medium or lower rating would hide it in a report.
    if (entry.blockedBy.length && entry.severity === 'medium') duplicates.push(`"${entry.id}" is blocked by ${entry.blockedBy.join(', ')} but rated medium`)
    for (const field of ['sha256', 'spkiSha256', 'sha1'] as const) {
      const hash = entry[field]
      if (!hash) continue
      const other = indexes[field].get(hash)
      // Two certificates may share a key (Chromium lists re-issues separately); only a repeated certificate hash is an error.
      if (other && field !== 'spkiSha256') duplicates.push(`${field} ${hash} is on both "${other.id}" and "${entry.id}"`)
      else if (!other) indexes[field].set(hash, entry)
    }
  }
  for (const pattern of document.namePatterns) {
    if (!byId.has(pattern.entryId)) duplicates.push(`name pattern "${pattern.id}" points at unknown entry "${pattern.entryId}"`)
  }
  if (duplicates.length) throw new BlocklistError('The blocklist has conflicting entries', duplicates)
  return {
    ...document,
    byId,
    bySha256: indexes.sha256,
    bySpkiSha256: indexes.spkiSha256,
    bySha1: indexes.sha1,
    issuers: buildIssuerIndex(document.entries),
  }
}

/** The official list is ~250 KB: a file this big is no blocklist, and is not read (a FIFO or /dev/zero never is). */
export const MAX_BLOCKLIST_BYTES = 16 * 1024 * 1024

/** Reads, validates and indexes a blocklist file (the bundled one by default). */
export function loadBlocklist(path: string = DEFAULT_BLOCKLIST_PATH): Blocklist {
  return parseBlocklistBytes(readBlocklistFile(path), path)
}

/** A blocklist file's bytes: a regular file of at most {@link MAX_BLOCKLIST_BYTES}, or a {@link BlocklistError} saying what it is. */
export function readBlocklistFile(path: string): Buffer {
  try {
    return readRegularFileSync(path, { maxBytes: MAX_BLOCKLIST_BYTES, what: 'blocklist' })
  } catch (error) {
    throw new BlocklistError(`Cannot read the blocklist ${path}: ${(error as Error).message}`)
  }
}

/** Parses, validates and indexes the bytes of a blocklist file named `path`. */
export function parseBlocklistBytes(bytes: Uint8Array, path: string): Blocklist {
  let document: unknown
  try {
    document = JSON.parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))
  } catch (error) {
    throw new BlocklistError(`Cannot read the blocklist ${path}: ${(error as Error).message}`)
  }
  return parseBlocklist(document)
}
