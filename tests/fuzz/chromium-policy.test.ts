/**
 * Bad input for the Chromium policy readers and editor: any JSON document (written with any spacing)
 * reads as JSON.parse reads it; damaged policy files and property lists answer or fail with
 * StoreError / PlistError, never another error, and within a second; cutting a root out of a damaged
 * file gives null or a file that no longer trusts it and lists every other certificate as before.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cutCertificate, occurrences } from '../../src/stores/chromium-policy/edit.js'
import { policyItems, TRUSTING_POLICIES } from '../../src/stores/chromium-policy/policies.js'
import { parsePolicyJson, PolicyJsonError, plainValue, type PlainValue } from '../../src/stores/chromium-policy/policy-json.js'
import { jsonPolicies, plistPolicies } from '../../src/stores/chromium-policy/read.js'
import { readPlist } from '../../src/stores/shared/binary-plist.js'
import { PlistError } from '../../src/stores/shared/plist.js'
import { StoreError } from '../../src/stores/types.js'
import { makeCertificate } from '../support/certificates.js'
import { CANNOT_WRITE_PLISTS, writePlist } from '../support/plists.js'
import { tempDir } from '../support/temp.js'
import { expectStructured, FUZZ_TIMEOUT_MS, mutate, mutations, runs, withinASecond } from './fuzz-support.js'

const bad = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keep = makeCertificate({ subject: [['O', 'Example'], ['CN', 'Keep']] })
const b64 = (c: { der: Buffer }) => c.der.toString('base64')
const POLICY = Buffer.from(`{
  // comment
  "CACertificates": ["${b64(keep)}", "${b64(bad)}",],
  "CACertificatesWithConstraints": [{"certificate": "${b64(bad)}", "constraints": {"permitted_dns_names": ["kz"]}}],
  "CADistrustedCertificates": ["${b64(keep)}"],
  "CAHintCertificates": ["${b64(bad)}"]
}`)

/** A plain value as JSON.parse would give it (Maps as objects). */
function asJson(value: PlainValue): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, asJson(v)]))
  if (Array.isArray(value)) return value.map(asJson)
  return value
}

describe('Chromium policy files, fuzzed', () => {
  it('reads any JSON document exactly as JSON.parse does, whatever the spacing', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 0, 2, '\t', ' \n '), (value, space) => {
        const text = JSON.stringify(value, null, space as string | number | undefined)
        expect(asJson(plainValue(parsePolicyJson(Buffer.from(text))))).toEqual(JSON.parse(text))
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('a damaged policy file reads or fails with StoreError, within a second', () => {
    fc.assert(
      fc.property(mutations, (damage) => {
        const bytes = mutate(POLICY, damage)
        try {
          withinASecond(() => [...policyItems(jsonPolicies(bytes, '/p.json').policies, '/p.json')], 'reading a damaged policy file')
        } catch (error) {
          expectStructured(error, [StoreError], 'reading a damaged policy file')
        }
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('cutting a root out of a damaged file gives null, or a file that no longer trusts it and keeps everything else', () => {
    fc.assert(
      fc.property(mutations, (damage) => {
        const bytes = mutate(POLICY, damage)
        const cut = withinASecond(() => cutCertificate(bytes, bad.sha256, TRUSTING_POLICIES), 'cutting')
        if (!cut) return
        const before = occurrences(parsePolicyJson(bytes), keep.sha256).map((o) => o.policy)
        const after = parsePolicyJson(cut)
        expect(occurrences(after, bad.sha256).filter((o) => TRUSTING_POLICIES.includes(o.policy))).toEqual([])
        expect(occurrences(after, keep.sha256).map((o) => o.policy)).toEqual(before)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('text that is not JSON at all fails with PolicyJsonError, within a second', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          withinASecond(() => parsePolicyJson(bytes), 'parsing random bytes')
        } catch (error) {
          expectStructured(error, [PolicyJsonError], 'parsing random bytes')
        }
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)
})

describe.skipIf(CANNOT_WRITE_PLISTS !== null)(`preference files, fuzzed${CANNOT_WRITE_PLISTS ? ` (skipped: ${CANNOT_WRITE_PLISTS})` : ''}`, () => {
  const dir = tempDir()
  const value = { CACertificates: [b64(bad), b64(keep)], CACertificatesWithConstraints: [{ certificate: b64(bad), constraints: { permitted_cidrs: ['10.0.0.0/8'] } }], Other: { n: 1, d: { $data: 'AAEC' } } }
  const files = [readFileSync(writePlist(join(dir, 'b.plist'), value, 'binary')), readFileSync(writePlist(join(dir, 'x.plist'), value, 'xml'))]

  it('a damaged property list reads or fails with PlistError / StoreError, within a second', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), mutations, (file, damage) => {
        const bytes = mutate(file, damage)
        try {
          withinASecond(() => readPlist(bytes), 'reading a damaged property list')
        } catch (error) {
          expectStructured(error, [PlistError], 'reading a damaged property list')
        }
        try {
          withinASecond(() => [...policyItems(plistPolicies(bytes, '/p.plist'), '/p.plist')], 'reading its policies')
        } catch (error) {
          expectStructured(error, [StoreError], 'reading its policies')
        }
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)
})
