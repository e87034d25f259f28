import { delimiter, join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { realPathInRoot } from '../shared/paths.js'
import { fileError, readRegularFile } from '../shared/regular-file.js'
import type { StoreLocation } from '../types.js'

/**
 * Variables that make programs trust a bundle or folder of their own instead of (or besides) the
 * system store: OpenSSL, Node.js, Python requests, curl and git. A proxy installer that sets one of
 * these can intercept those programs without touching any store.
 */
const FILE_VARIABLES = ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'GIT_SSL_CAINFO'] as const
const DIR_VARIABLES = ['SSL_CERT_DIR', 'GIT_SSL_CAPATH'] as const

/** git's own settings, read from the config files git reads (system, global, XDG). */
const GIT_KEYS: Readonly<Record<string, 'file' | 'dir'>> = { sslcainfo: 'file', sslcapath: 'dir' }

interface Pointer {
  readonly path: string
  readonly type: 'file' | 'dir'
  readonly setBy: string
}

/** Every bundle or folder a variable or git setting points at, once, its note naming all that set it. */
export async function discover(env: Environment): Promise<EnvBundleLocation[]> {
  const pointers: Pointer[] = []
  for (const name of FILE_VARIABLES) {
    const value = env.env[name]
    if (value) pointers.push({ path: expandHome(env, value), type: 'file', setBy: name })
  }
  for (const name of DIR_VARIABLES) {
    // SSL_CERT_DIR is a list, like PATH.
    for (const dir of (env.env[name] ?? '').split(delimiter).filter(Boolean)) {
      pointers.push({ path: expandHome(env, dir), type: 'dir', setBy: name })
    }
  }
  const git = await gitPointers(env)
  pointers.push(...git.pointers)

  const byPath = new Map<string, { type: 'file' | 'dir'; setBy: string[] }>()
  for (const pointer of pointers) {
    const known = byPath.get(pointer.path)
    if (known) known.setBy.push(pointer.setBy)
    else byPath.set(pointer.path, { type: pointer.type, setBy: [pointer.setBy] })
  }
  const found: EnvBundleLocation[] = [...byPath].map(([path, { type, setBy }]) => ({
    id: `env-bundle:${path}`,
    kind: 'env-bundle',
    location: path,
    note: `${type === 'dir' ? 'folder' : 'bundle'} set by ${joinNames(setBy)}`,
    facts: { setBy },
  }))
  // A git configuration that cannot be read may point at a bundle: reported as a store that failed, not skipped.
  for (const { file, problem } of git.problems) found.push({ id: `env-bundle:${file}`, kind: 'env-bundle', location: file, note: 'git settings', problem })
  return found
}

/** A place found, or (with `problem`) a git configuration that could not be read: listing it throws why. */
export interface EnvBundleLocation extends StoreLocation {
  readonly problem?: { readonly code: string; readonly message: string }
}

/** git's configuration files are a few KB. */
const MAX_GITCONFIG_BYTES = 16 * 1024 * 1024

async function gitPointers(env: Environment): Promise<{ pointers: Pointer[]; problems: { file: string; problem: { code: string; message: string } }[] }> {
  const xdg = env.env.XDG_CONFIG_HOME || join(env.home, '.config')
  const files = [systemPath(env, '/etc/gitconfig'), join(xdg, 'git/config'), join(env.home, '.gitconfig')]
  const found: Pointer[] = []
  const problems: { file: string; problem: { code: string; message: string } }[] = []
  for (const file of files) {
    let text: string
    try {
      // The system's file as the audited machine sees it: links followed inside the system root.
      const real = file === files[0] ? await realPathInRoot(env, file) : file
      text = (await readRegularFile(real, { maxBytes: MAX_GITCONFIG_BYTES, what: 'git configuration', noFollow: real !== file })).toString('utf8')
    } catch (error) {
      const cause = fileError(file, error)
      if (cause.code === 'enoent' || cause.code === 'enotdir') continue // no such config: nothing set there
      problems.push({ file, problem: { code: cause.code, message: `${cause.message} Bundles that git setting might point at were not checked.` } })
      continue
    }
    let section = ''
    for (const raw of text.split('\n')) {
      const line = raw.replace(/[#;].*$/, '').trim()
      const header = /^\[\s*([a-z0-9.-]+)(?:\s+"[^"]*")?\s*\]$/i.exec(line)
      if (header) {
        section = header[1]!.toLowerCase()
        continue
      }
      const setting = /^([a-z0-9-]+)\s*=\s*(.*)$/i.exec(line)
      const type = setting && section === 'http' ? GIT_KEYS[setting[1]!.toLowerCase()] : undefined
      if (setting && type) {
        found.push({ path: expandHome(env, setting[2]!.replace(/^"|"$/g, '')), type, setBy: `http.${setting[1]} in ${file}` })
      }
    }
  }
  return { pointers: found, problems }
}

function joinNames(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function expandHome(env: Environment, path: string): string {
  return path === '~' || path.startsWith('~/') ? join(env.home, path.slice(1)) : path
}
