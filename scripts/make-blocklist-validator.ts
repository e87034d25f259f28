/**
 * Regenerates src/audit/blocklist-schema-validator.ts after resources/roots-blocklist.schema.json
 * changes:  npx tsx scripts/make-blocklist-validator.ts
 */
import { writeFileSync } from 'node:fs'
import { blocklistValidatorSource, VALIDATOR_FILE } from './lib/blocklist-validator-source.js'

writeFileSync(VALIDATOR_FILE, blocklistValidatorSource())
console.log(`wrote ${VALIDATOR_FILE}`)
