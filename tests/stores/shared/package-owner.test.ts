/**
 * Which package owns a file, asked of the temp root's own package database: real .debs installed by
 * dpkg into the root, a real .rpm installed by rpm into another, each tool run through the
 * Environment's runner (recorded, to prove one dpkg call answers many files and nothing is asked twice
 * or outside the root). Skipped, saying why, where the tools are missing.
 */
import { describe, expect, it } from 'vitest'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { packageOwners, pathInImage } from '../../../src/stores/shared/package-owner.js'
import { haveDpkg, haveRpm, installDeb, installRpm, NO_DPKG, NO_RPM } from '../../support/package-db.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { execFileSync } from 'node:child_process'

/** The real runner, with every call kept. */
function recording(): { run: CommandRunner; calls: string[][] } {
  const calls: string[][] = []
  return { calls, run: (command, args, options) => (calls.push([command, ...args]), runCommand(command, args, options)) }
}

describe('the path a package database names', () => {
  it('is the path inside the root; files outside it or in the home are no package’s', () => {
    const env = createEnvironment({ home: '/r/home/a', systemRoot: '/r', env: {} })
    expect(pathInImage(env, '/r/usr/share/ca-certificates/x.crt')).toBe('/usr/share/ca-certificates/x.crt')
    expect(pathInImage(env, '/usr/share/x.crt')).toBeNull()
    expect(pathInImage(env, '/r/home/a/.profile')).toBeNull()
    expect(pathInImage(env, '/r/etc/*.crt')).toBeNull() // dpkg would take it for a pattern
    expect(pathInImage(createEnvironment({ home: '/home/a', systemRoot: '/', env: {} }), '/etc/x')).toBe('/etc/x')
  })
})

describe.skipIf(!haveDpkg)('dpkg: the root’s own database', () => {
  it('names the owner of each file in one dpkg-query call, a diversion’s package for a diverted file, and nothing for the rest', async () => {
    const root = tempDir('certaudit-dpkg-root-')
    installDeb(root, { name: 'isp-root', files: { '/usr/share/ca-certificates/isp/isp-root.crt': 'x', '/usr/share/ca-certificates/isp/other.crt': 'y' } })
    installDeb(root, { name: 'corp-ca', files: { '/usr/share/ca-certificates/corp/corp.crt': 'z' } })
    // corp-ca diverts isp-root's other.crt: the file at that path is now corp-ca's (no --rename: nothing is moved).
    execFileSync('dpkg-divert', [`--admindir=${root}/var/lib/dpkg`, '--package', 'corp-ca', '--divert', '/usr/share/ca-certificates/isp/other.crt.distrib', '--add', '/usr/share/ca-certificates/isp/other.crt'], { stdio: 'pipe' })
    put(root, 'usr/local/share/ca-certificates/by-hand.crt', 'h')
    const runner = recording()
    const owners = packageOwners(createEnvironment({ home: tempDir(), systemRoot: root, env: {}, run: runner.run }))
    const asked = await Promise.all([
      owners.owner(`${root}/usr/share/ca-certificates/isp/isp-root.crt`),
      owners.owner(`${root}/usr/share/ca-certificates/corp/corp.crt`),
      owners.owner(`${root}/usr/share/ca-certificates/isp/other.crt`),
      owners.owner(`${root}/usr/local/share/ca-certificates/by-hand.crt`),
      owners.owner(`${root}/usr/share/ca-certificates/isp/isp-root.crt`),
    ])
    expect(asked).toEqual(['isp-root', 'corp-ca', 'corp-ca', null, 'isp-root'])
    expect(runner.calls).toHaveLength(1)
    expect(runner.calls[0]!.slice(0, 3)).toEqual(['dpkg-query', `--admindir=${root}/var/lib/dpkg`, '-S'])
    // Asked again later: the answer is kept for the scan, no new call.
    expect(await owners.owner(`${root}/usr/share/ca-certificates/corp/corp.crt`)).toBe('corp-ca')
    expect(runner.calls).toHaveLength(1)
    expect(owners.problems).toEqual([])
  })

  it('a missing dpkg-query, or one that cannot read the database, is a problem said once, and no answer', async () => {
    const root = tempDir()
    put(root, 'var/lib/dpkg/status', '')
    const missing = packageOwners(createEnvironment({ home: tempDir(), systemRoot: root, env: {}, run: scriptedRunner(() => undefined).run }))
    expect(await Promise.all([missing.owner(`${root}/etc/a`), missing.owner(`${root}/etc/b`)])).toEqual([null, null])
    expect(missing.problems).toEqual([expect.stringMatching(/^dpkg-query could not be run .* cannot tell which files of .* belong to a package\.$/)])
    const broken = packageOwners(createEnvironment({ home: tempDir(), systemRoot: root, env: {}, run: scriptedRunner(() => ({ exitCode: 2, stderr: 'dpkg-query: error: parsing file status\n' })).run }))
    expect(await broken.owner(`${root}/etc/a`)).toBeNull()
    expect(broken.problems).toEqual([expect.stringContaining('could not read the package database')])
  })

  it('a root with no package database asks nothing', async () => {
    const runner = scriptedRunner()
    const owners = packageOwners(createEnvironment({ home: tempDir(), systemRoot: tempDir(), env: {}, run: runner.run }))
    expect(await owners.owner('/x')).toBeNull()
    expect(runner.calls).toEqual([])
  })
})
if (!haveDpkg) console.warn(`[skipped] dpkg package owners: ${NO_DPKG}`)

describe.skipIf(!haveRpm)('rpm: the root’s own database', () => {
  it('names the owner of a file with rpm --root --dbpath of the root, and nothing for a file no package owns', async () => {
    const root = tempDir('certaudit-rpm-root-')
    installRpm(root, { name: 'corp-anchor', files: { '/etc/pki/ca-trust/source/anchors/corp.pem': 'x' } })
    put(root, 'etc/pki/ca-trust/source/anchors/by-hand.pem', 'h')
    const runner = recording()
    const owners = packageOwners(createEnvironment({ home: tempDir(), systemRoot: root, env: {}, run: runner.run }))
    expect(await owners.owner(`${root}/etc/pki/ca-trust/source/anchors/corp.pem`)).toBe('corp-anchor')
    expect(await owners.owner(`${root}/etc/pki/ca-trust/source/anchors/by-hand.pem`)).toBeNull()
    expect(runner.calls[0]).toEqual(['rpm', '--root', root, '--dbpath', '/var/lib/rpm', '-qf', '--queryformat', '%{NAME}\\n', '/etc/pki/ca-trust/source/anchors/corp.pem'])
    expect(owners.problems).toEqual([])
  })
})
if (!haveRpm) console.warn(`[skipped] rpm package owners: ${NO_RPM}`)
