/**
 * Bad input for Firefox profile discovery: profiles.ini and installs.ini of random text, of
 * near-valid lines (sections, keys, `..` and absolute paths, NUL, control characters, very long
 * lines), parsed alone and read by the whole discovery in a temp home. Nothing throws, every place
 * that cannot be used is a problem with a code and a message, no file takes a second.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { findMozillaProfiles, parseIni } from '../../src/stores/nss/profiles.js'
import { nssStore } from '../../src/stores/nss/index.js'
import { tempDir } from '../support/temp.js'
import { FUZZ_TIMEOUT_MS, runs, withinASecond, withinASecondAsync } from './fuzz-support.js'

/** Lines a profiles.ini is made of, right and wrong. */
const line = fc.oneof(
  fc.constantFrom('[Profile0]', '[Profile1]', '[General]', '[Install4F96D1932A9F858E]', '[', ']', '[]', 'IsRelative=1', 'IsRelative=0', 'IsRelative=2', 'Default=1', 'Name=default', ''),
  fc.constantFrom('Path=', 'Path=a1.default', 'Path=../../../../etc', 'Path=/etc/ssl', 'Path=/', 'Path=.', 'Path=a\u0000b', 'Path=C:\\Users\\x', 'Default=../x', 'Default=/tmp'),
  fc.string({ maxLength: 40 }).map((s) => `Path=${s}`),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.tuple(fc.constantFrom(' ', '\t', 'a', '=', '['), fc.integer({ min: 1000, max: 60_000 })).map(([c, n]) => `a${c.repeat(n)}b`),
)
const iniText = fc.tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol))

describe('fuzz: profiles.ini', () => {
  it('parseIni never throws and says what is wrong line by line, in under a second', () => {
    fc.assert(
      fc.property(fc.oneof(iniText, fc.string({ unit: 'binary', maxLength: 2000 })), (text) => {
        const { sections, errors } = withinASecond(() => parseIni(text), 'parseIni')
        expect(sections).toBeInstanceOf(Map)
        for (const error of errors) expect(error).toMatch(/^line \d+ \(".*"\) is not a \[section\] or key=value line$/s)
      }),
      { numRuns: runs(500) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('a line of a million spaces without "=" is read in under a second (it once took minutes)', () => {
    withinASecond(() => parseIni(`[Profile0]\na${' '.repeat(1_000_000)}b\n`), 'parseIni of a 1 MB line')
  })

  it('discovery on random profiles.ini and installs.ini files: profiles or structured problems, never an exception', async () => {
    const home = tempDir('certaudit-fuzz-ini-')
    const root = join(home, '.mozilla/firefox')
    mkdirSync(join(root, 'a1.default'), { recursive: true })
    writeFileSync(join(root, 'a1.default/cert9.db'), '')
    const env = createEnvironment({ home, systemRoot: join(home, 'no-system'), env: {}, platform: 'linux' })
    await fc.assert(
      fc.asyncProperty(iniText, iniText, async (profiles, installs) => {
        writeFileSync(join(root, 'profiles.ini'), profiles)
        writeFileSync(join(root, 'installs.ini'), installs)
        const found = await withinASecondAsync(() => findMozillaProfiles(env), 'findMozillaProfiles')
        for (const candidate of found) {
          expect(typeof candidate.dir).toBe('string')
          if (candidate.problem) expect(candidate.problem).toMatchObject({ code: expect.stringMatching(/^[a-z0-9-]+$/), message: expect.any(String) })
        }
        const locations = await withinASecondAsync(() => nssStore.discover(env), 'nssStore.discover')
        expect(locations.map((l) => l.kind).every((k) => k === 'nss')).toBe(true)
      }),
      { numRuns: runs(60) },
    )
  }, FUZZ_TIMEOUT_MS)
})
