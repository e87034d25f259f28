/**
 * Reading what a setting points programs at — a PEM or DER bundle, an OpenSSL CApath folder, or a Java
 * keystore — for the kinds whose stores are named by settings (env-bundle, runtime). Each entry of a
 * bundle says whether it is stock (in the system store or Mozilla's list, as a copy of certifi or of
 * the system bundle holds) or added: a bundle that is the system bundle plus a corporate root reports
 * the one root as added, while every entry is still listed and counted (a root that is also in the
 * system store is still reported where it is).
 */
import { basename } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { mozillaRoots } from '../../audit/references.js'
import { DEFAULT_PASSWORD, detectKeystoreFormat, MAX_KEYSTORE_BYTES, readKeystore } from '../java/keystore.js'
import { fileError, readBundleFile } from './bundle-file.js'
import { systemPath, type Environment } from './environment.js'
import { machineFile } from './machine-files.js'
import { walkFiles } from './paths.js'
import { readRegularFileHeadSync, readRegularFileSync } from './regular-file.js'
import { StoreError, type ListItem } from '../types.js'

/** What a listing of a pointed-at place needs besides its path. */
export interface PointedOptions {
  /** Why this place is read ("bundle set by SSL_CERT_FILE"), added to a failure's message. */
  readonly why?: string
  /** A keystore's password, when the setting gives one (`-Djavax.net.ssl.trustStorePassword`). */
  readonly password?: string
}

/** Said of an entry that is in neither the system store nor Mozilla's list. */
export const ADDED = 'added (not in the system store or Mozilla’s list)'

/**
 * Lists a bundle, folder or keystore, throwing {@link StoreError} (with `why`) when it cannot be read
 * at all. A folder is read as OpenSSL reads a CApath: hash-named files only, each file once.
 */
export async function* listPointed(path: string, env: Environment, options: PointedOptions = {}): AsyncGenerator<ListItem> {
  const fail = (error: unknown): never => {
    const cause = error instanceof StoreError ? error : fileError(path, error)
    throw new StoreError(cause.code, options.why ? `${cause.message} (This ${options.why}.)` : cause.message)
  }
  const info = await machineFile(env, path).catch(fail)
  if (info.type === 'dir') {
    yield* listCapath(path, info.realPath, env)
    return
  }
  // The file its links led to (followed as the machine follows them), read without following another;
  // what is not a regular file (a FIFO, a device, a socket) is refused by the reader, in its words.
  const asFound = { noFollow: true, shown: path } as const
  let head: Uint8Array = new Uint8Array()
  try {
    head = readRegularFileHeadSync(info.realPath, 16, asFound)
  } catch (error) {
    fail(error)
  }
  if (detectKeystoreFormat(head)) {
    let bytes: Buffer
    try {
      bytes = readRegularFileSync(info.realPath, { ...asFound, maxBytes: MAX_KEYSTORE_BYTES, what: 'Java keystore' })
    } catch (error) {
      return fail(error)
    }
    try {
      yield* readKeystore(bytes, path, options.password ?? DEFAULT_PASSWORD)
    } catch (error) {
      fail(error)
    }
    return
  }
  const stock = await stockCertificates(env)
  try {
    for await (const item of readBundleFile(info.realPath, 'trusted', asFound)) {
      if (item.type === 'problem') yield { ...item, path, message: item.message.replace(info.realPath, path) }
      else yield stock.has(sha256Hex(item.der)) ? item : { ...item, entry: `${item.entry}, ${ADDED}` }
    }
  } catch (error) {
    fail(error)
  }
}

async function* listCapath(path: string, realDir: string, env: Environment): AsyncGenerator<ListItem> {
  const problems: ListItem[] = []
  const read = new Set<string>()
  for await (const file of walkFiles(env, realDir, (error, at) => problems.push({ type: 'problem', path: at, code: error.code, message: error.message }))) {
    // OpenSSL's CApath reads only hash-named files (`<subject hash>.<n>`), never a bundle that sits there;
    // several hash links may point at one file: each file is read once.
    if (!/^[0-9a-f]{8}\.\d+$/.test(basename(file.path)) || read.has(file.realPath)) continue
    read.add(file.realPath)
    const shown = file.path.replace(realDir, path)
    try {
      let index = 0
      for await (const item of readBundleFile(file.realPath, 'trusted', { noFollow: true, shown })) {
        yield item.type === 'entry' ? { ...item, entry: ++index === 1 ? shown : `${shown} (certificate ${index})` } : item
      }
    } catch (error) {
      const cause = error instanceof StoreError ? error : fileError(shown, error)
      problems.push({ type: 'problem', path: shown, code: cause.code, message: cause.message })
    }
  }
  yield* problems
}

/**
 * The bundles programs read as "the system store" (Go's list, which covers every distribution:
 * https://go.dev/src/crypto/x509/root_linux.go, plus Arch's and openSUSE's).
 */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
  '/etc/ca-certificates/extracted/tls-ca-bundle.pem',
  '/var/lib/ca-certificates/ca-bundle.pem',
]

/** A system bundle bigger than this is not read for the comparison (its entries just count as added). */
const MAX_REFERENCE_BYTES = 64 * 1024 * 1024

const stockOf = new WeakMap<Environment, Promise<ReadonlySet<string>>>()

/**
 * SHA-256 of every certificate that a stock bundle holds: the system store's bundles on this machine
 * (under its root), Mozilla's list as Node ships it, and the roots Mozilla retired that old copies of
 * certifi still hold. Read once per environment (one scan).
 */
export function stockCertificates(env: Environment): Promise<ReadonlySet<string>> {
  let known = stockOf.get(env)
  if (!known) {
    known = readStock(env)
    stockOf.set(env, known)
  }
  return known
}

async function readStock(env: Environment): Promise<ReadonlySet<string>> {
  const mozilla = mozillaRoots()
  const stock = new Set<string>([...mozilla.sha256, ...mozilla.retired.sha256])
  const seen = new Set<string>()
  for (const bundle of SYSTEM_BUNDLES) {
    try {
      const info = await machineFile(env, systemPath(env, bundle))
      if (info.type !== 'file' || info.size > MAX_REFERENCE_BYTES || seen.has(info.realPath)) continue
      seen.add(info.realPath)
      for await (const item of readBundleFile(info.realPath, 'trusted', { noFollow: true })) if (item.type === 'entry') stock.add(sha256Hex(item.der))
    } catch {
      // No such bundle on this machine (or unreadable): it adds nothing to compare with.
    }
  }
  return stock
}
