/**
 * Stores that cannot be changed, or tools that go away, during a removal:
 * - a read-only store (the NSS profile and the Debian anchor folder on read-only bind mounts as
 *   root, or without write permission otherwise): both entries fail, each naming the command and
 *   what it said; the backups stay; undo and a later removal work once the store is writable;
 * - certutil disappearing mid-run (a command runner that answers ENOENT for certutil from a chosen
 *   moment): the NSS entry fails or is verified without it, in words; undo without certutil says so
 *   and keeps the backup; with certutil back, undo restores everything.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeDir } from '../../src/removal/data-dir.js'
import { applyPlan, undoChange, type RemovalContext } from '../../src/removal/engine.js'
import { planRemoval } from '../../src/removal/plan.js'
import { runCommand, type CommandRunner } from '../../src/stores/shared/command.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { createElevation } from '../../src/stores/index.js'
import { cli, FAULT_TOOLS_REASON, faultToolsReady, findingId, fingerprint, plantMachine, qaznet, scanMachine, type Machine } from './machine.js'

const isRoot = process.getuid?.() === 0

/** Makes the folders read-only for everyone, root included where mounts allow; returns the undo. */
function readOnly(dirs: readonly string[]): (() => void) | null {
  if (!isRoot) {
    for (const dir of dirs) chmodSync(dir, 0o555)
    return () => dirs.forEach((dir) => chmodSync(dir, 0o755))
  }
  const mounted: string[] = []
  try {
    for (const dir of dirs) {
      execFileSync('mount', ['--bind', dir, dir], { stdio: 'pipe' })
      mounted.push(dir)
      execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'pipe' })
    }
  } catch {
    mounted.forEach((dir) => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }))
    return null
  }
  return () => mounted.forEach((dir) => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }))
}

/** A command runner on which certutil exists until `gone()` says it no longer does. */
function vanishingCertutil(gone: (args: readonly string[]) => boolean): CommandRunner {
  return (command, args, options) =>
    command === 'certutil' && gone(args)
      ? Promise.resolve({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn certutil ENOENT' })
      : runCommand(command, args, options)
}

function contextWith(machine: Machine, run: CommandRunner): RemovalContext {
  const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: machine.env.env, run })
  return { env, elevation: createElevation(env) }
}

/** The backups of a change: every planned entry's file, read back and holding the certificate. */
function expectBackupsKept(machine: Machine, changeId: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const file = join(changeDir(machine.env, changeId), 'backups', `${String(i).padStart(3, '0')}.json`)
    expect(existsSync(file), file).toBe(true)
    expect((JSON.parse(readFileSync(file, 'utf8')) as { target: { sha256: string } }).target.sha256).toBe(qaznet.sha256)
  }
}

describe('broken stores and vanishing tools during a removal', () => {
  if (!faultToolsReady) {
    it.skip(`skipped: ${FAULT_TOOLS_REASON}`, () => {})
    return
  }

  it('a read-only store: each entry fails with the command and what it said, backups kept, undo and a later removal work', async (context) => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    const writable = readOnly([machine.profile, dirname(machine.anchor)])
    if (!writable) {
      context.skip('bind mounts are not allowed here, and as root permissions do not make a folder read-only')
      return
    }
    let result
    try {
      result = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
      expect(await fingerprint(machine)).toEqual(before)
    } finally {
      writable()
    }
    expect(result.code).toBe(1)
    const report = (JSON.parse(result.stdout) as { result: { changeId: string; results: { status: string; detail?: string }[] } }).result
    expect(report.results.map((r) => r.status)).toEqual(['failed', 'failed'])
    expect(report.results[0]!.detail).toMatch(/^rm .*qaznet\.crt failed \(exit code \d+\): .*(Read-only file system|Permission denied)/s)
    expect(report.results[0]!.detail).not.toContain('Command: ') // quoted once, by the store: not repeated by the engine
    expect(report.results[1]!.detail).toMatch(/certutil -D .* failed .*(READ_ONLY|read-only|Permission denied|not permitted|SEC_ERROR)/is)
    expectBackupsKept(machine, report.changeId, 2)
    const undone = await cli(machine, ['undo', '--yes', '--json'])
    expect(undone.code, undone.stdout).toBe(0)
    expect(await fingerprint(machine)).toEqual(before)
    expect((await cli(machine, ['remove', '--finding', findingId, '--yes'])).code).toBe(0)
    expect((await fingerprint(machine)).trustedIn).toEqual([])
  })

  it('certutil disappears just before it deletes: the NSS entry fails saying certutil is gone, nothing is lost', async () => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    const plan = await planRemoval(await scanMachine(machine), [findingId], 'delete', machine.env)
    let gone = false
    const ctx = contextWith(machine, vanishingCertutil((args) => (gone ||= args[0] === '-D')))
    const result = await applyPlan(plan, ctx)
    expect(result.results.map((r) => [r.target.kind, r.status])).toEqual([['linux-system', 'removed'], ['nss', 'failed']])
    expect(result.results[1]!.detail).toMatch(/certutil/)
    expect(result.results[1]!.detail).toMatch(/ENOENT|not installed/)
    expectBackupsKept(machine, plan.id, 2)
    // Undo needs no certutil here (the NSS entry was never changed) and puts the anchor back.
    const undone = await undoChange(plan.id, ctx)
    expect(undone.results.map((r) => r.status)).toEqual(['restored', 'restored'])
    expect(await fingerprint(machine)).toEqual(before)
  })

  it('certutil disappears after it deleted: the change is verified without it; undo without it fails in words and keeps the backup; with it back, undo restores', async () => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    const plan = await planRemoval(await scanMachine(machine), [findingId], 'delete', machine.env)
    let deleted = false
    const ctx = contextWith(machine, vanishingCertutil((args) => {
      const wasDeleted = deleted
      deleted ||= args[0] === '-D'
      return wasDeleted
    }))
    const result = await applyPlan(plan, ctx)
    expect(result.results.map((r) => r.status)).toEqual(['removed', 'removed']) // re-listed with SQLite
    expect((await fingerprint(machine)).trustedIn).toEqual([])
    const withoutCertutil = await undoChange(plan.id, ctx)
    expect(withoutCertutil.results.map((r) => r.status)).toEqual(['restored', 'failed'])
    expect(withoutCertutil.results[1]!.detail).toMatch(/certutil/)
    expectBackupsKept(machine, plan.id, 2)
    const withCertutil = await undoChange(plan.id, contextWith(machine, runCommand))
    expect(withCertutil.results.map((r) => r.status)).toEqual(['restored', 'restored'])
    expect(await fingerprint(machine)).toEqual(before)
  })
})
