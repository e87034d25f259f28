/**
 * Runs `certaudit remove` in its own process, killed part-way (as a power cut would) after the journal
 * record CERTAUDIT_FAULT names: the journal is left interrupted, for the window to offer finish or roll back.
 */
import { main } from '../../../src/cli/main.js'
import { crashAfter } from '../../support/crash-at.js'

process.exitCode = await main(process.argv.slice(2), undefined, crashAfter(process.env.CERTAUDIT_FAULT))
