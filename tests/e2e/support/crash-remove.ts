/**
 * Runs `certaudit remove` in its own process, so CERTAUDIT_FAULT can kill it part-way (as a power cut
 * would): the journal is left interrupted, for the window to offer finish or roll back.
 */
import { main } from '../../../src/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
