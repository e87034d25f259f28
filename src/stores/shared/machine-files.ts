/**
 * Files that the audited machine's own settings name (a variable's value, a config file's line, a
 * link inside a virtual environment), found and read without ever leaving that machine: under
 * `--system-root` an absolute path or link target means a path inside the root, even for files in a
 * home folder given with `--home` outside it. Reads refuse what is not a regular file (a FIFO would
 * wait for its writer forever) and what is far too large, as a {@link StoreError} naming the file.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { formatBytes } from '../../audit/pem.js'
import { fileError } from './bundle-file.js'
import { isWithin, machinePath, type Environment } from './environment.js'
import { realPathInRoot } from './paths.js'
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
    // Inside the root the root's own resolver takes over (it keeps `..` from climbing out of it).
    if (isWithin(env.systemRoot, absolute)) return realPathInRoot(env, join(absolute, ...rest))
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
 * The bytes of a regular file of at most `maxBytes`, read without waiting: opened non-blocking, so a
 * FIFO or a device is refused rather than read. Throws {@link StoreError}.
 */
export function readRegularBytes(path: string, maxBytes: number, label: string = path): Buffer {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw fileError(label, error)
  }
  try {
    const info = fstatSync(fd)
    if (info.isDirectory()) throw fileError(label, Object.assign(new Error('is a directory'), { code: 'EISDIR' }))
    if (!info.isFile()) throw new StoreError('not-a-file', `${label} is not a regular file (a pipe, a socket or a device); it was not read.`)
    if (info.size > maxBytes) throw new StoreError('too-large', `${label} is ${formatBytes(info.size)}, far larger than such a file ever is; it was not read.`)
    const bytes = Buffer.allocUnsafe(info.size)
    let got = 0
    while (got < info.size) {
      const n = readSync(fd, bytes, got, info.size - got, got)
      if (n === 0) break
      got += n
    }
    return bytes.subarray(0, got)
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(label, error)
  } finally {
    closeSync(fd)
  }
}

/** The first bytes of a regular file (enough to tell a keystore from a bundle), read without waiting. */
export function readHead(path: string, label: string = path, length = 16): Uint8Array {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw fileError(label, error)
  }
  try {
    if (!fstatSync(fd).isFile()) throw new StoreError('not-a-file', `${label} is not a regular file (a pipe, a socket or a device); it was not read.`)
    const bytes = Buffer.alloc(length)
    return bytes.subarray(0, readSync(fd, bytes, 0, length, 0))
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(label, error)
  } finally {
    closeSync(fd)
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
  const bytes = readRegularBytes(realPath, MAX_CONFIG_BYTES, path)
  if (bytes.includes(0)) throw new StoreError('not-text', `${path} is not a text file (it holds binary data), so its settings could not be read.`)
  return { text: bytes.toString('utf8'), realPath }
}
