/**
 * Signed blocklist updates: a list is accepted only with a valid Ed25519 signature over its exact bytes
 * by the project's key, and only when it is newer than the list in use. Pure: the callers read the files.
 *
 * A release signs `roots-blocklist.json` into `roots-blocklist.json.sig` (base64 of the 64-byte
 * signature) with scripts/sign-blocklist.ts.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { readRegularFileSync } from '../stores/shared/regular-file.js'
import { BlocklistError, parseBlocklist, type Blocklist } from './blocklist.js'

/** The project's public key(s), shipped with the app. Several PEM blocks may be listed to rotate keys. */
export const SIGNING_KEY_PATH = fileURLToPath(new URL('../../resources/blocklist-signing-key.pub.pem', import.meta.url))

export type SignedListErrorCode = 'missing-signature' | 'malformed-signature' | 'bad-signature' | 'invalid-list'

export interface SignedListError {
  readonly code: SignedListErrorCode
  readonly message: string
}

export type Verified = { readonly ok: true; readonly blocklist: Blocklist; readonly text: string } | { readonly ok: false; readonly error: SignedListError }

/** Reads every Ed25519 public key of a PEM text. Throws when there is none or one is of another type. */
export function parsePublicKeys(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? []
  if (blocks.length === 0) throw new Error('no "PUBLIC KEY" PEM block found')
  return blocks.map((block) => {
    const key = createPublicKey(block)
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key is not an Ed25519 key`)
    return key
  })
}

let projectKeys: KeyObject[] | undefined

/** The keys release lists are signed with (resources/blocklist-signing-key.pub.pem). */
export function projectSigningKeys(): KeyObject[] {
  projectKeys ??= parsePublicKeys(readRegularFileSync(SIGNING_KEY_PATH, { maxBytes: 64 * 1024, what: 'public key file' }).toString('utf8'))
  return projectKeys
}

/** Decodes a .sig file: base64 of a 64-byte Ed25519 signature, surrounding whitespace allowed. */
export function decodeSignature(text: string): Buffer | null {
  const compact = text.trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null
  const bytes = Buffer.from(compact, 'base64')
  return bytes.length === 64 ? bytes : null
}

/**
 * Checks the signature over `bytes` first (nothing of an unsigned list is parsed), then that the list is
 * UTF-8 JSON that passes the schema and the duplicate checks. `signatureText` is null when the .sig is missing.
 */
export function verifySignedBlocklist(bytes: Uint8Array, signatureText: string | null, keys: readonly KeyObject[], name = 'the list'): Verified {
  const Name = name.startsWith('the ') ? `The ${name.slice(4)}` : name // a sentence may start with it; a file name keeps its case
  if (signatureText === null) {
    return { ok: false, error: { code: 'missing-signature', message: `${Name} has no signature file (${name}.sig): it cannot be trusted and was not used.` } }
  }
  const signature = decodeSignature(signatureText)
  if (!signature) {
    return { ok: false, error: { code: 'malformed-signature', message: `The signature of ${name} is not a base64 Ed25519 signature (64 bytes).` } }
  }
  if (!keys.some((key) => verify(null, bytes, key, signature))) {
    return {
      ok: false,
      error: {
        code: 'bad-signature',
        message: `The signature of ${name} does not match: the list was changed after it was signed, or it was signed with another key than CertAudit's. It is refused.`,
      },
    }
  }
  let text: string
  let blocklist: Blocklist
  try {
    // Fatal decoding: the stored copy must round-trip to the very bytes that were signed.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
    blocklist = parseBlocklist(JSON.parse(text))
  } catch (error) {
    const detail = error instanceof BlocklistError || error instanceof SyntaxError ? error.message : String(error)
    return { ok: false, error: { code: 'invalid-list', message: `${Name} is signed but is not a valid blocklist: ${detail}` } }
  }
  return { ok: true, blocklist, text }
}

export interface ListVersion {
  readonly version: number
  readonly updated: string
}

/**
 * An update must raise the version and must not go back in time: an old, validly signed list replayed
 * by an attacker would otherwise hide the certificates added since.
 */
export function checkNewer(candidate: ListVersion, current: ListVersion): { ok: true } | { ok: false; code: 'downgrade'; message: string } {
  const describe = (l: ListVersion) => `version ${l.version} of ${l.updated}`
  if (candidate.version <= current.version) {
    return {
      ok: false,
      code: 'downgrade',
      message: `This list (${describe(candidate)}) is not newer than the one in use (${describe(current)}): refused, so an old list cannot replace a newer one.`,
    }
  }
  if (candidate.updated < current.updated) {
    return {
      ok: false,
      code: 'downgrade',
      message: `This list (${describe(candidate)}) is dated before the one in use (${describe(current)}): refused as a possible downgrade.`,
    }
  }
  return { ok: true }
}
