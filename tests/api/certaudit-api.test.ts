import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi, InvalidRequestError } from '../../src/api/certaudit-api.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { installBlocklist } from '../../src/audit/blocklist-store.js'
import { blocklistDir } from '../../src/removal/data-dir.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { listVersion, makeSigningKey, writeSignedList } from '../support/blocklists.js'
import { makeCa, startTlsServer } from '../support/tls-servers.js'
import { tempDir } from '../support/temp.js'

describe('the app API', () => {
  const api = createCertAuditApi({ env: createEnvironment({ home: tempDir(), systemRoot: tempDir(), env: { LANG: 'ru_RU.UTF-8' } }), version: '9.9.9' })

  it('tells the window its version, language and blocklist', async () => {
    await expect(api.handle('app:info', {})).resolves.toMatchObject({ version: '9.9.9', language: 'ru', blocklist: { entries: loadBlocklist().entries.length, source: 'bundled' } })
  })

  it('plans only after a scan, and refuses unknown plans', async () => {
    await expect(api.handle('removal:plan', { findingIds: ['00309c736dd661da'], mode: 'delete' })).rejects.toThrow(/Scan this computer first/)
    await expect(api.handle('removal:apply', { planId: '20260101T000000Z-abcd' })).rejects.toThrow(/no longer available/)
  })

  it('checks a connection from the app: a look-alike interception CA on 127.0.0.1 is caught', async () => {
    const qaznet = makeCa([['C', 'KZ'], ['CN', 'Qaznet Trust Network']])
    const server = await startTlsServer(qaznet)
    try {
      const report = await api.handle('connection:check', { language: 'en', hosts: [`localhost:${server.port}`] })
      expect(report.verdict).toBe('intercepted')
      expect(report.hosts[0]).toMatchObject({ verdict: 'intercepted', issuingCa: { subject: expect.stringContaining('Qaznet') } })
    } finally {
      await server.close()
    }
  })

  it('refuses a bad host list before connecting anywhere', async () => {
    await expect(api.handle('connection:check', { language: 'en', hosts: ['not a host!'] })).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('plans and exports from the report the window shows: a cancelled scan, or an older one finishing late, does not replace it', async () => {
    const api = createCertAuditApi({ env: createEnvironment({ home: tempDir(), systemRoot: tempDir(), env: {} }), version: '1' })
    const exported = async () => (JSON.parse((await api.handle('report:export', { format: 'json' })).content!) as { language: string }).language
    await api.handle('scan:start', { language: 'en' })
    const cancelledScan = api.handle('scan:start', { language: 'ru' })
    await expect(api.handle('scan:cancel', {})).resolves.toEqual({ cancelled: true })
    await cancelledScan
    expect(await exported()).toBe('en')
    await expect(api.handle('scan:cancel', {})).resolves.toEqual({ cancelled: false }) // nothing running

    const older = api.handle('scan:start', { language: 'ru' })
    const newer = api.handle('scan:start', { language: 'kk' })
    await Promise.all([newer, older])
    expect(await exported()).toBe('kk')
  })

  it('tells the window when an installed blocklist update was refused (as the CLI does on stderr), and uses the bundled list', async () => {
    const home = tempDir()
    const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
    // Signed with a key that is not the project's: installed by hand, refused at every start.
    const key = makeSigningKey()
    const installed = await installBlocklist(writeSignedList(join(home, 'list.json'), listVersion(loadBlocklist().version + 1, '2027-01-01'), key), { dir: blocklistDir(env), publicKeys: [key.publicKey] })
    expect(installed.ok).toBe(true)
    const info = await createCertAuditApi({ env, version: '1' }).handle('app:info', {})
    expect(info.blocklist).toMatchObject({ source: 'bundled', version: loadBlocklist().version })
    expect(info.blocklist.warnings).toEqual([expect.stringMatching(/signature .* does not match.*Using the bundled list/)])
  })
})

