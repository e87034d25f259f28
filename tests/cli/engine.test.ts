/**
 * The machine a command looks at (src/cli/engine.ts, machineFrom): `--home` and `--system-root` must
 * be folders. A disk image file, a FIFO or a device given as the machine is a usage error said once
 * (issue 14, class 1: "the same for disk images given with --system-root"), not a scan that opens
 * every path under it one by one.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../src/cli/main.js'
import { cannotMake, makeSpecial, type SpecialKind } from '../support/special-files.js'
import { tempDir } from '../support/temp.js'

async function run(args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C' } }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

describe('--home and --system-root must be folders', () => {
  const cases: readonly [string, SpecialKind | 'image', RegExp][] = [
    ['a disk image file', 'image', /is a regular file \(to audit a disk image, mount it and give the folder it is mounted on\)/],
    ['a FIFO', 'fifo', /is a named pipe/],
    ['a link to /dev/zero', 'zero-link', /is a character device/],
    ['a block device', 'block-device', /is a block device/],
  ]
  for (const [name, kind, says] of cases) {
    it(`--system-root ${name}: usage error, exit 2, nothing scanned`, async (context) => {
      const reason = kind === 'image' ? null : cannotMake(kind)
      if (reason) return context.skip(reason)
      const path = join(tempDir(), 'disk.img')
      if (kind === 'image') writeFileSync(path, Buffer.alloc(4096))
      else makeSpecial(kind, path)
      for (const command of ['scan', 'history']) {
        const result = await run([command, '--system-root', path, '--home', tempDir()])
        expect(result.code, command).toBe(2)
        expect(result.stdout).toBe('')
        expect(result.stderr).toContain(`certaudit: --system-root needs a folder, but ${path} `)
        expect(result.stderr).toMatch(says)
      }
    })
  }

  it('--home that is a file: usage error', async () => {
    const path = join(tempDir(), 'home')
    writeFileSync(path, 'x')
    const result = await run(['scan', '--home', path, '--store', 'nss'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(`certaudit: --home needs a folder, but ${path} is a regular file\n`)
  })
})
