/**
 * confine.ts: the paths a writer hands the OS and its tools are resolved the way the reader resolves
 * them (inside --system-root), with no link left in them, or refused.
 */
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assertToolSeesSame, confinedEntry, confinedPath } from '../../../src/stores/shared/confine.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { tempDir } from '../../support/temp.js'

function machine() {
  const root = realpathSync(tempDir('certaudit-confine-root-'))
  const outside = realpathSync(tempDir('certaudit-confine-out-'))
  const home = join(root, 'home/user')
  mkdirSync(home, { recursive: true })
  return { root, outside, home, env: createEnvironment({ home, systemRoot: root, env: {} }) }
}

describe('confinedPath', () => {
  it('maps an absolute link into the root, and keeps parts that do not exist yet', async () => {
    const { root, outside, env } = machine()
    mkdirSync(join(root, outside, 'certs'), { recursive: true })
    mkdirSync(join(root, 'etc/ssl'), { recursive: true })
    symlinkSync(join(outside, 'certs'), join(root, 'etc/ssl/certs'))
    expect(await confinedPath(env, join(root, 'etc/ssl/certs/new/bundle.crt'))).toBe(join(root, outside, 'certs/new/bundle.crt'))
  })

  it('keeps a relative link that climbs above the root inside it, as the audited system would', async () => {
    const { root, env } = machine()
    mkdirSync(join(root, 'etc/pki'), { recursive: true })
    mkdirSync(join(root, 'tmp'))
    symlinkSync('../../../../../../../../../tmp', join(root, 'etc/pki/tmp'))
    expect(await confinedPath(env, join(root, 'etc/pki/tmp/x'))).toBe(join(root, 'tmp/x'))
  })

  it('refuses a link that leads nowhere (the OS would create its target, wherever that is)', async () => {
    const { root, outside, env } = machine()
    mkdirSync(join(root, 'etc'), { recursive: true })
    symlinkSync(join(outside, 'missing'), join(root, 'etc/dangling'))
    await expect(confinedPath(env, join(root, 'etc/dangling'))).rejects.toMatchObject({ code: 'enoent' })
    // The entry itself (to delete or replace) is the link, never its target.
    expect(await confinedEntry(env, join(root, 'etc/dangling'))).toBe(join(root, 'etc/dangling'))
  })

  it('refuses a path in the home folder that leads out of it', async () => {
    const { home, outside } = machine()
    const env = createEnvironment({ home, systemRoot: '/', env: {} })
    symlinkSync(outside, join(home, 'profile'))
    await expect(confinedPath(env, join(home, 'profile/cert9.db'))).rejects.toMatchObject({ code: 'outside-home' })
  })
})

describe('assertToolSeesSame', () => {
  it('refuses a link this computer follows elsewhere than the reader, accepts the others', async () => {
    const { root, outside, env } = machine()
    mkdirSync(join(root, outside), { recursive: true })
    writeFileSync(join(root, outside, 'x.crt'), 'in the image')
    writeFileSync(join(outside, 'x.crt'), 'on this computer')
    mkdirSync(join(root, 'certs'))
    symlinkSync(join(outside, 'x.crt'), join(root, 'certs/absolute.pem'))
    symlinkSync(join(root, outside, 'x.crt'), join(root, 'certs/inside.pem'))
    symlinkSync('inside.pem', join(root, 'certs/relative.pem'))
    await expect(assertToolSeesSame(env, join(root, 'certs/absolute.pem'))).rejects.toMatchObject({ code: 'link-leaves-root' })
    await assertToolSeesSame(env, join(root, 'certs/inside.pem'))
    await assertToolSeesSame(env, join(root, 'certs/relative.pem'))
  })
})
