/**
 * The Windows certificate stores (kind `windows`): Trusted Root Certification Authorities and its
 * neighbours for this user and for the computer, and the stores an organisation fills through Group
 * Policy or Active Directory. Each store lists the certificates it holds itself (its registry key,
 * query.ts), so one in both this user's and the computer's store is in both; a certificate in any
 * Untrusted Certificates (Disallowed) store is distrusted, because Windows refuses it whatever else
 * trusts it, and Chrome and Edge check that store first:
 * https://learn.microsoft.com/windows-server/identity/ad-cs/configure-trusted-roots-disallowed-certificates
 *
 * The roots win-ca sees that no store explains are listed too (discover.ts).
 */
import { identify } from '../../audit/certificate.js'
import type { Environment } from '../shared/environment.js'
import { StoreError, type ListItem, type StoreLocation, type TrustState } from '../types.js'
import { unexplainedRoots, WINDOWS_EFFECTIVE, type WindowsRootsSource } from './discover.js'
import { attributed, isDisallowed, parsePlace, placeKey, readWindowsStores, type WindowsCertificate, type WindowsPlace, type WindowsSnapshot } from './query.js'

/** Lists one store, or the roots win-ca sees that no store explains. */
export async function* list(location: StoreLocation, env: Environment, source: WindowsRootsSource): AsyncGenerator<ListItem> {
  if (location.id === WINDOWS_EFFECTIVE.id) {
    yield* listEffective(source, env)
    return
  }
  const place = parsePlace(location.location)
  if (!place) throw new StoreError('windows-unknown-store', `${location.location} is not a Windows certificate store CertAudit knows.`)
  const snapshot = await readWindowsStores(env)
  const isFirst = place.location === 'CurrentUser' && place.store === 'Root'
  for (const problem of snapshot.problems) {
    // Rows that belong to no store are reported once, with this user's Root store.
    if (problem.key === placeKey(place) || (isFirst && problem.key === '')) yield { type: 'problem', path: location.location, code: problem.code, message: problem.message }
  }
  for (const certificate of attributed(snapshot, place)) {
    yield { type: 'entry', der: certificate.der, entry: entryName(certificate), trust: trustOf(place, certificate, snapshot) }
  }
}

/**
 * A certificate in Disallowed is distrusted, and so is any copy of it elsewhere. Roots (Root,
 * AuthRoot) and Trusted People are trusted; the Intermediate store only caches certificates for
 * building chains, so it trusts nothing by itself.
 */
function trustOf(place: WindowsPlace, certificate: WindowsCertificate, snapshot: WindowsSnapshot): TrustState {
  if (place.store === 'Disallowed' || isDisallowed(snapshot, certificate.sha256)) return 'distrusted'
  return place.store === 'CA' ? 'not-trusted' : 'trusted'
}

function entryName(certificate: WindowsCertificate): string {
  return certificate.friendlyName ? `${certificate.friendlyName} (${certificate.thumbprint})` : certificate.thumbprint
}

async function* listEffective(source: WindowsRootsSource, env: Environment): AsyncGenerator<ListItem> {
  let snapshot: WindowsSnapshot | null = null
  try {
    snapshot = await readWindowsStores(env)
  } catch (error) {
    yield {
      type: 'problem',
      path: WINDOWS_EFFECTIVE.location,
      code: 'windows-unattributed',
      message: `${(error as Error).message} The roots below are the ones win-ca reports; CertAudit cannot tell which store holds each one.`,
    }
  }
  let roots: Uint8Array[]
  try {
    roots = await unexplainedRoots(source, snapshot)
  } catch (error) {
    throw new StoreError('windows-win-ca-failed', `win-ca could not read the roots Windows trusts: ${(error as Error).message}`)
  }
  for (const der of roots) {
    let identity: ReturnType<typeof identify>
    try {
      identity = identify(der)
    } catch (error) {
      yield { type: 'problem', path: WINDOWS_EFFECTIVE.location, code: 'windows-bad-certificate', message: `win-ca returned a damaged certificate: ${(error as Error).message}.` }
      continue
    }
    yield { type: 'entry', der, entry: identity.sha1.toUpperCase(), trust: snapshot && isDisallowed(snapshot, identity.sha256) ? 'distrusted' : 'trusted' }
  }
}
