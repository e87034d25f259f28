import { describe, expect, it } from 'vitest'
import { cutCertificate } from '../../../src/stores/chromium-policy/edit.js'
import { TRUSTING_POLICIES } from '../../../src/stores/chromium-policy/policies.js'
import { makeCertificate } from '../../support/certificates.js'

const bad = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keep = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Root']] })
const other = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Second Root']] })
const b64 = (c: { der: Buffer }) => c.der.toString('base64')
const cut = (text: string, from = TRUSTING_POLICIES) => cutCertificate(Buffer.from(text), bad.sha256, from)?.toString() ?? null

describe('cutting one certificate out of a policy file', () => {
  it('takes the item and one separator, every other byte kept (comments, order, spacing)', () => {
    const text = `{\n  // corp\n  "CACertificates": [\n    "${b64(keep)}", // keep me\n    "${b64(bad)}",\n    "${b64(other)}"\n  ],\n  "Other": 1\n}\n`
    expect(cut(text)).toBe(`{\n  // corp\n  "CACertificates": [\n    "${b64(keep)}", // keep me\n    "${b64(other)}"\n  ],\n  "Other": 1\n}\n`)
  })

  it('one per line: takes its whole line; the last one takes the comma of the item now last, never a comment', () => {
    expect(cut(`{"CACertificates": [\n  "${b64(keep)}", // keep\n  "${b64(bad)}"\n]}`)).toBe(`{"CACertificates": [\n  "${b64(keep)}" // keep\n]}`)
    expect(cut(`{"CACertificates": [\n  "${b64(bad)}",\r\n  "${b64(keep)}"\n]}`)).toBe(`{"CACertificates": [\n  "${b64(keep)}"\n]}`)
  })

  it('at the end of a list, takes the separator before it; alone in a list, leaves the brackets', () => {
    expect(cut(`{"CACertificates": ["${b64(keep)}", "${b64(bad)}"]}`)).toBe(`{"CACertificates": ["${b64(keep)}"]}`)
    expect(cut(`{"CACertificates": ["${b64(keep)}", "${b64(bad)}",]}`)).toBe(`{"CACertificates": ["${b64(keep)}",]}`)
    expect(cut(`{"CACertificates": [ "${b64(bad)}", ]}`)).toBe('{"CACertificates": [  ]}')
  })

  it('takes runs of it, and every trusting policy that lists it, as objects with constraints too', () => {
    const text = JSON.stringify(
      {
        CACertificates: [b64(bad), b64(bad), b64(keep), b64(bad)],
        CACertificatesWithConstraints: [{ certificate: b64(bad), constraints: { permitted_dns_names: ['example.org'] } }, { certificate: b64(keep), constraints: { permitted_cidrs: ['10.0.0.0/8'] } }],
        CADistrustedCertificates: [b64(bad)],
        CAHintCertificates: [b64(bad)],
      },
      null,
      2,
    )
    const after = JSON.parse(cut(text)!) as Record<string, unknown[]>
    expect(after.CACertificates).toEqual([b64(keep)])
    expect(after.CACertificatesWithConstraints).toEqual([{ certificate: b64(keep), constraints: { permitted_cidrs: ['10.0.0.0/8'] } }])
    // A distrust stays; a path-building hint goes only when asked to (delete).
    expect(after.CADistrustedCertificates).toEqual([b64(bad)])
    expect(after.CAHintCertificates).toEqual([b64(bad)])
    expect((JSON.parse(cut(text, [...TRUSTING_POLICIES, 'CAHintCertificates'])!) as Record<string, unknown[]>).CAHintCertificates).toEqual([])
  })

  it('finds it however it is written: line-wrapped base64, escaped slashes', () => {
    const wrapped = b64(bad).replace(/(.{64})/g, '$1\\n').replaceAll('/', '\\/')
    expect(cut(`{"CACertificates": ["${wrapped}", "${b64(keep)}"]}`)).toBe(`{"CACertificates": ["${b64(keep)}"]}`)
  })

  it('gives null when there is nothing to cut, or the file is not one the browser can read', () => {
    expect(cut(`{"CACertificates": ["${b64(keep)}"], "CADistrustedCertificates": ["${b64(bad)}"]}`)).toBeNull()
    expect(cut(`{"CACertificates": ["${b64(bad)}"`)).toBeNull()
  })
})
