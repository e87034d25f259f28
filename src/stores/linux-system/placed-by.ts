/**
 * A system certificate comes from the source file that holds it (an anchor, a distribution file the
 * conf selects): a package's file is put back by a reinstall or an upgrade of that package; any other
 * was put there by hand or by a program. A certificate in the bundle that no source explains was
 * added to the bundle itself, and the next rebuild drops it: nothing puts it back.
 */
import { systemPath } from '../shared/environment.js'
import { packagePlacedBy } from '../shared/placed-by.js'
import type { PlacedBy, Placement, PlacementContext } from '../types.js'
import { LAYOUTS } from './discover.js'

export async function placedBy({ place }: Placement, context: PlacementContext): Promise<PlacedBy> {
  const file = place.origin?.file
  if (!file) return { by: 'hand', comesBack: false }
  const bundles = LAYOUTS.flatMap((l) => l.bundles.map((b) => systemPath(context.env, b)))
  if (bundles.includes(file)) return { by: 'hand', file, comesBack: false }
  return (await packagePlacedBy(file, context)) ?? { by: 'hand', file, comesBack: false }
}
