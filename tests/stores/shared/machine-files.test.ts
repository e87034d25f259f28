/** Files named by the audited machine's settings are found and read on that machine only. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { machineRealPath, MAX_CONFIG_BYTES, readConfigText } from '../../../src/stores/shared/machine-files.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

describe('machine files', () => {
  const root = tempDir('certaudit-mf-root-')
  const home = tempDir('certaudit-mf-home-') // outside the root, as --home may be
  const env = createEnvironment({ home, systemRoot: root, env: {} })

  it('follows an absolute link in the home folder into the image, relative links as they are, loops as an error', async () => {
    const target = put(root, 'etc/ssl/certs/ca-certificates.crt', 'x')
    mkdirSync(join(home, 'a'))
    symlinkSync('/etc/ssl/certs/ca-certificates.crt', join(home, 'a/abs'))
    symlinkSync('abs', join(home, 'a/rel'))
    symlinkSync('/etc/ssl', join(home, 'ssl-dir')) // a link to a folder on the way
    symlinkSync('loop', join(home, 'loop'))
    expect(await machineRealPath(env, join(home, 'a/rel'))).toBe(target)
    expect(await machineRealPath(env, join(home, 'ssl-dir/certs/ca-certificates.crt'))).toBe(target)
    await expect(machineRealPath(env, join(home, 'loop'))).rejects.toMatchObject({ code: 'eloop' })
    await expect(machineRealPath(env, join(home, 'missing'))).rejects.toMatchObject({ code: 'enoent' })
    // A link to the image's /dev/zero, which the image does not have: said of the link, with where it led.
    symlinkSync('/dev/zero', join(home, 'zero.pem'))
    await expect(machineRealPath(env, join(home, 'zero.pem'))).rejects.toMatchObject({ code: 'enoent', message: `${join(home, 'zero.pem')} leads to ${join(root, 'dev/zero')}, which does not exist.` })
  })

  it('reads a regular file; refuses a FIFO at once, a folder, a huge file, and binary data in a config', async () => {
    const fifo = join(home, 'fifo.conf')
    execFileSync('mkfifo', [fifo])
    await expect(readConfigText(env, fifo)).rejects.toThrow(`${fifo} is a named pipe (FIFO)`)
    await expect(readConfigText(env, home)).rejects.toThrow(/is a folder/)
    const big = put(home, 'big.conf', Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x61))
    await expect(readConfigText(env, big)).rejects.toThrow(`${big} is 1.0 MB, far larger than any config file (at most 1.0 MB); it was not read.`)
    // Found through a link in the home: named as the setting names it, and where it led.
    symlinkSync(fifo, join(home, 'via-link.conf'))
    await expect(readConfigText(env, join(home, 'via-link.conf'))).rejects.toThrow(`${join(home, 'via-link.conf')} is a named pipe (FIFO), which can wait forever for a writer, not a regular file (it leads to ${fifo})`)
    writeFileSync(join(home, 'bin.conf'), Buffer.from('cafile=\0/x'))
    await expect(readConfigText(env, join(home, 'bin.conf'))).rejects.toThrow(/is not a text file/)
    expect(await readConfigText(env, join(home, 'nothing.conf'))).toBeNull()
    expect((await readConfigText(env, put(home, 'ok.conf', 'a=b\n')))?.text).toBe('a=b\n')
  })
})
