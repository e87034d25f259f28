import { readFile } from 'node:fs/promises'
import { basename, join, sep } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { fileError, readBundleFile } from '../shared/bundle-file.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { breathe, existsInRoot, listFiles, mapInOrder, newPathCache, realPathInRoot, type FoundFile, type PathCache } from '../shared/paths.js'
import { readTrustFile, readTrustFileNow } from '../shared/trust-file.js'
import { StoreError, type ListItem, type StoreLocation, type StoreReader, type TrustState } from '../types.js'

/** A folder of trust sources: its certificates are trusted (anchors) or distrusted (blocklist). */
export interface SourceDir {
  readonly dir: string
  readonly trust: TrustState
  readonly recursive: boolean
  /** Which file names the distro tool picks up; the rest is reported as not trusted. */
  readonly accepts?: (name: string) => boolean
  readonly ignoredNote?: string
}

/** How one distro family builds its system store: the sources it reads and the bundle it writes. */
export interface Layout {
  readonly id: string
  readonly label: string
  /** The distribution family, as people name it. */
  readonly distro: string
  /** Any of these existing means the machine uses this layout. */
  readonly markers: readonly string[]
  readonly sources: readonly SourceDir[]
  /** Debian: /etc/ca-certificates.conf selects files of /usr/share/ca-certificates (`!` deselects). */
  readonly conf?: { readonly file: string; readonly certsDir: string }
  /** The bundles programs read (OpenSSL, curl, Python, Go …): entries in none of the sources are reported too. */
  readonly bundles: readonly string[]
  /** OpenSSL's hashed folder: certificate files placed there directly are trusted by CApath users. */
  readonly hashedDir?: string
  /** Where a distrusted certificate's copy goes (p11-kit's blocklist). Debian has none. */
  readonly blocklist?: string
  /** The command that rebuilds the bundle from the sources, as run on the machine itself. */
  readonly update: readonly [string, ...string[]]
}

const crtOnly = (name: string) => name.endsWith('.crt')
const DEBIAN_IGNORED = 'ignored by update-ca-certificates, which only reads .crt files'

/** The four families (DESIGN.md, store matrix). Paths are as on the machine; `systemPath` maps them. */
export const LAYOUTS: readonly Layout[] = [
  {
    id: 'debian',
    label: 'Debian/Ubuntu system store (update-ca-certificates)',
    distro: 'Debian/Ubuntu',
    markers: ['/etc/ca-certificates.conf', '/usr/local/share/ca-certificates'],
    sources: [{ dir: '/usr/local/share/ca-certificates', trust: 'trusted', recursive: true, accepts: crtOnly, ignoredNote: DEBIAN_IGNORED }],
    conf: { file: '/etc/ca-certificates.conf', certsDir: '/usr/share/ca-certificates' },
    bundles: ['/etc/ssl/certs/ca-certificates.crt'],
    hashedDir: '/etc/ssl/certs',
    update: ['update-ca-certificates', '--fresh'],
  },
  {
    id: 'fedora',
    label: 'Fedora/RHEL system store (update-ca-trust)',
    distro: 'Fedora/RHEL',
    markers: ['/etc/pki/ca-trust'],
    sources: [
      { dir: '/etc/pki/ca-trust/source/anchors', trust: 'trusted', recursive: true },
      { dir: '/etc/pki/ca-trust/source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/pki/ca-trust/source/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/pki/ca-trust/source', trust: 'not-trusted', recursive: false },
      { dir: '/usr/share/pki/ca-trust-source/anchors', trust: 'trusted', recursive: true },
      { dir: '/usr/share/pki/ca-trust-source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/ca-trust-source/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/ca-trust-source', trust: 'not-trusted', recursive: false },
    ],
    bundles: ['/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'],
    blocklist: '/etc/pki/ca-trust/source/blocklist',
    update: ['update-ca-trust', 'extract'],
  },
  {
    id: 'arch',
    label: 'Arch Linux system store (update-ca-trust)',
    distro: 'Arch Linux',
    markers: ['/etc/ca-certificates/trust-source'],
    sources: [
      { dir: '/etc/ca-certificates/trust-source/anchors', trust: 'trusted', recursive: true },
      { dir: '/etc/ca-certificates/trust-source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/ca-certificates/trust-source/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/ca-certificates/trust-source', trust: 'not-trusted', recursive: false },
      { dir: '/usr/share/ca-certificates/trust-source/anchors', trust: 'trusted', recursive: true },
      { dir: '/usr/share/ca-certificates/trust-source/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/ca-certificates/trust-source', trust: 'not-trusted', recursive: false },
    ],
    bundles: ['/etc/ca-certificates/extracted/tls-ca-bundle.pem'],
    blocklist: '/etc/ca-certificates/trust-source/blocklist',
    update: ['update-ca-trust', 'extract'],
  },
  {
    id: 'opensuse',
    label: 'openSUSE system store (update-ca-certificates)',
    distro: 'openSUSE',
    markers: ['/etc/pki/trust', '/var/lib/ca-certificates'],
    sources: [
      { dir: '/etc/pki/trust/anchors', trust: 'trusted', recursive: true },
      { dir: '/etc/pki/trust/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/etc/pki/trust/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/trust/anchors', trust: 'trusted', recursive: true },
      { dir: '/usr/share/pki/trust/blocklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/trust/blacklist', trust: 'distrusted', recursive: true },
      { dir: '/usr/share/pki/trust', trust: 'not-trusted', recursive: false },
    ],
    bundles: ['/var/lib/ca-certificates/ca-bundle.pem'],
    blocklist: '/etc/pki/trust/blocklist',
    update: ['update-ca-certificates'],
  },
]

