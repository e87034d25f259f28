/**
 * `certaudit scan` in a terminal, over real certificates whose names are hostile: a CN that clears the
 * screen and prints a fake green all-clear, a right-to-left override, zero-width joins, newlines that
 * start fake lines; files named the same way, and a damaged one whose problem quotes its name. What
 * people see shows every trick as `⟨U+XXXX⟩`; the JSON keeps the names as they are (it is data).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { formatHuman } from '../../src/cli/format-human.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { makeCertificate } from '../support/certificates.js'
import { expectShownSafely, FAKE_VERDICT, HOSTILE_NAME, HOSTILE_NAMES, rawHidden } from '../support/hostile-text.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()

/** A file name with the worst of it (a name holds at most 255 bytes). */
const HOSTILE_FILE = `${HOSTILE_NAMES.clearScreen}${HOSTILE_NAMES.reversed}${HOSTILE_NAMES.fakeLines}`
const FILE_ESCAPES = ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩']

/** A root in no public program (unknown-root: a finding shown in full), named with every trick, in a file named with them. */
const hostile = makeCertificate({ subject: [['O', `Hostile ${HOSTILE_NAMES.reversed}`], ['CN', HOSTILE_NAME]] })
const certificateFile = join(dir, `${HOSTILE_FILE}.pem`)
writeFileSync(certificateFile, hostile.pem)
const damagedFile = join(dir, `${HOSTILE_FILE}.crt`)
writeFileSync(damagedFile, hostile.pem.replace(/^(.{20}).{10}/m, '$1**********'))

async function run(args: string[], options: { readonly isTty?: boolean; readonly showProgress?: boolean } = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: options.isTty ?? false, showProgress: options.showProgress ?? false, env: { LANG: 'C' } }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

describe('certaudit scan, human output, with hostile names', () => {
  it('shows every control and invisible character of the CN, the O and the file names; no fake line, no cleared screen', async () => {
    const { code, stdout } = await run(['scan', '--file', certificateFile, '--file', damagedFile])
    // The damaged file could not be checked in full: no all-clear (exit 3, "incomplete"), and its name shown safely too.
    expect(code).toBe(3)
    expect(stdout).toContain('(unknown-root, ')
    expectShownSafely(stdout)
    for (const escape of FILE_ESCAPES) expect(stdout).toContain(escape)
    // The real verdict is the first line; the fake one is inside the finding's title, on no line of its own.
    expect(stdout.split('\n')[0]).not.toContain(FAKE_VERDICT)
    expect(stdout).toMatch(/Problems:\n {2}- .*⟨U\+001B⟩\[2J/) // the damaged file's problem quotes its shown name
  })

  it('what put it there is shown as safely: a policy file named with every trick', async () => {
    const report = JSON.parse((await run(['scan', '--json', '--file', certificateFile])).stdout) as ScanReport
    const finding = report.findings[0]!
    const placedBy = { by: 'policy' as const, name: HOSTILE_NAME, file: `/etc/firefox/policies/${HOSTILE_FILE}.json`, comesBack: true }
    const out = formatHuman({ ...report, findings: [{ ...finding, locations: finding.locations.map((l) => ({ ...l, placedBy })) }] }, false)
    expectShownSafely(out)
    expect(out).toMatch(/\n {6}Put there by a policy \(.*⟨U\+202E⟩.*\) in \/etc\/firefox\/policies\/Evil⟨U\+001B⟩\[2J.*\.json\. It will come back until that policy is removed\.\n/)
  })

  it('in colour, the only escape sequences are the colours CertAudit paints', async () => {
    const { stdout } = await run(['scan', '--file', certificateFile], { isTty: true })
    // eslint-disable-next-line no-control-regex -- our own colour codes are what is taken out
    const ours = stdout.replace(/\x1b\[(?:[0-9;]*)m/g, '')
    expect(rawHidden(ours)).toEqual([])
    expect(stdout).toContain('⟨U+001B⟩[32m')
  })

  it('progress lines on stderr show the file names, and erase only their own line', async () => {
    const { stderr } = await run(['scan', '--file', certificateFile], { showProgress: true })
    expect(stderr).toContain('⟨U+202E⟩txt.exe')
    // eslint-disable-next-line no-control-regex -- the progress line's own carriage return and "erase line" are taken out
    expect(rawHidden(stderr.replace(/\r\x1b\[K/g, ''))).toEqual([])
  })

  it('--format jsonl: the problems on stderr are shown too, the lines on stdout stay data', async () => {
    const { stdout, stderr } = await run(['scan', '--format', 'jsonl', '--file', certificateFile, '--file', damagedFile])
    expect(rawHidden(stderr)).toEqual([])
    expect(stderr).toContain('⟨U+001B⟩[2J')
    const [line] = stdout.trim().split('\n').map((l) => JSON.parse(l) as { finding: { certificate: { subject: string } } })
    expect(line!.finding.certificate.subject).toContain(HOSTILE_NAMES.clearScreen)
  })

  it('--json keeps every name exactly as the certificate and the file system hold it', async () => {
    const { stdout } = await run(['scan', '--json', '--file', certificateFile, '--file', damagedFile])
    const report = JSON.parse(stdout) as ScanReport
    expect(report.findings[0]!.certificate.subject).toContain(HOSTILE_NAME)
    expect(report.findings[0]!.locations[0]!.location).toBe(certificateFile)
    expect(report.problems[0]!.message).toContain(damagedFile)
  })
})
