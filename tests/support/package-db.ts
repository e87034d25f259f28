/**
 * Real package databases in temp system roots: a .deb built by dpkg-deb and installed by dpkg into
 * the root (its own var/lib/dpkg), an .rpm built by rpmbuild and installed by rpm into the root (its
 * own rpm database). The files land in the root as the tools put them; nothing touches the machine's
 * own databases. Tests that need a tool skip, saying so, where it is missing. No test framework is
 * imported (the window's Playwright tests use it too): each build folder is removed when done.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { installed } from './tools.js'

export const haveDpkg = installed('dpkg-deb', ['--version']) && installed('dpkg', ['--version']) && installed('dpkg-query', ['--version'])
export const haveRpm = installed('rpm', ['--version']) && installed('rpmbuild', ['--version'])
export const NO_DPKG = 'dpkg, dpkg-deb and dpkg-query are needed (Debian/Ubuntu)'
export const NO_RPM = 'rpm and rpmbuild are needed (./scripts/setup-system.sh installs them)'

/** A package: its name and its files (absolute paths as on the machine, and their bytes). */
export interface TestPackage {
  readonly name: string
  readonly files: Readonly<Record<string, string | Uint8Array>>
}

/** Builds a .deb of `pkg` and installs it into `root` with dpkg (root/var/lib/dpkg is made if missing). */
export function installDeb(root: string, pkg: TestPackage): void {
  inTempDir('certaudit-deb-', (build) => buildAndInstallDeb(root, pkg, build))
}

function buildAndInstallDeb(root: string, pkg: TestPackage, build: string): void {
  const tree = join(build, 'tree')
  mkdirSync(join(tree, 'DEBIAN'), { recursive: true })
  writeFileSync(join(tree, 'DEBIAN/control'), `Package: ${pkg.name}\nVersion: 1.0\nArchitecture: all\nMaintainer: Test <test@example.org>\nDescription: ${pkg.name} for CertAudit's tests\n`)
  for (const [path, bytes] of Object.entries(pkg.files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true })
    writeFileSync(join(tree, path), bytes)
  }
  const deb = join(build, `${pkg.name}.deb`)
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', tree, deb], { stdio: 'pipe' })
  const admin = join(root, 'var/lib/dpkg')
  for (const dir of ['info', 'updates', 'triggers']) mkdirSync(join(admin, dir), { recursive: true })
  writeFileSync(join(admin, 'status'), '', { flag: 'a' })
  // --root points every path, the database included, into the tree; scripts would be chrooted (there are none).
  execFileSync('dpkg', [`--root=${root}`, '--force-not-root', '--force-script-chrootless', '--log=/dev/null', '--install', deb], { stdio: 'pipe' })
}

/** Builds an .rpm of `pkg` and installs it into `root` with rpm (its database in root/var/lib/rpm). */
export function installRpm(root: string, pkg: TestPackage): void {
  inTempDir('certaudit-rpm-', (top) => buildAndInstallRpm(root, pkg, top))
}

function buildAndInstallRpm(root: string, pkg: TestPackage, top: string): void {
  const sources = join(top, 'payload')
  const install: string[] = []
  for (const [index, [path, bytes]] of Object.entries(pkg.files).entries()) {
    mkdirSync(sources, { recursive: true })
    writeFileSync(join(sources, String(index)), bytes)
    install.push(`mkdir -p "%{buildroot}${dirname(path)}"`, `cp "${sources}/${index}" "%{buildroot}${path}"`)
  }
  const spec = join(top, `${pkg.name}.spec`)
  writeFileSync(
    spec,
    [`Name: ${pkg.name}`, 'Version: 1.0', 'Release: 1', `Summary: ${pkg.name}`, 'License: MIT', 'BuildArch: noarch', '%description', `${pkg.name} for CertAudit's tests`, '%install', ...install, '%files', ...Object.keys(pkg.files), ''].join('\n'),
  )
  execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--define', '_build_id_links none', '-bb', spec], { stdio: 'pipe' })
  const rpm = join(top, 'RPMS/noarch', `${pkg.name}-1.0-1.noarch.rpm`)
  execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb'], { stdio: 'pipe' })
  execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--noscripts', '--nosignature', rpm], { stdio: 'pipe' })
}

function inTempDir(prefix: string, work: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    work(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
