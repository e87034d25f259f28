import { join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { existsInRoot } from '../shared/paths.js'
import type { StoreLocation } from '../types.js'

/**
 * Where Firefox on Linux reads enterprise policies (policies.json). A `Certificates.Install` policy
 * re-adds its certificates to every profile at each start, so removing one from a profile alone does
 * not last: the file that installs it must be reported too. Thunderbird reads the same policy from
 * its own folders, and LibreWolf from its own.
 * https://mozilla.github.io/policy-templates/#certificates--install
 * https://thunderbird.github.io/policy-templates/#certificates--install
 */
const POLICY_FILES: readonly { readonly path: string; readonly program: 'firefox' | 'thunderbird'; readonly name: string }[] = [
  ...[
    '/etc/firefox/policies/policies.json',
    '/usr/lib/firefox/distribution/policies.json',
    '/usr/lib64/firefox/distribution/policies.json',
    '/usr/lib/firefox-esr/distribution/policies.json',
    '/usr/lib/firefox-developer-edition/distribution/policies.json',
    '/opt/firefox/distribution/policies.json',
    '/snap/firefox/current/usr/lib/firefox/distribution/policies.json',
    '/var/lib/flatpak/app/org.mozilla.firefox/current/active/files/lib/firefox/distribution/policies.json',
  ].map((path) => ({ path, program: 'firefox' as const, name: 'Firefox' })),
  ...['/etc/librewolf/policies/policies.json', '/usr/lib/librewolf/distribution/policies.json', '/usr/share/librewolf/distribution/policies.json'].map((path) => ({
    path,
    program: 'firefox' as const,
    name: 'LibreWolf',
  })),
  ...[
    '/etc/thunderbird/policies/policies.json',
    '/usr/lib/thunderbird/distribution/policies.json',
    '/usr/lib64/thunderbird/distribution/policies.json',
    '/opt/thunderbird/distribution/policies.json',
    '/snap/thunderbird/current/usr/lib/thunderbird/distribution/policies.json',
    '/var/lib/flatpak/app/org.mozilla.Thunderbird/current/active/files/lib/thunderbird/distribution/policies.json',
  ].map((path) => ({ path, program: 'thunderbird' as const, name: 'Thunderbird' })),
]
/** macOS: the policies.json inside each application (https://mozilla.github.io/policy-templates/). */
const MAC_POLICY_FILES: typeof POLICY_FILES = [
  { path: '/Applications/Firefox.app/Contents/Resources/distribution/policies.json', program: 'firefox', name: 'Firefox' },
  { path: '/Applications/Firefox Developer Edition.app/Contents/Resources/distribution/policies.json', program: 'firefox', name: 'Firefox' },
  { path: '/Applications/Firefox Nightly.app/Contents/Resources/distribution/policies.json', program: 'firefox', name: 'Firefox' },
  { path: '/Applications/LibreWolf.app/Contents/Resources/distribution/policies.json', program: 'firefox', name: 'LibreWolf' },
  { path: '/Applications/Thunderbird.app/Contents/Resources/distribution/policies.json', program: 'thunderbird', name: 'Thunderbird' },
]
const USER_POLICY_FILES: typeof POLICY_FILES = [
  { path: '.local/share/flatpak/app/org.mozilla.firefox/current/active/files/lib/firefox/distribution/policies.json', program: 'firefox', name: 'Firefox' },
  { path: '.local/share/flatpak/app/org.mozilla.Thunderbird/current/active/files/lib/thunderbird/distribution/policies.json', program: 'thunderbird', name: 'Thunderbird' },
]

/** Every policies.json Firefox, Thunderbird or LibreWolf would read on this machine. */
export async function discover(env: Environment): Promise<StoreLocation[]> {
  const system = env.platform === 'darwin' ? MAC_POLICY_FILES : POLICY_FILES
  const candidates = [...system.map((p) => ({ ...p, path: systemPath(env, p.path) })), ...(env.platform === 'darwin' ? [] : USER_POLICY_FILES.map((p) => ({ ...p, path: join(env.home, p.path) })))]
  const found: StoreLocation[] = []
  for (const { path, program, name } of candidates) {
    if (await existsInRoot(env, path)) found.push({ id: `firefox-policy:${path}`, kind: 'firefox-policy', location: path, note: `${name} enterprise policy (Certificates.Install)`, facts: { program, ...(name === 'LibreWolf' ? { browser: name } : {}) } })
  }
  return found
}
