/**
 * A certificate a Chromium-family browser takes from a CA policy was put there by that policy (its
 * file, preference file or registry key), and the browser takes it again at each start until the
 * policy goes. On macOS a value in /Library/Managed Preferences is one a configuration profile (MDM)
 * forces (macos-preferences.ts).
 */
import type { PlacedBy, Placement } from '../types.js'
import { CA_POLICIES, type CaPolicy } from './policies.js'

const MANAGED_PREFERENCES = '/Library/Managed Preferences/'

export async function placedBy({ place }: Placement): Promise<PlacedBy> {
  // The entry starts with the policy's name: "CACertificates #2", "CACertificatesWithConstraints\1 (only for …)".
  const policy = (Object.keys(CA_POLICIES) as CaPolicy[]).filter((name) => place.entry.startsWith(name)).sort((a, b) => b.length - a.length)[0]
  const browser = place.facts?.browser ?? 'Chromium-based browser'
  const profile = place.location.includes(MANAGED_PREFERENCES)
  return { by: 'policy', name: policy ? `${browser} ${policy}` : browser, file: place.location, ...(profile ? { profile } : {}), comesBack: true }
}
