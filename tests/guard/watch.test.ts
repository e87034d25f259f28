/**
 * One check (src/guard/watch.ts) on a planted machine (a Firefox profile made by certutil, a Debian
 * anchor made live by update-ca-certificates), through the API as `watch --once` runs it, with every
 * command it runs recorded: the guard only reads — certutil listings, nothing that writes, nothing
 * elevated — and the stores are byte for byte what they were.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi } from '../../src/api/certaudit-api.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { runCommand, type CommandRunner } from '../../src/stores/shared/command.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { fingerprint, plantMachine } from '../faults/machine.js'
import { certutilInstalled } from '../stores/nss/fixtures.js'
import { haveUpdateCaCertificates } from '../support/system-root.js'

const ready = certutilInstalled && haveUpdateCaCertificates
if (!ready) console.warn('[skipped] the guard never changes a store: needs certutil (libnss3-tools) and update-ca-certificates')

/** Every file under `dir` with its bytes, for "nothing changed". */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const stat = statSync(path, { throwIfNoEntry: false })
    if (!stat) continue
    if (stat.isDirectory()) snapshot(path, into)
    else if (stat.isFile()) into.set(path, readFileSync(path).toString('base64'))
  }
  return into
}

describe.skipIf(!ready)('a guard check', () => {
  it('only reads: every command is a listing, none is elevated, and no store file changes', async () => {
    const machine = plantMachine()
    const ran: string[][] = []
    const run: CommandRunner = (command, args, options) => (ran.push([command, ...args]), runCommand(command, args, options))
    const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: machine.env.env, run })
    const api = createCertAuditApi({ env, version: 'test', blocklist: loadBlocklist() })
    const before = { stores: await fingerprint(machine), profile: snapshot(machine.profile), root: snapshot(machine.root) }

    const first = await api.handle('guard:watch', { language: 'en', notify: false })
    const second = await api.handle('guard:watch', { language: 'en', notify: false })
    expect(first.events.map((e) => e.kind)).toEqual(['new'])
    expect(second.events).toEqual([])

    expect(ran.length).toBeGreaterThan(0)
    for (const command of ran) {
      expect(command[0], command.join(' ')).toBe('certutil')
      expect(command[1], command.join(' ')).toBe('-L') // a listing, never -A/-D/-M
    }
    expect(ran.flat().some((word) => /^(pkexec|sudo|update-ca-certificates|keytool)$/.test(word))).toBe(false)
    expect(await fingerprint(machine)).toEqual(before.stores)
    expect(snapshot(machine.root)).toEqual(before.root)
    // The profile's database files are untouched (the scan reads a private copy).
    expect(snapshot(machine.profile)).toEqual(before.profile)
  })
})
