/**
 * Signs a roots blocklist for release: writes FILE.sig (base64 of the Ed25519 signature over FILE's exact
 * bytes), then checks the signature with the public key the app ships, so a list signed with the wrong key
 * never leaves the building.
 *
 *   CERTAUDIT_SIGNING_KEY_FILE=/secure/blocklist-signing-key.pem npx tsx scripts/sign-blocklist.ts resources/roots-blocklist.json
 *   CERTAUDIT_SIGNING_KEY="$(vault read -field=pem …)"            npx tsx scripts/sign-blocklist.ts FILE
 *
 * Options: --public-key PATH checks against another public key (default resources/blocklist-signing-key.pub.pem).
 *
 * How releases are signed:
 * 1. Raise `version` in the list and set `updated` to today: installs refuse a list that is not newer.
 * 2. Run this script on a machine that holds the private key (never in CI logs, never in the repository).
 * 3. Publish FILE and FILE.sig together; users run `certaudit blocklist install FILE`.
 *
 * The key pair was made with `openssl genpkey -algorithm ed25519 -out blocklist-signing-key.pem` and
 * `openssl pkey -in blocklist-signing-key.pem -pubout` (the latter is resources/blocklist-signing-key.pub.pem).
 * To rotate, append the new public key to that file, ship a release, then sign with the new key.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parseBlocklist } from '../src/audit/blocklist.js'
import { parsePublicKeys, SIGNING_KEY_PATH, verifySignedBlocklist } from '../src/audit/blocklist-signature.js'

/** A reason not to sign; printed without a stack trace. */
class Refusal extends Error {}

function fail(message: string): never {
  throw new Refusal(message)
}

function privateKey(): KeyObject {
  const pem = process.env.CERTAUDIT_SIGNING_KEY ?? (process.env.CERTAUDIT_SIGNING_KEY_FILE ? readFileSync(process.env.CERTAUDIT_SIGNING_KEY_FILE, 'utf8') : null)
  if (!pem) fail('set CERTAUDIT_SIGNING_KEY (the private key PEM) or CERTAUDIT_SIGNING_KEY_FILE (its path)')
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch (error) {
    fail(`the signing key is not a private key PEM: ${(error as Error).message}`)
  }
  if (key.asymmetricKeyType !== 'ed25519') fail(`the signing key is ${key.asymmetricKeyType}, not Ed25519`)
  return key
}

function signList(argv: string[]): string {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'public-key': { type: 'string' } } })
  const [file] = positionals
  if (!file || positionals.length > 1) fail('usage: sign-blocklist.ts [--public-key PATH] FILE')
  const bytes = readFileSync(file)
  try {
    parseBlocklist(JSON.parse(bytes.toString('utf8')))
  } catch (error) {
    fail(`${file} is not a valid blocklist, not signing it: ${(error as Error).message}`)
  }
  const signature = sign(null, bytes, privateKey()).toString('base64')
  const publicKeys = parsePublicKeys(readFileSync(values['public-key'] ?? SIGNING_KEY_PATH, 'utf8'))
  const check = verifySignedBlocklist(bytes, signature, publicKeys, file)
  if (!check.ok) fail(`${check.error.message} (is this the project's key? nothing was written)`)
  writeFileSync(`${file}.sig`, signature + '\n')
  return `Signed ${file} (version ${check.blocklist.version} of ${check.blocklist.updated}) → ${file}.sig\n`
}

try {
  process.stdout.write(signList(process.argv.slice(2)))
} catch (error) {
  process.stderr.write(`sign-blocklist: ${error instanceof Refusal ? error.message : String(error)}\n`)
  process.exitCode = 1
}
