/**
 * The macOS keychains (kind `macos`): System Roots (Apple's roots, trusted unless a trust setting
 * denies them), the System keychain (/Library/Keychains/System.keychain, for every user) and the
 * user's login keychain. A certificate in the System or login keychain is only trusted as a root when
 * a trust setting says so ("Always Trust" in Keychain Access, `security add-trusted-cert`); a deny
 * setting distrusts even an Apple root. mac-ca reads the same keychains but ignores trust settings, so
 * they are read here (trust-settings.ts); mac-ca is the cross-check for certificates in other keychains
 * of the search list (added by an app or a configuration profile).
 * https://support.apple.com/guide/keychain-access/change-the-trust-settings-of-a-certificate-kyca11871/mac
 * mac-ca: https://github.com/jfromaniello/mac-ca
 */
import type { Environment } from '../shared/environment.js'
import { readKeychain, readTrustSettings, type TrustReading } from './security.js'
import { decide } from './trust-settings.js'
import { StoreError, type ListItem, type StoreLocation, type TrustState } from '../types.js'
import { keychainAt, MACOS_SEARCH_LIST, otherCertificates, type KeychainKind, type MacRootsSource } from './discover.js'

/**
 * A certificate's trust for websites: the user's settings first, then the admin ones; without
 * either, Apple's roots are trusted and any other certificate is not. When the settings could not be
 * read (null), it is reported as trusted: a root must not be hidden because its settings are unknown.
 */
export function macTrust(kind: KeychainKind | 'other', sha1: string, trust: TrustReading | null): TrustState {
  if (!trust) return 'trusted'
  const decision = decide(trust.user.get(sha1)) ?? decide(trust.admin.get(sha1)) ?? (kind === 'system-roots' ? 'trusted' : undefined)
  return decision ?? 'not-trusted'
}

/** Lists one keychain, or the search list's certificates that are in none of them, each with its trust. */
export async function* list(location: StoreLocation, env: Environment, source: MacRootsSource): AsyncGenerator<ListItem> {
  const keychain = location.id === MACOS_SEARCH_LIST.id ? null : keychainAt(env, location.location)
  if (!keychain && location.id !== MACOS_SEARCH_LIST.id) throw new StoreError('macos-unknown-keychain', `${location.location} is not a keychain CertAudit knows.`)
  let trust: TrustReading | null = null
  const problems: ListItem[] = []
  try {
    trust = await readTrustSettings(env)
  } catch (error) {
    problems.push({ type: 'problem', path: location.location, code: (error as StoreError).code ?? 'macos-trust-unreadable', message: `${(error as Error).message} Every certificate here is reported as trusted until they can be read.` })
  }
  const certificates = keychain ? await readKeychain(env, keychain.path) : { certificates: await otherCertificates(env, source, true), problems: [] }
  yield* problems
  for (const problem of certificates.problems) yield { type: 'problem', path: location.location, ...problem }
  for (const certificate of certificates.certificates) {
    yield { type: 'entry', der: certificate.der, entry: certificate.sha1, trust: macTrust(keychain?.kind ?? 'other', certificate.sha1, trust) }
  }
}
