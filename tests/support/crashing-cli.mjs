#!/usr/bin/env node
// The built CLI (dist/, as users run it) for crash tests. CERTAUDIT_FAULT=<step>[:n] kills it with
// SIGKILL right after that journal record is on disk (tests/support/crash-at.ts says how).
// CERTAUDIT_TOOL_FAULT kills it inside a tool it runs, together with the tool (tool-faults.mjs):
//   update-ca-certificates:at:N            at the instrumented script's N-th crash point
//   update-ca-certificates:rehash:CALL:N   inside openssl rehash, at its N-th CALL (unlink, symlink)
//   certutil:OP:SYSCALL:N                  certutil OP (-D, -A, -M) at its N-th SYSCALL
// Only tests run this file; the product has no fault hook of its own.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../dist/cli/main.js'
import { runCommand } from '../../dist/stores/shared/command.js'
import { faultyRunner, instrumentUpdateCaCertificates } from './tool-faults.mjs'

const [step, nth = '1'] = (process.env.CERTAUDIT_FAULT ?? '').split(':')
let seen = 0
const hooks = step ? { onJournalRecord: (record) => record.step === step && ++seen === Number(nth) && process.kill(process.pid, 'SIGKILL') } : {}

const toolFault = process.env.CERTAUDIT_TOOL_FAULT?.split(':')
if (toolFault?.[0] === 'update-ca-certificates') {
  const dir = mkdtempSync(join(tmpdir(), 'certaudit-crash-tool-'))
  const script = instrumentUpdateCaCertificates(dir)
  if (!script) throw new Error('the installed update-ca-certificates cannot be instrumented')
  const [, how, ...rest] = toolFault
  const fault = { tool: 'update-ca-certificates', script, counter: join(dir, 'count'), ...(how === 'at' ? { at: Number(rest[0]) } : { rehash: rest.join(':') }) }
  hooks.run = faultyRunner(runCommand, fault, 'kill-self')
} else if (toolFault?.[0] === 'certutil') {
  const [, op, syscall, n] = toolFault
  hooks.run = faultyRunner(runCommand, { tool: 'certutil', op, syscall, nth: Number(n) }, 'kill-self')
}

process.exitCode = await main(process.argv.slice(2), undefined, hooks)
