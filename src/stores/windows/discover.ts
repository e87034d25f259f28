/**
 * Which Windows certificate stores CertAudit reads: the Root stores of this user and of the computer
 * always, and every other store of {@link WINDOWS_LOCATIONS} and {@link WINDOWS_STORES} that holds a
 * certificate or could not be read (query.ts).
 *
 * win-ca (https://github.com/ukoloff/win-ca) gives the roots Windows actually trusts for this user,
 * but not where each one lives; it is the cross-check: a trusted root that none of the stores read
 * through PowerShell explains (a smart card, another physical store) is still reported, under
 * "Windows trusted roots", instead of being missed.
 */
import { createRequire } from 'node:module'
import { sha256Hex } from '../../audit/certificate.js'
import type { Environment } from '../shared/environment.js'
import type { StoreLocation } from '../types.js'
import { attributed, placeKey, placeLabel, readWindowsStores, STORE_TITLES, WINDOWS_LOCATIONS, WINDOWS_STORES, type WindowsPlace, type WindowsSnapshot } from './query.js'

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

/** The stores worth reading on this machine, and win-ca's roots when some trusted root is unexplained. */
export async function discover(env: Environment, source: WindowsRootsSource): Promise<StoreLocation[]> {
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
}

/** The effective roots no place lists (a root in any place's listing is explained there). */
export async function unexplainedRoots(source: WindowsRootsSource, snapshot: WindowsSnapshot | null): Promise<Uint8Array[]> {
  const roots = [...(await source.effectiveRoots())]
  if (!snapshot) return roots
  const known = new Set([...snapshot.listed.values()].flatMap((certificates) => certificates.map((c) => c.sha256)))
  return roots.filter((der) => !known.has(sha256Hex(der)))
}

