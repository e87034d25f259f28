import { readdir, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { realPathInRoot } from '../shared/paths.js'
import type { StoreLocation } from '../types.js'

/** Where a JDK keeps its trust store: JDK 9+ and, inside the bundled JRE, JDK 8. */
const CACERTS_IN_JDK = ['lib/security/cacerts', 'jre/lib/security/cacerts']

/** Folders whose sub-folders are JDKs (Debian/Ubuntu/Fedora/Arch packages, Oracle RPMs, Docker images, macOS). */
const JDK_PARENTS: readonly { readonly dir: string; readonly home: string }[] = [
  { dir: '/usr/lib/jvm', home: '' },
  { dir: '/usr/java', home: '' },
  { dir: '/opt/java', home: '' },
  { dir: '/Library/Java/JavaVirtualMachines', home: 'Contents/Home' },
]

/**
 * Keystores that distributions share between all their JDKs (the JDKs' own cacerts usually link here),
 * each generated from the system certificates by `rebuiltBy` (Arch's /etc/ssl/certs/java/cacerts by
 * update-ca-trust, Debian's by update-ca-certificates' ca-certificates-java hook).
 */
export const SHARED_KEYSTORES: readonly { readonly path: string; readonly note: string; readonly rebuiltBy: string }[] = [
  { path: '/etc/ssl/certs/java/cacerts', note: 'shared by the JDKs of Debian, Ubuntu and Arch (ca-certificates-java)', rebuiltBy: 'update-ca-certificates' },
  { path: '/etc/pki/ca-trust/extracted/java/cacerts', note: 'shared by the JDKs of Fedora and RHEL (update-ca-trust)', rebuiltBy: 'update-ca-trust' },
  { path: '/etc/pki/java/cacerts', note: 'shared by the JDKs of Fedora and RHEL', rebuiltBy: 'update-ca-trust' },
  { path: '/var/lib/ca-certificates/java-cacerts', note: 'shared by the JDKs of openSUSE', rebuiltBy: 'update-ca-certificates' },
]

/**
 * The cacerts trust store of every JDK and JRE on the machine: JAVA_HOME, the JDK folders of the
 * package managers, and the distributions' shared keystore. Each keystore file is reported once,
 * however many JDKs link to it; its note names them all.
 */
export async function discover(env: Environment): Promise<StoreLocation[]> {
  const candidates: { path: string; note: string }[] = []
  const javaHome = env.env.JAVA_HOME
  // JAVA_HOME names a real path of the environment being audited (a temp dir in tests), so it is
  // taken as it is rather than put under the system root.
  if (javaHome && isAbsolute(javaHome)) {
    for (const file of CACERTS_IN_JDK) candidates.push({ path: join(javaHome, file), note: `JAVA_HOME (${javaHome})` })
  }
  for (const parent of JDK_PARENTS) {
    const dir = systemPath(env, parent.dir)
    for (const name of await subfolders(dir)) {
      for (const file of CACERTS_IN_JDK) candidates.push({ path: join(dir, name, parent.home, file), note: `the JDK in ${join(parent.dir, name)}` })
    }
  }
  for (const shared of SHARED_KEYSTORES) candidates.push({ path: systemPath(env, shared.path), note: shared.note })

  const found = new Map<string, string[]>()
  for (const candidate of candidates) {
    const path = await keystorePath(env, candidate.path)
    if (!path) continue
    const notes = found.get(path) ?? []
    if (!notes.includes(candidate.note)) notes.push(candidate.note)
    found.set(path, notes)
  }
  return [...found].map(([path, notes]) => ({ id: `java:${path}`, kind: 'java', location: path, note: `Java trust store: ${notes.join('; ')}`, facts: { program: 'java' } }))
}

/** Names of the entries of a folder that are folders or links (a JDK folder is often a link); none if it is missing. */
async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name).sort()
  } catch {
    return []
  }
}

/**
 * The real path of a keystore file, links followed inside the system root (on Debian a JDK's cacerts
 * links to the absolute /etc/ssl/certs/java/cacerts, which for a disk image mounted at /mnt/disk is
 * /mnt/disk/etc/…), or null when there is none there (a missing folder or file, a dangling link). A
 * path that exists but cannot be examined (permission denied, a link loop) is kept as it is, so that
 * reading it reports why.
 */
async function keystorePath(env: Environment, path: string): Promise<string | null> {
  try {
    const real = await realPathInRoot(env, path)
    return (await stat(real)).isFile() ? real : null
  } catch (error) {
    const code = ((error as { code?: string }).code ?? '').toLowerCase()
    return code === 'enoent' || code === 'enotdir' ? null : path
  }
}
