/**
 * Python's own CA bundles. `requests` and most of PyPI trust certifi's cacert.pem, not the system
 * store (https://github.com/certifi/python-certifi), so a root appended there (as corporate proxy
 * guides tell people to) is trusted by every program of that environment. Other packages ship
 * bundles of their own: pip's vendored certifi, botocore, httplib2, gRPC, Stripe, old requests and
 * websocket-client, Tornado, boto.
 *
 * Environments are found by their markers (https://docs.python.org/3/library/venv.html: pyvenv.cfg;
 * conda: conda-meta; any prefix: lib/python3.*\/site-packages), in the system folders under the root
 * and in the home folder: a breadth-first walk, bounded in depth and count, that never follows a
 * link to a folder (so it never leaves the home folder and never loops). venv, virtualenv,
 * virtualenvwrapper, pipx, Poetry, Pipenv, uv tools, pyenv (and pyenv-virtualenv), conda, mamba and
 * the user site-packages (~/.local) all have one of these markers.
 */
import { readlinkSync, type Dirent } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { byName, MAX_CANDIDATE_ENTRIES, readFolderSync } from '../shared/folder-listing.js'
import { machineFile, onMachineSync } from '../shared/machine-files.js'
import { breathe } from '../shared/paths.js'
import { problemAt, type Candidate } from './candidate.js'

/** A Python installation or environment: a folder with its own site-packages. */
export interface PythonEnvironment {
  readonly prefix: string
  readonly type: 'venv' | 'conda' | 'prefix'
  /** Outside the home folder: its files belong to packages of the system (or its administrator). */
  readonly system: boolean
}

/** What the home folder walk found besides environments: config files of projects, for configs.ts. */
export interface WalkResult {
  readonly environments: PythonEnvironment[]
  /** Files named in {@link PROJECT_FILES}, by name, in the folders the walk went through. */
  readonly projectFiles: ReadonlyMap<string, readonly string[]>
  readonly problems: Candidate[]
}

/** The bundles packages keep inside site-packages, with who reads them. */
export const PACKAGE_BUNDLES: readonly { readonly path: string; readonly what: string }[] = [
  { path: 'certifi/cacert.pem', what: "certifi's bundle" },
  { path: 'pip/_vendor/certifi/cacert.pem', what: "pip's own copy of certifi" },
  { path: 'pipenv/patched/pip/_vendor/certifi/cacert.pem', what: "Pipenv's copy of pip's certifi" },
  { path: 'botocore/cacert.pem', what: "botocore's bundle (AWS SDK)" },
  { path: 'httplib2/cacerts.txt', what: "httplib2's bundle" },
  { path: 'grpc/_cython/_credentials/roots.pem', what: "gRPC's roots" },
  { path: 'stripe/data/ca-certificates.crt', what: "Stripe's bundle" },
  { path: 'requests/cacert.pem', what: "old requests' bundle" },
  { path: 'websocket/cacert.pem', what: "websocket-client's bundle" },
  { path: 'tornado/ca-certificates.crt', what: "old Tornado's bundle" },
  { path: 'boto/cacerts/cacerts.txt', what: "boto's bundle" },
]

/** Project config files the walk notes on its way (configs.ts reads them). */
export const PROJECT_FILES = new Set(['.npmrc', '.yarnrc', '.yarnrc.yml', 'gradle.properties', '.cargo', '.mvn', '.bundle'])

/** How deep below the home folder environments are looked for (~/src/github.com/org/repo/.venv is 5; Hatch keeps its own at 8). */
export const MAX_DEPTH = 8
/** How many folders the walk reads before it stops (and says so). */
export const MAX_FOLDERS = 20_000
/** How many environments are kept. */
export const MAX_ENVIRONMENTS = 2_000
/** How many sub-folders of one folder are walked into (names starting with a dot, like .venv, come first). */
export const MAX_CHILDREN = 1_000

/**
 * Where tools keep environments, looked into before the walk and whatever its budget: pipx
 * (https://pipx.pypa.io/stable/installation/#installation-options), Poetry, Pipenv, virtualenvwrapper,
 * uv's tools, pyenv, conda, mamba and the user site-packages of `pip install --user` (~/.local).
 */
