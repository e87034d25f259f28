#!/usr/bin/env node
// The built CLI (dist/, as users run it) for crash tests: CERTAUDIT_FAULT=<step>[:n] kills it with
// SIGKILL right after that journal record is on disk (tests/support/crash-at.ts says how). Only tests
// run this file; the product has no fault hook of its own.
import { main } from '../../dist/cli/main.js'

const [step, nth = '1'] = (process.env.CERTAUDIT_FAULT ?? '').split(':')
let seen = 0
const hooks = step ? { onJournalRecord: (record) => record.step === step && ++seen === Number(nth) && process.kill(process.pid, 'SIGKILL') } : {}
process.exitCode = await main(process.argv.slice(2), undefined, hooks)
