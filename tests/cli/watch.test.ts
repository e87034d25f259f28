/**
 * The guard's whole story on a planted machine (the Qaznet look-alike trusted in a Firefox profile,
 * made by certutil, and as a Debian anchor, made live by update-ca-certificates, in temp dirs):
 * watch (exit 1, `new`) → remove it with `certaudit remove --yes` → watch (`gone`, by that change) →
 * plant it again in another place (Chromium's NSS database) → watch (`returned`, with the removal's
 * change id, naming only the new place) → and back in the old place too. Every command runs through
 * the CLI's own main(), as a user would type it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, findingId, plantMachine, qaznet } from '../faults/machine.js'
import { certutilInstalled, makeNssDb } from '../stores/nss/fixtures.js'
import { haveUpdateCaCertificates, put, updateCaCertificates } from '../support/system-root.js'

const ready = certutilInstalled && haveUpdateCaCertificates
const REASON = 'needs certutil (libnss3-tools) and update-ca-certificates (ca-certificates)'
if (!ready) console.warn(`[skipped] certaudit watch on a planted machine: ${REASON}`)

interface WatchJson {
  events: { kind: string; findingId: string; certificate: { sha256: string; subject: string }; locations: { storeId: string; kind: string; location: string; cause?: { by: string; name?: string } }[]; removedBy: string | null }[]
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
    expect(returned!.locations).toEqual([expect.objectContaining({ kind: 'nss', location: chromium, cause: { by: 'unknown' } })])

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

  it('names the package that put a system anchor there (dpkg-query on the tree’s own package database)', async () => {
    const machine = plantMachine()
    put(machine.root, 'var/lib/dpkg/status', 'Package: isp-root\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\nMaintainer: ISP <isp@example.kz>\nDescription: the ISP root\n\n')
    put(machine.root, 'var/lib/dpkg/info/isp-root.list', '/usr/local/share/ca-certificates\n/usr/local/share/ca-certificates/qaznet.crt\n')
    const { json } = await watch(machine)
    const system = json.events[0]!.locations.find((l) => l.kind === 'linux-system')
    expect(system?.cause).toMatchObject({ by: 'package', name: 'isp-root' })
    const human = await cli(machine, ['watch', '--once', '--lang', 'en'])
    expect(human.stdout).not.toContain('isp-root') // nothing changed, nothing printed about it
  })

  it('exits 2 on usage errors', async () => {
    const machine = plantMachine()
    expect((await cli(machine, ['watch'])).code).toBe(2)
    expect((await cli(machine, ['watch', '--once', '--install'])).code).toBe(2)
    expect((await cli(machine, ['watch', '--install', '--notify'])).code).toBe(2)
    expect((await cli(machine, ['watch', '--once', '--lang', 'de'])).code).toBe(2)
  })
})
