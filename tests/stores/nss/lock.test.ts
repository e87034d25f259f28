/**
 * Whether Firefox or Thunderbird has a profile open (src/stores/nss/lock.ts), from the locks it keeps:
 * an fcntl lock on `.parentlock` (Linux: seen in /proc/locks; macOS: lsof names its process), the
 * `lock` / `parent.lock` link "address:+pid", and on Windows `parent.lock` held with no sharing. A
 * real process (python3) holds the fcntl lock as Firefox does (nsProfileLock::LockWithFcntl).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { programLock } from '../../../src/stores/nss/lock.js'
import { runCommand, type CommandResult, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { tempDir } from '../../support/temp.js'
import { holdDatabase, python3Installed } from './fixtures.js'

const DEAD_PID = 2147483646
const FIREFOX = { facts: { program: 'firefox' as const } }
const HOLD_FCNTL = "import fcntl,sys\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('ready',flush=True)\nsys.stdin.read()"
const lsofInstalled = (await runCommand('lsof', ['-v'])).spawnError === undefined

function profileDir(): { home: string; dir: string } {
  const home = tempDir()
  const dir = join(home, 'profile')
  mkdirSync(dir, { recursive: true })
  return { home, dir }
}

const live = (home: string, platform: NodeJS.Platform, run?: CommandRunner) => createEnvironment({ home, systemRoot: '/', env: {}, platform, ...(run ? { run } : {}) })

describe('the profile lock of Firefox and Thunderbird', () => {
  it.skipIf(!python3Installed)('Linux: open while a process holds the fcntl lock on .parentlock (seen in /proc/locks), closed when it lets go', async () => {
    const { home, dir } = profileDir()
    writeFileSync(join(dir, '.parentlock'), '')
    expect(await programLock(live(home, 'linux'), FIREFOX, dir)).toEqual({ open: false })
    const firefox = await holdDatabase(HOLD_FCNTL, join(dir, '.parentlock'))
    try {
      expect(await programLock(live(home, 'linux'), FIREFOX, dir)).toEqual({ open: true, detail: expect.stringMatching(/\.parentlock \(locked by process \d+\)$/) })
    } finally {
      await firefox.release()
    }
    expect(await programLock(live(home, 'linux'), FIREFOX, dir)).toEqual({ open: false })
  })

  it('Linux: a `lock` link left on this computer by a crash does not count once the fcntl lock is free; one from another computer does', async () => {
    const { home, dir } = profileDir()
    writeFileSync(join(dir, '.parentlock'), '')
    symlinkSync(`127.0.1.1:+${process.pid}`, join(dir, 'lock'))
    expect(await programLock(live(home, 'linux'), FIREFOX, dir)).toEqual({ open: false })
    const shared = profileDir()
    symlinkSync('192.0.2.44:+4242', join(shared.dir, 'lock'))
    expect(await programLock(live(shared.home, 'linux'), FIREFOX, shared.dir)).toEqual({ open: true, detail: expect.stringContaining('held by the computer at 192.0.2.44') })
  })

  it.skipIf(!python3Installed || !lsofInstalled)('macOS: lsof names the process holding .parentlock open; without lsof, unsure counts as open', async () => {
    const { home, dir } = profileDir()
    writeFileSync(join(dir, '.parentlock'), '')
    expect(await programLock(live(home, 'darwin'), FIREFOX, dir)).toEqual({ open: false })
    const firefox = await holdDatabase(HOLD_FCNTL, join(dir, '.parentlock'))
    try {
      expect(await programLock(live(home, 'darwin'), FIREFOX, dir)).toEqual({ open: true, detail: expect.stringMatching(/\.parentlock \(open in process \d+\)$/) })
    } finally {
      await firefox.release()
    }
    const noLsof: CommandRunner = (command, args, options) => (command === 'lsof' ? Promise.resolve<CommandResult>({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn lsof ENOENT' }) : runCommand(command, args, options))
    expect(await programLock(live(home, 'darwin', noLsof), FIREFOX, dir)).toEqual({ open: true, detail: expect.stringContaining('could not be checked: ENOENT') })
    // On a network volume Firefox falls back to a `parent.lock` link.
    const network = profileDir()
    symlinkSync('198.51.100.7:+77', join(network.dir, 'parent.lock'))
    expect((await programLock(live(network.home, 'darwin', noLsof), FIREFOX, network.dir)).open).toBe(true)
  })

  it('Windows: parent.lock that cannot be opened for writing is held (as a sharing violation would); one that can was left when Firefox quit', async () => {
    const { home, dir } = profileDir()
    expect(await programLock(live(home, 'win32'), FIREFOX, dir)).toEqual({ open: false })
    writeFileSync(join(dir, 'parent.lock'), '')
    expect(await programLock(live(home, 'win32'), FIREFOX, dir)).toEqual({ open: false })
    const held = profileDir()
    mkdirSync(join(held.dir, 'parent.lock'))
    expect(await programLock(live(held.home, 'win32'), FIREFOX, held.dir)).toEqual({ open: true, detail: join(held.dir, 'parent.lock') })
  })

  it('does not count a lock on a disk mounted for an audit (no program runs there)', async () => {
    const root = tempDir()
    const dir = join(root, 'home/alice/.mozilla/firefox/x.default')
    mkdirSync(dir, { recursive: true })
    symlinkSync('192.0.2.44:+4242', join(dir, 'lock'))
    expect(await programLock(createEnvironment({ home: join(root, 'home/alice'), systemRoot: root, env: {} }), FIREFOX, dir)).toEqual({ open: false })
  })

  it("Chromium's database (~/.pki/nssdb) is open while a Chromium-family browser runs for this user", async () => {
    const home = tempDir()
    const dir = join(home, '.pki/nssdb')
    mkdirSync(dir, { recursive: true })
    const chromium = { facts: { program: 'chromium' as const } }
    expect(await programLock(live(home, 'linux'), chromium, dir)).toEqual({ open: false })
    mkdirSync(join(home, '.config/BraveSoftware/Brave-Browser'), { recursive: true })
    symlinkSync(`${hostname()}-${DEAD_PID}`, join(home, '.config/BraveSoftware/Brave-Browser/SingletonLock'))
    expect(await programLock(live(home, 'linux'), chromium, dir)).toEqual({ open: false })
    mkdirSync(join(home, '.config/google-chrome'), { recursive: true })
    symlinkSync(`${hostname()}-${process.pid}`, join(home, '.config/google-chrome/SingletonLock'))
    expect(await programLock(live(home, 'linux'), chromium, dir)).toEqual({ open: true, detail: expect.stringContaining('google-chrome/SingletonLock (process') })
  })
})