/** Files in a p11-kit source folder itself (not anchors/blocklist) are read only in these formats. */
const SOURCE_FILE = /\.(p11-kit|crt|pem|cer|der)$/

async function discover(env: Environment): Promise<StoreLocation[]> {
  const found: StoreLocation[] = []
  for (const layout of LAYOUTS) {
    const markers = await Promise.all(layout.markers.map((m) => existsInRoot(env, systemPath(env, m))))
    if (!markers.some(Boolean)) continue
    found.push({ id: `linux-system:${layout.id}`, kind: 'linux-system', location: systemPath(env, layout.bundles[0]!), note: layout.label, facts: { distro: layout.distro } })
  }
  return found
}

/**
 * Lists a system store by its sources, so every certificate is attributed to the file (and conf
 * line) that puts it there — what removal must change — then reports bundle entries that no source
 * explains (added to the bundle by hand, or by a tool that bypassed the distro's).
 */
async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const layout = LAYOUTS.find((l) => location.id === `linux-system:${l.id}`)
  if (!layout) throw new StoreError('unknown-store', `${location.id} is not a known Linux system store.`)
  const fromSources = new Set<string>()
  const sourceDirs: string[] = []
  // One view of the file system for the whole listing: the links of /etc/ssl/certs lead into folders already listed.
  const cache = newPathCache()
  const problems: ListItem[] = []
  const onProblem = (error: StoreError, path: string) => problems.push({ type: 'problem', path, code: error.code, message: error.message })
  const attribute = function* (items: Iterable<ListItem>): Generator<ListItem> {
    for (const item of items) {
      if (item.type === 'entry') fromSources.add(sha256Hex(item.der))
      yield item
    }
  }

  for (const source of layout.sources) {
    const dir = systemPath(env, source.dir)
    sourceDirs.push(dir)
    const files = (await listFiles(env, dir, onProblem, { recursive: source.recursive, cache })).filter(
      (file) => source.recursive || SOURCE_FILE.test(basename(file.path)),
    )
    const read = mapInOrder(files, (file) => {
      const ignored = source.accepts && !source.accepts(basename(file.path))
      const trust = ignored ? 'not-trusted' : source.trust
      const label = ignored ? `${file.path} (${source.ignoredNote})` : file.path
      return readWhole(file.realPath, trust, label, file.path, problems)
    })
    for await (const items of read) yield* attribute(items)
    yield* drain(problems)
  }
  if (layout.conf) {
    sourceDirs.push(systemPath(env, layout.conf.certsDir))
    for await (const item of readDebianConf(env, layout.conf, cache)) {
      if (item.type === 'entry') fromSources.add(sha256Hex(item.der))
      yield item
    }
  }
  if (layout.hashedDir) yield* readHashedDir(env, systemPath(env, layout.hashedDir), sourceDirs, layout, fromSources, cache)
  for (const bundle of layout.bundles.map((b) => systemPath(env, b))) {
    if (!(await existsInRoot(env, bundle))) continue
    for await (const item of readBundleFile(await realPathInRoot(env, bundle))) {
      // An empty bundle (every certificate removed) simply trusts nothing: not a problem.
      if (item.type === 'problem') {
        if (item.code !== 'no-certificates') yield { ...item, path: bundle }
      }
      else if (!fromSources.has(sha256Hex(item.der))) {
        yield { ...item, entry: `${bundle} ${item.entry}: in the bundle, but in no source file`, origin: { file: bundle } }
      }
    }
  }
}

/**
 * /etc/ca-certificates.conf: one path per line relative to /usr/share/ca-certificates; `!` deselects.
 * Files in that folder that the conf does not mention are not in the bundle: not trusted.
 */
