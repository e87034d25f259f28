/**
 * The Chromium-family browsers CertAudit knows by name, and where each keeps its user data folder
 * (the folder with `Local State` and one folder per profile) on each system. Browsers not named here
 * are still found, by looking for `Local State` (discover.ts); this table only gives them their names.
 * Chromium's defaults: https://chromium.googlesource.com/chromium/src/+/main/docs/user_data_dir.md
 */
import type { StoreFacts } from '../types.js'

/** The program facts of a Chromium-family browser (StoreFacts.program). */
export type BrowserProgram = Extract<NonNullable<StoreFacts['program']>, 'chrome' | 'chromium' | 'edge' | 'brave' | 'vivaldi' | 'opera' | 'yandex'>

export interface KnownBrowser {
  readonly program: BrowserProgram
  /** The product's name, as its makers write it in every language. */
  readonly name: string
  /** Under the configuration folder (~/.config, $CHROME_CONFIG_HOME, a snap's or Flatpak's own). */
  readonly linux?: string
  /** Under %LOCALAPPDATA% (or %APPDATA% for Opera, which keeps its profile in the roaming folder). */
  readonly windows?: { readonly base: 'LOCALAPPDATA' | 'APPDATA'; readonly path: string }
  /** Under ~/Library/Application Support. */
  readonly macos?: string
}

const local = (path: string) => ({ base: 'LOCALAPPDATA' as const, path })
const roaming = (path: string) => ({ base: 'APPDATA' as const, path })

/** Most common first: a folder reached by two names keeps the first. */
export const KNOWN_BROWSERS: readonly KnownBrowser[] = [
  { program: 'chrome', name: 'Google Chrome', linux: 'google-chrome', windows: local('Google/Chrome/User Data'), macos: 'Google/Chrome' },
  { program: 'chrome', name: 'Google Chrome Beta', linux: 'google-chrome-beta', windows: local('Google/Chrome Beta/User Data'), macos: 'Google/Chrome Beta' },
  { program: 'chrome', name: 'Google Chrome Dev', linux: 'google-chrome-unstable', windows: local('Google/Chrome Dev/User Data'), macos: 'Google/Chrome Dev' },
  { program: 'chrome', name: 'Google Chrome Canary', linux: 'google-chrome-canary', windows: local('Google/Chrome SxS/User Data'), macos: 'Google/Chrome Canary' },
  { program: 'chrome', name: 'Google Chrome for Testing', linux: 'google-chrome-for-testing', macos: 'Google/Chrome for Testing' },
  { program: 'chromium', name: 'Chromium', linux: 'chromium', windows: local('Chromium/User Data'), macos: 'Chromium' },
  { program: 'edge', name: 'Microsoft Edge', linux: 'microsoft-edge', windows: local('Microsoft/Edge/User Data'), macos: 'Microsoft Edge' },
  { program: 'edge', name: 'Microsoft Edge Beta', linux: 'microsoft-edge-beta', windows: local('Microsoft/Edge Beta/User Data'), macos: 'Microsoft Edge Beta' },
  { program: 'edge', name: 'Microsoft Edge Dev', linux: 'microsoft-edge-dev', windows: local('Microsoft/Edge Dev/User Data'), macos: 'Microsoft Edge Dev' },
  { program: 'edge', name: 'Microsoft Edge Canary', windows: local('Microsoft/Edge SxS/User Data'), macos: 'Microsoft Edge Canary' },
  { program: 'brave', name: 'Brave', linux: 'BraveSoftware/Brave-Browser', windows: local('BraveSoftware/Brave-Browser/User Data'), macos: 'BraveSoftware/Brave-Browser' },
  { program: 'brave', name: 'Brave Beta', linux: 'BraveSoftware/Brave-Browser-Beta', windows: local('BraveSoftware/Brave-Browser-Beta/User Data'), macos: 'BraveSoftware/Brave-Browser-Beta' },
  { program: 'brave', name: 'Brave Nightly', linux: 'BraveSoftware/Brave-Browser-Nightly', windows: local('BraveSoftware/Brave-Browser-Nightly/User Data'), macos: 'BraveSoftware/Brave-Browser-Nightly' },
  { program: 'vivaldi', name: 'Vivaldi', linux: 'vivaldi', windows: local('Vivaldi/User Data'), macos: 'Vivaldi' },
  { program: 'vivaldi', name: 'Vivaldi Snapshot', linux: 'vivaldi-snapshot', windows: local('Vivaldi Snapshot/User Data'), macos: 'Vivaldi Snapshot' },
  { program: 'opera', name: 'Opera', linux: 'opera', windows: roaming('Opera Software/Opera Stable'), macos: 'com.operasoftware.Opera' },
  { program: 'opera', name: 'Opera GX', windows: roaming('Opera Software/Opera GX Stable'), macos: 'com.operasoftware.OperaGX' },
  { program: 'opera', name: 'Opera Beta', linux: 'opera-beta', windows: roaming('Opera Software/Opera Next'), macos: 'com.operasoftware.OperaNext' },
  { program: 'opera', name: 'Opera Developer', linux: 'opera-developer', windows: roaming('Opera Software/Opera Developer'), macos: 'com.operasoftware.OperaDeveloper' },
  { program: 'opera', name: 'Opera Air', windows: roaming('Opera Software/Opera Air Stable'), macos: 'com.operasoftware.OperaAir' },
  { program: 'yandex', name: 'Yandex Browser', linux: 'yandex-browser', windows: local('Yandex/YandexBrowser/User Data'), macos: 'Yandex/YandexBrowser' },
  { program: 'yandex', name: 'Yandex Browser Beta', linux: 'yandex-browser-beta', windows: local('Yandex/YandexBrowserBeta/User Data'), macos: 'Yandex/YandexBrowserBeta' },
]

/** Where a browser was installed from, when it is not the usual package: it keeps its own folders. */
export type Install = 'snap' | 'Flatpak'

/** The known browser whose folder is `relative` (with `/`) under a base of this system, if any. */
export function knownBrowserAt(platform: NodeJS.Platform, base: 'config' | 'LOCALAPPDATA' | 'APPDATA' | 'support', relative: string): KnownBrowser | undefined {
  const wanted = relative.toLowerCase()
  return KNOWN_BROWSERS.find((browser) => {
    const path = platform === 'win32' ? (browser.windows?.base === base ? browser.windows.path : undefined) : platform === 'darwin' ? (base === 'support' ? browser.macos : undefined) : base === 'config' ? browser.linux : undefined
    return path?.toLowerCase() === wanted
  })
}
