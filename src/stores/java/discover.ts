import { lstat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { realPathInRoot } from '../shared/paths.js'
import { fileError, notAFile } from '../shared/regular-file.js'
import type { StoreError, StoreLocation } from '../types.js'

/** Where a JDK keeps its trust store: JDK 9+ and, inside the bundled JRE, JDK 8. */
const CACERTS_IN_JDK = ['lib/security/cacerts', 'jre/lib/security/cacerts']

/**
 * Folders whose sub-folders are JDKs, each with where the JDK's home is inside the sub-folder: the
 * packages of Debian, Ubuntu, Fedora, openSUSE and Arch (/usr/lib/jvm, /usr/lib64/jvm), Oracle's RPMs,
 * Docker's images (/usr/local/openjdk-17, /opt/java/openjdk), a JDK unpacked in /opt, the runtime
 * IDEs bundle (/opt/android-studio/jbr, /opt/idea-IC/jbr, their snaps), macOS (and Homebrew's openjdk);
 * `inHome`: the JDKs that SDKMAN!, IntelliJ, Gradle, asdf, mise, jbang and macOS's IDEs download for one
 * user. A Java program trusts its own JDK's cacerts, so each is a place a root can hide.
 */
const JDK_PARENTS: readonly { readonly dir: string; readonly home: string; readonly inHome?: true }[] = [
  { dir: '/usr/lib/jvm', home: '' },
  { dir: '/usr/lib64/jvm', home: '' },
  { dir: '/usr/local/lib/jvm', home: '' },
  { dir: '/usr/java', home: '' },
  { dir: '/usr/local/java', home: '' },
  { dir: '/usr/local', home: '' },
  { dir: '/opt/java', home: '' },
  { dir: '/opt', home: '' },
  { dir: '/opt', home: 'jbr' },
  { dir: '/snap', home: 'current/jbr' },
  { dir: '/Library/Java/JavaVirtualMachines', home: 'Contents/Home' },
  { dir: '/opt/homebrew/opt', home: 'libexec/openjdk.jdk/Contents/Home' },
  { dir: '/usr/local/opt', home: 'libexec/openjdk.jdk/Contents/Home' },
  { dir: '.sdkman/candidates/java', home: '', inHome: true },
  { dir: '.jdks', home: '', inHome: true },
  { dir: '.gradle/jdks', home: '', inHome: true },
  { dir: '.asdf/installs/java', home: '', inHome: true },
  { dir: '.local/share/mise/installs/java', home: '', inHome: true },
  { dir: '.jbang/cache/jdks', home: '', inHome: true },
  { dir: 'Library/Java/JavaVirtualMachines', home: 'Contents/Home', inHome: true },
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
export async function discover(env: Environment): Promise<JavaLocation[]> {
  const candidates: { path: string; note: string }[] = []
  // The audited machine's JAVA_HOME (none under --system-root: this process's describes another
  // computer). A variable given for the machine names a real path (a temp dir in tests): taken as it is.
  const javaHome = env.machineEnv.JAVA_HOME
  if (javaHome && isAbsolute(javaHome)) {
    for (const file of CACERTS_IN_JDK) candidates.push({ path: join(javaHome, file), note: `JAVA_HOME (${javaHome})` })
  }
  const crowded: JavaLocation[] = []
  for (const parent of JDK_PARENTS) {
    const dir = parent.inHome ? join(env.home, parent.dir) : systemPath(env, parent.dir)
    const { names, more } = await subfolders(dir)
    if (more) {
      const message = `${dir} holds more than ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} entries, far more than any folder of JDKs; only ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} were looked at, so the trust store of a JDK among the others may not have been checked.`
      crowded.push({ id: `java:${dir}`, kind: 'java', location: dir, note: 'Java installations', facts: { program: 'java' }, problem: { code: 'too-many-files', message } })
    }
    for (const name of names) {
      const jdk = join(parent.inHome ? dir : parent.dir, name, parent.home)
      for (const file of CACERTS_IN_JDK) candidates.push({ path: join(dir, name, parent.home, file), note: `the JDK in ${jdk}` })
    }
  }
  for (const shared of SHARED_KEYSTORES) candidates.push({ path: systemPath(env, shared.path), note: shared.note })

  const found = new Map<string, { notes: string[]; problem?: StoreError }>()
  for (const candidate of candidates) {
    const place = await keystorePath(env, candidate.path)
    if (!place) continue
    const known = found.get(place.path) ?? { notes: [], ...(place.problem ? { problem: place.problem } : {}) }
    if (!known.notes.includes(candidate.note)) known.notes.push(candidate.note)
    found.set(place.path, known)
  }
  return [...crowded, ...[...found].map(([path, { notes, problem }]): JavaLocation => ({
    id: `java:${path}`,
    kind: 'java',
    location: path,
    note: `Java trust store: ${notes.join('; ')}`,
    facts: { program: 'java' },
    ...(problem ? { problem: { code: problem.code, message: problem.message } } : {}),
  }))]
}

/** A keystore found, or (with `problem`) a place that could not be looked at: listing it throws why. */
export interface JavaLocation extends StoreLocation {
  readonly problem?: { readonly code: string; readonly message: string }
}

/**
 * Names of the entries of a folder that are folders or links (a JDK folder is often a link); none if it
 * is missing. Bounded: a folder of JDKs holds a handful; one of millions costs no more than this, and `more` says so.
 */
async function subfolders(dir: string): Promise<{ names: string[]; more: boolean }> {
  try {
    const { entries, more } = await readFolder(dir, MAX_CANDIDATE_ENTRIES)
    return { names: entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name).sort(), more }
  } catch {
    return { names: [], more: false }
  }
}

/**
 * The real path of a keystore file, links followed inside the system root (on Debian a JDK's cacerts
 * links to the absolute /etc/ssl/certs/java/cacerts, which for a disk image mounted at /mnt/disk is
 * /mnt/disk/etc/…), or null when there is none there (a missing folder or file, a dangling link). Whatever
 * is there is kept, even when it is no file (a FIFO, a device: reading it says so), and a path that
 * cannot be examined (permission denied, a link loop) is kept with why.
 */
async function keystorePath(env: Environment, path: string): Promise<{ path: string; problem?: StoreError } | null> {
  let real: string
  try {
    real = await realPathInRoot(env, path)
  } catch (error) {
    const cause = fileError(path, error)
    return cause.code === 'enoent' || cause.code === 'enotdir' ? null : { path, problem: cause }
  }
  // Something that is no file (a FIFO, a device node of the image's /dev) is reported under the name
  // the JDK uses, never opened.
  const info = await lstat(real).catch(() => null)
  if (info && !info.isFile()) return { path, problem: notAFile(real, info, path) }
  return { path: real }
}
