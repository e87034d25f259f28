/**
 * Blocklists for tests: the bundled list plus entries for certificates the tests made, written to files
 * and signed with a test key (never the project's), so updates can be installed, tampered with and refused.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { DEFAULT_BLOCKLIST_PATH, parseBlocklist, type Blocklist, type BlocklistCategory } from '../../src/audit/blocklist.js'
import type { MadeCertificate } from './certificates.js'

export type BlocklistDocument = { version: number; updated: string; entries: Record<string, unknown>[]; namePatterns: unknown[] } & Record<string, unknown>

/** The bundled list as a plain document, to change and write. */
export function bundledDocument(): BlocklistDocument {
  return JSON.parse(readFileSync(DEFAULT_BLOCKLIST_PATH, 'utf8')) as BlocklistDocument
}

export interface ExtraEntry {
  readonly id: string
  readonly category?: BlocklistCategory
  readonly severity?: 'critical' | 'high' | 'medium'
  readonly name?: string
}

/** A blocklist entry for a certificate the test made. */
export function entryFor(cert: MadeCertificate, extra: ExtraEntry): Record<string, unknown> {
  const text = { en: 'A certificate made by the tests.', ru: 'Сертификат, созданный тестами.', kk: 'Тесттер жасаған сертификат.' }
  return {
    id: extra.id,
    name: extra.name ?? `Test entry ${extra.id}`,
    category: extra.category ?? 'government-interception',
    country: 'KZ',
    severity: extra.severity ?? 'critical',
    sha256: cert.sha256,
    spkiSha256: cert.spkiSha256,
    sha1: cert.sha1,
    blockedBy: [],
    references: [],
    explanation: text,
    advice: text,
  }
}

/** The bundled list with one more entry, parsed. */
export function blocklistWith(cert: MadeCertificate, extra: ExtraEntry): Blocklist {
  const document = bundledDocument()
  document.entries.push(entryFor(cert, extra))
  return parseBlocklist(document)
}

export interface SigningKey {
  readonly publicKey: KeyObject
  readonly privateKey: KeyObject
}

export function makeSigningKey(): SigningKey {
  return generateKeyPairSync('ed25519')
}

/** Writes `document` to `path` and its signature to `path.sig`; returns the path. */
export function writeSignedList(path: string, document: unknown, key: SigningKey): string {
  const bytes = Buffer.from(JSON.stringify(document, null, 2) + '\n')
  writeFileSync(path, bytes)
  writeFileSync(`${path}.sig`, sign(null, bytes, key.privateKey).toString('base64') + '\n')
  return path
}

/** The bundled list with a new version and date (and optionally more entries). */
export function listVersion(version: number, updated: string, extraEntries: Record<string, unknown>[] = []): BlocklistDocument {
  const document = bundledDocument()
  document.version = version
  document.updated = updated
  document.entries.push(...extraEntries)
  return document
}
