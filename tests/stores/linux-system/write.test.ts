/**
 * The Linux system writer against real stores: Debian trees built and rebuilt by Debian's own
 * update-ca-certificates (pointed into a temp root), and Fedora-layout roots read back by the reader.
 * Every change is verified by re-listing the store with linuxSystemStore, never by the writer's word.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { identify } from '../../../src/audit/certificate.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { linuxSystemStore } from '../../../src/stores/linux-system/index.js'
import { linuxSystemWriter } from '../../../src/stores/linux-system/write.js'
import { StoreError, type EntryTarget, type ListItem } from '../../../src/stores/types.js'
import { makeCertificate, type MadeCertificate } from '../../support/certificates.js'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { inWords } from '../../support/notices.js'

type Entry = Extract<ListItem, { type: 'entry' }>
/** Every root of this file lives in one temp folder, removed after the file (tempDir's afterAll only works at collection time). */
const base = tempDir('certaudit-linux-writer-')
const freshRoot = (prefix: string) => mkdtempSync(join(base, prefix))
const cert = (cn: string) => makeCertificate({ subject: [['O', 'Writer Test'], ['CN', cn]] })
const qaznet = cert('Qaznet Trust Network')
const isca = cert('Information Security Certification Authority')
const keeper = cert('Corporate Root To Keep')
const distroRoot = cert('Distro Root')
const LOCAL = 'usr/local/share/ca-certificates'
const BUNDLE = 'etc/ssl/certs/ca-certificates.crt'

const envFor = (root: string) => createEnvironment({ home: join(root, 'home'), systemRoot: root, env: {} })
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
/** The certificates of a PEM file, hashed here, independently of the code under test. */
const shasIn = (pem: string) => [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => sha256(Buffer.from(m[1]!, 'base64')))
const pemShas = (path: string) => shasIn(readFileSync(path, 'latin1'))

async function listed(root: string): Promise<{ entries: Entry[]; storeId: string; location: string }> {
  const [location] = await linuxSystemStore.discover(envFor(root))
  const entries: Entry[] = []
  for await (const item of linuxSystemStore.list(location!, envFor(root))) if (item.type === 'entry') entries.push(item)
  return { entries, storeId: location!.id, location: location!.location }
}

/** The target as a plan would name it: the listed entry with this certificate (the first, or the one from `file`). */
async function targetFor(root: string, certificate: MadeCertificate, file?: string): Promise<EntryTarget> {
  const { entries, storeId, location } = await listed(root)
  const entry = entries.find((e) => identify(e.der).sha256 === certificate.sha256 && (!file || e.origin?.file === file))
  if (!entry) throw new Error(`${certificate.sha256} is not listed in ${root}`)
  return { storeId, kind: 'linux-system', location, entry: entry.entry, sha256: certificate.sha256, pem: certificate.pem, trust: entry.trust, ...(entry.origin ? { origin: entry.origin } : {}) }
}

const entriesOf = async (root: string, certificate: MadeCertificate) => (await listed(root)).entries.filter((e) => identify(e.der).sha256 === certificate.sha256)

/** Whether `chattr +i` works here: the one read-only state that even root (these tests' user) respects. */
const chattrWorks = (() => {
  const probe = join(base, 'chattr-probe')
  writeFileSync(probe, '')
  const on = spawnSync('chattr', ['+i', probe])
  spawnSync('chattr', ['-i', probe])
  return on.status === 0
})()
if (!chattrWorks) console.warn('[skipped] read-only store tests: chattr +i does not work here (not installed, or the temp folder is on a file system without it)')

async function immutable<T>(path: string, body: () => Promise<T>): Promise<T> {
  expect(spawnSync('chattr', ['+i', path]).status).toBe(0)
  try {
    return await body()
  } finally {
    spawnSync('chattr', ['-i', path])
  }
}

