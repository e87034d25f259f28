/**
 * Issue 14, class 2, for NSS databases: a profile folder that is a link is changed where the reader
 * read it, inside the image (certutil is handed the resolved folder, never the link, which this
 * computer would follow to its own folder); a profile linking out of the home folder is refused when
 * scanning and never changed. The link targets exist on this computer too, each a real NSS database
 * holding the same root: they must stay byte-identical.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ScanReport } from '../../../src/audit/report.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { nssStore } from '../../../src/stores/nss/index.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import { certaudit, makeImage, outsideDir, qaznet, removeQaznet, undoLast } from '../../support/image-machine.js'
import { inWords } from '../../support/notices.js'
import { snapshotTree } from '../../support/tree-snapshot.js'
import { CERTUTIL_ABSENT_REASON, certutil, certutilInstalled, makeNssDb } from './fixtures.js'

const PROFILES_INI = '[Profile0]\nName=default\nIsRelative=1\nPath=p1.default\n'
const flagsIn = (dir: string) => certutil(['-L', '-d', `sql:${dir}`]).split('\n').find((l) => l.startsWith('Qaznet'))?.trim().split(/\s+/).pop() ?? '(absent)'

describe.skipIf(!certutilInstalled)(`NSS profiles that are links (skipped when ${CERTUTIL_ABSENT_REASON})`, () => {
  it('a profile in an image\'s home linking to an absolute path: certutil changes the image\'s database, not this computer\'s at that path', async () => {
    // This computer has a home at `outside`, with a Firefox database holding the root: the sentinel.
    const outside = outsideDir()
    makeNssDb(join(outside, '.mozilla/firefox/real'), [{ nickname: 'Qaznet', trust: 'C,,', cert: qaznet }])
    const image = makeImage({ homeInRoot: outside })
    const firefox = join(image.home, '.mozilla/firefox')
    const inImage = makeNssDb(join(firefox, 'real'), [{ nickname: 'Qaznet', trust: 'C,,', cert: qaznet }])
    symlinkSync(join(outside, '.mozilla/firefox/real'), join(firefox, 'p1.default'))
    writeFileSync(join(firefox, 'profiles.ini'), PROFILES_INI)
    const sentinel = snapshotTree(outside)

    const removed = await removeQaznet(image)
    expect(removed.report?.results.map((r) => [r.target.kind, r.status]), removed.stderr).toEqual([['nss', 'removed']])
    expect(flagsIn(inImage)).toBe('(absent)')
    expect(snapshotTree(outside)).toEqual(sentinel)
    expect(removed.report?.results[0]?.commands.every((c) => !c.command.some((arg) => arg.includes('p1.default')))).toBe(true)

    expect((await undoLast(image)).report?.results.map((r) => r.status)).toEqual(['restored'])
    expect(flagsIn(inImage)).toBe('C,,')
    expect(snapshotTree(outside)).toEqual(sentinel)
  })

  it('a profile folder linking out of the home folder: reported (nss-outside-home) and not read when scanning; removing changes nothing there', async () => {
    const outside = outsideDir()
    makeNssDb(join(outside, 'elsewhere'), [{ nickname: 'Qaznet', trust: 'C,,', cert: qaznet }])
    const image = makeImage()
    const firefox = join(image.home, '.mozilla/firefox')
    mkdirSync(firefox, { recursive: true })
    symlinkSync(join(outside, 'elsewhere'), join(firefox, 'p1.default'))
    writeFileSync(join(firefox, 'profiles.ini'), PROFILES_INI)
    const sentinel = snapshotTree(outside)

    const report = JSON.parse((await certaudit(image, ['scan', '--json'])).stdout) as ScanReport
    const store = report.stores.find((s) => s.location === join(firefox, 'p1.default'))
    expect(store).toMatchObject({ status: 'failed', problem: expect.stringContaining('outside the home folder') })
    expect(report.problems).toContainEqual(expect.objectContaining({ storeId: store!.id, code: 'nss-outside-home' }))
    expect(report.findings.some((f) => f.certificate.sha256 === qaznet.sha256)).toBe(false)
    expect((await removeQaznet(image)).code).toBe(2) // nothing found to plan
    expect(snapshotTree(outside)).toEqual(sentinel)
  })

  it('a plan naming such a profile (forged, or made before the link changed): the writer refuses it and certutil never runs', async () => {
    const outside = outsideDir()
    makeNssDb(join(outside, 'elsewhere'), [{ nickname: 'Qaznet', trust: 'C,,', cert: qaznet }])
    const image = makeImage()
    const env = createEnvironment({ home: image.home, systemRoot: image.root, env: {} })
    const profile = join(image.home, '.mozilla/firefox/p1.default')
    mkdirSync(join(image.home, '.mozilla/firefox'), { recursive: true })
    symlinkSync(join(outside, 'elsewhere'), profile)
    const sentinel = snapshotTree(outside)
    const target: EntryTarget = { storeId: `nss:${profile}`, kind: 'nss', location: profile, entry: 'Qaznet', sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }

    expect(inWords(await nssStore.capabilities(target, env))).toMatchObject({ modes: [], manual: expect.stringContaining('outside the home folder') })
    await expect(nssStore.backup(target, env)).rejects.toMatchObject({ code: 'outside-home' })
    const backup = { target, exportedPem: qaznet.pem, data: { nickname: 'Qaznet', trustFlags: 'C,,' } }
    for (const outcome of [await nssStore.apply(backup, 'delete', env, createElevation(env)), await nssStore.restore(backup, env, createElevation(env))]) {
      expect(outcome).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('outside the home folder') })
    }
    expect(snapshotTree(outside)).toEqual(sentinel)
  })
})
