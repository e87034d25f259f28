/**
 * The Windows certificate stores (kind `windows`): Trusted Root Certification Authorities and its
 * neighbours for this user and for the computer, and the stores an organisation fills through Group
 * Policy or Active Directory. Each store lists the certificates it holds itself (its registry key,
 * windows-query.ts), so one in both this user's and the computer's store is in both; a certificate in any Untrusted Certificates (Disallowed) store is distrusted,
 * because Windows refuses it whatever else trusts it, and Chrome and Edge check that store first:
 * https://learn.microsoft.com/windows-server/identity/ad-cs/configure-trusted-roots-disallowed-certificates
 *
 * win-ca (https://github.com/ukoloff/win-ca) gives the roots Windows actually trusts for this user,
 * but not where each one lives; it is the cross-check: a trusted root that none of the stores read
 * through PowerShell explains (a smart card, another physical store) is still reported, under
 * "Windows trusted roots", instead of being missed.
 */
import { createRequire } from 'node:module'
import { identify, sha256Hex } from '../../audit/certificate.js'
import type { Environment } from '../shared/environment.js'
import { StoreError, type ListItem, type StoreLocation, type StoreReader, type TrustState } from '../types.js'
import {
  attributed,
  isDisallowed,
  parsePlace,
  placeKey,
  placeLabel,
  readWindowsStores,
  STORE_TITLES,
  WINDOWS_LOCATIONS,
  WINDOWS_STORES,
  type WindowsCertificate,
  type WindowsPlace,
  type WindowsSnapshot,
} from './query.js'

/** Where the effective roots come from: win-ca on Windows; tests give recorded ones. */
export interface WindowsRootsSource {
  /** The roots Windows trusts for this user (DER). Empty where win-ca cannot run. */
  effectiveRoots(): Promise<readonly Uint8Array[]>
}

interface WinCaApi {
  (options: { readonly format: number; readonly ondata: Buffer[]; readonly unique: boolean }): void
  readonly der2: { readonly der: number }
}

/**
 * win-ca's API entry (`win-ca/api`: fetch only, never inject into Node's TLS or write files). It
 * reads the CurrentUser Root store through crypt32 (or its roots.exe fallback inside Electron).
 * Off Windows it returns nothing, so it is only called on Windows.
 */
export const winCaSource: WindowsRootsSource = {
  async effectiveRoots() {
    if (process.platform !== 'win32') return []
    const api = createRequire(import.meta.url)('win-ca/api') as WinCaApi
    const roots: Buffer[] = []
    api({ format: api.der2.der, ondata: roots, unique: true })
    return roots
  },
}

/** The location of the roots win-ca sees that no store explains. */
export const WINDOWS_EFFECTIVE: StoreLocation = {
  id: 'windows:effective-roots',
  kind: 'windows',
  location: 'Windows trusted roots (win-ca)',
  note: 'roots Windows trusts that CertAudit found in none of the stores it reads, such as a smart card',
}

const WHO: Readonly<Record<WindowsPlace['location'], string>> = {
  CurrentUser: 'this user',
  LocalMachine: 'every user of this computer',
  CurrentUserGroupPolicy: "set for this user by the organisation's Group Policy",
  LocalMachineGroupPolicy: "set for this computer by the organisation's Group Policy",
  LocalMachineEnterprise: "set by the organisation's Active Directory",
}

/** The store location of one place. */
export function windowsLocation(place: WindowsPlace): StoreLocation {
  return { id: `windows:${placeKey(place)}`, kind: 'windows', location: placeLabel(place), note: `${STORE_TITLES[place.store]}, ${WHO[place.location]}` }
}

const ALWAYS: readonly WindowsPlace[] = [
  { location: 'CurrentUser', store: 'Root' },
  { location: 'LocalMachine', store: 'Root' },
]

/** The Windows store adapter with a chosen source of effective roots; {@link windowsReader} uses win-ca. */
export function createWindowsReader(source: WindowsRootsSource = winCaSource): StoreReader {
  return {
    kind: 'windows',
    async discover(env: Environment): Promise<StoreLocation[]> {
      if (env.platform !== 'win32') return []
      // When PowerShell cannot run, the two Root stores are still listed: reading them fails with the reason.
      const snapshot = await readWindowsStores(env).catch(() => null)
      const places: WindowsPlace[] = []
      for (const location of WINDOWS_LOCATIONS) {
        for (const store of WINDOWS_STORES) {
          const place = { location, store }
          const always = ALWAYS.some((p) => p.location === location && p.store === store)
          const used = snapshot && (attributed(snapshot, place).length > 0 || snapshot.problems.some((p) => p.key === placeKey(place)))
          if (always || used) places.push(place)
        }
      }
      const locations = places.map(windowsLocation)
      // Listed when some trusted root is unexplained, or when that cannot be known (its list says why).
      const unexplained = await unexplainedRoots(source, snapshot).then(
        (roots) => roots.length > 0,
        () => true,
      )
      return !snapshot || unexplained ? [...locations, WINDOWS_EFFECTIVE] : locations
    },
    async *list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
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
    },
  }
}

/** The Windows certificate stores (kind `windows`), with win-ca's cross-check. */
export const windowsReader: StoreReader = createWindowsReader()

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

/** The effective roots no place lists (a root in any place's listing is explained there). */
async function unexplainedRoots(source: WindowsRootsSource, snapshot: WindowsSnapshot | null): Promise<Uint8Array[]> {
  const roots = [...(await source.effectiveRoots())]
  if (!snapshot) return roots
  const known = new Set([...snapshot.listed.values()].flatMap((certificates) => certificates.map((c) => c.sha256)))
  return roots.filter((der) => !known.has(sha256Hex(der)))
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