const KNOWN_PARENTS = ['.virtualenvs', '.local/share/pipx/venvs', '.local/pipx/venvs', '.cache/pypoetry/virtualenvs', '.local/share/virtualenvs', '.local/share/uv/tools', '.pyenv/versions', '.conda/envs', 'micromamba/envs', '.local/share/mamba/envs']
const KNOWN_PREFIXES = ['.local', 'miniconda3', 'miniconda', 'anaconda3', 'anaconda', 'miniforge3', 'mambaforge', 'micromamba', '.pixi']

/** Folders never worth walking into: huge, and never a Python environment. */
const SKIP_NAMES = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', 'site-packages', 'dist-packages', '.Trash', '.npm', '.rustup', '.m2', '.mozilla', '.thunderbird', '.pki', '.nvm', '.vscode-server', 'pkgs'])
/** The same, as paths inside the home folder. */
const SKIP_PATHS = new Set(['go/pkg', '.cache/go-build', '.cache/pip', '.cache/yarn', '.cache/mozilla', '.cache/chromium', '.cache/google-chrome', '.cache/huggingface', '.cache/bazel', '.config/google-chrome', '.config/chromium', '.config/Code', '.local/share/Trash', '.local/share/containers', '.local/share/docker', '.cargo/registry', 'Library/Caches'])
/** Inside an environment, only these children can hold another one (conda's envs, pyenv-virtualenv's envs, ~/.local/share/pipx). */
const INSIDE_ENVIRONMENT = new Set(['envs', 'share', 'pipx', 'venvs'])

/**
 * Applications that ship Python packages of their own outside any environment: the Google Cloud CLI
 * keeps certifi, botocore and httplib2 copies in its own folders
 * (https://cloud.google.com/sdk/docs/install), and a bundled Python.
 */
const VENDORED = {
  dirs: ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk'],
  homeDirs: ['google-cloud-sdk'],
  bundles: [
    'lib/third_party/certifi/cacert.pem',
    'lib/third_party/botocore/cacert.pem',
    'lib/third_party/httplib2/python3/httplib2/cacerts.txt',
    'platform/bq/third_party/certifi/cacert.pem',
    'platform/gsutil/third_party/certifi/certifi/cacert.pem',
    'platform/gsutil/gslib/data/cacerts.txt',
    'platform/gsutil/gslib/vendored/boto/boto/cacerts/cacerts.txt',
  ],
  prefixes: ['platform/bundledpythonunix'],
}

/** Every Python environment under the system root's usual folders and in the home folder. */
export async function findEnvironments(env: Environment): Promise<WalkResult> {
  const system = await systemEnvironments(env)
  const home = await walkHome(env)
  return { ...home, environments: [...system, ...home.environments] }
}

/** The bundles applications keep outside environments (VENDORED), as candidates. */
export async function vendoredBundles(env: Environment): Promise<Candidate[]> {
  const found: Candidate[] = []
  const apps = [...VENDORED.dirs.map((d) => ({ dir: systemPath(env, d), system: true })), ...VENDORED.homeDirs.map((d) => ({ dir: join(env.home, d), system: false }))]
  for (const app of apps) {
    if (!onMachineSync(env, app.dir) || !listFolder(app.dir).length) continue
    for (const bundle of VENDORED.bundles) {
      const path = join(app.dir, bundle)
      if (isFolder(dirname(path)) && listFolder(dirname(path)).some((e) => e.name === basename(path))) {
        found.push({ path, tool: 'gcloud', what: `the Google Cloud CLI's copy of ${bundle.split('/').slice(-2, -1)[0]}'s bundle in ${app.dir}`, environment: app.dir, type: 'file' })
      }
    }
    for (const prefix of VENDORED.prefixes) {
      const dir = join(app.dir, prefix)
      if (sitePackages(dir).length) found.push(...(await environmentBundles(env, { prefix: dir, type: 'prefix', system: app.system })))
    }
  }
  return found
}

