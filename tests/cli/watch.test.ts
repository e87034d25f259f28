/**
 * The guard's whole story on a planted machine (the Qaznet look-alike trusted in a Firefox profile,
 * made by certutil, and as a Debian anchor, made live by update-ca-certificates, in temp dirs):
 * watch (exit 1, `new`) → remove it with `certaudit remove --yes` → watch (`gone`, by that change) →
 * plant it again in another place (Chromium's NSS database) → watch (`returned`, with the removal's
 * change id, naming only the new place) → and back in the old place too. Every command runs through
 * the CLI's own main(), as a user would type it.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { cli, findingId, plantMachine, qaznet } from '../faults/machine.js'
import { certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { haveDpkg, installDeb } from '../support/package-db.js'
import { haveUpdateCaCertificates, put, updateCaCertificates } from '../support/system-root.js'
import { iniValue, parseDesktopExec } from '../guard/schedule/parsers.js'

const ready = certutilInstalled && haveUpdateCaCertificates
const REASON = 'needs certutil (libnss3-tools) and update-ca-certificates (ca-certificates)'
if (!ready) console.warn(`[skipped] certaudit watch on a planted machine: ${REASON}`)

interface WatchJson {
  events: { kind: string; findingId: string; certificate: { sha256: string; subject: string }; locations: { storeId: string; kind: string; location: string; placedBy?: { by: string; name?: string; comesBack: boolean } }[]; removedBy: string | null }[]
  verdict: { level: string; text: string }
  baseline: boolean
  serious: number
  problems: string[]
}

async function watch(machine: ReturnType<typeof plantMachine>, extra: string[] = []): Promise<{ code: number; json: WatchJson; stderr: string }> {
  const { code, stdout, stderr } = await cli(machine, ['watch', '--once', '--json', ...extra])
  return { code, json: JSON.parse(stdout) as WatchJson, stderr }
}

describe.skipIf(!ready)('certaudit watch --once on a planted machine', () => {
  it('reports new, then gone after a removal, then returned (with the change id) when it is planted again elsewhere', async () => {
    const machine = plantMachine()
    const chromium = join(machine.home, '.pki/nssdb')

    // 1. The first check is the baseline: the root is reported as new, in both places, and exits 1.
    const first = await watch(machine)
    expect(first.code).toBe(1)
    expect(first.json.baseline).toBe(true)
    expect(first.json.events).toHaveLength(1)
    expect(first.json.events[0]).toMatchObject({ kind: 'new', findingId, certificate: { sha256: qaznet.sha256, subject: 'CN=Qaznet Trust Network,C=KZ' }, removedBy: null })
    expect(first.json.events[0]!.locations.map((l) => l.kind).sort()).toEqual(['linux-system', 'nss'])
    expect(first.json.verdict.level).toBe('high')

    // 2. Nothing changed: no event, still exit 1 (it is still there).
    const again = await watch(machine)
    expect(again.code).toBe(1)
    expect(again.json.events).toEqual([])
    expect(again.json.baseline).toBe(false)

    // 3. Removed by CertAudit: the next check says gone, and which change did it; exit 0.
    const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
    expect(removed.code, removed.stderr).toBe(0)
    const changeId = (JSON.parse(removed.stdout) as { result: { changeId: string } }).result.changeId
    expect(existsSync(machine.anchor)).toBe(false)
    const gone = await watch(machine)
    expect(gone.code).toBe(0)
    expect(gone.json.events).toMatchObject([{ kind: 'gone', findingId, removedBy: changeId }])

    // 4. Something plants it again, in a place it never was: Chromium's NSS database.
    makeNssDb(chromium, [{ nickname: 'ISP security', trust: 'C,,', cert: qaznet }])
    const back = await watch(machine)
    expect(back.code).toBe(1)
    expect(back.json.events).toHaveLength(1)
    const [returned] = back.json.events
    expect(returned).toMatchObject({ kind: 'returned', findingId, removedBy: changeId, certificate: { sha256: qaznet.sha256 } })
    expect(returned!.locations).toEqual([expect.objectContaining({ kind: 'nss', location: chromium, placedBy: { by: 'hand', comesBack: false } })])

    // 5. Told once: the next check is quiet, but still exits 1.
    const quiet = await watch(machine)
    expect(quiet.code).toBe(1)
    expect(quiet.json.events).toEqual([])

    // 6. And back where it was removed from (the anchor, made live again): told again, naming the system store.
    put(machine.root, 'usr/local/share/ca-certificates/qaznet.crt', qaznet.pem)
    updateCaCertificates(machine.root)
    const twice = await watch(machine)
    expect(twice.json.events).toHaveLength(1)
    expect(twice.json.events[0]).toMatchObject({ kind: 'returned', removedBy: changeId })
    expect(twice.json.events[0]!.locations.map((l) => l.kind).sort()).toEqual(['linux-system', 'nss'])

    // The history of events is in the data folder; the watcher changed no store (the Chromium root is still there).
    const log = JSON.parse(readFileSync(join(machine.data, 'certaudit/guard/events.json'), 'utf8')) as { events: { kind: string }[] }
    expect(log.events.map((e) => e.kind)).toEqual(['new', 'gone', 'returned', 'returned'])
  })

  it('prints the events for people, in the chosen language', async () => {
    const machine = plantMachine()
    const en = await cli(machine, ['watch', '--once', '--lang', 'en'])
    expect(en.code).toBe(1)
    expect(en.stdout).toContain('First check: this is the baseline')
    expect(en.stdout).toMatch(/FOUND\s+Qaznet Trust Network/)
    const ru = await cli(machine, ['watch', '--once', '--lang', 'ru'])
    expect(ru.stdout).toContain('С прошлой проверки ничего не изменилось.')
    expect(ru.stdout).toContain('Опасных сертификатов, которым доверяет этот компьютер: 1.')
    await cli(machine, ['remove', '--finding', findingId, '--yes'])
    makeNssDb(join(machine.home, '.pki/nssdb'), [{ nickname: 'ISP security', trust: 'C,,', cert: qaznet }])
    const kk = await cli(machine, ['watch', '--once', '--lang', 'kk'])
    expect(kk.stdout).toMatch(/ҚАЙТА ОРНАТЫЛДЫ\s+Qaznet Trust Network/)
    expect(kk.stdout).toContain('Chrome және Chromium')
  })

  it('a removal and a return with no check in between is still reported as returned', async () => {
    const machine = plantMachine()
    const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--json'])
    const changeId = (JSON.parse(removed.stdout) as { result: { changeId: string } }).result.changeId
    makeNssDb(join(machine.home, '.pki/nssdb'), [{ nickname: 'ISP security', trust: 'C,,', cert: qaznet }])
    const { code, json } = await watch(machine)
    expect(code).toBe(1)
    expect(json.baseline).toBe(true)
    expect(json.events).toMatchObject([{ kind: 'returned', removedBy: changeId }])
  })

  it('a place the removal left alone on purpose (--skip) has not "come back"', async () => {
    const machine = plantMachine()
    const removed = await cli(machine, ['remove', '--finding', findingId, '--yes', '--skip', machine.profile, '--json'])
    expect(removed.code).toBe(0)
    const { json } = await watch(machine)
    expect(json.events).toMatchObject([{ kind: 'new', removedBy: null }])
    expect(json.events[0]!.locations.map((l) => l.kind)).toEqual(['nss'])
  })

  it('a damaged state is reported and becomes a fresh baseline, never a crash', async () => {
    const machine = plantMachine()
    await watch(machine)
    const state = join(machine.data, 'certaudit/guard/state.json')
    writeFileSync(state, '{"version":1,"checkedAt":"yesterday","findings":[{"findingId":"zz"}]}')
    const { code, json, stderr } = await watch(machine)
    expect(code).toBe(1)
    expect(json.baseline).toBe(true)
    expect(json.events).toMatchObject([{ kind: 'new', findingId }])
    expect(json.problems.join('\n')).toMatch(/state was damaged .* fresh baseline/)
    expect(stderr).toBe('')
    // The next check reads the state the last one wrote.
    expect((await watch(machine)).json.events).toEqual([])
  })

  it.skipIf(!haveDpkg)('names the package that put a system anchor there (a real .deb, dpkg-query on the tree’s own package database), as the scan does', async () => {
    const machine = plantMachine()
    installDeb(machine.root, { name: 'isp-root', files: { '/usr/local/share/ca-certificates/qaznet.crt': qaznet.pem } })
    const first = await cli(machine, ['watch', '--once', '--lang', 'en'])
    expect(first.stdout).toContain(`Put there by the package isp-root, whose file ${machine.anchor} holds it. A reinstall or upgrade of isp-root will put it back`)
    const scanned = JSON.parse((await cli(machine, ['scan', '--json'])).stdout) as { findings: { locations: { kind: string; placedBy?: unknown }[] }[] }
    const { json } = await watch(machine)
    expect(json.events).toEqual([]) // nothing changed, nothing told
    const state = JSON.parse(readFileSync(join(machine.data, 'certaudit/guard/state.json'), 'utf8')) as { findings: { locations: { kind: string; placedBy?: unknown }[] }[] }
    const system = state.findings[0]!.locations.find((l) => l.kind === 'linux-system')
    expect(system?.placedBy).toEqual({ by: 'package', name: 'isp-root', file: machine.anchor, comesBack: true })
    // The guard's answer is the scan's: one implementation.
    expect(scanned.findings[0]!.locations.find((l) => l.kind === 'linux-system')?.placedBy).toEqual(system?.placedBy)
  })

  it('exits 2 on usage errors', async () => {
    const machine = plantMachine()
    expect((await cli(machine, ['watch'])).code).toBe(2)
    expect((await cli(machine, ['watch', '--once', '--install'])).code).toBe(2)
    expect((await cli(machine, ['watch', '--install', '--notify'])).code).toBe(2)
    expect((await cli(machine, ['watch', '--once', '--lang', 'de'])).code).toBe(2)
  })
})

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli-bundle/bundle.js', import.meta.url))) && existsSync(fileURLToPath(new URL('../../dist/guard/watch.js', import.meta.url)))
if (!BUILT) console.warn('[skipped] running the scheduled command: the CLI is not built with the guard (npm run build)')

describe.skipIf(!ready)('certaudit watch --install / --uninstall / --status', () => {
  it('installs for the --home given (an autostart entry there: it is not this session’s home), says so, and removes exactly that', async () => {
    const machine = plantMachine()
    const entry = join(machine.home, '.config/autostart/certaudit-guard.desktop')
    const off = await cli(machine, ['watch', '--status'])
    expect(off).toMatchObject({ code: 0, stdout: expect.stringContaining('The guard is off') })
    const on = await cli(machine, ['watch', '--install', '--lang', 'ru'])
    expect(on.code, on.stderr).toBe(0)
    expect(on.stdout).toContain('The guard is on: an autostart entry (at each log-in)')
    expect(on.stdout).toContain(entry)
    expect((await cli(machine, ['watch', '--install', '--lang', 'ru'])).code).toBe(0) // again: the same
    const status = JSON.parse((await cli(machine, ['watch', '--status', '--json'])).stdout) as { enabled: boolean; schedule: { files: string[]; command: string[] } }
    expect(status).toMatchObject({ enabled: true, schedule: { files: [entry] } })
    expect(status.schedule.command.slice(2)).toEqual(['watch', '--once', '--notify', '--lang', 'ru', '--home', machine.home, '--system-root', machine.root])
    const removed = await cli(machine, ['watch', '--uninstall'])
    expect(removed).toMatchObject({ code: 0, stdout: expect.stringContaining('The guard is off') })
    expect(existsSync(entry)).toBe(false)
    expect((await cli(machine, ['watch', '--uninstall'])).code).toBe(0)
  })

  it.skipIf(!BUILT)('the command the schedule holds really runs the check (the built CLI, in its own process, with no notification service)', async () => {
    const machine = plantMachine()
    await cli(machine, ['watch', '--install'])
    const entry = readFileSync(join(machine.home, '.config/autostart/certaudit-guard.desktop'), 'utf8')
    const argv = parseDesktopExec(iniValue(entry, 'Exec')[0]!)
    expect(argv.slice(0, 2)).toEqual(['/usr/bin/env', `XDG_DATA_HOME=${machine.data}`])
    const [program, ...args] = argv
    // No session bus: the check cannot reach any desktop (the developer's own included), so the event waits for the window.
    const run = spawnSync(program!, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LANG: 'C', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certaudit-test-bus' } })
    expect(run.status, run.stderr).toBe(1)
    expect(run.stdout).toMatch(/FOUND\s+Qaznet Trust Network/)
    const events = JSON.parse(readFileSync(join(machine.data, 'certaudit/guard/events.json'), 'utf8')) as { events: { kind: string; notified: boolean }[] }
    expect(events.events).toMatchObject([{ kind: 'new', notified: false }])
  })
})