describe.skipIf(!haveUpdateCaCertificates)('Debian system store, rebuilt by the real update-ca-certificates', () => {
  const elevationFor = (root: string) => createElevation(envFor(root))

  function debianRoot(local: Record<string, string | Buffer> = { 'qaznet.crt': qaznet.pem, 'keeper.crt': keeper.pem }): string {
    const root = freshRoot('debian-')
    buildDebianTree(root, { local, distro: { 'mozilla/Distro_Root.crt': distroRoot.pem } })
    return root
  }

  it('says what it can do: delete or distrust (both remove on Debian), nothing for bundle-only certificates', async () => {
    const root = debianRoot()
    const env = envFor(root)
    // The note about distrust is shown only when distrust is what the user asked for.
    expect(inWords(await linuxSystemWriter.capabilities(await targetFor(root, qaznet), env))).toEqual({
      modes: ['delete', 'distrust'],
      needsAdmin: false,
      modeWarnings: { distrust: expect.stringContaining('Debian has no blocklist folder') },
    })
    expect(inWords(await linuxSystemWriter.capabilities(await targetFor(root, distroRoot), env))).toMatchObject({ modes: ['delete', 'distrust'], warning: expect.stringContaining('"!"') })
    writeFileSync(join(root, BUNDLE), readFileSync(join(root, BUNDLE), 'latin1') + isca.pem)
    expect(inWords(await linuxSystemWriter.capabilities(await targetFor(root, isca), env))).toEqual({
      modes: [],
      needsAdmin: false,
      manual: expect.stringContaining('run "sudo update-ca-certificates --fresh"'),
    })
  })

  it('deletes a local anchor (gone from the sources and the bundle), then restores it byte for byte', async () => {
    const root = debianRoot()
    const env = envFor(root)
    const file = join(root, LOCAL, 'qaznet.crt')
    chmodSync(file, 0o640)
    const original = readFileSync(file)
    const backup = await linuxSystemWriter.backup(await targetFor(root, qaznet), env)
    expect(backup.data).toMatchObject({ layout: 'debian', source: 'anchor', file, fileBytes: original.toString('base64'), fileMode: 0o640 })
    expect(shasIn(backup.exportedPem)).toEqual([qaznet.sha256])

    const applied = await linuxSystemWriter.apply(backup, 'delete', env, elevationFor(root))
    expect(applied).toMatchObject({ ok: true, warnings: [expect.stringContaining('hooks')] })
    expect(applied.commands.map((c) => [c.command.slice(1, 4), c.exitCode])).toEqual([[['--fresh', '--certsconf', join(root, 'etc/ca-certificates.conf')], 0]])
    expect(existsSync(file)).toBe(false)
    expect(await entriesOf(root, qaznet)).toEqual([])
    expect(pemShas(join(root, BUNDLE))).not.toContain(qaznet.sha256)
    expect(pemShas(join(root, BUNDLE))).toContain(keeper.sha256)

    expect(await linuxSystemWriter.restore(backup, env, elevationFor(root))).toMatchObject({ ok: true })
    expect(readFileSync(file).equals(original)).toBe(true)
    expect(statSync(file).mode & 0o7777).toBe(0o640)
    expect((await entriesOf(root, qaznet)).map((e) => [e.trust, e.origin])).toEqual([['trusted', { file }]])
    expect(pemShas(join(root, BUNDLE))).toContain(qaznet.sha256)
    // Restoring twice changes nothing.
    expect(await linuxSystemWriter.restore(backup, env, elevationFor(root))).toMatchObject({ ok: true, commands: [], warnings: [expect.stringContaining('nothing was changed')] })
  })

  it('deleting the last certificate empties the bundle, which update-ca-certificates itself leaves stale', async () => {
    const root = freshRoot('debian-last-')
    buildDebianTree(root, { local: { 'qaznet.crt': qaznet.pem } })
    const backup = await linuxSystemWriter.backup(await targetFor(root, qaznet), envFor(root))
    const applied = await linuxSystemWriter.apply(backup, 'delete', envFor(root), elevationFor(root))
    expect(applied).toMatchObject({ ok: true, warnings: [expect.stringContaining('hooks'), expect.stringContaining('CertAudit emptied it')] })
    expect(readFileSync(join(root, BUNDLE), 'utf8')).toBe('')
    expect(await entriesOf(root, qaznet)).toEqual([])
    expect(await linuxSystemWriter.restore(backup, envFor(root), elevationFor(root))).toMatchObject({ ok: true, warnings: [expect.stringContaining('hooks')] })
    expect(pemShas(join(root, BUNDLE))).toEqual([qaznet.sha256])
  })

  it('distrusts a distro certificate with "!" in ca-certificates.conf, and restores the conf byte for byte', async () => {
    const root = debianRoot()
    const env = envFor(root)
    const conf = join(root, 'etc/ca-certificates.conf')
    const original = readFileSync(conf)
    const backup = await linuxSystemWriter.backup(await targetFor(root, distroRoot), env)
    expect(backup.data).toMatchObject({ source: 'conf', confLine: 2, confText: 'mozilla/Distro_Root.crt' })
    expect(await linuxSystemWriter.apply(backup, 'distrust', env, elevationFor(root))).toMatchObject({ ok: true })
    expect(readFileSync(conf, 'utf8')).toBe(original.toString('utf8').replace('mozilla/Distro_Root.crt', '!mozilla/Distro_Root.crt'))
    expect((await entriesOf(root, distroRoot)).map((e) => e.trust)).toEqual(['distrusted'])
    expect(pemShas(join(root, BUNDLE))).not.toContain(distroRoot.sha256)

    expect(await linuxSystemWriter.restore(backup, env, elevationFor(root))).toMatchObject({ ok: true })
    expect(readFileSync(conf).equals(original)).toBe(true)
    expect((await entriesOf(root, distroRoot)).map((e) => e.trust)).toEqual(['trusted'])
    expect(pemShas(join(root, BUNDLE))).toContain(distroRoot.sha256)
  })

  it('refuses to mark a conf line that no longer names the file, and changes nothing', async () => {
    const root = debianRoot()
    const conf = join(root, 'etc/ca-certificates.conf')
    const backup = await linuxSystemWriter.backup(await targetFor(root, distroRoot), envFor(root))
    writeFileSync(conf, `# a line added above\n${readFileSync(conf, 'utf8')}`)
    const before = readFileSync(conf)
    const outcome = await linuxSystemWriter.apply(backup, 'delete', envFor(root), elevationFor(root))
    expect(outcome).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('Line 2 of') })
    expect(outcome.message).toContain('no longer names')
    expect(readFileSync(conf).equals(before)).toBe(true)
  })

  it('refuses a backup that does not describe the entry (edited or damaged), before touching anything', async () => {
    const root = debianRoot()
    const conf = join(root, 'etc/ca-certificates.conf')
    const before = readFileSync(conf)
    const backup = await linuxSystemWriter.backup(await targetFor(root, distroRoot), envFor(root))
    const edited = [
      { ...backup, data: { ...backup.data, confText: 'mozilla/Other_Root.crt' } },
      { ...backup, data: { ...backup.data, confLine: 1 } },
      { ...backup, exportedPem: qaznet.pem },
    ]
    for (const bad of edited) {
      expect(await linuxSystemWriter.apply(bad, 'delete', envFor(root), elevationFor(root))).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('cannot be used') })
    }
    expect(readFileSync(conf).equals(before)).toBe(true)
  })

  it('cuts one certificate out of an anchor file that holds others, and puts the file back byte for byte', async () => {
    const root = debianRoot({ 'corp-bundle.crt': `# Corp roots\n${keeper.pem}\n${qaznet.pem}# end\n` })
    const file = join(root, LOCAL, 'corp-bundle.crt')
    const original = readFileSync(file)
    const target = await targetFor(root, qaznet)
    expect((inWords(await linuxSystemWriter.capabilities(target, envFor(root)))).warning).toContain('holds 1 other certificate(s): only this certificate is cut out of it')
    const backup = await linuxSystemWriter.backup(target, envFor(root))
    expect(await linuxSystemWriter.apply(backup, 'delete', envFor(root), elevationFor(root))).toMatchObject({ ok: true })
    expect(readFileSync(file, 'utf8')).toBe(`# Corp roots\n${keeper.pem}\n# end\n`)
    expect(await entriesOf(root, qaznet)).toEqual([])
    expect(pemShas(join(root, BUNDLE))).toContain(keeper.sha256)
    expect(await linuxSystemWriter.restore(backup, envFor(root), elevationFor(root))).toMatchObject({ ok: true })
    expect(readFileSync(file).equals(original)).toBe(true)
    expect(pemShas(join(root, BUNDLE))).toContain(qaznet.sha256)
  })

  it('handles file names with quotes, $(), backticks, spaces and unicode as they are', async () => {
    const names = [`it's "quoted".crt`, '$(touch PWNED).crt', '`touch PWNED2` x.crt', 'with  two spaces.crt', 'Ünïcödé — 🙂 ĄĘŁ.crt']
    const certificates = names.map((n) => cert(`Odd name ${n}`))
    const root = debianRoot(Object.fromEntries(names.map((n, i) => [n, certificates[i]!.pem])))
    for (const [i, certificate] of certificates.entries()) {
      const file = join(root, LOCAL, names[i]!)
      const backup = await linuxSystemWriter.backup(await targetFor(root, certificate), envFor(root))
      expect(await linuxSystemWriter.apply(backup, 'distrust', envFor(root), elevationFor(root))).toMatchObject({ ok: true })
      expect([existsSync(file), await entriesOf(root, certificate)]).toEqual([false, []])
      expect(await linuxSystemWriter.restore(backup, envFor(root), elevationFor(root))).toMatchObject({ ok: true })
      expect(readFileSync(file, 'utf8')).toBe(certificate.pem)
      expect(pemShas(join(root, BUNDLE))).toContain(certificate.sha256)
    }
    expect([existsSync('PWNED'), existsSync(join(root, 'etc/ssl/certs/PWNED')), existsSync('PWNED2')]).toEqual([false, false, false])
  })

  it('a newline in an anchor name: deleting it works; restoring it puts it back, and says update-ca-certificates itself fails on such a name', async () => {
    const root = debianRoot()
    const file = put(root, `${LOCAL}/new\nline.crt`, isca.pem)
    const backup = await linuxSystemWriter.backup(await targetFor(root, isca), envFor(root))
    expect(await linuxSystemWriter.apply(backup, 'delete', envFor(root), elevationFor(root))).toMatchObject({ ok: true })
    expect(await entriesOf(root, isca)).toEqual([])
    const restored = await linuxSystemWriter.restore(backup, envFor(root), elevationFor(root))
    expect(readFileSync(file, 'utf8')).toBe(isca.pem)
    // Debian's script reads `find` output line by line, so it looks for ".../new" and stops.
    expect(restored).toMatchObject({ ok: false, message: expect.stringMatching(/update-ca-certificates .*failed \(exit code \d+\).*new/s) })
    expect(restored.message).toContain('the bundle does not hold the certificate until the command succeeds')
  })

  it('throws entry-missing when the certificate is gone before the backup', async () => {
    const root = debianRoot()
    const target = await targetFor(root, qaznet)
    rmSync(join(root, LOCAL, 'qaznet.crt'))
    await expect(linuxSystemWriter.backup(target, envFor(root))).rejects.toMatchObject({ name: 'StoreError', code: 'entry-missing' })
    // The same file name now holding another certificate is not the entry either.
    put(root, `${LOCAL}/qaznet.crt`, isca.pem)
    const error: unknown = await linuxSystemWriter.backup(target, envFor(root)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toMatchObject({ code: 'entry-missing', message: expect.stringContaining('does not hold it any more') })
    const conf = join(root, 'etc/ca-certificates.conf')
    const distro = await targetFor(root, distroRoot)
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('mozilla/Distro_Root.crt', '# mozilla/Distro_Root.crt'))
    await expect(linuxSystemWriter.backup(distro, envFor(root))).rejects.toMatchObject({ code: 'entry-missing', message: expect.stringContaining('no longer names') })
  })

  describe.skipIf(!chattrWorks)('read-only stores (chattr +i, which root respects too)', () => {
    it('an immutable anchor folder: needs admin, the elevated rm fails, nothing is changed and the bundle is not rebuilt', async () => {
      const root = debianRoot()
      const file = join(root, LOCAL, 'qaznet.crt')
      const bundle = readFileSync(join(root, BUNDLE))
      const target = await targetFor(root, qaznet)
      const backup = await linuxSystemWriter.backup(target, envFor(root))
      const outcome = await immutable(join(root, LOCAL), async () => {
        expect((inWords(await linuxSystemWriter.capabilities(target, envFor(root)))).needsAdmin).toBe(true)
        return linuxSystemWriter.apply(backup, 'delete', envFor(root), elevationFor(root))
      })
      expect(outcome.ok).toBe(false)
      expect(outcome.message).toMatch(/^rm -- .*qaznet\.crt failed \(exit code 1\): rm: cannot remove .*Operation not permitted/)
      expect(outcome.commands.map((c) => c.command[0])).toEqual(['rm'])
      expect(existsSync(file)).toBe(true)
      expect(readFileSync(join(root, BUNDLE)).equals(bundle)).toBe(true)
    })

    it('an immutable /etc/ssl/certs: the rebuild fails, so the deleted anchor is put back byte for byte', async () => {
      const root = debianRoot()
      const file = join(root, LOCAL, 'qaznet.crt')
      const original = readFileSync(file)
      const backup = await linuxSystemWriter.backup(await targetFor(root, qaznet), envFor(root))
      const outcome = await immutable(join(root, 'etc/ssl/certs'), () => linuxSystemWriter.apply(backup, 'delete', envFor(root), elevationFor(root)))
      expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining(`CertAudit put ${file} back as it was`) })
      expect(outcome.message).toMatch(/^\/\S*\/update-ca-certificates --fresh .*failed \(exit code \d+\): rm: cannot remove .*Operation not permitted/s)
      expect(readFileSync(file).equals(original)).toBe(true)
      expect(pemShas(join(root, BUNDLE))).toContain(qaznet.sha256)
    })

    it('an immutable ca-certificates.conf: the distrust fails and the conf is untouched', async () => {
      const root = debianRoot()
      const conf = join(root, 'etc/ca-certificates.conf')
      const original = readFileSync(conf)
      const backup = await linuxSystemWriter.backup(await targetFor(root, distroRoot), envFor(root))
      const outcome = await immutable(conf, () => linuxSystemWriter.apply(backup, 'distrust', envFor(root), elevationFor(root)))
      expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/^install -m 0644 -T -- .* failed \(exit code 1\):.*Operation not permitted/s) })
      expect(readFileSync(conf).equals(original)).toBe(true)
      expect(pemShas(join(root, BUNDLE))).toContain(distroRoot.sha256)
    })
  })
})

