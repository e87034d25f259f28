import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkNewer, decodeSignature, parsePublicKeys, projectSigningKeys, SIGNING_KEY_PATH, verifySignedBlocklist } from '../../src/audit/blocklist-signature.js'
import { bundledDocument, makeSigningKey } from '../support/blocklists.js'

const key = makeSigningKey()
const otherKey = makeSigningKey()
const bytes = Buffer.from(JSON.stringify(bundledDocument()))
const signed = (data: Buffer, by = key) => sign(null, data, by.privateKey).toString('base64')

describe('the project key shipped in resources/', () => {
  it('is one Ed25519 public key, and no private key is shipped', () => {
    const text = readFileSync(SIGNING_KEY_PATH, 'utf8')
    expect(text).not.toMatch(/PRIVATE/)
    expect(projectSigningKeys()).toHaveLength(1)
    expect(projectSigningKeys()[0]!.asymmetricKeyType).toBe('ed25519')
  })

  it('refuses a key file with no key or a key of another type', () => {
    expect(() => parsePublicKeys('nothing here')).toThrow('no "PUBLIC KEY" PEM block found')
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string
    expect(() => parsePublicKeys(rsa)).toThrow('a rsa key is not an Ed25519 key')
  })
})

describe('verifySignedBlocklist', () => {
  it('accepts the exact bytes signed by a trusted key, with either of several keys', () => {
    const result = verifySignedBlocklist(bytes, signed(bytes) + '\n', [otherKey.publicKey, key.publicKey])
    expect(result.ok).toBe(true)
    expect(result.ok && result.blocklist.entries.length).toBeGreaterThan(50)
    expect(result.ok && result.text).toBe(bytes.toString('utf8'))
  })

  it('refuses, each with a clear message: no signature, a malformed one, a changed byte, another key', () => {
    expect(verifySignedBlocklist(bytes, null, [key.publicKey], 'list.json')).toEqual({
      ok: false,
      error: { code: 'missing-signature', message: 'list.json has no signature file (list.json.sig): it cannot be trusted and was not used.' },
    })
    expect(verifySignedBlocklist(bytes, 'not base64!', [key.publicKey])).toMatchObject({ ok: false, error: { code: 'malformed-signature' } })
    expect(verifySignedBlocklist(bytes, Buffer.alloc(32).toString('base64'), [key.publicKey])).toMatchObject({ ok: false, error: { code: 'malformed-signature' } })
    const tampered = Buffer.from(bytes)
    tampered[100] = tampered[100]! ^ 1
    expect(verifySignedBlocklist(tampered, signed(bytes), [key.publicKey])).toMatchObject({
      ok: false,
      error: { code: 'bad-signature', message: expect.stringContaining('the list was changed after it was signed, or it was signed with another key') },
    })
    expect(verifySignedBlocklist(bytes, signed(bytes, otherKey), [key.publicKey])).toMatchObject({ ok: false, error: { code: 'bad-signature' } })
  })

  it('refuses a signed file that is not a valid list (checked only after the signature)', () => {
    const broken = Buffer.from('{"version": 1}')
    expect(verifySignedBlocklist(broken, signed(broken), [key.publicKey])).toMatchObject({
      ok: false,
      error: { code: 'invalid-list', message: expect.stringContaining('does not match its schema') },
    })
    const notUtf8 = Buffer.concat([bytes.subarray(0, 10), Buffer.from([0xff]), bytes.subarray(10)])
    expect(verifySignedBlocklist(notUtf8, signed(notUtf8), [key.publicKey])).toMatchObject({ ok: false, error: { code: 'invalid-list' } })
  })

  it('decodes only 64-byte base64 signatures', () => {
    expect(decodeSignature(`  ${Buffer.alloc(64, 7).toString('base64')}\n`)).toEqual(Buffer.alloc(64, 7))
    expect(decodeSignature(Buffer.alloc(65).toString('base64'))).toBeNull()
  })
})

describe('checkNewer: no downgrades', () => {
  it('needs a higher version and a date no earlier than the list in use', () => {
    expect(checkNewer({ version: 3, updated: '2027-01-01' }, { version: 2, updated: '2026-12-01' })).toEqual({ ok: true })
    expect(checkNewer({ version: 3, updated: '2026-12-01' }, { version: 2, updated: '2026-12-01' })).toEqual({ ok: true })
    expect(checkNewer({ version: 2, updated: '2027-01-01' }, { version: 2, updated: '2026-12-01' })).toMatchObject({ ok: false, message: expect.stringContaining('is not newer than the one in use (version 2 of 2026-12-01)') })
    expect(checkNewer({ version: 1, updated: '2027-01-01' }, { version: 2, updated: '2026-12-01' })).toMatchObject({ ok: false, code: 'downgrade' })
    expect(checkNewer({ version: 3, updated: '2026-01-01' }, { version: 2, updated: '2026-12-01' })).toMatchObject({ ok: false, message: expect.stringContaining('is dated before the one in use') })
  })
})
