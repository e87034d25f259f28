/**
 * src/audit/blocklist-schema-validator.ts is Ajv's code for resources/roots-blocklist.schema.json,
 * generated ahead of time so the CLI does not compile the schema on every start. It must stay the
 * schema's code and judge documents exactly as Ajv compiling the schema at run time does.
 */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { DEFAULT_BLOCKLIST_PATH, parseBlocklist } from '../../src/audit/blocklist.js'
import { validate } from '../../src/audit/blocklist-schema-validator.js'
import { AJV_OPTIONS, blocklistValidatorSource, SCHEMA_FILE, VALIDATOR_FILE } from '../../scripts/lib/blocklist-validator-source.js'

type Validator = ((document: unknown) => boolean) & { errors?: unknown[] | null }

describe('the precompiled blocklist schema validator', () => {
  it('is the code of the current schema (run "npx tsx scripts/make-blocklist-validator.ts" after changing the schema)', () => {
    expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(blocklistValidatorSource())
  })

  it('accepts and refuses what Ajv compiling the schema at run time does, with the same errors', () => {
    const atRunTime = new Ajv(AJV_OPTIONS).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object) as Validator
    const precompiled = validate as Validator
    const good = JSON.parse(readFileSync(DEFAULT_BLOCKLIST_PATH, 'utf8')) as { entries: Record<string, unknown>[]; namePatterns: unknown[] }
    const variants: unknown[] = [
      good,
      {},
      null,
      [],
      { ...good, version: 'one' },
      { ...good, entries: [{ ...good.entries[0], sha256: 'not hex', severity: 'apocalyptic', extra: 1 }] },
      { ...good, namePatterns: [{ id: 'x' }], unexpected: true },
      { ...good, entries: [...good.entries, good.entries[0]] },
    ]
    for (const document of variants) {
      expect(precompiled(document)).toBe(atRunTime(document))
      expect(precompiled.errors ?? null).toEqual(atRunTime.errors ?? null)
    }
    expect(() => parseBlocklist({ ...good, version: 'one' })).toThrow(/does not match its schema:\n {2}\/version must be integer/)
  })
})
