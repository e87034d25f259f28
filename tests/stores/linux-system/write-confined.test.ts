/**
 * Issue 14, class 2: under --system-root, the Linux system store of an image whose folders are
 * absolute links is changed inside the image, or the change is refused before anything is written;
 * never outside it. Each image's link target also exists on this computer, outside the root, holding a
 * sentinel (a bundle, anchors, a conf) that must stay byte-identical through remove and undo. The
 * images are made by the real update-ca-certificates; the Fedora ones by hand (update-ca-trust cannot
 * be pointed into a temp root, so CertAudit does not run it there).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../../support/system-root.js'
import { certaudit, keeper, makeImage, outsideDir, qaznet, removeQaznet, undoLast, type Image } from '../../support/image-machine.js'
import { snapshotTree } from '../../support/tree-snapshot.js'

/** Moves `path` (inside the image) to the image's copy of `target`, and leaves an absolute link to `target` in its place. */
function linkAway(image: Image, path: string, target: string): void {
  const inImage = join(image.root, target)
  mkdirSync(dirname(inImage), { recursive: true })
  renameSync(join(image.root, path), inImage)
  symlinkSync(target, join(image.root, path))
}

const certsIn = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('-----BEGIN CERTIFICATE-----').length - 1 : -1)
const statuses = (report: { results: readonly { status: string }[] } | null) => report?.results.map((r) => r.status)

describe.skipIf(!haveUpdateCaCertificates)('Debian image with folders that are absolute links (skipped without update-ca-certificates)', () => {
  function debianImage(local: Record<string, string>): Image {
    const image = makeImage()
    buildDebianTree(image.root, { local })
    return image
  }

  it.each([
    ['another certificate is left', { 'qaznet.crt': qaznet.pem, 'keeper.crt': keeper.pem }, 1],
    ['it was the last one (the bundle is emptied)', { 'qaznet.crt': qaznet.pem }, 0],
  ])('/etc/ssl/certs linking out of the root: the bundle and links in the image are rebuilt, the same path outside is untouched (%s)', async (_, local, left) => {
    const image = debianImage(local)
    const outside = outsideDir()
    // This computer has a folder at the link's target: a bundle holding both roots and a hash link.
    put(outside, 'certs/ca-certificates.crt', qaznet.pem + keeper.pem)
    symlinkSync('ca-certificates.crt', join(outside, 'certs/0badcafe.0'))
    linkAway(image, 'etc/ssl/certs', join(outside, 'certs'))
    const sentinel = snapshotTree(outside)
    const imageBundle = join(image.root, outside, 'certs/ca-certificates.crt')

    const removed = await removeQaznet(image)
    expect(removed.code, removed.stderr).toBe(0)
    expect(statuses(removed.report)).toEqual(['removed'])
    expect(certsIn(imageBundle)).toBe(left)
    expect(snapshotTree(outside)).toEqual(sentinel)

    const undone = await undoLast(image)
    expect(statuses(undone.report)).toEqual(['restored'])
    expect(certsIn(imageBundle)).toBe(left + 1)
    expect(snapshotTree(outside)).toEqual(sentinel)
  })

  it('the local anchors folder linking out of the root: update-ca-certificates would read and link the files outside, so the change is refused and nothing is written', async () => {
    const image = debianImage({ 'qaznet.crt': qaznet.pem, 'keeper.crt': keeper.pem })
    const outside = outsideDir()
    put(outside, 'anchors/qaznet.crt', qaznet.pem)
    put(outside, 'anchors/other.crt', keeper.pem)
    linkAway(image, 'usr/local/share/ca-certificates', join(outside, 'anchors'))
    const before = { outside: snapshotTree(outside), image: snapshotTree(image.root) }

    const removed = await removeQaznet(image)
    expect(removed.code).toBe(0) // the plan says what to do by hand: nothing is changed, which is what was planned
    expect(removed.report?.results).toEqual([expect.objectContaining({ status: 'manual', action: 'manual' })])
    expect(snapshotTree(outside)).toEqual(before.outside)
    expect(snapshotTree(image.root)).toEqual(before.image)
  })

  it('links in /etc/ssl/certs written as on the real system (absolute, /usr/share/…): refused, nothing written in or out of the image', async () => {
    const image = debianImage({ 'qaznet.crt': qaznet.pem, 'keeper.crt': keeper.pem })
    // A real Debian image: /etc/ssl/certs/keeper.pem -> /usr/local/share/ca-certificates/keeper.crt, which
    // this computer resolves to its own file (here: the outside folder stands for it).
    const outside = outsideDir()
    put(outside, 'keeper.crt', keeper.pem)
    unlinkSync(join(image.root, 'etc/ssl/certs/keeper.pem'))
    symlinkSync(join(outside, 'keeper.crt'), join(image.root, 'etc/ssl/certs/keeper.pem'))
    put(image.root, join(outside, 'keeper.crt'), keeper.pem)
    const before = { outside: snapshotTree(outside), image: snapshotTree(image.root) }

    const removed = await removeQaznet(image)
    expect(removed.report?.results).toEqual([expect.objectContaining({ status: 'manual', detail: expect.stringContaining('leads to') })])
    expect(snapshotTree(outside)).toEqual(before.outside)
    expect(snapshotTree(image.root)).toEqual(before.image)
  })

  it('ca-certificates.conf linking out of the root: the "!" goes into the image\'s conf, the link stays a link, the conf outside is untouched', async () => {
    const image = makeImage()
    buildDebianTree(image.root, { distro: { 'mozilla/Qaznet.crt': qaznet.pem, 'mozilla/Keeper.crt': keeper.pem } })
    const outside = outsideDir()
    put(outside, 'ca-certificates.conf', 'mozilla/Qaznet.crt\nmozilla/Keeper.crt\n')
    linkAway(image, 'etc/ca-certificates.conf', join(outside, 'ca-certificates.conf'))
    const sentinel = snapshotTree(outside)
    const imageConf = join(image.root, outside, 'ca-certificates.conf')
    const confBefore = readFileSync(imageConf, 'utf8')

    const removed = await removeQaznet(image, 'distrust')
    expect(statuses(removed.report), removed.stderr).toEqual(['distrusted'])
    expect(readFileSync(imageConf, 'utf8')).toContain('!mozilla/Qaznet.crt')
    expect(certsIn(join(image.root, 'etc/ssl/certs/ca-certificates.crt'))).toBe(1)
    expect(snapshotTree(outside)).toEqual(sentinel)

    expect(statuses((await undoLast(image)).report)).toEqual(['restored'])
    expect(readFileSync(imageConf, 'utf8')).toBe(confBefore)
    expect(snapshotTree(outside)).toEqual(sentinel)
  })
})

