/**
 * Bad input in a default place is a reported problem and the scan goes on: a FIFO, a device, a huge
 * file, links in loops, garbage between certificates; and no link leads a scan out of --system-root.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { opensslStore } from '../../../src/stores/openssl/index.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { envFor, findingOf, listAll, lookalike, scanRoot, STOCK } from './support.js'

/** A machine whose Alpine bundle holds the look-alike, beside the bad place under test. */
function machine(prefix: string): { root: string; bundle: string } {
  const root = tempDir(prefix)
  return { root, bundle: put(root, 'etc/ssl/certs/ca-certificates.crt', STOCK[0]! + lookalike.pem) }
}

/** Whether device files can be made here (mknod needs CAP_MKNOD, which containers often drop). */
function canMknod(): boolean {
  const dir = tempDir('certaudit-mknod-')
  try {
    execFileSync('mknod', [join(dir, 'zero'), 'c', '1', '5'], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}

describe('bad input in a default place', () => {
  it('a FIFO as /etc/ssl/cert.pem: a failed place with the reason, never a hang; the bundle beside it is read', async () => {
    const { root, bundle } = machine('certaudit-fifo-')
    execFileSync('mkfifo', [join(root, 'etc/ssl/cert.pem')])
    const report = await scanRoot(root)
    expect(report.stores.find((s) => s.location === join(root, 'etc/ssl/cert.pem'))).toMatchObject({ status: 'failed', problem: expect.stringContaining('a named pipe (FIFO)') })
    expect(findingOf(report, lookalike.sha256)?.locations).toEqual([expect.objectContaining({ location: bundle })])
  }, 10_000)

  it.skipIf(!canMknod())('a character device (like /dev/zero) as /usr/local/ssl/cert.pem: refused, the scan goes on (skipped where mknod is not allowed)', async () => {
    const { root, bundle } = machine('certaudit-device-')
    mkdirSync(join(root, 'usr/local/ssl'), { recursive: true })
    execFileSync('mknod', [join(root, 'usr/local/ssl/cert.pem'), 'c', '1', '5'])
    const report = await scanRoot(root)
    expect(report.stores.find((s) => s.location === join(root, 'usr/local/ssl/cert.pem'))).toMatchObject({ status: 'failed', problem: expect.stringContaining('a character device') })
    expect(findingOf(report, lookalike.sha256)?.locations).toEqual([expect.objectContaining({ location: bundle })])
  }, 10_000)

  it('a huge (sparse) file: refused from its size, not read', async () => {
    const { root } = machine('certaudit-huge-')
    const huge = join(root, 'etc/ssl/cert.pem')
    writeFileSync(huge, '')
    truncateSync(huge, 2 * 1024 * 1024 * 1024)
    const started = Date.now()
    const report = await scanRoot(root)
    expect(report.stores.find((s) => s.location === huge)).toMatchObject({ status: 'failed', problem: expect.stringContaining('far larger than any certificate bundle') })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(findingOf(report, lookalike.sha256)).toBeDefined()
  }, 10_000)

  it('links in loops: a place that is a loop fails with the reason; a loop inside a folder is a problem of that folder', async () => {
    const { root, bundle } = machine('certaudit-loop-')
    symlinkSync('cert.pem', join(root, 'etc/ssl/cert.pem'))
    mkdirSync(join(root, 'usr/local/ssl/certs'), { recursive: true })
    symlinkSync('b.pem', join(root, 'usr/local/ssl/certs/a.pem'))
    symlinkSync('a.pem', join(root, 'usr/local/ssl/certs/b.pem'))
    put(root, 'usr/local/ssl/certs/proxy.pem', lookalike.pem)
    const report = await scanRoot(root)
    expect(report.stores.find((s) => s.location === join(root, 'etc/ssl/cert.pem'))).toMatchObject({ status: 'failed', problem: expect.stringContaining('link loop') })
    expect(report.stores.find((s) => s.location === join(root, 'usr/local/ssl/certs'))).toMatchObject({ status: 'partial', entryCount: 1 })
    expect(report.problems.filter((p) => p.code === 'eloop').map((p) => p.path).sort()).toEqual(
      [join(root, 'etc/ssl/cert.pem'), join(root, 'usr/local/ssl/certs'), join(root, 'usr/local/ssl/certs')],
    )
    expect(findingOf(report, lookalike.sha256)?.locations.map((l) => l.location).sort()).toEqual([bundle, join(root, 'usr/local/ssl/certs')])
  })

  it('garbage between certificates: each certificate read, each damaged block a problem', async () => {
    const root = tempDir('certaudit-garbage-')
    const broken = '-----BEGIN CERTIFICATE-----\n@@@@ not base64 @@@@\n-----END CERTIFICATE-----\n'
    const bundle = put(root, 'etc/ssl/cert.pem', `# a comment\n${STOCK[0]}some text the installer left\n${broken}\u0000\u0001binary\n${lookalike.pem}trailing junk`)
    const [location] = await opensslStore.discover(envFor(root))
    const { entries, problems } = await listAll(location!, envFor(root))
    expect(entries).toHaveLength(2)
    expect(problems).toEqual([expect.objectContaining({ path: bundle, code: 'corrupt-pem' })])
    const report = await scanRoot(root)
    expect(report.stores).toEqual([expect.objectContaining({ status: 'partial', entryCount: 2 })])
    expect(findingOf(report, lookalike.sha256)).toBeDefined()
  })

  it('files in a folder that hold no certificate (a README, a key) are no problem; a damaged certificate file is', async () => {
    const root = tempDir('certaudit-folder-junk-')
    put(root, 'etc/ssl/certs/README', 'CA certificates go here.\n')
    put(root, 'etc/ssl/certs/server.key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')
    put(root, 'etc/ssl/certs/empty.pem', '')
    put(root, 'etc/ssl/certs/proxy.pem', lookalike.pem)
    const [location] = await opensslStore.discover(envFor(root))
    const { entries, problems } = await listAll(location!, envFor(root))
    expect(entries).toHaveLength(1)
    expect(problems.map((p) => [p.path, p.code])).toEqual([[join(root, 'etc/ssl/certs/empty.pem'), 'no-certificates']])
  })

  it('no link leads out of --system-root: an absolute link is followed inside the image', async () => {
    const outside = tempDir('certaudit-outside-')
    const sentinel = put(outside, 'proxy-bundle.pem', lookalike.pem)
    const root = tempDir('certaudit-escape-')
    mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
    symlinkSync(sentinel, join(root, 'etc/ssl/cert.pem'))
    symlinkSync(`../../../../../../../../..${sentinel}`, join(root, 'etc/ssl/certs/ca-certificates.crt'))
    symlinkSync(sentinel, join(root, 'etc/ssl/certs/proxy.pem'))
    // Homebrew's openssl@N folders are looked for inside the image too, even through a link to a folder outside it.
    put(outside, 'brew/etc/openssl@3/cert.pem', lookalike.pem)
    mkdirSync(join(root, 'opt/homebrew'), { recursive: true })
    symlinkSync(join(outside, 'brew/etc'), join(root, 'opt/homebrew/etc'))
    const report = await scanRoot(root)
    expect(findingOf(report, lookalike.sha256)).toBeUndefined()
    expect(report.stores).toEqual([])
    // The same file inside the image is found, once: all three links lead to it.
    const inside = put(root, sentinel, lookalike.pem)
    const report2 = await scanRoot(root)
    expect(findingOf(report2, lookalike.sha256)?.locations.map((l) => l.location)).toEqual([join(root, 'etc/ssl/certs/ca-certificates.crt')])
    expect(report2.stores).toEqual([expect.objectContaining({ note: expect.stringContaining(`also reached as ${join(root, 'etc/ssl/cert.pem')}`) })])
    expect(inside.startsWith(root)).toBe(true)
  })

  it('a place listed after it changed (gone from the places since discovery) is still read inside the root only', async () => {
    const outside = tempDir('certaudit-outside-later-')
    const sentinel = put(outside, 'bundle.pem', lookalike.pem)
    const root = tempDir('certaudit-changed-')
    mkdirSync(join(root, 'usr/local/ssl'), { recursive: true })
    symlinkSync(sentinel, join(root, 'usr/local/ssl/cert.pem'))
    const location = { id: `openssl:${join(root, 'usr/local/ssl/cert.pem')}`, kind: 'openssl' as const, location: join(root, 'usr/local/ssl/cert.pem') }
    await expect(listAll(location, envFor(root))).rejects.toMatchObject({ code: 'enoent' })
  })
})
