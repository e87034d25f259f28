/**
 * The shared corpus of real known-bad certificates (../shared/corpus beside the repository).
 * Tests that need it skip with a printed reason when it is absent; nothing from it is copied here.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface Fact {
  readonly id: string
  readonly name: string
  readonly category: string
  readonly country: string | null
  readonly subject: string | null
  readonly issuer: string | null
  readonly sha256: string | null
  readonly spki_sha256: string | null
  readonly sha1: string | null
  readonly not_before: string | null
  readonly not_after: string | null
  readonly pem_file: string | null
  readonly blocked_by: readonly string[]
  readonly references: readonly string[]
}

export const CORPUS_DIR = resolve(process.env.CERTAUDIT_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url)))
export const corpusAvailable = existsSync(join(CORPUS_DIR, 'facts.json'))
export const CORPUS_ABSENT_REASON = `the shared corpus is absent (looked for ${join(CORPUS_DIR, 'facts.json')}; set CERTAUDIT_CORPUS to its folder)`

if (!corpusAvailable) console.warn(`[skipped] corpus tests: ${CORPUS_ABSENT_REASON}`)

export function loadFacts(): Fact[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'facts.json'), 'utf8')) as Fact[]
}

/** The PEM text of a fact's file, or null when it has none. */
export function factPem(fact: Fact): string | null {
  return fact.pem_file ? readFileSync(join(CORPUS_DIR, fact.pem_file), 'utf8') : null
}

/** Facts with a certificate (not a bare key) in the corpus. */
export function certificateFacts(): Fact[] {
  return loadFacts().filter((f) => f.pem_file && !f.pem_file.endsWith('.key.pem'))
}

export { decodeOpensslEscapes } from '../../scripts/lib/openssl-names.js'
