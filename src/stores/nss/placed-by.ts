/**
 * An NSS database holds what was imported into it: by hand (the browser's certificate manager,
 * certutil) or by a program. Firefox's `Certificates.Install` policy imports its certificates into
 * every profile at each start, so a Firefox profile holding a certificate a policies.json installs got
 * it from there, and gets it back until the policy goes. That the database folder may belong to a
 * package (/etc/pki/nssdb) says nothing about what is in it: never asked.
 */
import { FIREFOX_INSTALL_POLICY } from '../shared/placed-by.js'
import type { PlacedBy, Placement } from '../types.js'

export async function placedBy({ place, elsewhere }: Placement): Promise<PlacedBy> {
  const firefox = place.facts?.program === 'firefox' || (!place.facts?.program && /firefox/i.test(place.location))
  const policy = firefox ? elsewhere.find((p) => p.kind === 'firefox-policy') : undefined
  if (policy) return { by: 'policy', name: FIREFOX_INSTALL_POLICY, file: policy.location, comesBack: true }
  return { by: 'hand', comesBack: false }
}