/** /usr, /usr/local and what /opt holds (conda installs, pipx's global venvs, vendors' bundled Pythons). */
async function systemEnvironments(env: Environment): Promise<PythonEnvironment[]> {
  const found: PythonEnvironment[] = []
  for (const prefix of ['/usr', '/usr/local']) {
    const dir = systemPath(env, prefix)
    if (onMachineSync(env, dir) && sitePackages(dir).length) found.push({ prefix: dir, type: 'prefix', system: true })
  }
  // /opt/<name>, /opt/<name>/envs/<env>, /opt/pipx/venvs/<app>: two levels down is enough there.
  const opt = systemPath(env, '/opt')
  if (!onMachineSync(env, opt)) return found
  for (const first of folders(opt)) {
    const dir = join(opt, first.name)
    const type = markerOf(dir)
    if (type) found.push({ prefix: dir, type, system: true })
    for (const second of folders(dir).slice(0, 200)) {
      for (const third of second.name === 'envs' || second.name === 'venvs' ? folders(join(dir, second.name)).slice(0, 200) : []) {
        const inner = join(dir, second.name, third.name)
        const innerType = markerOf(inner)
        if (innerType) found.push({ prefix: inner, type: innerType, system: true })
      }
    }
  }
  return found
}

/** Environments in the folders tools keep them in (each checked once, links to folders included: a pyenv alias). */
function knownEnvironments(env: Environment): PythonEnvironment[] {
  const found: PythonEnvironment[] = []
  const check = (dir: string) => {
    const type = markerOf(dir)
    if (type) found.push({ prefix: dir, type, system: false })
    return type
  }
  for (const parent of KNOWN_PARENTS) {
    for (const child of folders(join(env.home, parent)).slice(0, MAX_CHILDREN)) {
      if (check(join(env.home, parent, child.name))) for (const inner of folders(join(env.home, parent, child.name, 'envs')).slice(0, MAX_CHILDREN)) check(join(env.home, parent, child.name, 'envs', inner.name))
    }
  }
  for (const prefix of KNOWN_PREFIXES) {
    if (check(join(env.home, prefix))) for (const inner of folders(join(env.home, prefix, 'envs')).slice(0, MAX_CHILDREN)) check(join(env.home, prefix, 'envs', inner.name))
  }
  return found
}

/**
 * The home folder, breadth first, after the folders tools keep environments in: shallow environments
 * are found even when the budget runs out, and a folder of a hundred thousand sub-folders costs at
 * most {@link MAX_CHILDREN} of it (the rest is reported).
 */
async function walkHome(env: Environment): Promise<Omit<WalkResult, 'environments'> & { environments: PythonEnvironment[] }> {
  const environments: PythonEnvironment[] = knownEnvironments(env)
  const known = new Set(environments.map((e) => e.prefix))
  const projectFiles = new Map<string, string[]>()
  const problems: Candidate[] = []
  let queue: string[] = [env.home]
  let read = 0
  for (let depth = 0; queue.length > 0 && depth <= MAX_DEPTH; depth++) {
    const next: string[] = []
    for (const dir of queue) {
      if (read >= MAX_FOLDERS || environments.length >= MAX_ENVIRONMENTS) {
        const left = queue.length - queue.indexOf(dir) + next.length
        problems.push(problemAt(env.home, 'python', 'search-limit', `CertAudit stopped looking for Python environments in ${env.home} after ${read.toLocaleString('en')} folders (${left.toLocaleString('en')} more were not looked into, starting with ${dir}). Environments deeper in those folders were not checked; scan them with --file.`))
        return { environments, projectFiles, problems }
      }
      read++
      await breathe()
      const { entries, more } = listBounded(dir)
      if (more && problems.length < 10) {
        problems.push(problemAt(dir, 'python', 'search-limit', `${dir} holds more than ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} files and folders: CertAudit looked for Python environments among the first ${MAX_CANDIDATE_ENTRIES.toLocaleString('en')} it listed only.`))
      }
      const type = markerIn(dir, entries)
      if (type && !known.has(dir)) environments.push({ prefix: dir, type, system: false })
      let children = 0
      for (const entry of entries) {
        if (PROJECT_FILES.has(entry.name)) projectFiles.set(entry.name, [...(projectFiles.get(entry.name) ?? []), join(dir, entry.name)])
        // Links to folders are never followed: they may lead out of the home folder, or in a circle.
        if (!entry.isDirectory() || depth === MAX_DEPTH || SKIP_NAMES.has(entry.name)) continue
        if (type && !INSIDE_ENVIRONMENT.has(entry.name)) continue
        const child = join(dir, entry.name)
        if (SKIP_PATHS.has(relative(env.home, child))) continue
        if (++children > MAX_CHILDREN) {
          if (problems.length < 10) problems.push(problemAt(dir, 'python', 'search-limit', `${dir} holds more than ${MAX_CHILDREN.toLocaleString('en')} folders: CertAudit looked for Python environments in the first ${MAX_CHILDREN.toLocaleString('en')} only.`))
          break
        }
        next.push(child)
      }
    }
    queue = next
  }
  return { environments, projectFiles, problems }
}

