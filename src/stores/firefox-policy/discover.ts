import { join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { existsInRoot } from '../shared/paths.js'
import type { StoreLocation } from '../types.js'

/**
 * Where Firefox on Linux reads enterprise policies (policies.json). A `Certificates.Install` policy
 * re-adds its certificates to every profile at each start, so removing one from a profile alone does
 * not last: the file that installs it must be reported too.
 * https://mozilla.github.io/policy-templates/#certificates--install
 */
const POLICY_FILES = [
  '/etc/firefox/policies/policies.json',
  '/usr/lib/firefox/distribution/policies.json',
  '/usr/lib64/firefox/distribution/policies.json',
  '/usr/lib/firefox-esr/distribution/policies.json',
  '/opt/firefox/distribution/policies.json',
  '/snap/firefox/current/usr/lib/firefox/distribution/policies.json',
  '/var/lib/flatpak/app/org.mozilla.firefox/current/active/files/lib/firefox/distribution/policies.json',
]
const USER_POLICY_FILES = ['.local/share/flatpak/app/org.mozilla.firefox/current/active/files/lib/firefox/distribution/policies.json']

/** Every policies.json Firefox would read on this machine. */
export async function discover(env: Environment): Promise<StoreLocation[]> {
  const candidates = [...POLICY_FILES.map((p) => systemPath(env, p)), ...USER_POLICY_FILES.map((p) => join(env.home, p))]
  const found: StoreLocation[] = []
  for (const path of candidates) {
    if (await existsInRoot(env, path)) found.push({ id: `firefox-policy:${path}`, kind: 'firefox-policy', location: path, note: 'Firefox enterprise policy (Certificates.Install)', facts: { program: 'firefox' } })
  }
  return found
}
