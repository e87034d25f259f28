/**
 * A distribution's shared Java keystore is generated from the system certificates: a certificate
 * trusted there is put back into the keystore each time the system store is rebuilt, until it is
 * removed from the system store too (that source file is named). One the system store does not trust
 * was imported into the keystore by hand (keytool) or by a program. A JDK's own keystore is left to
 * the shared rules (a package's file, else by hand).
 */
import { systemPath } from '../shared/environment.js'
import { existsInRoot } from '../shared/paths.js'
import type { PlacedBy, Placement, PlacementContext } from '../types.js'
import { SHARED_KEYSTORES } from './discover.js'

/** Arch builds /etc/ssl/certs/java/cacerts with update-ca-trust (p11-kit), not Debian's hook. */
const ARCH_MARKER = '/etc/ca-certificates/trust-source'

export async function placedBy({ place, elsewhere, scannedKinds }: Placement, { env }: PlacementContext): Promise<PlacedBy | null> {
  const shared = SHARED_KEYSTORES.find((k) => systemPath(env, k.path) === place.location)
  if (!shared) return null
  const tool = shared.path === '/etc/ssl/certs/java/cacerts' && (await existsInRoot(env, systemPath(env, ARCH_MARKER))) ? 'update-ca-trust' : shared.rebuiltBy
  const source = elsewhere.find((p) => p.kind === 'linux-system' && p.trust === 'trusted')
  if (source) return { by: 'generated', name: 'linux-system', ...(source.origin ? { file: source.origin.file } : {}), tool, comesBack: true }
  // The system store was read and does not trust it: nothing will put it back into the keystore.
  if (scannedKinds.has('linux-system')) return { by: 'hand', file: place.location, comesBack: false }
  return { by: 'generated', name: 'linux-system', tool, comesBack: true }
}
