import { basename, join, sep } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { fileError, readBundleFile } from '../shared/bundle-file.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { problemMatters } from '../shared/certificate-folder.js'
import { readRegularFile } from '../shared/regular-file.js'
import { breathe, existsInRoot, listFiles, mapInOrder, newPathCache, realPathInRoot, type FoundFile, type PathCache } from '../shared/paths.js'
import { readTrustFile, readTrustFileNow } from '../shared/trust-file.js'
import { StoreError, type ListItem, type StoreLocation, type TrustState } from '../types.js'
import { crtOnly, LAYOUTS, type Layout } from './discover.js'

/** Every file is read at its real path, links already followed inside the system root: a link there now is not followed. */
const RESOLVED = { noFollow: true } as const
/** /etc/ca-certificates.conf is a few KB: a bigger one is not a list of certificates. */
const MAX_CONF_BYTES = 64 * 1024 * 1024

/** Files in a p11-kit source folder itself (not anchors/blocklist) are read only in these formats. */
const SOURCE_FILE = /\.(p11-kit|crt|pem|cer|der)$/

/**
 * Lists a system store by its sources, so every certificate is attributed to the file (and conf
 * line) that puts it there — what removal must change — then reports bundle entries that no source
 * explains (added to the bundle by hand, or by a tool that bypassed the distro's).
 */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
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
    try {
      for await (const item of readBundleFile(await realPathInRoot(env, bundle), 'trusted', { ...RESOLVED, shown: bundle })) {
        // An empty bundle (every certificate removed) simply trusts nothing: not a problem.
        if (item.type === 'problem') {
          if (item.code !== 'no-certificates') yield { ...item, path: bundle }
        }
        else if (!fromSources.has(sha256Hex(item.der))) {
          yield { ...item, entry: `${bundle} ${item.entry}: in the bundle, but in no source file`, origin: { file: bundle } }
        }
      }
    } catch (error) {
      // A bundle that cannot be read (a FIFO, a device, a loop…) is a problem; the sources read above still count.
      yield problemFrom(error, bundle)
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
    lines = (await readRegularFile(await realPathInRoot(env, confPath), { maxBytes: MAX_CONF_BYTES, noFollow: true, what: 'ca-certificates.conf', shown: confPath })).toString('utf8').split('\n')
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
      let items = readTrustFileNow(real, trust, label, RESOLVED)
      if (items) await breathe()
      else {
        items = []
        for await (const item of readTrustFile(real, trust, label, RESOLVED)) items.push(item)
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
  const bundlePaths = layout.bundles.map((b) => systemPath(env, b))
  // By where they lead too: Arch's /etc/ssl/certs/ca-certificates.crt is a link to its bundle, read below.
  const bundles = new Set([...bundlePaths, ...(await Promise.all(bundlePaths.map((b) => realPathInRoot(env, b, cache).catch(() => b))))])
  const realSources = await Promise.all(sourceDirs.map((d) => realPathInRoot(env, d, cache).catch(() => d)))
  const problems: ListItem[] = []
  const onProblem = (error: StoreError, path: string) => problems.push({ type: 'problem', path, code: error.code, message: error.message })
  const insideSource = (path: string) => realSources.some((source) => isInside(source, path))
  // Every file, whatever its name: Go reads each file of the folder (crypto/x509 root_unix.go), OpenSSL the hash names.
  const keep = (file: FoundFile) => !insideSource(file.realPath) && !bundles.has(file.path) && !bundles.has(file.realPath) // not a link to a source file
  const dirs = [dir, ...(layout.alsoHashed ?? []).map((d) => systemPath(env, d))]
  const files = (await Promise.all(dirs.map(async (d) => (await listFiles(env, d, onProblem, { cache, keep })).map((file) => ({ ...file, dir: d }))))).flat()
  for (const file of files) {
    const read = await readWhole(file.realPath, 'trusted', `${file.path} (placed directly in ${file.dir})`, file.path, problems)
    for (const item of read) {
      if (item.type === 'problem' && !problemMatters(basename(file.path), item.code)) continue
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
    const now = readTrustFileNow(realPath, trust, label, RESOLVED)
    if (now) {
      await breathe()
      return now
    }
    for await (const item of readTrustFile(realPath, trust, label, RESOLVED)) out.push(item)
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
