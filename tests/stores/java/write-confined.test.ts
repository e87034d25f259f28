/**
 * Issue 14, class 2, for Java keystores: a JDK's cacerts that is an absolute link (Debian's JDKs link
 * lib/security/cacerts to /etc/ssl/certs/java/cacerts) is changed where the reader read it, inside
 * the image: keytool is handed the resolved keystore, never the link, which this computer would
 * follow to its own file. This computer's file at that path must stay byte-identical.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { javaWriter } from '../../../src/stores/java/write.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import { keeper, makeImage, outsideDir, qaznet, removeQaznet, undoLast } from '../../support/image-machine.js'
import { snapshotTree } from '../../support/tree-snapshot.js'
import { tempDir } from '../../support/temp.js'
import { haveKeytool } from '../../support/tools.js'

/** A PKCS #12 keystore made by keytool, with the two roots. */
function keystore(path: string): string {
  mkdirSync(dirname(path), { recursive: true })
  const pems = tempDir('certaudit-java-pems-')
  for (const [alias, certificate] of [['qaznet', qaznet], ['keeper', keeper]] as const) {
    writeFileSync(join(pems, `${alias}.pem`), certificate.pem)
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', alias, '-file', join(pems, `${alias}.pem`), '-keystore', path, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'pipe' })
  }
  return path
}

const aliases = (path: string) => execFileSync('keytool', ['-list', '-keystore', path, '-storepass', 'changeit'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('trustedCertEntry')).map((l) => l.split(',')[0]).sort()

describe.skipIf(!haveKeytool)('a JDK keystore that is an absolute link (skipped without keytool)', () => {
  it('keytool changes the image\'s keystore, not this computer\'s at the link\'s path; undo puts it back there', async () => {
    const outside = outsideDir()
    keystore(join(outside, 'java/cacerts'))
    const image = makeImage()
    const inImage = keystore(join(image.root, outside, 'java/cacerts'))
    const link = join(image.root, 'usr/lib/jvm/java-21/lib/security/cacerts')
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(join(outside, 'java/cacerts'), link)
    const sentinel = snapshotTree(outside)

    const removed = await removeQaznet(image)
    expect(removed.report?.results.map((r) => [r.target.kind, r.status]), removed.stderr).toEqual([['java', 'removed']])
    expect(aliases(inImage)).toEqual(['keeper'])
    expect(snapshotTree(outside)).toEqual(sentinel)

    expect((await undoLast(image)).report?.results.map((r) => r.status)).toEqual(['restored'])
    expect(aliases(inImage)).toEqual(['keeper', 'qaznet'])
    expect(snapshotTree(outside)).toEqual(sentinel)
  })

  it('a plan naming the link itself (made before the link appeared, or forged): keytool is still handed the image\'s keystore', async () => {
    const outside = outsideDir()
    keystore(join(outside, 'java/cacerts'))
    const image = makeImage()
    const inImage = keystore(join(image.root, outside, 'java/cacerts'))
    const link = join(image.root, 'usr/lib/jvm/java-21/lib/security/cacerts')
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(join(outside, 'java/cacerts'), link)
    const sentinel = snapshotTree(outside)
    const env = createEnvironment({ home: image.home, systemRoot: image.root, env: {} })
    const target: EntryTarget = { storeId: `java:${link}`, kind: 'java', location: link, entry: 'qaznet', sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }

    const backup = await javaWriter.backup(target, env)
    expect(await javaWriter.apply(backup, 'delete', env, createElevation(env))).toMatchObject({ ok: true })
    expect(aliases(inImage)).toEqual(['keeper'])
    expect(snapshotTree(outside)).toEqual(sentinel)
    expect(await javaWriter.restore(backup, env, createElevation(env))).toMatchObject({ ok: true })
    expect(aliases(inImage)).toEqual(['keeper', 'qaznet'])
    expect(snapshotTree(outside)).toEqual(sentinel)
  })
})
