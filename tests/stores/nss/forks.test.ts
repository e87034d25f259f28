/**
 * Firefox's and Thunderbird's forks keep NSS profiles of the same shape under their own folder names
 * (src/stores/nss/forks.ts). A root trusted in any of them is trusted by that browser, so each is
 * found and read on Linux (native and Flatpak), Windows (%APPDATA%, and Firefox from the Microsoft
 * Store) and macOS (~/Library/Application Support): listed in profiles.ini or not, and Tor Browser's
 * single profile inside its unpacked folder. Before forks.ts none of these was looked at: a scan of a
 * home with a root only in LibreWolf said nothing was found.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { nssStore } from '../../../src/stores/nss/index.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutilInstalled, copyDb, makeNssDb, writeIni } from './fixtures.js'

const root = makeCertificate({ subject: [['CN', 'Fork Test Root']] })

/** Where each fork keeps its profiles, and the profile folder planted there (`listed`: named in profiles.ini). */
const PLACES: Record<'linux' | 'win32' | 'darwin', readonly { readonly root: string; readonly profile: string; readonly listed: boolean; readonly app: string }[]> = {
  linux: [
    { app: 'LibreWolf', root: '.librewolf', profile: 'a1.default-default', listed: true },
    { app: 'LibreWolf (Flatpak)', root: '.var/app/io.gitlab.librewolf-community/.librewolf', profile: 'a2.default', listed: false },
    { app: 'Waterfox', root: '.waterfox', profile: 'w1.68-edition-default', listed: true },
    { app: 'Floorp', root: '.floorp', profile: 'f1.default-release', listed: false },
    { app: 'Zen Browser', root: '.zen', profile: 'z1.Default (release)', listed: true },
    { app: 'Zen Browser (Flatpak)', root: '.var/app/app.zen_browser.zen/.zen', profile: 'z2.Default (release)', listed: true },
    { app: 'SeaMonkey', root: '.mozilla/seamonkey', profile: 's1.default', listed: true },
    { app: 'GNU IceCat', root: '.mozilla/icecat', profile: 'i1.default', listed: false },
    { app: 'Pale Moon', root: '.moonchild productions/pale moon', profile: 'p1.default', listed: true },
    { app: 'Tor Browser', root: '.local/share/torbrowser/tbb/x86_64/tor-browser/Browser/TorBrowser/Data/Browser', profile: 'profile.default', listed: false },
    { app: 'Tor Browser', root: 'Downloads/tor-browser/Browser/TorBrowser/Data/Browser', profile: 'profile.default', listed: false },
    { app: 'Betterbird (Flatpak)', root: '.var/app/eu.betterbird.Betterbird/.thunderbird', profile: 'b1.default-release', listed: true },
  ],
  win32: [
    { app: 'LibreWolf', root: 'AppData/Roaming/librewolf', profile: 'Profiles/a1.default-default', listed: true },
    { app: 'Waterfox', root: 'AppData/Roaming/Waterfox', profile: 'Profiles/w1.default', listed: false },
    { app: 'Zen Browser', root: 'AppData/Roaming/zen', profile: 'Profiles/z1.Default (release)', listed: true },
    { app: 'Firefox (Microsoft Store)', root: 'AppData/Local/Packages/Mozilla.Firefox_n80bbvh6b1yt2/LocalCache/Roaming/Mozilla/Firefox', profile: 'Profiles/m1.default-release', listed: true },
  ],
  darwin: [
    { app: 'LibreWolf', root: 'Library/Application Support/librewolf', profile: 'Profiles/a1.default-default', listed: true },
    { app: 'Floorp', root: 'Library/Application Support/Floorp', profile: 'Profiles/f1.default-release', listed: false },
    { app: 'Zen Browser', root: 'Library/Application Support/zen', profile: 'Profiles/z1.Default (release)', listed: true },
  ],
}

async function listAll(location: StoreLocation, env: Parameters<typeof nssStore.list>[1]): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of nssStore.list(location, env)) items.push(item)
  return items
}

describe.skipIf(!certutilInstalled)(`the profiles of Firefox's and Thunderbird's forks${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  const template = certutilInstalled ? makeNssDb(join(tempDir('certaudit-forks-template-'), 'db'), [{ nickname: 'Fork Test Root', trust: 'C,,', cert: root }]) : ''

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`${platform}: every fork's profile is found, named, and its root read as trusted`, async () => {
      const home = tempDir('certaudit-forks-home-')
      for (const place of PLACES[platform]) {
        if (place.listed) writeIni(join(home, place.root, 'profiles.ini'), { Profile0: { Name: 'default', IsRelative: '1', Path: place.profile, Default: '1' } })
        copyDb(template, join(home, place.root, place.profile))
      }
      const env = createEnvironment({ home, env: {}, platform })
      const locations = await nssStore.discover(env)
      const expected = PLACES[platform].map((p) => join(home, p.root, p.profile)).sort()
      expect(locations.filter((l) => !('problem' in l && l.problem)).map((l) => l.location).sort()).toEqual(expected)
      for (const place of PLACES[platform]) {
        const location = locations.find((l) => l.location === join(home, place.root, place.profile))!
        expect(location.note, place.root).toContain(place.app)
        const items = await listAll(location, env)
        expect(items.map((i) => (i.type === 'entry' ? [sha256Hex(i.der), i.entry, i.trust] : [i.type])), place.root).toEqual([[root.sha256, 'Fork Test Root', 'trusted']])
      }
    })
  }
})

describe.skipIf(!certutilInstalled)(`the NSS databases of snaps and Flatpaks${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  const template = certutilInstalled ? makeNssDb(join(tempDir('certaudit-sandbox-template-'), 'db'), [{ nickname: 'Fork Test Root', trust: 'C,,', cert: root }]) : ''
  // A browser or Electron app in a sandbox keeps ~/.pki inside it: before, only the Chromium snap's was read.
  const PLACES = [
    ['snap/chromium/current/.pki/nssdb', 'Chromium (snap)'],
    ['snap/brave/current/.pki/nssdb', 'brave (snap)'],
    ['.var/app/com.google.Chrome/.pki/nssdb', 'com.google.Chrome (Flatpak)'],
    ['.var/app/com.brave.Browser/.pki/nssdb', 'com.brave.Browser (Flatpak)'],
    ['.var/app/com.slack.Slack/.pki/nssdb', 'com.slack.Slack (Flatpak)'],
  ] as const

  it('each is found, says whose it is, and its root is read as trusted', async () => {
    const home = tempDir('certaudit-sandbox-home-')
    for (const [path] of PLACES) copyDb(template, join(home, path))
    const env = createEnvironment({ home, env: {} })
    const locations = await nssStore.discover(env)
    expect(locations.map((l) => [l.location, l.note, l.facts]).sort()).toEqual(PLACES.map(([path, name]) => [join(home, path), name, { program: 'chromium', browser: name }]).sort())
    for (const location of locations) {
      const items = await listAll(location, env)
      expect(items.map((i) => (i.type === 'entry' ? [sha256Hex(i.der), i.trust] : [i.type]))).toEqual([[root.sha256, 'trusted']])
    }
  })
})
