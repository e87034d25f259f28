/**
 * Telling whether a Chromium-family browser has a profile open (src/stores/chromium/lock.ts), from
 * the lock it keeps in its user data folder: SingletonLock ("hostname-pid") on Linux and macOS,
 * lockfile on Windows. Unsure means open: CertAudit then asks the user to close the browser.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { browserLock } from '../../../src/stores/chromium/lock.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { tempDir } from '../../support/temp.js'

const DEAD_PID = 2147483646

function profileIn(home: string, userData: string, profile = 'Default'): string {
  mkdirSync(join(home, userData, profile), { recursive: true })
  return join(home, userData, profile, 'ServerCertificate')
}

describe('the browser’s lock', () => {
  const live = (home: string, platform: NodeJS.Platform = 'linux') => createEnvironment({ home, systemRoot: '/', env: {}, platform })

  it('on Linux and macOS: open while its process lives on this computer, or on another computer; not when the process has ended', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const home = tempDir()
      const file = profileIn(home, '.config/google-chrome')
      const lock = join(home, '.config/google-chrome/SingletonLock')
      expect(await browserLock(live(home, platform), file)).toEqual({ open: false })
      symlinkSync(`${hostname()}-${process.pid}`, lock)
      expect(await browserLock(live(home, platform), file)).toEqual({ open: true, detail: `${lock} (process ${process.pid})` })
      const other = tempDir()
      const otherFile = profileIn(other, '.config/google-chrome')
      symlinkSync('laptop-of-someone-else-4242', join(other, '.config/google-chrome/SingletonLock'))
      expect((await browserLock(live(other, platform), otherFile)).open).toBe(true)
      const stale = tempDir()
      const staleFile = profileIn(stale, '.config/google-chrome')
      symlinkSync(`${hostname()}-${DEAD_PID}`, join(stale, '.config/google-chrome/SingletonLock'))
      expect(await browserLock(live(stale, platform), staleFile)).toEqual({ open: false, detail: expect.stringMatching(/left by process \d+, which has ended/) })
    }
  })

  it('counts a lock it cannot read, and a snap’s or Flatpak’s (their process ids are the sandbox’s), as open', async () => {
    const home = tempDir()
    const odd = profileIn(home, '.config/chromium')
    writeFileSync(join(home, '.config/chromium/SingletonLock'), 'not a link')
    expect((await browserLock(live(home), odd)).open).toBe(true)
    for (const userData of ['.var/app/com.google.Chrome/config/google-chrome', 'snap/chromium/common/chromium']) {
      const file = profileIn(home, userData)
      symlinkSync(`${hostname()}-${DEAD_PID}`, join(home, userData, 'SingletonLock'))
      expect((await browserLock(live(home), file)).open, userData).toBe(true)
    }
  })

  it('finds the lock in the profile folder itself where the two are one (Opera)', async () => {
    const home = tempDir()
    mkdirSync(join(home, '.config/opera'), { recursive: true })
    symlinkSync(`${hostname()}-${process.pid}`, join(home, '.config/opera/SingletonLock'))
    expect((await browserLock(live(home), join(home, '.config/opera/ServerCertificate'))).open).toBe(true)
  })

  it('does not count a lock on a disk mounted for an audit (no browser runs there), but does in a home beside the system root', async () => {
    const root = tempDir()
    const home = join(root, 'home/alice')
    const file = profileIn(home, '.config/google-chrome')
    symlinkSync(`${hostname()}-${process.pid}`, join(home, '.config/google-chrome/SingletonLock'))
    expect(await browserLock(createEnvironment({ home, systemRoot: root, env: {} }), file)).toEqual({ open: false, detail: expect.stringContaining('left by the audited system') })
    expect((await browserLock(createEnvironment({ home, systemRoot: tempDir(), env: {} }), file)).open).toBe(true)
  })

  it('on Windows: a lockfile nobody holds is a crash’s leftover', async () => {
    const home = tempDir()
    const file = profileIn(home, 'AppData/Local/Google/Chrome/User Data')
    expect(await browserLock(live(home, 'win32'), file)).toEqual({ open: false })
    writeFileSync(join(home, 'AppData/Local/Google/Chrome/User Data/lockfile'), '')
    expect(await browserLock(live(home, 'win32'), file)).toEqual({ open: false, detail: expect.stringContaining('left behind') })
  })
})
