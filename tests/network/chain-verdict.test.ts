import { X509Certificate } from 'node:crypto'
import { rootCertificates } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { judgeChain } from '../../src/network/chain-verdict.js'
import { mozillaAnchors, trustAnchorsFrom } from '../../src/network/trust-anchors.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { makeCa, makeLeaf } from '../support/tls-servers.js'
import { blocklistWith } from '../support/blocklists.js'

// A "public" PKI (its root stands in for the Mozilla set: no test can hold a real public root's key)
// and a look-alike of Kazakhstan's 2019 interception CA.
const publicRoot = makeCa([['C', 'US'], ['O', 'Test Public Trust'], ['CN', 'Test Public Root R1']])
const publicIntermediate = makeCa([['C', 'US'], ['O', 'Test Public Trust'], ['CN', 'Test Public TLS CA 1']], publicRoot)
const qaznet = makeCa([['C', 'KZ'], ['CN', 'Qaznet Trust Network']])
const anchors = trustAnchorsFrom('test public roots', [publicRoot.cert.pem])
const blocklist = loadBlocklist()
const now = new Date()
const judge = (chain: Buffer[], options: { host?: string; list?: typeof blocklist } = {}) =>
  judgeChain(chain, { host: options.host ?? 'google.com', anchors, blocklist: options.list ?? blocklist, now })

describe('judging a presented chain', () => {
  const leaf = makeLeaf('google.com', publicIntermediate)

  it('ok when the chain stops below a public root that signed its top (how servers send it)', () => {
    const result = judge([leaf.der, publicIntermediate.cert.der])
    expect(result).toMatchObject({
      verdict: 'ok',
      linkedLength: 2,
      anchor: { how: 'signed-by-root', sha256: publicRoot.cert.sha256, subject: 'CN=Test Public Root R1,O=Test Public Trust,C=US' },
      issuingCa: { name: 'Test Public Root R1' },
      blocklistEntry: null,
      warnings: [],
    })
    expect(result.chain.map((c) => c.sha256)).toEqual([leaf.sha256, publicIntermediate.cert.sha256])
  })

  it('ok when the public root is in the chain', () => {
    expect(judge([leaf.der, publicIntermediate.cert.der, publicRoot.cert.der])).toMatchObject({
      verdict: 'ok',
      anchor: { how: 'in-chain' },
      linkedLength: 3,
    })
  })

  it('intercepted, naming the CA and the blocklist entry, for a look-alike Qaznet chain', () => {
    const fake = makeLeaf('google.com', qaznet)
    const result = judge([fake.der, qaznet.cert.der])
    expect(result).toMatchObject({
      verdict: 'intercepted',
      anchor: null,
      issuingCa: { name: 'Qaznet Trust Network', subject: 'CN=Qaznet Trust Network,C=KZ' },
      blocklistEntry: { id: 'kz-qaznet-2016', matchedBy: 'name', category: 'government-interception' },
    })
    expect(result.chain[1]).toMatchObject({ publicRoot: false, selfSigned: true, blocklistEntry: { id: 'kz-qaznet-2016' } })
  })

  it('a public root appended to a forged chain counts for nothing: it must have signed the certificate below it', () => {
    const fake = makeLeaf('google.com', qaznet)
    const result = judge([fake.der, qaznet.cert.der, publicRoot.cert.der])
    expect(result).toMatchObject({ verdict: 'intercepted', linkedLength: 2, anchor: null, issuingCa: { name: 'Qaznet Trust Network' } })
  })

  it('a leaf whose signature does not verify does not reach the root, even with the right names', () => {
    const tampered = Buffer.from(leaf.der)
    tampered[tampered.length - 1]! ^= 0xff // the last byte is inside the signature
    expect(judge([tampered, publicIntermediate.cert.der])).toMatchObject({ verdict: 'intercepted', linkedLength: 1, anchor: null })
  })

  it('a leaf made out for another name is ok by its chain, with a warning', () => {
    expect(judge([makeLeaf('other.example', publicIntermediate).der, publicIntermediate.cert.der])).toMatchObject({
      verdict: 'ok',
      warnings: ['name-mismatch'],
    })
  })

  it('a blocklisted certificate in a publicly anchored chain is interception (a misissued intermediate)', () => {
    const list = blocklistWith(publicIntermediate.cert, { id: 'test-misissued', category: 'misissued', severity: 'high' })
    expect(judge([leaf.der, publicIntermediate.cert.der], { list })).toMatchObject({
      verdict: 'intercepted',
      anchor: { how: 'signed-by-root' },
      blocklistEntry: { id: 'test-misissued', matchedBy: 'sha256' },
    })
  })

  it('names the issuer of the top certificate when the interceptor leaves its root out', () => {
    const iscaRoot = makeCa([['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']])
    const iscaIntermediate = makeCa([['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority CA']], iscaRoot)
    const result = judge([makeLeaf('google.com', iscaIntermediate).der, iscaIntermediate.cert.der])
    expect(result).toMatchObject({
      verdict: 'intercepted',
      issuingCa: { name: 'Information Security Certification Authority', subject: 'CN=Information Security Certification Authority,O=ISCA,C=KZ' },
      blocklistEntry: { matchedBy: 'name' },
    })
    expect(result.blocklistEntry!.id).toMatch(/^kz-isca/)
  })

  it("recognises the roots of Node's Mozilla set, the default reference", () => {
    const real = new X509Certificate(rootCertificates[0]!)
    const result = judgeChain([real.raw], { host: 'google.com', anchors: mozillaAnchors(), blocklist, now })
    expect(result).toMatchObject({ verdict: 'ok', anchor: { how: 'in-chain' }, warnings: expect.arrayContaining(['name-mismatch']) })
    expect(mozillaAnchors().certificates.length).toBe(rootCertificates.length)
  })

  it('an Ed25519 or RSA chain is checked the same way', () => {
    const rsaRoot = makeKey({ type: 'rsa' })
    const root = makeCertificate({ subject: [['CN', 'Test RSA Root']], key: rsaRoot })
    const edLeaf = makeCertificate({ subject: [['CN', 'google.com']], issuer: [['CN', 'Test RSA Root']], issuerKey: rsaRoot, key: makeKey({ type: 'ed25519' }), ca: false })
    const result = judgeChain([edLeaf.der], { host: 'google.com', anchors: trustAnchorsFrom('rsa', [root.pem]), blocklist, now })
    expect(result).toMatchObject({ verdict: 'ok', anchor: { how: 'signed-by-root', sha256: root.sha256 } })
  })
})
