import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { nssStore } from '../../../src/stores/nss/index.js'
import type { NssLocation } from '../../../src/stores/nss/discover.js'
import { StoreError, type ListItem, type StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { CANNOT_DENY, nodeCommand, readableBundle } from '../../support/as-nobody.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutilInstalled, copyDb, makeNssDb, writeIni } from './fixtures.js'

const dir = tempDir('certaudit-nss-discovery-')
const root = makeCertificate({ subject: [['CN', 'Discovery Test Root']] })

/** What discovery says about each place: where, why, and the problem code if it could not be read. */
const shape = (locations: readonly NssLocation[]) => locations.map((l) => ({ id: l.id, location: l.location, note: l.note, problem: l.problem?.code }))

async function listAll(location: StoreLocation, env: Environment): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of nssStore.list(location, env)) items.push(item)
  return items
}

describe.skipIf(!certutilInstalled)(`finding NSS databases${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  const template = certutilInstalled ? makeNssDb(join(dir, 'template'), [{ nickname: 'Discovery Test Root', trust: 'C,,', cert: root }]) : ''

  it('finds every Firefox, Thunderbird and Chromium database in a home, and reports what it cannot read', async () => {
    const home = join(dir, 'home')
    const outside = join(dir, 'outside-home', 'profile')
    const firefox = join(home, '.mozilla/firefox')
    copyDb(template, outside)
    writeIni(join(firefox, 'profiles.ini'), {
      General: { StartWithLastProfile: '1', Version: '2' },
      Profile0: { Name: 'default-release', IsRelative: '1', Path: 'abcd1234.default-release', Default: '1' },
      Profile1: { Name: 'work', IsRelative: '0', Path: join(home, 'elsewhere/work') },
      Profile2: { Name: 'borrowed', IsRelative: '0', Path: outside },
      Profile3: { Name: 'gone', IsRelative: '1', Path: 'gone.profile' },
      Profile4: { Name: 'looped', IsRelative: '1', Path: 'loop.profile' },
      Profile5: { Name: 'escape', IsRelative: '1', Path: '../../../outside-home/other' },
      Install4F96D1932A9F858E: { Default: 'abcd1234.default-release', Locked: '1' },
    })
    writeIni(join(firefox, 'installs.ini'), { '4F96D1932A9F858E': { Default: 'efgh5678.install-default', Locked: '1' } })
    copyDb(template, join(firefox, 'abcd1234.default-release'))
    copyDb(template, join(firefox, 'efgh5678.install-default'))
    copyDb(template, join(firefox, 'forgotten.profile'))
    copyDb(template, join(home, 'elsewhere/work'))
    mkdirSync(join(firefox, 'old.profile'))
    writeFileSync(join(firefox, 'old.profile/cert8.db'), randomBytes(512))
    mkdirSync(join(firefox, 'Crash Reports'))
    symlinkSync('loop.profile', join(firefox, 'loop.profile'))
    const profile = (rootDir: string, name: string, folder: string) => {
      writeIni(join(rootDir, 'profiles.ini'), { Profile0: { Name: name, IsRelative: '1', Path: folder, Default: '1' } })
      return copyDb(template, join(rootDir, folder))
    }
    profile(join(home, 'xdg-config/mozilla/firefox'), 'xdg', 'x1.xdg')
    profile(join(home, '.config/mozilla/firefox'), 'default-release', 'c1.default-release')
    profile(join(home, 'snap/firefox/common/.mozilla/firefox'), 'default', 's1.default')
    profile(join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox'), 'default-release', 'f1.default-release')
    profile(join(home, '.thunderbird'), 'default', 't1.default')
    profile(join(home, 'snap/thunderbird/common/.thunderbird'), 'default', 't2.default')
    copyDb(template, join(home, '.pki/nssdb'))
    copyDb(template, join(home, 'xdg-data/pki/nssdb'))
    copyDb(template, join(home, '.local/share/pki/nssdb'))
    copyDb(template, join(home, 'snap/chromium/current/.pki/nssdb'))

    // A live machine (system root /): absolute profile paths are taken as written.
    const env = createEnvironment({ home, systemRoot: '/', env: { XDG_CONFIG_HOME: join(home, 'xdg-config'), XDG_DATA_HOME: join(home, 'xdg-data') } })
    const locations = (await nssStore.discover(env)) as NssLocation[]
    const ok = (location: string, note: string) => ({ id: `nss:${location}`, location, note, problem: undefined })
    const failed = (location: string, note: string, problem: string) => ({ id: `nss:${location}`, location, note, problem })
    expect(shape(locations)).toEqual([
      ok(join(firefox, 'abcd1234.default-release'), 'Firefox profile default-release'),
      ok(join(home, 'elsewhere/work'), 'Firefox profile work'),
      failed(outside, 'Firefox profile borrowed', 'nss-outside-home'),
      failed(join(firefox, 'gone.profile'), 'Firefox profile gone', 'nss-profile-missing'),
      failed(join(firefox, 'loop.profile'), 'Firefox profile looped', 'eloop'),
      failed(join(dir, 'outside-home/other'), 'Firefox profile escape', 'nss-outside-home'),
      ok(join(firefox, 'efgh5678.install-default'), 'Firefox profile efgh5678.install-default'),
      ok(join(firefox, 'forgotten.profile'), 'Firefox profile folder forgotten.profile (not listed in profiles.ini)'),
      ok(join(firefox, 'old.profile'), 'Firefox profile folder old.profile (not listed in profiles.ini)'),
      ok(join(home, 'xdg-config/mozilla/firefox/x1.xdg'), 'Firefox profile xdg'),
      ok(join(home, '.config/mozilla/firefox/c1.default-release'), 'Firefox profile default-release'),
      ok(join(home, 'snap/firefox/common/.mozilla/firefox/s1.default'), 'Firefox (snap) profile default'),
      ok(join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/f1.default-release'), 'Firefox (Flatpak) profile default-release'),
      ok(join(home, '.thunderbird/t1.default'), 'Thunderbird profile default'),
      ok(join(home, 'snap/thunderbird/common/.thunderbird/t2.default'), 'Thunderbird (snap) profile default'),
      ok(join(home, '.pki/nssdb'), 'Chromium and Google Chrome'),
      ok(join(home, 'xdg-data/pki/nssdb'), 'Chromium and Google Chrome'),
      ok(join(home, '.local/share/pki/nssdb'), 'Chromium and Google Chrome'),
      ok(join(home, 'snap/chromium/current/.pki/nssdb'), 'Chromium (snap)'),
    ])
    // The profile outside the home is explained, and never read.
    const borrowed = locations.find((l) => l.location === outside)!
    expect(borrowed.problem!.message).toContain(`points the Firefox profile "borrowed" to ${outside}, outside your home folder`)
    expect(borrowed.problem!.message).toContain('any program can change')
    await expect(listAll(borrowed, env)).rejects.toMatchObject({ code: 'nss-outside-home' })
    expect(locations.find((l) => l.id.endsWith('loop.profile'))!.problem!.message).toContain('link loop')

    // Every database found is read; the legacy one says what to do.
    for (const location of locations.filter((l) => !l.problem && !l.location.endsWith('old.profile'))) {
      const entries = await listAll(location, env)
      expect(entries.map((e) => (e.type === 'entry' ? [e.entry, e.trust] : e)), location.location).toEqual([['Discovery Test Root', 'trusted']])
    }
    const legacy = locations.find((l) => l.location.endsWith('old.profile'))!
    await expect(listAll(legacy, env)).rejects.toMatchObject({ code: 'nss-legacy-db', message: expect.stringContaining('converts the database to cert9.db') })
  })

  it('reports a garbage profiles.ini by name, still scans the profile folders on disk, and scans a folder reached twice once', async () => {
    const home = join(dir, 'home2')
    const firefox = join(home, '.mozilla/firefox')
    mkdirSync(firefox, { recursive: true })
    writeFileSync(join(firefox, 'profiles.ini'), Buffer.concat([Buffer.from('[Profile0]\nName=half\nthis is not ini\n'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x20, 0x81])]))
    copyDb(template, join(firefox, 'x.default'))
    mkdirSync(join(home, '.config'))
    symlinkSync('../.mozilla', join(home, '.config/mozilla'))
    copyDb(template, join(home, '.local/share/pki/nssdb'))
    const env = createEnvironment({ home, systemRoot: join(dir, 'no-system'), env: { XDG_DATA_HOME: join(home, '.local/share'), XDG_CONFIG_HOME: '/nonexistent-xdg' } })
    const locations = (await nssStore.discover(env)) as NssLocation[]
    expect(shape(locations)).toEqual([
      { id: 'nss:/nonexistent-xdg', location: '/nonexistent-xdg', note: 'set by XDG_CONFIG_HOME', problem: 'nss-outside-home' },
      { id: `nss:${join(firefox, 'profiles.ini')}`, location: join(firefox, 'profiles.ini'), note: 'Firefox list of profiles', problem: 'nss-bad-profiles-ini' },
      { id: `nss:${join(firefox, 'x.default')}`, location: join(firefox, 'x.default'), note: 'Firefox profile folder x.default (not listed in profiles.ini)', problem: undefined },
      { id: `nss:${join(home, '.local/share/pki/nssdb')}`, location: join(home, '.local/share/pki/nssdb'), note: 'Chromium and Google Chrome', problem: undefined },
    ])
    const ini = locations[1]!
    expect(ini.problem!.message).toBe(
      `${join(firefox, 'profiles.ini')} is damaged (line 3 ("this is not ini") is not a [section] or key=value line; ` +
        'line 4 ("???? ?") is not a [section] or key=value line; [Profile0] has no Path). ' +
        'The program may not find its profiles; CertAudit used what it could read and checked the profile folders it found on disk.',
    )
    await expect(listAll(ini, env)).rejects.toBeInstanceOf(StoreError)
  })

  it('reads an absolute profile path inside a disk image as the imaged machine saw it', async () => {
    const image = join(dir, 'image')
    const home = join(image, 'home/alice')
    writeIni(join(home, '.mozilla/firefox/profiles.ini'), {
      Profile0: { Name: 'on-image', IsRelative: '0', Path: '/home/alice/profiles/p1' },
      Profile1: { Name: 'host', IsRelative: '0', Path: '/srv/profiles/p2' },
    })
    copyDb(template, join(home, 'profiles/p1'))
    const env = createEnvironment({ home, systemRoot: image, env: {} })
    expect(shape((await nssStore.discover(env)) as NssLocation[])).toEqual([
      { id: `nss:${join(home, 'profiles/p1')}`, location: join(home, 'profiles/p1'), note: 'Firefox profile on-image', problem: undefined },
      { id: `nss:${join(image, 'srv/profiles/p2')}`, location: join(image, 'srv/profiles/p2'), note: 'Firefox profile host', problem: 'nss-outside-home' },
    ])
  })

  it('finds nothing, and fails nothing, in an empty home or on macOS and Windows', async () => {
    const home = join(dir, 'empty-home')
    mkdirSync(home)
    expect(await nssStore.discover(createEnvironment({ home, env: {} }))).toEqual([])
    copyDb(template, join(home, '.pki/nssdb'))
    expect(await nssStore.discover(createEnvironment({ home, env: {}, platform: 'darwin' }))).toEqual([])
  })

  // Root reads everything, so as root the probe runs as the unprivileged user "nobody" (from a copy it can read).
  it.skipIf(CANNOT_DENY)(`reports an unreadable profile folder and database${CANNOT_DENY ? ` (skipped: ${CANNOT_DENY})` : ''}`, async () => {
    const home = join(dir, 'home3')
    const firefox = join(home, '.mozilla/firefox')
    copyDb(template, join(firefox, 'p.default'))
    copyDb(template, join(home, '.pki/nssdb'))
    chmodSync(firefox, 0o000)
    chmodSync(join(home, '.pki/nssdb/cert9.db'), 0o000)
    const store = fileURLToPath(new URL('../../../src/stores/nss/index.ts', import.meta.url))
    const environment = fileURLToPath(new URL('../../../src/stores/shared/environment.ts', import.meta.url))
    const probe = await readableBundle(
      `import { createEnvironment } from ${JSON.stringify(environment)}\nimport { nssStore } from ${JSON.stringify(store)}\n` +
        'const env = createEnvironment({ home: process.argv[2], env: {} })\nconst out = []\n' +
        'for (const location of await nssStore.discover(env)) {\n' +
        '  try { for await (const item of nssStore.list(location, env)) out.push([location.location, item.type]) }\n' +
        '  catch (error) { out.push([location.location, error.code, error.message]) }\n}\nconsole.log(JSON.stringify(out))\n',
    )
    chmodSync(dir, 0o755)
    const [command, args] = nodeCommand(probe, [home])
    const { stdout } = await promisify(execFile)(command, args)
    expect(JSON.parse(stdout)).toEqual([
      [firefox, 'eacces', `CertAudit is not allowed to read ${firefox} (permission denied). The Firefox profiles in it were not checked.`],
      [join(home, '.pki/nssdb'), 'eacces', `CertAudit is not allowed to read ${join(home, '.pki/nssdb/cert9.db')} (permission denied).`],
    ])
    chmodSync(firefox, 0o755)
  })
})
