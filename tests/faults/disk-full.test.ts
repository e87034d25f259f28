/**
 * The disk fills up during the backup. Two ways to make it full:
 * - a real one: the data folder on a 1 MB tmpfs filled to leave room for the lock and the plan but
 *   not a backup (needs `mount`, as root in a container that allows it; skipped, saying why, elsewhere);
 * - an injected one, everywhere on Linux: the first backup file is a link to /dev/full, where every
 *   write fails with ENOSPC, as on a full disk.
 * Either way nothing in any store changes, every entry says why in words, the change is left to
 * resume or undo, and once there is room again it finishes and undoes with nothing lost.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeDir } from '../../src/removal/data-dir.js'
import { applyPlan, type ChangeReport, type RemovalContext } from '../../src/removal/engine.js'
import { history } from '../../src/removal/history.js'
import { planRemoval } from '../../src/removal/plan.js'
import { createElevation } from '../../src/stores/index.js'
import { cli, FAULT_TOOLS_REASON, faultTempDir, faultToolsReady, findingId, fingerprint, plantMachine, scanMachine, type Machine } from './machine.js'

const MB = 1024 * 1024
const PAGE = 4096

/** Mounts a tmpfs of `size` bytes at a new folder; null when this machine does not allow it. */
function tinyTmpfs(size: number): { dir: string; unmount: () => void } | null {
  const dir = faultTempDir('certaudit-fault-tmpfs-')
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch {
    return null
  }
  return { dir, unmount: () => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }) }
}

/** Writes to `file` until the file system is full. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w')
  try {
    for (;;) writeSync(fd, Buffer.alloc(PAGE))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    closeSync(fd)
  }
}

const ctxFor = (machine: Machine): RemovalContext => ({ env: machine.env, elevation: createElevation(machine.env) })

async function planFor(machine: Machine) {
  return planRemoval(await scanMachine(machine), [findingId], 'delete', machine.env)
}

/** What every full-disk removal must look like: both entries failed, in words, nothing changed. */
function expectStoppedCleanly(result: ChangeReport): void {
  expect(result.ok).toBe(false)
  expect(result.results.map((r) => r.status)).toEqual(['failed', 'failed'])
  expect(result.results[0]!.detail).toMatch(/^CertAudit could not write the backup of this entry in .*: the disk is full\. CertAudit stopped here and changed nothing more\. When the folder can be written again, run "certaudit resume"/)
  expect(result.results[1]!.detail).toContain('the disk is full')
}

/** With room again: the change shows as interrupted, resume finishes it, undo brings everything back. */
async function expectRecovers(machine: Machine, before: Awaited<ReturnType<typeof fingerprint>>): Promise<void> {
  expect((await history(machine.env))[0]?.state).toBe('interrupted')
  const resumed = await cli(machine, ['resume', '--json'])
  expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
  expect((await fingerprint(machine)).trustedIn).toEqual([])
  expect((await cli(machine, ['undo', '--yes'])).code).toBe(0)
  expect(await fingerprint(machine)).toEqual(before)
}

describe('disk full during the backup', () => {
  if (!faultToolsReady) {
    it.skip(`skipped: ${FAULT_TOOLS_REASON}`, () => {})
    return
  }

  it('injected (the backup file is /dev/full): nothing changes, both entries say why, resume and undo work once there is room', async () => {
    const machine = plantMachine()
    const before = await fingerprint(machine)
    const plan = await planFor(machine)
    const backups = join(changeDir(machine.env, plan.id), 'backups')
    mkdirSync(backups, { recursive: true })
    symlinkSync('/dev/full', join(backups, '000.json'))
    expectStoppedCleanly(await applyPlan(plan, ctxFor(machine)))
    expect(await fingerprint(machine)).toEqual(before)
    rmSync(join(backups, '000.json')) // room again
    await expectRecovers(machine, before)
  })

  it('real (a 1 MB tmpfs with room for the plan only): the same, and a data folder with no room at all refuses to start', async (context) => {
    const tmpfs = tinyTmpfs(MB)
    if (!tmpfs) {
      context.skip('mount -t tmpfs is not allowed here (needs root and CAP_SYS_ADMIN); the injected case above still runs')
      return
    }
    try {
      const machine = plantMachine({ data: tmpfs.dir })
      const before = await fingerprint(machine)
      const plan = await planFor(machine)
      // The lock file takes a page, the plan its pages; the ballast takes everything else.
      const planned = Buffer.byteLength(JSON.stringify({ step: 'planned', at: new Date().toISOString(), plan }) + '\n')
      const ballast = join(tmpfs.dir, 'ballast')
      writeFileSync(ballast, Buffer.alloc(MB - PAGE - Math.ceil(planned / PAGE) * PAGE))
      expectStoppedCleanly(await applyPlan(plan, ctxFor(machine)))
      expect(await fingerprint(machine)).toEqual(before)
      rmSync(ballast)
      await expectRecovers(machine, before)

      // No room at all: the lock cannot be written; nothing starts, and the CLI says why.
      fillUp(ballast)
      const refused = await cli(machine, ['remove', '--finding', findingId, '--yes'])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toMatch(/could not write its lock file in .*: the disk is full/)
      expect(await fingerprint(machine)).toEqual(before)
    } finally {
      tmpfs.unmount()
    }
  })
})
