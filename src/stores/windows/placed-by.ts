/**
 * Windows' Group Policy stores hold what the organisation's Group Policy pushes, and the Enterprise
 * store what its Active Directory publishes: Windows writes them again at each policy refresh (about
 * every 90 minutes, and at start-up) until the policy goes. Other places are by hand or a program.
 * https://learn.microsoft.com/windows/win32/seccrypto/system-store-locations
 */
import type { PlacedBy, Placement } from '../types.js'

export async function placedBy({ place }: Placement): Promise<PlacedBy> {
  if (/GroupPolicy\\/i.test(place.storeId)) return { by: 'policy', name: 'Group Policy', file: place.location, comesBack: true }
  if (/Enterprise\\/i.test(place.storeId)) return { by: 'policy', name: 'Active Directory', file: place.location, comesBack: true }
  return { by: 'hand', comesBack: false }
}
