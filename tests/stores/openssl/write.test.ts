/**
 * The openssl kind never edits a file: the plan says, in the user's language, who rebuilds it and
 * what removes the certificate for good; every change is refused with the same words.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi } from '../../../src/api/certaudit-api.js'
import { noticeText } from '../../../src/stores/shared/notices.js'
import { opensslStore } from '../../../src/stores/openssl/index.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { envFor, findingOf, lookalike, scanRoot, STOCK } from './support.js'

/** The look-alike's place in a scan of the root, as a removal target. */
async function targetIn(root: string, location: string): Promise<EntryTarget> {
  const finding = findingOf(await scanRoot(root), lookalike.sha256)
  const place = finding?.locations.find((l) => l.location === location)
  if (!place) throw new Error(`the look-alike is not in ${location}`)
  return { ...place, sha256: lookalike.sha256, pem: lookalike.pem }
}

describe('the plan for a default certificate file', () => {
  it('Alpine: manual, in English, Russian and Kazakh, with the package and its command; nothing changes', async () => {
    const root = tempDir('certaudit-plan-alpine-')
    const bundle = put(root, 'etc/ssl/certs/ca-certificates.crt', STOCK[0]! + lookalike.pem)
    put(root, 'lib/apk/db/installed', 'P:ca-certificates-bundle\nV:20240705-r0\nF:etc/ssl/certs\nR:ca-certificates.crt\n\n')
    const before = readFileSync(bundle)
    const api = createCertAuditApi({ env: createEnvironment({ home: tempDir(), systemRoot: root, env: {}, platform: 'linux' }), version: '1' })
    const report = await api.handle('scan:start', { language: 'en' })
    const id = findingOf(report, lookalike.sha256)!.id
    const words = { en: 'belongs to the Alpine package', ru: 'принадлежит пакету Alpine', kk: 'Alpine-ның' }
    for (const language of ['en', 'ru', 'kk'] as const) {
      const plan = await api.handle('removal:plan', { findingIds: [id], mode: 'delete', skip: [], language })
      expect(plan.changes).toEqual([expect.objectContaining({ action: 'manual', needsAdmin: false, instructions: expect.stringContaining(words[language]) })])
      expect(plan.changes[0]!.instructions).toContain('sudo apk fix ca-certificates-bundle')
    }
    expect(readFileSync(bundle)).toEqual(before)
  })

  it('refuses every change with the same words', async () => {
    const root = tempDir('certaudit-refuse-')
    const bundle = put(root, 'etc/ssl/cert.pem', lookalike.pem)
    const target = await targetIn(root, bundle)
    const env = envFor(root)
    const expected = noticeText((await opensslStore.capabilities(target, env)).manual!)
    await expect(opensslStore.backup(target, env)).rejects.toMatchObject({ code: 'manual-only', message: expected })
    const backup = { target, exportedPem: lookalike.pem, data: {} }
    await expect(opensslStore.apply(backup, 'delete', env, { run: async () => { throw new Error('no command may run') } })).rejects.toMatchObject({ code: 'manual-only' })
    await expect(opensslStore.restore(backup, env, { run: async () => { throw new Error('no command may run') } })).rejects.toMatchObject({ code: 'manual-only' })
    expect(opensslStore.backupData.safeParse({}).success).toBe(true)
  })

  it('Guix System: the bundle in the Guix store, reached through /etc/ssl/certs', async () => {
    const root = tempDir('certaudit-guix-')
    const store = '/gnu/store/abcd1234-nss-certs-3.98/etc/ssl/certs/ca-certificates.crt'
    put(root, store, STOCK[0]! + lookalike.pem)
    mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
    symlinkSync(store, join(root, 'etc/ssl/certs/ca-certificates.crt'))
    const target = await targetIn(root, join(root, 'etc/ssl/certs/ca-certificates.crt'))
    expect((await opensslStore.capabilities(target, envFor(root))).manual).toMatchObject({ code: 'openssl-guix', values: { command: 'sudo guix system reconfigure /etc/config.scm' } })
  })

  it('Android: the system CA folder; FreeBSD\'s ca_root_nss', async () => {
    const android = tempDir('certaudit-android-plan-')
    const cacerts = join(android, 'system/etc/security/cacerts')
    put(android, 'system/etc/security/cacerts/0a1b2c3d.0', lookalike.pem)
    expect((await opensslStore.capabilities(await targetIn(android, cacerts), envFor(android))).manual?.code).toBe('openssl-android')
    const bsd = tempDir('certaudit-nss-plan-')
    const nss = put(bsd, 'usr/local/share/certs/ca-root-nss.crt', lookalike.pem)
    expect((await opensslStore.capabilities(await targetIn(bsd, nss), envFor(bsd))).manual).toMatchObject({ code: 'openssl-ca-root-nss', values: { command: 'sudo pkg install -f ca_root_nss' } })
  })
})
