import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { blocklistStatus, installBlocklist, loadActiveBlocklist, rollbackBlocklist, type BlocklistStoreOptions } from '../../src/audit/blocklist-store.js'
import { bundledDocument, listVersion, makeSigningKey, writeSignedList } from '../support/blocklists.js'
import { tempDir } from '../support/temp.js'

const key = makeSigningKey()
const bundled = loadBlocklist()
const next = (n: number) => bundled.version + n

function setup(): { options: BlocklistStoreOptions; dir: string; list: (version: number, updated: string) => string } {
  const dir = tempDir()
  const options = { dir: join(dir, 'data', 'blocklist'), publicKeys: [key.publicKey] }
  const list = (version: number, updated: string) => writeSignedList(join(dir, `list-${version}-${updated}.json`), listVersion(version, updated), key)
  return { options, dir, list }
}

describe('installed blocklist updates', () => {
  it('uses the bundled list until an update is installed, then the update; keeps the old one for rollback', async () => {
    const { options, list } = setup()
    expect(loadActiveBlocklist(options)).toMatchObject({ source: 'bundled', warnings: [] })

    const first = await installBlocklist(list(next(1), '2027-01-01'), options)
    expect(first).toMatchObject({ ok: true, unchanged: false, installed: { version: next(1) }, replaced: { source: 'bundled' } })
    expect(loadActiveBlocklist(options)).toMatchObject({ source: 'installed', blocklist: { version: next(1), updated: '2027-01-01' } })

    await installBlocklist(list(next(2), '2027-02-01'), options)
    expect(blocklistStatus(options)).toMatchObject({
      active: { version: next(2), updated: '2027-02-01', source: 'installed', entries: bundled.entries.length },
      previous: { version: next(1), updated: '2027-01-01' },
    })

    const back = await rollbackBlocklist(options)
    expect(back).toMatchObject({ ok: true, installed: { version: next(1) } })
    expect(blocklistStatus(options)).toMatchObject({ active: { version: next(1) }, previous: { version: next(2) } })
    await rollbackBlocklist(options) // a second rollback undoes the first
    expect(loadActiveBlocklist(options).blocklist.version).toBe(next(2))
  })

  it('installing the list already in use changes nothing', async () => {
    const { options, list } = setup()
    const file = list(next(1), '2027-01-01')
    await installBlocklist(file, options)
    expect(await installBlocklist(file, options)).toMatchObject({ ok: true, unchanged: true })
    expect(blocklistStatus(options).previous).toBeNull()
  })

  it('refuses downgrades by version and by date, and lists older than the bundled one', async () => {
    const { options, list } = setup()
    await installBlocklist(list(next(2), '2027-02-01'), options)
    expect(await installBlocklist(list(next(1), '2027-03-01'), options)).toMatchObject({ ok: false, error: { code: 'downgrade' } })
    expect(await installBlocklist(list(next(3), '2027-01-01'), options)).toMatchObject({ ok: false, error: { code: 'downgrade', message: expect.stringContaining('dated before') } })
    const fresh = setup()
    expect(await installBlocklist(fresh.list(bundled.version, '2030-01-01'), fresh.options)).toMatchObject({ ok: false, error: { code: 'downgrade' } })
    expect(loadActiveBlocklist(options).blocklist.version).toBe(next(2))
  })

  it('refuses a tampered list, a list without .sig and a missing file; the list in use stays', async () => {
    const { options, list, dir } = setup()
    const file = list(next(1), '2027-01-01')
    writeFileSync(file, readFileSync(file, 'utf8').replace('"severity": "critical"', '"severity": "medium"'))
    expect(await installBlocklist(file, options)).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
    const unsigned = join(dir, 'unsigned.json')
    writeFileSync(unsigned, JSON.stringify(bundledDocument()))
    expect(await installBlocklist(unsigned, options)).toMatchObject({ ok: false, error: { code: 'missing-signature' } })
    expect(await installBlocklist(join(dir, 'nope.json'), options)).toMatchObject({ ok: false, error: { code: 'unreadable', message: expect.stringContaining('does not exist') } })
    expect(existsSync(options.dir)).toBe(false)
    expect(loadActiveBlocklist(options).source).toBe('bundled')
  })

  it('a list edited on disk after install is not used: the bundled list is, with a warning', async () => {
    const { options, list } = setup()
    const result = await installBlocklist(list(next(1), '2027-01-01'), options)
    const path = result.ok ? result.path : ''
    const envelope = JSON.parse(readFileSync(path, 'utf8')) as { list: string }
    envelope.list = envelope.list.replace('"version": ' + next(1), '"version": ' + next(9))
    writeFileSync(path, JSON.stringify(envelope))
    const active = loadActiveBlocklist(options)
    expect(active).toMatchObject({ source: 'bundled', blocklist: { version: bundled.version } })
    expect(active.warnings).toEqual([expect.stringMatching(/^The signature of the installed blocklist .* does not match.*Using the bundled list \(version \d+ of [\d-]+\)\./)])
  })

  it('after an install cut short between its renames, the previous list is used', async () => {
    const { options, list } = setup()
    await installBlocklist(list(next(1), '2027-01-01'), options)
    await installBlocklist(list(next(2), '2027-02-01'), options)
    renameSync(join(options.dir, 'current.signed.json'), join(options.dir, 'lost.json'))
    expect(loadActiveBlocklist(options)).toMatchObject({ source: 'installed', blocklist: { version: next(1) } })
  })

  it('an app update with a newer bundled list wins over an older installed one', async () => {
    const { options, list, dir } = setup()
    await installBlocklist(list(next(1), '2027-01-01'), options)
    const newerBundled = join(dir, 'bundled.json')
    writeFileSync(newerBundled, JSON.stringify(listVersion(next(5), '2028-01-01')))
    expect(loadActiveBlocklist({ ...options, bundledPath: newerBundled })).toMatchObject({ source: 'bundled', blocklist: { version: next(5) }, warnings: [] })
  })

  it('rollback with nothing to roll back to says so', async () => {
    const { options } = setup()
    expect(await rollbackBlocklist(options)).toEqual({ ok: false, error: { code: 'nothing-to-roll-back', message: 'There is no previous blocklist to go back to.' } })
  })
})
