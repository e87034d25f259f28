/**
 * `certaudit remove | undo | history` in a terminal, over a real machine whose names are hostile: a root
 * whose CN clears the screen and prints a fake all-clear, planted in a Firefox profile under a nickname
 * with the same tricks, as a Debian anchor whose file name has them, and in a bundle named by
 * SSL_CERT_FILE (a manual step whose instructions quote its path). The plan, the results, the undo and
 * the history show every trick as `⟨U+XXXX⟩`; the change itself still acts on the exact names.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../src/audit/report.js'
import { main, type CliIo } from '../../src/cli/main.js'
import type { ChangeReport } from '../../src/removal/engine.js'
import { makeCertificate } from '../support/certificates.js'
import { expectShownSafely, HOSTILE_NAME, HOSTILE_NAMES, rawHidden } from '../support/hostile-text.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'
import { certutil, certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'

const ready = certutilInstalled && haveUpdateCaCertificates
const hostile = makeCertificate({ subject: [['O', 'Hostile Names Test'], ['CN', HOSTILE_NAME]] })
const findingId = hostile.sha256.slice(0, 16)
/** Names that the tools take: certutil's nickname, update-ca-certificates' file name (no newline: its hooks read names by line). */
const NICKNAME = `${HOSTILE_NAMES.clearScreen} ${HOSTILE_NAMES.reversed} ${HOSTILE_NAMES.zeroWidth} ${HOSTILE_NAMES.isolates}`
const ANCHOR = `${HOSTILE_NAMES.clearScreen}${HOSTILE_NAMES.reversed}${HOSTILE_NAMES.zeroWidth}.crt`
const BUNDLE_DIR = `${HOSTILE_NAMES.fakeLines}${HOSTILE_NAMES.others}`

function plant() {
  const home = tempDir('certaudit-hostile-home-')
  const root = tempDir('certaudit-hostile-root-')
  const profile = makeNssDb(join(home, '.mozilla/firefox/a1.default'), [{ nickname: NICKNAME, trust: 'C,,', cert: hostile }])
  writeFileSync(join(home, '.mozilla/firefox/profiles.ini'), '[Profile0]\nName=default\nIsRelative=1\nPath=a1.default\n')
  buildDebianTree(root, { local: { [ANCHOR]: hostile.pem } })
  // In the home: under --system-root, a variable's path outside the home is taken as a path of the image.
  const bundle = join(home, BUNDLE_DIR)
  writeFileSync(bundle, hostile.pem)
  return { home, root, profile, anchor: join(root, 'usr/local/share/ca-certificates', ANCHOR), env: { LANG: 'C', SSL_CERT_FILE: bundle } }
}

async function cli(machine: ReturnType<typeof plant>, args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: machine.env }
  const code = await main([...args, '--home', machine.home, '--system-root', machine.root], io)
  return { code, stdout, stderr }
}

const nicknames = (dir: string) => certutil(['-L', '-d', `sql:${dir}`])

describe('remove, undo and history with hostile names', () => {
  if (!ready) {
    it.skip('skipped: certutil (libnss3-tools) and update-ca-certificates are needed; ./scripts/setup-system.sh installs them', () => {})
    return
  }

  it('show every trick of the CN, the nickname, the file names and the quoted path; the change acts on the exact names', async () => {
    const machine = plant()
    const { stdout: scanned } = await cli(machine, ['scan', '--json'])
    const places = (JSON.parse(scanned) as ScanReport).findings.find((f) => f.id === findingId)!.locations
    expect(places.map((p) => p.kind).sort()).toEqual(['env-bundle', 'linux-system', 'nss'])
    expect(places.find((p) => p.kind === 'nss')!.entry).toBe(NICKNAME) // the data is the nickname itself

    const removed = await cli(machine, ['remove', '--finding', findingId, '--yes'])
    expect(removed.code, removed.stdout + removed.stderr).toBe(0)
    expectShownSafely(removed.stdout)
    expect(rawHidden(removed.stderr)).toEqual([])
    const [plan, result] = removed.stdout.split(/^(?=Change )/m)
    expect(plan).toMatch(/^Plan \(delete\) for: CN=Evil⟨U\+001B⟩\[2J/)
    expect(plan).toContain(`nss: ${machine.profile} — Evil⟨U+001B⟩[2J`) // the nickname, in the plan
    expect(plan).toContain('⟨U+202E⟩txt.exe⟨U+202C⟩ RootExa⟨U+200B⟩mple') // the anchor's file name
    // The bundle SSL_CERT_FILE names is the user's own (in the home): changed too, its path shown, and quoted by the warning.
    expect(plan).toMatch(/delete: env-bundle: .*Ordinary CA⟨U\+000A⟩⟨U\+000A⟩No dangerous certificates found\.⟨U\+000D⟩soft⟨U\+00AD⟩hyphen/)
    expect(plan).toMatch(/note: This is the only certificate in .*Ordinary CA⟨U\+000A⟩⟨U\+000A⟩/)
    expect(result).toMatch(/removed +nss: .* — Evil⟨U\+001B⟩\[2J/)
    expect(existsSync(machine.anchor)).toBe(false)
    expect(nicknames(machine.profile)).not.toContain(HOSTILE_NAMES.zeroWidth)

    const history = await cli(machine, ['history'])
    expectShownSafely(history.stdout, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Ordinary CA⟨U+000A⟩⟨U+000A⟩'])

    const undone = await cli(machine, ['undo', '--yes'])
    expect(undone.code, undone.stdout).toBe(0)
    expectShownSafely(undone.stdout, ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Exa⟨U+200B⟩mple'])
    expect(undone.stdout).toMatch(/restored +nss: .* — Evil⟨U\+001B⟩\[2J/)
    expect(existsSync(machine.anchor)).toBe(true)
    expect(nicknames(machine.profile)).toContain(NICKNAME)

    // --json stays data: the exact names.
    const json = JSON.parse((await cli(machine, ['history', '--json'])).stdout) as { findings: { title: string }[] }[]
    expect(json[0]!.findings[0]!.title).toContain(HOSTILE_NAME.slice(0, 40))
  })

  it('the undo results of a change show what a failed tool said, shown', async () => {
    const machine = plant()
    const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
    const { result } = JSON.parse(removed.stdout) as { result: ChangeReport }
    // The profile's database is damaged before undo: the NSS entry fails, and its line names the nickname.
    const profileDb = join(machine.profile, 'cert9.db')
    writeFileSync(profileDb, 'not a database')
    const undone = await cli(machine, ['undo', '--change', result.changeId, '--yes'])
    expect(undone.code).toBe(1)
    expect(rawHidden(undone.stdout)).toEqual([])
    expect(undone.stdout).toMatch(/failed +nss: .* — Evil⟨U\+001B⟩\[2J/)
  })
})
