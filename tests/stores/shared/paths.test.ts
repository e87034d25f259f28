import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { realPathInRoot, walkFiles } from '../../../src/stores/shared/paths.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

describe('realPathInRoot: links followed as on the audited machine, never out of its root', () => {
  const root = tempDir('certaudit-paths-')
  const env = createEnvironment({ systemRoot: root, home: join(root, 'home/u'), env: {} })
  put(root, 'etc/ssl/certs/java/cacerts', 'x')
  mkdirSync(join(root, 'usr/lib/jvm/jdk/lib/security'), { recursive: true })
  symlinkSync('/etc/ssl/certs/java/cacerts', join(root, 'usr/lib/jvm/jdk/lib/security/cacerts'))
  symlinkSync('../../../../../../../../../../etc/ssl/certs/java/cacerts', join(root, 'usr/lib/jvm/jdk/lib/security/climb'))
  symlinkSync('loop-b', join(root, 'usr/lib/jvm/loop-a'))
  symlinkSync('loop-a', join(root, 'usr/lib/jvm/loop-b'))

  it('maps an absolute link target into the root', async () => {
    expect(await realPathInRoot(env, join(root, 'usr/lib/jvm/jdk/lib/security/cacerts'))).toBe(join(root, 'etc/ssl/certs/java/cacerts'))
  })

  it('stops `..` at the root, as the kernel stops it at /', async () => {
    expect(await realPathInRoot(env, join(root, 'usr/lib/jvm/jdk/lib/security/climb'))).toBe(join(root, 'etc/ssl/certs/java/cacerts'))
  })

  it('reports a link loop as eloop', async () => {
    await expect(realPathInRoot(env, join(root, 'usr/lib/jvm/loop-a'))).rejects.toMatchObject({ code: 'eloop' })
  })

  it('walkFiles lists files once, reports loops and goes on', async () => {
    const problems: string[] = []
    const files: string[] = []
    for await (const file of walkFiles(env, join(root, 'usr/lib/jvm'), (e) => problems.push(e.code), { recursive: true })) files.push(file.realPath)
    expect(files).toEqual([join(root, 'etc/ssl/certs/java/cacerts'), join(root, 'etc/ssl/certs/java/cacerts')])
    expect(problems).toEqual(['eloop', 'eloop'])
  })
})
