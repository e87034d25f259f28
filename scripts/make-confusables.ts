/**
 * Regenerates src/audit/confusables-data.ts from Unicode's confusables data:
 *   npx tsx scripts/make-confusables.ts                      the pinned file (scripts/data/unhomoglyph-1.0.6-data.json)
 *   npx tsx scripts/make-confusables.ts FILE --version 16.0.0 --source 'unicode.org confusables.txt'
 * FILE is a confusables.txt or a `{ "character": "prototype" }` JSON such as unhomoglyph's data.json
 * (`npm pack unhomoglyph` gives it: package/data.json). See scripts/lib/confusables-source.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { CONFUSABLES_FILE, PINNED_ORIGIN, PINNED_SOURCE_FILE, confusablesSource } from './lib/confusables-source.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { version: { type: 'string' }, source: { type: 'string' } },
})
const file = positionals[0] ?? PINNED_SOURCE_FILE
if (positionals[0] && !values.version) throw new Error('say which Unicode version the file is: --version X.Y.Z')
const origin = positionals[0] ? { unicodeVersion: values.version!, source: values.source ?? file } : PINNED_ORIGIN
writeFileSync(CONFUSABLES_FILE, confusablesSource(readFileSync(file, 'utf8'), origin))
console.log(`wrote ${CONFUSABLES_FILE} (Unicode ${origin.unicodeVersion}, from ${origin.source})`)
