/** Editing a bundle the user owns: every check that keeps a wrong or stale backup from touching a file. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { applyBundleEdit, backupBundleEdit, bundleEditability, bundleEditData, restoreBundleEdit } from '../../../src/stores/shared/bundle-editor.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const corp = makeCertificate({ subject: [['CN', 'Edited Root']] })
const keep = makeCertificate({ subject: [['CN', 'Kept Root']] })

function world() {
  const home = tempDir('certaudit-edit-')
  const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
  const file = put(home, 'b.pem', `${keep.pem}${corp.pem}`)
  const target: EntryTarget = { storeId: `runtime:${file}`, kind: 'runtime', location: file, entry: 'certificate 2', sha256: corp.sha256, pem: corp.pem, trust: 'trusted' }
  return { env, file, target, elevation: createElevation(env) }
}

describe('bundle editor', () => {
  it('refuses to apply over a file changed since the backup, and to use a backup made for another file', async () => {
    const { env, file, target, elevation } = world()
    const backup = await backupBundleEdit(target, env)
    writeFileSync(file, `${keep.pem}${corp.pem}# changed\n`)
    expect(await applyBundleEdit(backup, 'delete', env, elevation)).toMatchObject({ ok: false, message: expect.stringMatching(/changed after the backup was made/) })
    const elsewhere = { ...backup, data: { ...backup.data, file: '/etc/ssl/certs/ca-certificates.crt' } }
    expect(await restoreBundleEdit(elsewhere, env, elevation)).toMatchObject({ ok: false, message: expect.stringMatching(/does not describe this file/) })
    expect(await applyBundleEdit(backup, 'distrust', env, elevation)).toMatchObject({ ok: false, message: expect.stringMatching(/no distrust/) })
  })

  it('puts a deleted file back, and refuses damaged bytes', async () => {
    const { env, file, target, elevation } = world()
    const before = readFileSync(file)
    const backup = await backupBundleEdit(target, env)
    expect((await applyBundleEdit(backup, 'delete', env, elevation)).ok).toBe(true)
    rmSync(file)
    expect((await restoreBundleEdit(backup, env, elevation)).ok).toBe(true)
    expect(readFileSync(file).equals(before)).toBe(true)
    const damaged = { ...backup, data: { ...backup.data, fileBytes: Buffer.from('other').toString('base64') } }
    rmSync(file)
    expect(await restoreBundleEdit(damaged, env, elevation)).toMatchObject({ ok: false, message: expect.stringMatching(/backup .* is damaged/) })
  })

  it('says why a file is not editable, and its backup data is parsed, never cast', async () => {
    const { env, target } = world()
    expect(await bundleEditability({ ...target, location: '/etc/hostname' }, env)).toMatchObject({ reason: 'outside-home' })
    expect(await bundleEditability({ ...target, sha256: 'f'.repeat(64) }, env)).toMatchObject({ reason: 'not-held' })
    expect(bundleEditData.safeParse({ edit: 'bundle', file: '/x', fileMode: 0o644, fileSha256: 'nothex', fileBytes: '', resultSha256: 'a'.repeat(64) }).success).toBe(false)
  })
})
