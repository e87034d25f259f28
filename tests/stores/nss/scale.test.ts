/**
 * How the NSS reader scales (nss/read.ts, readNssDatabase 'auto'): certutil lists a database in time
 * quadratic in its size and exports one nickname per process, so the direct SQLite read does the
 * reading and certutil only confirms each certificate's nickname and trust in one listing; past
 * CERTUTIL_MAX_CERTIFICATES it is not run at all. The readings must not change.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { CERTUTIL_MAX_CERTIFICATES, readNssDatabase } from '../../../src/stores/nss/read.js'
import { benchCertificates } from '../../../scripts/lib/bench-certificates.js'
import { writeNssStore } from '../../../scripts/lib/bench-trees.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutilInstalled, makeNssDb, python3Installed, summarize } from './fixtures.js'

/** The real runner, recording every certutil command. */
function recording(): { run: CommandRunner; certutilCalls: string[][] } {
  const certutilCalls: string[][] = []
  return {
    certutilCalls,
    run: (command, args, options) => {
      if (command === 'certutil') certutilCalls.push([...args])
      return runCommand(command, args, options)
    },
  }
}

describe('NSS reader at scale', () => {
  if (!certutilInstalled) {
    it.skip(`skipped: ${CERTUTIL_ABSENT_REASON}`, () => {})
    return
  }
  const dir = tempDir('certaudit-nss-scale-')

  it('reads a profile with one certutil listing instead of one export per certificate, with the same result', async () => {
    const db = makeNssDb(join(dir, 'profile'), [
      { nickname: 'Trusted root', trust: 'C,,', cert: makeCertificate({ subject: [['CN', 'Trusted root']] }) },
      { nickname: 'Distrusted root', trust: 'p,p,p', cert: makeCertificate({ subject: [['CN', 'Distrusted root']] }) },
      { nickname: 'Plain', trust: ',,', cert: makeCertificate({ subject: [['CN', 'Plain']] }) },
    ])
    const { run, certutilCalls } = recording()
    const auto = await readNssDatabase(createEnvironment({ home: dir, env: {}, run }), db, 'auto')
    expect(certutilCalls).toEqual([['-L', '-d', expect.stringMatching(/^sql:.*certaudit-nss-/)]])
    const viaCertutil = await readNssDatabase(createEnvironment({ home: dir, env: {} }), db, 'certutil')
    expect(summarize(auto)).toEqual(summarize(viaCertutil))
    expect(auto.records.map((r) => [r.nickname, r.sslFlags])).toEqual([['Distrusted root', 'p'], ['Plain', ''], ['Trusted root', 'C']])
  })

  it("on Windows reads a Firefox profile without certutil, which there is Windows' own tool", async () => {
    const db = makeNssDb(join(dir, 'windows-profile'), [{ nickname: 'Trusted root', trust: 'C,,', cert: makeCertificate({ subject: [['CN', 'Trusted root']] }) }])
    const { run, certutilCalls } = recording()
    const reading = await readNssDatabase(createEnvironment({ platform: 'win32', home: dir, env: {}, run }), db, 'auto')
    expect(certutilCalls).toEqual([])
    expect(reading.records.map((r) => [r.nickname, r.sslFlags])).toEqual([['Trusted root', 'C']])
  })

  it.skipIf(!python3Installed)(`does not run certutil on a database of more than ${CERTUTIL_MAX_CERTIFICATES} certificates, and reads every one${python3Installed ? '' : ' (skipped: python3, which builds the database, is not installed)'}`, async () => {
    const count = CERTUTIL_MAX_CERTIFICATES + 1
    const ders = [...benchCertificates(count)].map((c) => c.der)
    const db = join(dir, 'big')
    writeNssStore(db, ders, dir)
    const { run, certutilCalls } = recording()
    const reading = await readNssDatabase(createEnvironment({ home: dir, env: {}, run }), db, 'auto')
    expect(certutilCalls).toEqual([])
    expect(reading.records).toHaveLength(count)
    expect(reading.problems).toEqual([])
    expect(reading.records.filter((r) => r.sslFlags === 'C').map((r) => r.nickname)).toEqual(['Bench CA 0000000'])
  }, 60_000)
})
