/**
 * Issue 14, class 3, through the built CLI: `certaudit remove` (and `undo`) really killed with SIGKILL
 * inside update-ca-certificates or certutil, the tool's whole process group with it, at a sample of
 * the points kill-inside-tools.test.ts sweeps in-process: while /etc/ssl/certs is being cleared,
 * while links are made, inside openssl rehash, right after the bundle is moved, and inside SQLite's
 * transactions of certutil -D. Then `certaudit resume` and `certaudit undo --yes` end with the store
 * exactly as a removal without a kill leaves it, and exactly as before, and report what is so.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ChangeReport } from '../../src/removal/engine.js'
import { ISOLATED_ENV } from '../support/isolated-env.js'
import { haveStrace, instrumentUpdateCaCertificates } from '../support/tool-faults.mjs'
import { FAULT_TOOLS_REASON, faultTempDir, faultToolsReady, findingId } from './machine.js'
import { storeState, toolMachine, type ToolMachine } from './tool-machine.js'

const BIN = fileURLToPath(new URL('../support/crashing-cli.mjs', import.meta.url))
const ready = faultToolsReady && haveStrace && instrumentUpdateCaCertificates(faultTempDir('certaudit-instrumented-')) !== null
const reason = !faultToolsReady ? FAULT_TOOLS_REASON : !haveStrace ? 'needs strace' : 'the installed update-ca-certificates is not the version these tests instrument'

function certaudit(machine: ToolMachine, args: readonly string[], fault?: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--home', machine.home, '--system-root', machine.root],
      { env: { ...ISOLATED_ENV, XDG_DATA_HOME: machine.data, LANG: 'C', ...(fault ? { CERTAUDIT_TOOL_FAULT: fault } : {}) } },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; signal?: string }) | null
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr })
      },
    )
  })
}

const statuses = (stdout: string) => (JSON.parse(stdout) as ChangeReport).results.map((r) => `${r.target.kind}:${r.status}`).sort()

/** States before and after a removal through the CLI without a kill. */
async function reference(): Promise<{ before: string; after: string }> {
  const machine = toolMachine()
  const before = storeState(machine)
  expect((await certaudit(machine, ['remove', '--finding', findingId, '--yes'])).code).toBe(0)
  return { before, after: storeState(machine) }
}

const REMOVAL_FAULTS = [
  'update-ca-certificates:at:1', // the first link cleared by --fresh
  'update-ca-certificates:at:9', // links cleared, bundle being built
  'update-ca-certificates:rehash:unlink:2',
  'update-ca-certificates:rehash:symlink:2',
  'certutil:-D:unlink:2', // between -D's trust and certificate transactions
  'certutil:-D:fdatasync:7', // inside a transaction: a hot journal
]

describe.skipIf(!ready)(`the built CLI killed inside its tools (${ready ? 'real tools, real SIGKILL' : `skipped: ${reason}`})`, { timeout: 300_000 }, () => {
  const ref = ready ? reference() : Promise.reject(new Error(reason))

  it.each(REMOVAL_FAULTS)('remove killed at %s: resume finishes exactly; undo puts everything back', async (fault) => {
    const { before, after } = await ref
    const machine = toolMachine()
    const killed = await certaudit(machine, ['remove', '--finding', findingId, '--yes'], fault)
    expect(killed.signal, killed.stderr).toBe('SIGKILL')
    const history = JSON.parse((await certaudit(machine, ['history', '--json'])).stdout) as { state: string }[]
    expect(history[0]?.state).toBe('interrupted')

    const resumed = await certaudit(machine, ['resume', '--json'])
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
    expect(statuses(resumed.stdout)).toEqual(['linux-system:removed', 'nss:removed'])
    // It says what it found: the entry whose tool was cut off was checked (and made whole) first.
    const killedKind = fault.startsWith('certutil') ? 'nss' : 'linux-system'
    expect((JSON.parse(resumed.stdout) as ChangeReport).results.find((r) => r.target.kind === killedKind)?.warnings[0]).toMatch(/^The last run stopped inside the tool that changes .+; CertAudit checked the store/)
    expect(storeState(machine)).toBe(after)

    const undone = await certaudit(machine, ['undo', '--yes', '--json'])
    expect(undone.code, undone.stdout + undone.stderr).toBe(0)
    expect(statuses(undone.stdout)).toEqual(['linux-system:restored', 'nss:restored'])
    expect(storeState(machine)).toBe(before)
  })

  it.each(['update-ca-certificates:at:12', 'certutil:-A:fdatasync:5'])('undo killed at %s: the next undo finishes it exactly', async (fault) => {
    const { before } = await ref
    const machine = toolMachine()
    expect((await certaudit(machine, ['remove', '--finding', findingId, '--yes'])).code).toBe(0)
    expect((await certaudit(machine, ['undo', '--yes'], fault)).signal).toBe('SIGKILL')
    const again = await certaudit(machine, ['undo', '--yes', '--json'])
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(statuses(again.stdout)).toEqual(['linux-system:restored', 'nss:restored'])
    expect(storeState(machine)).toBe(before)
  })
})
