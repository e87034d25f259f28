/**
 * Bad input for the blocklist: any JSON value, the real list with fields dropped, retyped, repeated
 * or swollen, signed and unsigned, with broken signatures, as files to install and as the installed
 * list on disk. parseBlocklist answers or throws BlocklistError; verification and installation
 * answer with an error code and a message; nothing takes a second.
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BlocklistError, DEFAULT_BLOCKLIST_PATH, parseBlocklist } from '../../src/audit/blocklist.js'
import { verifySignedBlocklist } from '../../src/audit/blocklist-signature.js'
import { installBlocklist, loadActiveBlocklist } from '../../src/audit/blocklist-store.js'
import { tempDir } from '../support/temp.js'
import { expectStructured, FUZZ_TIMEOUT_MS, runs, withinASecond, withinASecondAsync } from './fuzz-support.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
const original = JSON.parse(readFileSync(DEFAULT_BLOCKLIST_PATH, 'utf8')) as { [key: string]: Json }
const { publicKey, privateKey } = generateKeyPairSync('ed25519')
const CODES = new Set(['missing-signature', 'malformed-signature', 'bad-signature', 'invalid-list', 'unreadable', 'downgrade', 'write-failed'])

/** One edit somewhere in a JSON document: a path (indexes taken modulo what is there) and what to do there. */
const edit = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  action: fc.oneof(
    fc.constant({ kind: 'delete' as const }),
    fc.constant({ kind: 'duplicate' as const }),
    fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: 'set' as const, value: value as Json })),
    fc.integer({ min: 1000, max: 200_000 }).map((n) => ({ kind: 'set' as const, value: 'x'.repeat(n) as Json })),
  ),
})

type Edit = { readonly path: readonly number[]; readonly action: { readonly kind: 'delete' | 'duplicate' } | { readonly kind: 'set'; readonly value: Json } }

/** The document with each edit made at the place its path leads to. */
function applyEdits(document: Json, edits: readonly Edit[]): Json {
  const copy = structuredClone(document)
  for (const { path, action } of edits) {
    let parent: Json = copy
    for (let depth = 0; depth < path.length; depth++) {
      if (parent === null || typeof parent !== 'object') break
      const keys = Array.isArray(parent) ? parent.map((_, i) => i) : Object.keys(parent)
      if (keys.length === 0) break
      const key = keys[path[depth]! % keys.length]!
      const container = parent as Record<string | number, Json>
      if (depth < path.length - 1 && container[key] !== null && typeof container[key] === 'object') {
        parent = container[key]!
        continue
      }
      if (action.kind === 'set') container[key] = action.value
      else if (Array.isArray(parent) && action.kind === 'delete') parent.splice(key as number, 1)
      else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]!))
      else if (action.kind === 'delete') delete container[key]
      else container[`${key}-copy`] = structuredClone(container[key]!)
      break
    }
  }
  return copy
}

function parseAnything(document: unknown): void {
  try {
    withinASecond(() => parseBlocklist(document), 'parseBlocklist')
  } catch (error) {
    expectStructured(error, [BlocklistError], 'parseBlocklist')
  }
}

const signed = (bytes: Buffer) => sign(null, bytes, privateKey).toString('base64')

describe('fuzz: blocklist', () => {
  it('any JSON value is a blocklist or a BlocklistError', () => {
    fc.assert(fc.property(fc.jsonValue(), parseAnything), { numRuns: runs(400) })
  }, FUZZ_TIMEOUT_MS)

  it('the real list with fields dropped, retyped, duplicated or swollen is a blocklist or a BlocklistError', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => parseAnything(applyEdits(original, edits))), { numRuns: runs(400) })
  }, FUZZ_TIMEOUT_MS)

  it('signed, unsigned, re-signed or corrupted bytes: verification answers with an error code, never throws', () => {
    const signatureText = fc.oneof(fc.constant(null), fc.string({ maxLength: 100 }), fc.base64String({ maxLength: 100 }))
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), fc.uint8Array({ maxLength: 64 }), fc.constantFrom('signed', 'random', 'none'), signatureText, (edits, noise, how, text) => {
        const bytes = Buffer.concat([Buffer.from(JSON.stringify(applyEdits(original, edits))), Buffer.from(noise)])
        const signature = how === 'signed' ? signed(bytes) : how === 'random' ? text : null
        const result = withinASecond(() => verifySignedBlocklist(bytes, signature, [publicKey], 'fuzz.json'), 'verifySignedBlocklist')
        if (!result.ok) {
          expect(CODES.has(result.error.code), result.error.code).toBe(true)
          expect(result.error.message.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('installing damaged signed lists, and starting with a damaged installed list, are answered with reasons', async () => {
    const dir = tempDir('certaudit-fuzz-blocklist-')
    const options = { dir: join(dir, 'installed'), publicKeys: [publicKey] }
    const file = join(dir, 'update.json')
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { maxLength: 3 }), fc.boolean(), async (edits, newer) => {
        const document = applyEdits(original, edits)
        if (newer && document !== null && typeof document === 'object' && !Array.isArray(document)) document.version = Number(original.version) + 1
        const bytes = Buffer.from(JSON.stringify(document))
        writeFileSync(file, bytes)
        writeFileSync(`${file}.sig`, signed(bytes))
        const result = await withinASecondAsync(() => installBlocklist(file, options), 'installBlocklist')
        if (!result.ok) expect(CODES.has(result.error.code), result.error.code).toBe(true)
        // Whatever was installed, the next start finds a usable list (the bundled one if need be).
        const active = withinASecond(() => loadActiveBlocklist(options), 'loadActiveBlocklist')
        expect(active.blocklist.entries.length).toBeGreaterThan(0)
      }),
      { numRuns: runs(40) },
    )
  }, FUZZ_TIMEOUT_MS)
})
