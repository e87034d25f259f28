import { readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import type { Environment } from '../shared/environment.js'
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
export async function discover(env: Environment): Promise<StoreLocation[]> {
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
  pointers.push(...(await gitPointers(env)))

  const byPath = new Map<string, { type: 'file' | 'dir'; setBy: string[] }>()
  for (const pointer of pointers) {
    const known = byPath.get(pointer.path)
    if (known) known.setBy.push(pointer.setBy)
    else byPath.set(pointer.path, { type: pointer.type, setBy: [pointer.setBy] })
  }
  return [...byPath].map(([path, { type, setBy }]) => ({
    id: `env-bundle:${path}`,
    kind: 'env-bundle',
    location: path,
    note: `${type === 'dir' ? 'folder' : 'bundle'} set by ${joinNames(setBy)}`,
    facts: { setBy },
  }))
}

async function gitPointers(env: Environment): Promise<Pointer[]> {
  const xdg = env.env.XDG_CONFIG_HOME || join(env.home, '.config')
  const files = [join(env.systemRoot, 'etc/gitconfig'), join(xdg, 'git/config'), join(env.home, '.gitconfig')]
  const found: Pointer[] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue // no such config: nothing set there
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
  return found
}

function joinNames(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function expandHome(env: Environment, path: string): string {
  return path === '~' || path.startsWith('~/') ? join(env.home, path.slice(1)) : path
}
