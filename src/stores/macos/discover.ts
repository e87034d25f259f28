/**
 * Which keychains CertAudit reads: System Roots, the System keychain and the user's login keychain,
 * each where it exists, and the certificates of the keychain search list that mac-ca sees in none of
 * them (added by an app or a configuration profile).
 * mac-ca: https://github.com/jfromaniello/mac-ca
 */
import { createRequire } from 'node:module'
import { identify } from '../../audit/certificate.js'
import { readCertificates } from '../../audit/pem.js'
import { homePath, systemPath, type Environment } from '../shared/environment.js'
import { existsInRoot } from '../shared/paths.js'
import { StoreError, type StoreLocation } from '../types.js'
import { readKeychain } from './security.js'

export type KeychainKind = 'system-roots' | 'system' | 'login'

export interface Keychain {
  readonly kind: KeychainKind
  readonly path: string
  readonly title: string
}

/** The keychains CertAudit reads and changes, under the environment's system root and home. */
export function macKeychains(env: Environment): Keychain[] {
  return [
    { kind: 'system-roots', path: systemPath(env, '/System/Library/Keychains/SystemRootCertificates.keychain'), title: "System Roots (Apple's built-in roots)" },
    { kind: 'system', path: systemPath(env, '/Library/Keychains/System.keychain'), title: 'System keychain (every user of this Mac)' },
    { kind: 'login', path: homePath(env, 'Library/Keychains/login.keychain-db'), title: 'login keychain (this user)' },
    // Before macOS 10.12 the login keychain had no "-db" suffix.
    { kind: 'login', path: homePath(env, 'Library/Keychains/login.keychain'), title: 'login keychain (this user)' },
  ]
}

/** The keychain at a location's path, or null. */
export function keychainAt(env: Environment, path: string): Keychain | null {
  return macKeychains(env).find((k) => k.path === path) ?? null
}

/** Where the certificates of the search list come from: mac-ca on macOS; tests give recorded ones. */
export interface MacRootsSource {
  /** Every certificate in the keychain search list and System Roots (DER). Empty where mac-ca cannot run. */
  certificates(): Promise<readonly Uint8Array[]>
}

interface MacCaApi {
  get(options: { readonly keychain: 'all'; readonly unique: boolean; readonly excludeBundled: boolean; readonly format: string }): string[]
  readonly Format: { readonly pem: string }
}

/** mac-ca, asked for everything it sees (it runs `security find-certificate -a -p` itself). Only called on macOS. */
export const macCaSource: MacRootsSource = {
  async certificates() {
    if (process.platform !== 'darwin') return []
    const macCa = createRequire(import.meta.url)('mac-ca') as MacCaApi
    const pems = macCa.get({ keychain: 'all', unique: true, excludeBundled: false, format: macCa.Format.pem })
    return pems.flatMap((pem) => readCertificates(Buffer.from(pem)).flatMap((item) => (item.type === 'certificate' ? [item.der] : [])))
  },
}

/** The certificates mac-ca sees that none of the three keychains holds. */
export const MACOS_SEARCH_LIST: StoreLocation = {
  id: 'macos:search-list',
  kind: 'macos',
  location: 'Keychain search list (mac-ca)',
  note: 'certificates in other keychains of the search list, added by an app or a configuration profile',
}

/** The keychains that exist here, and the search list when mac-ca sees certificates in none of them. */
export async function discover(env: Environment, source: MacRootsSource): Promise<StoreLocation[]> {
  if (env.platform !== 'darwin') return []
  const found: StoreLocation[] = []
  for (const keychain of macKeychains(env)) {
    if (found.some((l) => keychainAt(env, l.location)?.kind === keychain.kind)) continue // login.keychain-db wins over login.keychain
    if (await existsInRoot(env, keychain.path)) found.push({ id: `macos:${keychain.path}`, kind: 'macos', location: keychain.path, note: keychain.title })
  }
  const others = await otherCertificates(env, source).then(
    (certificates) => certificates.length > 0,
    () => true, // mac-ca failed: listing the search list says why
  )
  return others ? [...found, MACOS_SEARCH_LIST] : found
}

/** mac-ca's certificates that none of the three keychains holds (read from copies, as listing does). */
export async function otherCertificates(env: Environment, source: MacRootsSource, strict = false): Promise<{ der: Uint8Array; sha256: string; sha1: string }[]> {
  let all: readonly Uint8Array[]
  try {
    all = await source.certificates()
  } catch (error) {
    throw new StoreError('macos-mac-ca-failed', `mac-ca could not read the keychain search list: ${(error as Error).message}`)
  }
  const known = new Set<string>()
  for (const keychain of macKeychains(env)) {
    if (!(await existsInRoot(env, keychain.path))) continue
    try {
      for (const c of (await readKeychain(env, keychain.path)).certificates) known.add(c.sha256)
    } catch (error) {
      if (strict) throw error // the comparison is only worth something when every keychain was read
    }
  }
  return all.flatMap((der) => {
    try {
      const { sha256, sha1 } = identify(der)
      return known.has(sha256) ? [] : [{ der, sha256, sha1: sha1.toUpperCase() }]
    } catch {
      return []
    }
  })
}
