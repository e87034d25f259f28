/**
 * The blocklist against Chromium's block list as pinned in scripts/data/chromium-blocklist.json
 * (file names and bytes of net/data/ssl/blocklist, SPKI hashes of cert_verify_proc_blocklist.inc, with
 * the commits they were read at). Fails when a file has no entry or two, or when any hash disagrees
 * with the bytes: the coverage the README states is what this test measures.
 */
import { describe, expect, it } from 'vitest'
import { loadBlocklist, parseBlocklist } from '../../src/audit/blocklist.js'
import { entriesFor, loadPin, pinnedFiles, pinProblems } from '../../scripts/lib/chromium-pin.js'
import { bundledDocument } from '../support/blocklists.js'

const pin = loadPin()
const files = pinnedFiles(pin)
const blocklist = loadBlocklist()

describe("the pinned copy of Chromium's block list", () => {
  it('names its sources: the repository and the commits of the README and the .inc', () => {
    expect(pin.repository).toBe('https://chromium.googlesource.com/chromium/src')
    expect(pin.readme.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(pin.inc.commit).toMatch(/^[0-9a-f]{40}$/)
    // A file the Chromium index lacked was read from a copy of Chromium's tree, named with its commit.
    for (const file of files) expect(file.commit ?? file.copiedFrom ?? file.name, file.name).toMatch(/^[0-9a-f]{40}$|\/blob\/[0-9a-f]{40}\/net\/data\/ssl\/blocklist\//)
  })

  it('holds every file once, each with the bytes whose SHA-256 (of the certificate, or of its key) is its name', () => {
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length)
    const withoutBytes = files.filter((f) => !f.der && !f.spki).map((f) => f.name)
    expect(withoutBytes, `${withoutBytes.length} files have no bytes pinned`).toEqual([])
    for (const file of files) expect(file.namedBy, file.name).not.toBeNull()
    // Chromium names most files by the certificate's hash; these by the key's: a Kazakh root (issue 16
    // names it) and the 2019 revoked.badssl.com leaf.
    expect(files.filter((f) => f.kind === 'certificate' && f.namedBy === 'spkiSha256').map((f) => f.name)).toEqual([
      '3472e4f16c570e0dd388aaaa4a64a34a4b939f1ca770996b5be0037c1aded9c1.pem',
      'c6910d0ba9eddf593334149fedfe87385f37b625354bb4395c0ae2c8df48e17c.pem',
    ])
  })

  it("agrees with the .inc: every SPKI hash there is the key of the files it names", () => {
    const inc = [...pin.spkiBlockList, ...pin.knownInterceptionList]
    expect(pin.spkiBlockList.length).toBeGreaterThan(90)
    expect(pin.knownInterceptionList.length).toBe(11)
    for (const { spkiSha256, files: named } of inc) {
      for (const name of named) expect(files.find((f) => f.name === name)?.spkiSha256, name).toBe(spkiSha256)
    }
  })
})

describe('the bundled blocklist covers the pinned Chromium list', () => {
  it('every file has exactly one entry, whose hashes, CA key, blockedBy, severity and source agree with the bytes', () => {
    const problems = pinProblems(pin, blocklist)
    expect(problems).toEqual([])
    const covered = files.filter((f) => entriesFor(f, blocklist.entries).length === 1)
    expect(covered.length).toBe(files.length)
  })

  it('finds what is wrong: a missing entry, a second entry for one key, a hash that disagrees with the bytes', () => {
    const withDocument = (change: (entries: Record<string, unknown>[]) => void) => {
      const document = bundledDocument()
      change(document.entries)
      return pinProblems(pin, parseBlocklist(document))
    }
    // An entry no name pattern points at, so that taking it out leaves a list that still loads.
    const someCertificate = files.find((f) => f.kind === 'certificate' && f.der && entriesFor(f, blocklist.entries)[0]?.id.startsWith('chromium-'))!
    const someKey = files.find((f) => f.kind === 'key')!
    expect(withDocument((entries) => entries.splice(entries.findIndex((e) => e.sha256 === someCertificate.sha256), 1))).toContain(
      `${someCertificate.name} (${someCertificate.group}) has no entry`,
    )
    const keyEntry = () => bundledDocument().entries.find((e) => e.spkiSha256 === someKey.spkiSha256 && !e.sha256)!
    expect(withDocument((entries) => entries.push({ ...keyEntry(), id: 'a-second-entry' })).join('\n')).toMatch(new RegExp(`${someKey.name} has 2 entries`))
    const problems = withDocument((entries) => {
      const entry = entries.find((e) => e.sha256 === someCertificate.sha256)!
      entry.sha1 = '0'.repeat(40)
      entry.spkiSha256 = 'f'.repeat(64)
    })
    expect(problems.join('\n')).toMatch(/sha1 0{40} ≠/)
    expect(problems.join('\n')).toMatch(/spkiSha256 f{64} ≠/)
  })

  it('keeps each authority\'s public key, so what it issued can be proved', () => {
    const authorities = files.filter((f) => f.kind === 'key' || f.details?.isCA)
    expect(authorities.length).toBeGreaterThan(40)
    for (const file of authorities) {
      const [entry] = entriesFor(file, blocklist.entries)
      expect(entry?.spki, file.name).toBe(file.spki?.toString('base64'))
    }
  })
})