/** The bundles of one environment's packages (and conda's own ssl/cacert.pem), as candidates. */
export async function environmentBundles(env: Environment, environment: PythonEnvironment): Promise<Candidate[]> {
  const found: Candidate[] = []
  const where = environment.system ? 'the system' : environment.type === 'conda' ? 'the conda environment' : environment.type === 'venv' ? 'the virtual environment' : 'the Python installation'
  const add = async (path: string, what: string, tool: string) => {
    try {
      await machineFile(env, path)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'enoent' || code === 'enotdir') return
    }
    found.push({ path, tool, what: `${what} in ${where} ${environment.prefix}`, environment: environment.prefix, type: 'file' })
  }
  for (const site of sitePackages(environment.prefix)) {
    for (const bundle of PACKAGE_BUNDLES) await add(join(site, bundle.path), bundle.what, 'python')
  }
  if (environment.type === 'conda') {
    // conda's ca-certificates package: the bundle conda itself and OpenSSL in the environment use.
    await add(join(environment.prefix, 'ssl/cacert.pem'), "conda's ca-certificates bundle", 'conda')
    await add(join(environment.prefix, 'Library/ssl/cacert.pem'), "conda's ca-certificates bundle", 'conda')
  }
  return found
}

/** lib/python3.X/site-packages (and dist-packages, lib64, Windows' Lib/site-packages) of a prefix. */
export function sitePackages(prefix: string): string[] {
  const found: string[] = []
  for (const lib of ['lib', 'lib64']) {
    for (const version of folders(join(prefix, lib), true)) {
      if (!/^(?:python|pypy)\d/.test(version.name)) continue
      for (const site of ['site-packages', 'dist-packages']) if (isFolder(join(prefix, lib, version.name, site))) found.push(join(prefix, lib, version.name, site))
    }
  }
  if (isFolder(join(prefix, 'Lib/site-packages'))) found.push(join(prefix, 'Lib/site-packages'))
  return found
}

function markerOf(dir: string): PythonEnvironment['type'] | null {
  return markerIn(dir, listFolder(dir))
}

function markerIn(dir: string, entries: readonly Dirent[]): PythonEnvironment['type'] | null {
  const names = new Map(entries.map((e) => [e.name, e]))
  if (names.get('conda-meta')?.isDirectory()) return 'conda'
  if (names.has('pyvenv.cfg')) return 'venv'
  if ((names.get('lib')?.isDirectory() || names.get('Lib')?.isDirectory()) && sitePackages(dir).length) return 'prefix'
  return null
}

/** A folder's entries, sorted; at most {@link MAX_CANDIDATE_ENTRIES} of them (the walk reports a folder that holds more). */
function listFolder(dir: string): Dirent[] {
  return listBounded(dir).entries
}

function listBounded(dir: string): { entries: Dirent[]; more: boolean } {
  try {
    const { entries, more } = readFolderSync(dir, MAX_CANDIDATE_ENTRIES)
    return { entries: entries.sort(byName), more }
  } catch {
    return { entries: [], more: false } // unreadable or gone: nothing to find there
  }
}

/**
 * Sub-folders, sorted; with `links`, also links that stay beside them (lib64 → lib, python3 → python3.12):
 * a link with an absolute target or one that climbs out is never listed through, so a listing inside a
 * disk image cannot lead onto this machine.
 */
function folders(dir: string, links = false): Dirent[] {
  return listFolder(dir).filter((e) => e.isDirectory() || (links && e.isSymbolicLink() && isNearbyLink(join(dir, e.name))))
}

function isNearbyLink(path: string): boolean {
  try {
    const target = readlinkSync(path)
    return !isAbsolute(target) && !target.split(/[/\\]/).includes('..')
  } catch {
    return false
  }
}

function isFolder(path: string): boolean {
  return listFolder(dirname(path)).some((e) => e.name === basename(path) && (e.isDirectory() || (e.isSymbolicLink() && isNearbyLink(path))))
}
