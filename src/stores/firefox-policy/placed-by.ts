/**
 * A certificate a Firefox policies.json installs was put there by that policy, and Firefox adds it to
 * every profile again at each start until the `Certificates.Install` entry (or the file) goes.
 * https://mozilla.github.io/policy-templates/#certificates--install
 */
import { FIREFOX_INSTALL_POLICY } from '../shared/placed-by.js'
import type { PlacedBy, Placement } from '../types.js'

export async function placedBy({ place }: Placement): Promise<PlacedBy> {
  return { by: 'policy', name: FIREFOX_INSTALL_POLICY, file: place.location, comesBack: true }
}
