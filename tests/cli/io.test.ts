/**
 * Errors that echo what was typed: a script that builds a command line from a certificate's name can
 * hand CertAudit an argument holding ESC sequences or a bidi override. Usage errors (every command's),
 * explained errors and file errors show it as `⟨U+XXXX⟩`, never raw on the terminal.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { visible } from '../../src/audit/visible.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { HOSTILE_NAMES, rawHidden } from '../support/hostile-text.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()
const TYPED = `${HOSTILE_NAMES.clearScreen}${HOSTILE_NAMES.reversed}`

async function run(args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', XDG_DATA_HOME: dir, HOME: dir } }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

describe('errors that echo arguments', () => {
  const cases: string[][] = [
    [TYPED],
    ['scan', `--${TYPED}`],
    ['scan', '--store', TYPED],
    ['scan', '--format', TYPED],
    ['scan', '--json', '--format', TYPED],
    ['scan', '--blocklist', join(dir, TYPED)],
    ['export', TYPED],
    ['export', 'osquery-pack', '--interval', TYPED],
    ['export', 'osquery-pack', '--output', join(dir, 'no-such-folder', TYPED)],
    ['blocklist', TYPED],
    ['blocklist', 'verify', join(dir, TYPED)],
    ['blocklist', 'status', TYPED],
    ['check-connection', TYPED],
    ['check-connection', '--connect-to', TYPED],
    ['check-connection', '--timeout', TYPED],
    ['remove', '--finding', 'abcdefabcdef', '--home', dir, `--${TYPED}`],
  ]
  // The test's own title shows the arguments too: the reporter prints it on a terminal.
  it.each(cases.map((args) => [visible(args.join(' ')), args] as const))('%s: shown on stderr, exit 2', async (_title, args) => {
    const { code, stdout, stderr } = await run([...args])
    expect(code).toBe(2)
    expect(rawHidden(stdout + stderr)).toEqual([])
    expect(stderr).toContain('⟨U+001B⟩[2J⟨U+001B⟩[H⟨U+001B⟩[32mNo dangerous certificates found')
    expect(stderr).toContain('⟨U+202E⟩txt.exe⟨U+202C⟩')
  })
})

describe('an unexpected error (a bug)', () => {
  it('is printed shown, line by line, with exit 2: its message may quote a name from the machine', async () => {
    let stderr = ''
    const io: CliIo = {
      stdout: () => {
        throw new Error(`cannot show ${TYPED}`)
      },
      stderr: (t) => void (stderr += t),
      isTty: false,
      env: { LANG: 'C' },
    }
    expect(await main(['--help'], io)).toBe(2)
    expect(rawHidden(stderr)).toEqual([])
    expect(stderr).toMatch(/^certaudit: unexpected error \(a bug in CertAudit; please report it\): cannot show Evil⟨U\+001B⟩\[2J.*⟨U\+202E⟩txt\.exe⟨U\+202C⟩ Root\n {4}at /)
  })
})