async function* readDebianConf(env: Environment, conf: NonNullable<Layout['conf']>, cache: PathCache): AsyncGenerator<ListItem> {
  const confPath = systemPath(env, conf.file)
  const certsDir = systemPath(env, conf.certsDir)
  const mentioned = new Set<string>()
  let lines: string[] = []
  try {
    lines = (await readFile(await realPathInRoot(env, confPath), 'utf8')).split('\n')
  } catch (error) {
    if ((error as StoreError).code !== 'enoent') yield problemFrom(error, confPath)
  }
  // The folder first: its listing resolves every conf line at once, without a file system call each.
  const problems: ListItem[] = []
  const onProblem = (error: StoreError, path: string) => problems.push({ type: 'problem', path, code: error.code, message: error.message })
  const inFolder = await listFiles(env, certsDir, onProblem, { recursive: true, cache })
  const realPaths = new Map(inFolder.map((file) => [file.path, file.realPath]))
  const selected = lines.flatMap((raw, index) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return []
    const deselected = line.startsWith('!')
    const name = deselected ? line.slice(1) : line
    // As update-ca-certificates reads it; path.join (which normalises) only when the line needs it.
    const file = /^[^/]+(\/[^/]+)*$/.test(name) && !/(^|\/)\.\.?(\/|$)/.test(name) ? `${certsDir}${sep}${name}` : join(certsDir, name)
    mentioned.add(file)
    return [{ index, file, deselected }]
  })
  // Each line names one small file: read them at once, report them in conf order.
  const read = mapInOrder(selected, async ({ index, file, deselected }): Promise<ListItem[]> => {
    const label = `${file} (${basename(confPath)} line ${index + 1}${deselected ? ', deselected with !' : ''})`
    try {
      const real = realPaths.get(file) ?? (await realPathInRoot(env, file, cache))
      const trust = deselected ? 'distrusted' : 'trusted'
      let items = readTrustFileNow(real, trust, label)
      if (items) await breathe()
      else {
        items = []
        for await (const item of readTrustFile(real, trust, label)) items.push(item)
      }
      return items.map((item) => (item.type === 'entry' ? { ...item, origin: { file, confLine: index + 1 } } : item))
    } catch (error) {
      return [{ type: 'problem', path: file, code: 'missing-source', message: `${basename(confPath)} line ${index + 1} names ${file}, which cannot be read: ${(error as Error).message}` }]
    }
  })
  for await (const items of read) yield* items
  for (const file of inFolder) {
    if (mentioned.has(file.path) || !crtOnly(file.path)) continue
    yield* await readWhole(file.realPath, 'not-trusted', `${file.path} (not selected in ${basename(confPath)})`, file.path, problems)
  }
  yield* problems
}

/** Certificate files placed directly in /etc/ssl/certs (not links to a source) are used by OpenSSL's CApath. */
async function* readHashedDir(
  env: Environment,
  dir: string,
  sourceDirs: readonly string[],
  layout: Layout,
  fromSources: Set<string>,
  cache: PathCache,
): AsyncGenerator<ListItem> {
  const bundles = new Set(layout.bundles.map((b) => systemPath(env, b)))
  const realSources = await Promise.all(sourceDirs.map((d) => realPathInRoot(env, d, cache).catch(() => d)))
  const problems: ListItem[] = []
  const onProblem = (error: StoreError, path: string) => problems.push({ type: 'problem', path, code: error.code, message: error.message })
  const insideSource = (path: string) => realSources.some((source) => isInside(source, path))
  const keep = (file: FoundFile) => !insideSource(file.realPath) && !bundles.has(file.path) && /\.(pem|crt|\d+)$/.test(file.path) // not a link to a source file
  for (const file of await listFiles(env, dir, onProblem, { cache, keep })) {
    for (const item of await readWhole(file.realPath, 'trusted', `${file.path} (placed directly in ${dir})`, file.path, problems)) {
      if (item.type === 'entry') {
        const sha = sha256Hex(item.der)
        if (fromSources.has(sha)) continue // a copy of a source certificate (hash link): already reported
        fromSources.add(sha)
      }
      yield item
    }
  }
  yield* problems
}

/** Reads a whole source file (small), turning a failure to read it into a problem instead of an exception. */
async function readWhole(realPath: string, trust: TrustState, label: string, path: string, problems: ListItem[]): Promise<ListItem[]> {
  const out: ListItem[] = []
  try {
    const now = readTrustFileNow(realPath, trust, label)
    if (now) {
      await breathe()
      return now
    }
    for await (const item of readTrustFile(realPath, trust, label)) out.push(item)
  } catch (error) {
    problems.push(problemFrom(error, path))
  }
  return out
}

/** Both are real paths (absolute, normal): a prefix says it (path.relative, for each of 20,000 links, cost more). */
function isInside(dir: string, path: string): boolean {
  return path.length > dir.length && path.startsWith(dir) && (dir.endsWith(sep) || path[dir.length] === sep)
}

function* drain(problems: ListItem[]): Generator<ListItem> {
  yield* problems.splice(0)
}

function problemFrom(error: unknown, path: string): ListItem {
  const storeError = error instanceof StoreError ? error : fileError(path, error)
  return { type: 'problem', path, code: storeError.code, message: storeError.message }
}

/** The Linux system store (kind `linux-system`): every distro family found under the system root. */
export const linuxSystemReader: StoreReader = { kind: 'linux-system', discover, list }
