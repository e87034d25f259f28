/**
 * Where each Chromium-family browser reads its enterprise policies. Every browser built on Chromium
 * keeps the policy code (and the CA certificate policies) but gives it its own folder, registry key
 * and preference domain. Browsers not listed are still found (discover.ts looks at every folder laid
 * out like a policy folder, every registry key under Policies and every managed preference domain):
 * this table only gives them their names.
 */

export interface Browser {
  /** The product's name, as people know it (not translated). */
  readonly name: string
  /** Folders holding `managed/` and `recommended/` (Linux and other POSIX systems). */
  readonly linux: readonly string[]
  /** Keys under HKLM/HKCU\SOFTWARE\Policies (Windows); `…\Recommended` beneath each holds the recommended level. */
  readonly windows: readonly string[]
  /** Preference domains (macOS). */
  readonly macos: readonly string[]
  /** Flatpak application ids, whose extension points can carry policy files. */
  readonly flatpak: readonly string[]
}

export const BROWSERS: readonly Browser[] = [
  {
    // policy::kPolicyPath for Google Chrome branding:
    // https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/policy_paths.cc
    // Windows key and macOS domain: https://support.google.com/chrome/a/answer/187202 ("Set Chrome browser policies").
    name: 'Google Chrome',
    linux: ['/etc/opt/chrome/policies'],
    windows: ['Google\\Chrome'],
    macos: ['com.google.Chrome', 'com.google.Chrome.beta', 'com.google.Chrome.dev', 'com.google.Chrome.canary'],
    flatpak: ['com.google.Chrome', 'com.google.ChromeDev'],
  },
  {
    // docs/enterprise/policies.md: "/etc/opt/chrome_for_testing/policies/ for official Chrome for Testing builds".
    name: 'Chrome for Testing',
    linux: ['/etc/opt/chrome_for_testing/policies'],
    windows: ['Google\\Chrome for Testing'],
    macos: ['com.google.chrome.for.testing'],
    flatpak: [],
  },
  {
    // kPolicyPath for Chromium builds is /etc/chromium/policies (policy_paths.cc); Ubuntu's package and
    // the Chromium snap read /etc/chromium-browser/policies
    // (https://www.chromium.org/administrators/linux-quick-start/). The flatpak reads policies from its
    // extension points (https://github.com/flathub/org.chromium.Chromium/blob/master/README.md).
    name: 'Chromium',
    linux: ['/etc/chromium/policies', '/etc/chromium-browser/policies', '/usr/local/etc/chromium/policies'],
    windows: ['Chromium'],
    macos: ['org.chromium.Chromium'],
    flatpak: ['org.chromium.Chromium', 'io.github.ungoogled_software.ungoogled_chromium'],
  },
  {
    // Edge's policy reference gives the key, the domain and the Linux folder for each policy, e.g.
    // https://learn.microsoft.com/deployedge/microsoft-edge-policies#cacertificateswithconstraints
    name: 'Microsoft Edge',
    linux: ['/etc/opt/edge/policies'],
    windows: ['Microsoft\\Edge'],
    macos: ['com.microsoft.Edge', 'com.microsoft.Edge.Beta', 'com.microsoft.Edge.Dev', 'com.microsoft.Edge.Canary'],
    flatpak: ['com.microsoft.Edge'],
  },
  {
    // Brave overrides chrome::DIR_POLICY_FILES with /etc/brave/policies (brave/app/brave_main_delegate.cc);
    // https://support.brave.com/hc/en-us/articles/360039248271-Group-Policy (key and domain).
    name: 'Brave',
    linux: ['/etc/brave/policies'],
    windows: ['BraveSoftware\\Brave'],
    macos: ['com.brave.Browser', 'com.brave.Browser.beta', 'com.brave.Browser.nightly'],
    flatpak: ['com.brave.Browser'],
  },
  {
    // Vivaldi's own path is not documented; both folders are used by deployment scripts in the wild.
    name: 'Vivaldi',
    linux: ['/etc/vivaldi/policies', '/etc/opt/vivaldi/policies'],
    windows: ['Vivaldi'],
    macos: ['com.vivaldi.Vivaldi'],
    flatpak: ['com.vivaldi.Vivaldi'],
  },
  {
    // Not documented by Opera: folders used by deployment scripts in the wild.
    name: 'Opera',
    linux: ['/etc/opt/opera/policies', '/etc/opera/policies'],
    windows: ['Opera Software\\Opera', 'Opera Software\\Opera Stable'],
    macos: ['com.operasoftware.Opera'],
    flatpak: ['com.opera.Opera'],
  },
  {
    // Not verified from Yandex's documents: the folder, key and domain of its Linux, Windows and macOS packages as reported in the wild.
    name: 'Yandex Browser',
    linux: ['/etc/opt/yandex/browser/policies'],
    windows: ['YandexBrowser', 'Yandex\\YandexBrowser'],
    macos: ['ru.yandex.desktop.yandex-browser'],
    flatpak: [],
  },
]

/** The browser whose policy folder this is (a known one, else the folder's own name). */
export function browserOfFolder(folder: string): string {
  return BROWSERS.find((b) => b.linux.includes(folder))?.name ?? unknownName(folder.split('/').slice(1, -1).filter((p) => p !== 'etc' && p !== 'opt' && p !== 'usr' && p !== 'local'))
}

/** The browser a registry key under Policies belongs to (`Google\Chrome`, without `\Recommended`). */
export function browserOfKey(key: string): string {
  const lower = key.toLowerCase()
  return BROWSERS.find((b) => b.windows.some((k) => k.toLowerCase() === lower))?.name ?? unknownName(key.split('\\'))
}

/** The browser of a macOS preference domain. */
export function browserOfDomain(domain: string): string {
  return BROWSERS.find((b) => b.macos.includes(domain))?.name ?? domain
}

/** The browser of a flatpak application id. */
export function browserOfFlatpak(appId: string): string {
  return BROWSERS.find((b) => b.flatpak.includes(appId))?.name ?? appId
}

/** Every macOS domain of a known browser. */
export const KNOWN_DOMAINS: readonly string[] = BROWSERS.flatMap((b) => b.macos)

function unknownName(parts: readonly string[]): string {
  return parts.filter(Boolean).join(' ') || 'Chromium-based browser'
}