describe('Fedora-layout store (update-ca-trust cannot run in a temp root)', () => {
  const ANCHORS = 'etc/pki/ca-trust/source/anchors'
  const BLOCKLIST = 'etc/pki/ca-trust/source/blocklist'
  const FEDORA_BUNDLE = 'etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'
  const ODD = `it's "odd" $(x) \`y\` Ü 🙂\nline.pem`

  function fedoraRoot(): string {
    const root = freshRoot('fedora-')
    put(root, `${ANCHORS}/${ODD}`, qaznet.pem)
    put(root, 'usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit', `[p11-kit-object-v1]\nlabel: "Distro Root"\ntrusted: true\n${distroRoot.pem}`)
    put(root, FEDORA_BUNDLE, qaznet.pem + distroRoot.pem)
    return root
  }
  const elevation = (root: string) => createElevation(envFor(root))
  const notRun = expect.stringContaining('"update-ca-trust extract" cannot be pointed at another system root')

  it('deletes an anchor (odd name, newline included) and restores it; says the bundle keeps it until update-ca-trust runs', async () => {
    const root = fedoraRoot()
    const file = join(root, ANCHORS, ODD)
    const target = await targetFor(root, qaznet, file)
    expect(inWords(await linuxSystemWriter.capabilities(target, envFor(root)))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: false, warning: notRun })
    const backup = await linuxSystemWriter.backup(target, envFor(root))
    expect(await linuxSystemWriter.apply(backup, 'delete', envFor(root), elevation(root))).toEqual({ ok: true, commands: [], warnings: [notRun] })
    expect(existsSync(file)).toBe(false)
    // Honest re-list: no source any more, but the bundle still holds it.
    expect((await entriesOf(root, qaznet)).map((e) => e.entry)).toEqual([expect.stringContaining('in the bundle, but in no source file')])
    expect(await linuxSystemWriter.restore(backup, envFor(root), elevation(root))).toMatchObject({ ok: true, warnings: [notRun] })
    expect(readFileSync(file, 'utf8')).toBe(qaznet.pem)
    expect((await entriesOf(root, qaznet)).map((e) => [e.trust, e.origin?.file])).toEqual([['trusted', file]])
  })

  it('distrusts an anchor with a copy in the blocklist folder, and removes only that copy on restore', async () => {
    const root = fedoraRoot()
    const backup = await linuxSystemWriter.backup(await targetFor(root, qaznet, join(root, ANCHORS, ODD)), envFor(root))
    const copy = join(root, BLOCKLIST, `certaudit-${qaznet.sha256}.pem`)
    expect(await linuxSystemWriter.apply(backup, 'distrust', envFor(root), elevation(root))).toMatchObject({ ok: true, warnings: [notRun] })
    expect(pemShas(copy)).toEqual([qaznet.sha256])
    expect((await entriesOf(root, qaznet)).map((e) => [e.trust, e.origin?.file])).toEqual([
      ['trusted', join(root, ANCHORS, ODD)],
      ['distrusted', copy],
    ])
    expect(await linuxSystemWriter.restore(backup, envFor(root), elevation(root))).toMatchObject({ ok: true })
    expect(existsSync(copy)).toBe(false)
    expect(readFileSync(join(root, ANCHORS, ODD), 'utf8')).toBe(qaznet.pem)
  })

  it('a certificate from a distro p11-kit file can only be distrusted', async () => {
    const root = fedoraRoot()
    const distroFile = join(root, 'usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit')
    const before = readFileSync(distroFile)
    const target = await targetFor(root, distroRoot, distroFile)
    expect((inWords(await linuxSystemWriter.capabilities(target, envFor(root)))).modes).toEqual(['distrust'])
    const backup = await linuxSystemWriter.backup(target, envFor(root))
    expect(await linuxSystemWriter.apply(backup, 'delete', envFor(root), elevation(root))).toMatchObject({ ok: false, message: expect.stringContaining('can only be distrusted') })
    expect(await linuxSystemWriter.apply(backup, 'distrust', envFor(root), elevation(root))).toMatchObject({ ok: true })
    expect((await entriesOf(root, distroRoot)).map((e) => e.trust).sort()).toEqual(['distrusted', 'trusted'])
    expect(await linuxSystemWriter.restore(backup, envFor(root), elevation(root))).toMatchObject({ ok: true })
    expect((await entriesOf(root, distroRoot)).map((e) => e.trust)).toEqual(['trusted'])
    expect(readFileSync(distroFile).equals(before)).toBe(true)
  })

  it('an entry only in the bundle, or outside the store folders, is left to the user', async () => {
    const root = fedoraRoot()
    writeFileSync(join(root, FEDORA_BUNDLE), qaznet.pem + distroRoot.pem + isca.pem)
    const target = await targetFor(root, isca)
    expect(inWords(await linuxSystemWriter.capabilities(target, envFor(root)))).toEqual({ modes: [], needsAdmin: false, manual: expect.stringContaining('sudo update-ca-trust extract') })
    await expect(linuxSystemWriter.backup(target, envFor(root))).rejects.toMatchObject({ code: 'not-changeable' })
    const elsewhere = { ...target, origin: { file: join(root, 'etc/passwd') } }
    expect((inWords(await linuxSystemWriter.capabilities(elsewhere, envFor(root)))).manual).toContain('is not in a folder of the system store that CertAudit changes')
    const escaping = { ...target, origin: { file: `${root}/${ANCHORS}/${'../'.repeat(20)}etc/passwd` } }
    expect((inWords(await linuxSystemWriter.capabilities(escaping, envFor(root)))).modes).toEqual([])
  })
})
