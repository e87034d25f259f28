/**
 * A system certificate comes from the source file that holds it (an anchor, a distribution file the
 * conf selects). A package's anchor is put back by a reinstall or an upgrade of that package. A
 * package's distribution file (under /usr/share) comes back with it too, but CertAudit never deletes
 * those: it deselects them in /etc/ca-certificates.conf (Debian keeps a `!` line across upgrades) or
 * copies them to the blocklist in /etc (p11-kit), and upgrades leave both alone, so the trust does not
 * come back. Any other file was put there by hand or by a program. A certificate in the bundle that
 * no source explains was added to the bundle itself, and the next rebuild drops it.
 */
import { systemPath, type Environment } from '../shared/environment.js'
import { packagePlacedBy, pathInImage } from '../shared/package-owner.js'
import { realPathInRoot } from '../shared/paths.js'
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

/**
 * A file another kind reads (a bundle a variable names, an OpenSSL default file) that is the system
 * store's own bundle, or a link to it, holding a certificate the system store trusts from a source
 * file: generated from that source, and rebuilt with it by the distribution's tool. Null otherwise (a
 * certificate added to the bundle itself has no source to come back from).
 */
export async function generatedFromSystem({ place, elsewhere }: Placement, env: Environment): Promise<PlacedBy | null> {
  const file = place.origin?.file ?? (place.location.startsWith('/') ? place.location : null)
  if (!file || place.kind === 'linux-system') return null
  const real = await realPathInRoot(env, file).catch(() => file)
  for (const source of elsewhere) {
    const layout = LAYOUTS.find((l) => source.kind === 'linux-system' && source.storeId === `linux-system:${l.id}`)
    if (!layout || source.trust !== 'trusted' || !source.origin) continue
    for (const bundle of layout.bundles.map((b) => systemPath(env, b))) {
      if (source.origin.file === bundle) continue
      if (bundle === file || (await realPathInRoot(env, bundle).catch(() => bundle)) === real) {
        return { by: 'generated', name: 'linux-system', file: source.origin.file, tool: layout.update[0], comesBack: true }
      }
    }
  }
  return null
}
