import { join } from 'node:path'
import type { ProfileRoot } from './profiles.js'

/**
 * Programs built from Firefox or Thunderbird keep profiles of the same shape, each with its own
 * cert9.db that trusts what is added to it, under their own folder names: `linux` in the home (native,
 * then Flatpak), `appData` under %APPDATA% on Windows and ~/Library/Application Support on macOS (with
 * a Profiles folder on both). Tor Browser keeps one profile inside the browser's own folder, wherever it
 * was unpacked; torbrowser-launcher (native or Flatpak) puts it in a known place, and the usual unpacked
 * places are looked at too.
 */
export const FORKS: readonly { readonly app: string; readonly family: 'firefox' | 'thunderbird'; readonly linux: readonly string[]; readonly appData?: string }[] = [
  { app: 'LibreWolf', family: 'firefox', linux: ['.librewolf', '.var/app/io.gitlab.librewolf-community/.librewolf'], appData: 'librewolf' },
  { app: 'Waterfox', family: 'firefox', linux: ['.waterfox', '.var/app/net.waterfox.waterfox/.waterfox'], appData: 'Waterfox' },
  { app: 'Floorp', family: 'firefox', linux: ['.floorp', '.var/app/one.ablaze.floorp/.floorp'], appData: 'Floorp' },
  { app: 'Zen Browser', family: 'firefox', linux: ['.zen', '.var/app/app.zen_browser.zen/.zen'], appData: 'zen' },
  { app: 'SeaMonkey', family: 'firefox', linux: ['.mozilla/seamonkey'], appData: 'Mozilla/SeaMonkey' },
  { app: 'GNU IceCat', family: 'firefox', linux: ['.mozilla/icecat'] },
  { app: 'Pale Moon', family: 'firefox', linux: ['.moonchild productions/pale moon'], appData: 'Moonchild Productions/Pale Moon' },
  { app: 'Basilisk', family: 'firefox', linux: ['.moonchild productions/basilisk'], appData: 'Moonchild Productions/Basilisk' },
  {
    app: 'Tor Browser',
    family: 'firefox',
    linux: [
      '.local/share/torbrowser/tbb/x86_64/tor-browser/Browser/TorBrowser/Data/Browser',
      '.local/share/torbrowser/tbb/x86_64/tor-browser_en-US/Browser/TorBrowser/Data/Browser',
      '.var/app/org.torproject.torbrowser-launcher/data/torbrowser/tbb/x86_64/tor-browser/Browser/TorBrowser/Data/Browser',
      '.var/app/com.github.micahflee.torbrowser-launcher/data/torbrowser/tbb/x86_64/tor-browser/Browser/TorBrowser/Data/Browser',
      'tor-browser/Browser/TorBrowser/Data/Browser',
      'Downloads/tor-browser/Browser/TorBrowser/Data/Browser',
    ],
  },
  { app: 'Betterbird', family: 'thunderbird', linux: ['.var/app/eu.betterbird.Betterbird/.thunderbird'] },
]

/** The forks' profile roots on Windows (under %APPDATA%) and macOS (under ~/Library/Application Support). */
export function forkRoots(base: string): ProfileRoot[] {
  return FORKS.flatMap((f) => {
    if (!f.appData) return []
    const dir = join(base, ...f.appData.split('/'))
    return [{ app: f.app, family: f.family, dir, profilesDir: join(dir, 'Profiles') }]
  })
}

/** The forks' profile roots on Linux, in the home folder. */
export function linuxForkRoots(home: string): ProfileRoot[] {
  return FORKS.flatMap((f) => f.linux.map((dir) => ({ app: dir.startsWith('.var/app/') ? `${f.app} (Flatpak)` : f.app, family: f.family, dir: join(home, dir) })))
}

/**
 * Firefox and Thunderbird from the Microsoft Store (MSIX) keep their profiles in the package's own
 * folder, which Windows shows to them as %APPDATA%.
 */
export function storeAppRoots(home: string): ProfileRoot[] {
  const packageRoaming = (id: string) => join(home, 'AppData', 'Local', 'Packages', id, 'LocalCache', 'Roaming')
  const firefox = join(packageRoaming('Mozilla.Firefox_n80bbvh6b1yt2'), 'Mozilla', 'Firefox')
  const thunderbird = join(packageRoaming('Mozilla.Thunderbird_n80bbvh6b1yt2'), 'Thunderbird')
  return [
    { app: 'Firefox (Microsoft Store)', family: 'firefox', dir: firefox, profilesDir: join(firefox, 'Profiles') },
    { app: 'Thunderbird (Microsoft Store)', family: 'thunderbird', dir: thunderbird, profilesDir: join(thunderbird, 'Profiles') },
  ]
}
