/**
 * Files that the audited machine's own settings name (a variable's value, a config file's line, a
 * link inside a virtual environment), found and read without ever leaving that machine: under
 * `--system-root` an absolute path or link target means a path inside the root, even for files in a
 * home folder given with `--home` outside it. The file a path leads to is then read by the one reader
 * (regular-file.ts) with `noFollow` (its links were followed here) and `shown` (the path as the setting
 * names it): a FIFO, a device or a file far too large is a {@link StoreError} naming the file and what it is.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { isWithin, machinePath, type Environment } from './environment.js'
import { realPathInRoot } from './paths.js'
import { fileError, readRegularFile } from './regular-file.js'
import { StoreError } from '../types.js'

/** Linux allows 40 links in a path before ELOOP; the same limit here. */
const MAX_LINKS = 40

/** Config files are a few kilobytes; a bigger one is not a config file anyone wrote. */
export const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * Where `path` really is, every link followed as the audited machine would follow it. Inside the
 * system root this is {@link realPathInRoot}; elsewhere (a home folder given with --home outside the
 * root) links are followed one part at a time, an absolute target mapped into the root by
 * {@link machinePath}. Throws {@link StoreError} (`enoent`, `eloop` …) naming `path`.
 */
export async function machineRealPath(env: Environment, path: string): Promise<string> {
  if (env.systemRoot === '/' || isWithin(env.systemRoot, path)) return realPathInRoot(env, path)
  let done: string = sep
  let rest = resolve(path).split(sep).filter(Boolean)
  for (let links = 0; rest.length > 0; ) {
    const part = rest.shift()!
    if (part === '..') {
      done = dirname(done)
      continue
    }
    const next = join(done, part)
    let isLink: boolean
    try {
      isLink = lstatSync(next).isSymbolicLink()
    } catch (error) {
      throw fileError(path, error)
    }
    if (!isLink) {
      done = next
      continue
    }
    if (++links > MAX_LINKS) throw fileError(path, Object.assign(new Error('link loop'), { code: 'ELOOP' }))
    const target = readlinkSync(next)
    const absolute = isAbsolute(target) ? machinePath(env, target) : resolve(done, target)
    // Inside the root the root's own resolver takes over (it keeps `..` from climbing out of it); what
    // it cannot find or follow is said of `path`, the name the setting gives, and where it led.
    if (isWithin(env.systemRoot, absolute)) {
      const inRoot = join(absolute, ...rest)
      return realPathInRoot(env, inRoot).catch((error: unknown) => {
        const cause = fileError(inRoot, error)
        throw new StoreError(cause.code, cause.code === 'enoent' ? `${path} leads to ${inRoot}, which does not exist.` : `${path} leads to ${inRoot}: ${cause.message}`)
      })
    }
    done = sep
    rest = [...absolute.split(sep).filter(Boolean), ...rest]
  }
  return done
}

/**
 * True when the folder `dir` really is on the audited machine (links followed by the OS lead into the
 * system root or the home folder): what a synchronous folder listing must check first under
 * --system-root, where an absolute link in the image would lead onto this machine.
 */
export function onMachineSync(env: Environment, dir: string): boolean {
  if (env.systemRoot === '/') return true
  try {
    const real = realpathSync(dir)
    return [env.systemRoot, env.home].some((base) => isWithin(base, real) || isWithin(realOrSelf(base), real))
  } catch {
    return false
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/** What a path is, after links: a regular file (with its size, owner and mode), a folder, or something else. */
export interface MachineFile {
  readonly realPath: string
  readonly type: 'file' | 'dir' | 'other'
  readonly size: number
  readonly uid: number
  readonly mode: number
}

/** {@link machineRealPath} and a look at what is there; throws {@link StoreError} when nothing is. */
export async function machineFile(env: Environment, path: string): Promise<MachineFile> {
  const realPath = await machineRealPath(env, path)
  try {
    const info = lstatSync(realPath)
    return { realPath, type: info.isFile() ? 'file' : info.isDirectory() ? 'dir' : 'other', size: info.size, uid: info.uid, mode: info.mode & 0o7777 }
  } catch (error) {
    throw fileError(path, error)
  }
}

/**
 * A config file's text (links followed on the audited machine), or null when there is no such file.
 * Anything else that stops the read (a loop, a FIFO, binary data, a huge file) is a {@link StoreError}.
 */
export async function readConfigText(env: Environment, path: string): Promise<{ readonly text: string; readonly realPath: string } | null> {
  let realPath: string
  try {
    realPath = await machineRealPath(env, path)
  } catch (error) {
    if (error instanceof StoreError && (error.code === 'enoent' || error.code === 'enotdir')) return null
    throw error
  }
  // Its links were followed above, as the machine follows them: the file itself is read, never a link swapped in since.
  const bytes = await readRegularFile(realPath, { maxBytes: MAX_CONFIG_BYTES, noFollow: true, what: 'config file', shown: path })
  if (bytes.includes(0)) throw new StoreError('not-text', `${path} is not a text file (it holds binary data), so its settings could not be read.`)
  return { text: bytes.toString('utf8'), realPath }
}
