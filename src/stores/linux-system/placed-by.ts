/**
 * A system certificate comes from the source file that holds it (an anchor, a distribution file the
 * conf selects). A package's anchor is put back by a reinstall or an upgrade of that package. A
 * package's distribution file (under /usr/share) comes back with it too, but CertAudit never deletes
 * those: it deselects them in /etc/ca-certificates.conf (Debian keeps a `!` line across upgrades) or
 * copies them to the blocklist in /etc (p11-kit), and upgrades leave both alone, so the trust does not
 * come back. Any other file was put there by hand or by a program. A certificate in the bundle that
 * no source explains was added to the bundle itself, and the next rebuild drops it.
 */
import { systemPath } from '../shared/environment.js'
import { pathInImage } from '../shared/package-owner.js'
import { packagePlacedBy } from '../shared/placed-by.js'
import type { PlacedBy, Placement, PlacementContext } from '../types.js'
import { LAYOUTS } from './discover.js'

export async function placedBy({ place }: Placement, context: PlacementContext): Promise<PlacedBy> {
  const file = place.origin?.file
  if (!file) return { by: 'hand', comesBack: false }
  const bundles = LAYOUTS.flatMap((l) => l.bundles.map((b) => systemPath(context.env, b)))
  if (bundles.includes(file)) return { by: 'hand', file, comesBack: false }
  const packaged = await packagePlacedBy(file, context)
  if (!packaged) return { by: 'hand', file, comesBack: false }
  const distribution = place.origin?.confLine !== undefined || (pathInImage(context.env, file) ?? '').startsWith('/usr/share/')
  return distribution ? { ...packaged, comesBack: false } : packaged
}
