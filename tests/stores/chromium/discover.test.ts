/**
 * Finding every profile of every Chromium-family browser (src/stores/chromium/discover.ts) in temp
 * homes laid out as Linux (native, XDG, CHROME_CONFIG_HOME, snap, Flatpak), Windows and macOS homes
 * (the platform set in the Environment), with Local State names, profiles Local State forgot, a
 * browser no table names, and bad input: Local State that is not JSON, links out of the home, loops.
 */
import { mkdirSync, symlinkSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { discover, type ChromiumLocation } from '../../../src/stores/chromium/discover.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { tempDir } from '../../support/temp.js'
import { haveSqlite3, localState, makeServerCertificate, put, SQLITE3_ABSENT_REASON } from './fixtures.js'

/** A ServerCertificate database in the profile folder `dir` (empty: discovery does not read it). */
const profile = (dir: string) => makeServerCertificate(dir, [])

function envFor(home: string, platform: NodeJS.Platform = 'linux', vars: Record<string, string> = {}) {
  return createEnvironment({ home, systemRoot: join(home, 'no-system'), env: vars, platform })
}

/** What the window and the report show of each location. */
const shown = (locations: readonly ChromiumLocation[]) =>
  locations.map((l) => (l.problem ? { problem: l.problem.code, location: l.location } : { location: l.location, ...l.facts }))

describe.skipIf(!haveSqlite3)('finding Chromium-family profiles', () => {
  it('on Linux: every browser, every profile, named from Local State, native and snap and Flatpak', async () => {
    const home = tempDir()
    const config = join(home, '.config')
    localState(join(config, 'google-chrome'), { Default: 'Person 1', 'Profile 1': 'Work' })
    const chrome = profile(join(config, 'google-chrome/Default'))
    const work = profile(join(config, 'google-chrome/Profile 1'))
    const guest = profile(join(config, 'google-chrome/Guest Profile'))
    localState(join(config, 'google-chrome-beta'), { Default: 'Beta person' })
    const beta = profile(join(config, 'google-chrome-beta/Default'))
    const edge = profile(join(config, 'microsoft-edge/Default'))
    localState(join(config, 'BraveSoftware/Brave-Browser'), { 'Profile 3': 'Brave me' })
    const brave = profile(join(config, 'BraveSoftware/Brave-Browser/Profile 3'))
    const vivaldi = profile(join(config, 'vivaldi/Default'))
    const opera = profile(join(config, 'opera'))
    const yandex = profile(join(config, 'yandex-browser/Default'))
    localState(join(config, 'thorium'), { Default: 'Thor' })
    const thorium = profile(join(config, 'thorium/Default'))
    const snap = profile(join(home, 'snap/chromium/common/chromium/Default'))
    const snapBrave = profile(join(home, 'snap/brave/current/.config/BraveSoftware/Brave-Browser/Default'))
    const flatpakChrome = profile(join(home, '.var/app/com.google.Chrome/config/google-chrome/Default'))
    const flatpakUngoogled = profile(join(home, '.var/app/io.github.ungoogled_software.ungoogled_chromium/config/chromium/Profile 2'))
    // A browser no table names that has not written Local State: its Default profile gives it away.
    const unnamed = profile(join(config, 'cromite/Default'))
    // A folder with Local State but no ServerCertificate (an Electron app, or a browser before Chrome 131): no store.
    localState(join(config, 'Code'), {})

    const found = await discover(envFor(home))
    expect(shown(found)).toEqual([
      { location: chrome, program: 'chrome', browser: 'Google Chrome', profile: 'Person 1' },
      { location: guest, program: 'chrome', browser: 'Google Chrome', profile: 'Guest Profile', unlisted: true },
      { location: work, program: 'chrome', browser: 'Google Chrome', profile: 'Work' },
      { location: beta, program: 'chrome', browser: 'Google Chrome Beta', profile: 'Beta person' },
      { location: edge, program: 'edge', browser: 'Microsoft Edge', profile: 'Default' },
      { location: brave, program: 'brave', browser: 'Brave', profile: 'Brave me' },
      { location: vivaldi, program: 'vivaldi', browser: 'Vivaldi', profile: 'Default' },
      { location: opera, program: 'opera', browser: 'Opera' },
      { location: yandex, program: 'yandex', browser: 'Yandex Browser', profile: 'Default' },
      { location: unnamed, program: 'chromium', browser: 'cromite', profile: 'Default' },
      { location: thorium, program: 'chromium', browser: 'thorium', profile: 'Thor' },
      { location: flatpakChrome, program: 'chrome', browser: 'Google Chrome (Flatpak)', profile: 'Default' },
      { location: flatpakUngoogled, program: 'chromium', browser: 'Chromium (Flatpak)', profile: 'Profile 2' },
      { location: snapBrave, program: 'brave', browser: 'Brave (snap)', profile: 'Default' },
      { location: snap, program: 'chromium', browser: 'Chromium (snap)', profile: 'Default' },
    ])
    expect(found.every((l) => l.kind === 'chromium' && l.id === `chromium:${l.location}` && l.note)).toBe(true)
    expect(found.find((l) => l.location === work)!.note).toBe('Google Chrome profile “Work”')
  })

  it('on Linux: CHROME_CONFIG_HOME and XDG_CONFIG_HOME inside the home; outside it, a problem and nothing read', async () => {
    const home = tempDir()
    const outside = tempDir()
    const viaChromeConfig = profile(join(home, 'chrome-config/google-chrome/Default'))
    const viaXdg = profile(join(home, 'xdg/chromium/Default'))
    profile(join(outside, 'chromium/Default'))
    const inside = await discover(envFor(home, 'linux', { CHROME_CONFIG_HOME: join(home, 'chrome-config'), XDG_CONFIG_HOME: join(home, 'xdg') }))
    expect(shown(inside).map((l) => l.location)).toEqual([viaChromeConfig, viaXdg])
    const out = await discover(envFor(home, 'linux', { XDG_CONFIG_HOME: outside }))
    expect(shown(out)).toEqual([{ problem: 'chromium-outside-home', location: outside }])
  })

  it('on Windows: %LOCALAPPDATA%\\…\\User Data of each browser and Opera in %APPDATA%', async () => {
    const home = tempDir()
    const local = join(home, 'AppData/Local')
    const roaming = join(home, 'AppData/Roaming')
    localState(join(local, 'Google/Chrome/User Data'), { Default: 'Айгерим', 'Profile 1': 'Work' })
    const chrome = profile(join(local, 'Google/Chrome/User Data/Default'))
    const chromeWork = profile(join(local, 'Google/Chrome/User Data/Profile 1'))
    const canary = profile(join(local, 'Google/Chrome SxS/User Data/Default'))
    const edge = profile(join(local, 'Microsoft/Edge/User Data/Profile 1'))
    const brave = profile(join(local, 'BraveSoftware/Brave-Browser/User Data/Default'))
    const chromium = profile(join(local, 'Chromium/User Data/Default'))
    const vivaldi = profile(join(local, 'Vivaldi/User Data/Default'))
    const yandex = profile(join(local, 'Yandex/YandexBrowser/User Data/Default'))
    localState(join(roaming, 'Opera Software/Opera Stable'), {})
    const opera = profile(join(roaming, 'Opera Software/Opera Stable'))
    const operaGx = profile(join(roaming, 'Opera Software/Opera GX Stable/Default'))
    // Browsers no table names, in Chromium's Windows layout, without Local State.
    const thorium = profile(join(local, 'Thorium/User Data/Profile 2'))
    const catsxp = profile(join(local, 'CatsXP/Browser/User Data/Default'))
    const found = shown(await discover(envFor(home, 'win32', { LOCALAPPDATA: local, APPDATA: roaming })))
    expect(found).toEqual([
      { location: chrome, program: 'chrome', browser: 'Google Chrome', profile: 'Айгерим' },
      { location: chromeWork, program: 'chrome', browser: 'Google Chrome', profile: 'Work' },
      { location: canary, program: 'chrome', browser: 'Google Chrome Canary', profile: 'Default' },
      { location: chromium, program: 'chromium', browser: 'Chromium', profile: 'Default' },
      { location: edge, program: 'edge', browser: 'Microsoft Edge', profile: 'Profile 1' },
      { location: brave, program: 'brave', browser: 'Brave', profile: 'Default' },
      { location: vivaldi, program: 'vivaldi', browser: 'Vivaldi', profile: 'Default' },
      { location: yandex, program: 'yandex', browser: 'Yandex Browser', profile: 'Default' },
      { location: catsxp, program: 'chromium', browser: 'CatsXP/Browser', profile: 'Default' },
      { location: thorium, program: 'chromium', browser: 'Thorium', profile: 'Profile 2' },
      { location: opera, program: 'opera', browser: 'Opera' },
      { location: operaGx, program: 'opera', browser: 'Opera GX', profile: 'Default' },
    ])
    // The default folders when the variables are not set.
    expect(shown(await discover(envFor(home, 'win32'))).map((l) => l.location)).toEqual(found.map((l) => l.location))
  })

  it('on macOS: ~/Library/Application Support of each browser', async () => {
    const home = tempDir()
    const support = join(home, 'Library/Application Support')
    localState(join(support, 'Google/Chrome'), { 'Profile 2': 'Personal' })
    const chrome = profile(join(support, 'Google/Chrome/Profile 2'))
    const edge = profile(join(support, 'Microsoft Edge/Default'))
    const brave = profile(join(support, 'BraveSoftware/Brave-Browser/Default'))
    const opera = profile(join(support, 'com.operasoftware.Opera/Default'))
    const operaGx = profile(join(support, 'com.operasoftware.OperaGX'))
    const yandex = profile(join(support, 'Yandex/YandexBrowser/Default'))
    const arc = profile(join(support, 'Arc/User Data/Default'))
    localState(join(support, 'Arc/User Data'), {})
    expect(shown(await discover(envFor(home, 'darwin')))).toEqual([
      { location: chrome, program: 'chrome', browser: 'Google Chrome', profile: 'Personal' },
      { location: edge, program: 'edge', browser: 'Microsoft Edge', profile: 'Default' },
      { location: brave, program: 'brave', browser: 'Brave', profile: 'Default' },
      { location: opera, program: 'opera', browser: 'Opera', profile: 'Default' },
      { location: operaGx, program: 'opera', browser: 'Opera GX' },
      { location: yandex, program: 'yandex', browser: 'Yandex Browser', profile: 'Default' },
      { location: arc, program: 'chromium', browser: 'Arc', unlisted: true, profile: 'Default' },
    ])
  })

  it('reports a Local State that is not JSON and still finds the profile folders', async () => {
    const home = tempDir()
    const state = put(join(home, '.config/google-chrome/Local State'), '{"profile": {"info_cache": {"Default": ')
    const chrome = profile(join(home, '.config/google-chrome/Default'))
    put(join(home, '.config/chromium/Local State'), '[1, 2, 3]')
    const chromium = profile(join(home, '.config/chromium/Default'))
    const found = await discover(envFor(home))
    expect(shown(found)).toEqual([
      { problem: 'chromium-bad-local-state', location: state },
      { location: chrome, program: 'chrome', browser: 'Google Chrome', profile: 'Default' },
      { problem: 'chromium-bad-local-state', location: join(home, '.config/chromium/Local State') },
      { location: chromium, program: 'chromium', browser: 'Chromium', profile: 'Default' },
    ])
    expect(found[0]!.problem!.message).toMatch(/Local State is damaged: it is not JSON .*looked for the profile folders on disk/)
  })

  it('never leaves the home: links and Local State keys that lead out of it are problems, loops are skipped', async () => {
    const home = tempDir()
    const outside = tempDir()
    profile(join(outside, 'Default'))
    profile(join(outside, 'chrome/Default'))
    const config = join(home, '.config')
    mkdirSync(join(config, 'chromium'), { recursive: true })
    symlinkSync(join(outside, 'Default'), join(config, 'chromium/Default'))
    symlinkSync(join(outside, 'chrome'), join(config, 'google-chrome'))
    // A Local State key that leads to another folder of the home is followed; out of the home, reported.
    localState(join(config, 'vivaldi'), { '../../elsewhere/hidden': 'Hidden', [relative(join(config, 'vivaldi'), join(outside, 'Default'))]: 'Outside' })
    const hidden = profile(join(home, 'elsewhere/hidden'))
    // Loops: a folder that links to itself, and a profile linking to its parent.
    symlinkSync(join(config, 'loop'), join(config, 'loop'))
    mkdirSync(join(config, 'microsoft-edge/Default'), { recursive: true })
    symlinkSync(join(config, 'microsoft-edge'), join(config, 'microsoft-edge/Default/ServerCertificate'))
    const found = shown(await discover(envFor(home)))
    expect(found).toEqual([
      { problem: 'chromium-outside-home', location: join(config, 'google-chrome') },
      { problem: 'chromium-outside-home', location: join(config, 'chromium/Default/ServerCertificate') },
      { problem: 'chromium-not-a-file', location: join(config, 'microsoft-edge/Default/ServerCertificate') },
      { location: hidden, program: 'vivaldi', browser: 'Vivaldi', profile: 'Hidden' },
      { problem: 'chromium-outside-home', location: join(outside, 'Default/ServerCertificate') },
    ])
  })

  it('finds nothing, and no problem, in an empty home or one without the folders', async () => {
    expect(await discover(envFor(tempDir()))).toEqual([])
    expect(await discover(envFor(tempDir(), 'win32'))).toEqual([])
    expect(await discover(envFor(tempDir(), 'darwin'))).toEqual([])
    expect(await discover(envFor(join(tempDir(), 'missing')))).toEqual([])
  })
})

if (!haveSqlite3) describe.skip(`finding Chromium-family profiles (skipped: ${SQLITE3_ABSENT_REASON})`, () => it('needs sqlite3', () => {}))