describe('Fedora image with folders that are absolute links', () => {
  const ANCHORS = 'etc/pki/ca-trust/source/anchors'
  const BLOCKLIST = 'etc/pki/ca-trust/source/blocklist'
  const BUNDLE = 'etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'

  function fedoraImage(): Image {
    const image = makeImage()
    put(image.root, `${ANCHORS}/qaznet.pem`, qaznet.pem)
    put(image.root, `${ANCHORS}/keeper.pem`, keeper.pem)
    put(image.root, BUNDLE, qaznet.pem + keeper.pem)
    mkdirSync(join(image.root, BLOCKLIST), { recursive: true })
    return image
  }

  it('the anchors folder linking out: the anchor is deleted in the image and put back by undo; the same file outside is untouched', async () => {
    const image = fedoraImage()
    const outside = outsideDir()
    put(outside, 'anchors/qaznet.pem', qaznet.pem)
    linkAway(image, ANCHORS, join(outside, 'anchors'))
    const sentinel = snapshotTree(outside)
    const imageAnchor = join(image.root, outside, 'anchors/qaznet.pem')

    const removed = await removeQaznet(image)
    // update-ca-trust cannot run in another root: the bundle keeps it, and the result says so.
    expect(statuses(removed.report), removed.stderr).toEqual(['still-present'])
    expect(existsSync(imageAnchor)).toBe(false)
    expect(snapshotTree(outside)).toEqual(sentinel)

    expect(statuses((await undoLast(image)).report)).toEqual(['restored'])
    expect(readFileSync(imageAnchor, 'utf8')).toBe(qaznet.pem)
    expect(snapshotTree(outside)).toEqual(sentinel)
  })

  it('the blocklist folder linking out: the distrust copy goes into the image, never into the folder outside', async () => {
    const image = fedoraImage()
    const outside = outsideDir()
    put(outside, 'blocklist/README', 'this computer\'s own blocklist\n')
    linkAway(image, BLOCKLIST, join(outside, 'blocklist'))
    const sentinel = snapshotTree(outside)

    await removeQaznet(image, 'distrust')
    expect(existsSync(join(image.root, outside, 'blocklist', `certaudit-${qaznet.sha256}.pem`))).toBe(true)
    expect(snapshotTree(outside)).toEqual(sentinel)

    expect(statuses((await undoLast(image)).report)).toEqual(['restored'])
    expect(existsSync(join(image.root, outside, 'blocklist', `certaudit-${qaznet.sha256}.pem`))).toBe(false)
    expect(snapshotTree(outside)).toEqual(sentinel)
  })

  it('an anchor that is itself an absolute link: its file is outside the store\'s folders, so it is left to the user; nothing is written in or out of the image', async () => {
    const image = fedoraImage()
    const outside = outsideDir()
    put(outside, 'qaznet.pem', qaznet.pem)
    linkAway(image, `${ANCHORS}/qaznet.pem`, join(outside, 'qaznet.pem'))
    const before = { outside: snapshotTree(outside), image: snapshotTree(image.root) }

    const removed = await removeQaznet(image)
    expect(removed.report?.results).toEqual([expect.objectContaining({ status: 'manual' })])
    expect(snapshotTree(outside)).toEqual(before.outside)
    expect(snapshotTree(image.root)).toEqual(before.image)
  })
})

describe('a scan of the image still works', () => {
  it('reads the linked folders inside the image', async () => {
    const image = makeImage()
    const outside = outsideDir()
    put(image.root, 'etc/pki/ca-trust/source/anchors/qaznet.pem', qaznet.pem)
    put(image.root, 'etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', qaznet.pem)
    linkAway(image, 'etc/pki/ca-trust/source/anchors', join(outside, 'anchors'))
    writeFileSync(join(outside, 'unrelated'), '')
    const scanned = await certaudit(image, ['scan', '--json'])
    expect(scanned.stdout).toContain(qaznet.sha256)
  })
})
