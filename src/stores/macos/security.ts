/**
 * Reads macOS keychains and trust settings with `security`, Apple's own tool (`man security`):
 * - `security find-certificate -a -Z -p KEYCHAIN` prints every certificate as a "SHA-256 hash:" line
 *   and a "SHA-1 hash:" line (older systems print the SHA-1 line only) followed by its PEM. It runs on
 *   a private copy of the keychain file, never the live one, which the system keeps open.
 * - `security trust-settings-export [-d] FILE` writes the user's (or, with -d, the admin) trust
 *   settings as an XML plist (trust-settings.ts). A domain without any prints "No Trust Settings were
 *   found." and exits 1: that is an empty domain, not a failure.
 * Both hashes printed by the tool are checked against the PEM that follows them; output that is cut
 * short or is not in this shape becomes a problem with the command that printed it.
 */
import { writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { identify } from '../../audit/certificate.js'
import { fileError, readRegularFile } from '../shared/regular-file.js'
import type { Environment } from '../shared/environment.js'
import { formatCommand } from '../shared/command-text.js'
import { parseTrustExport, type TrustSettings } from './trust-settings.js'
import { StoreError } from '../types.js'
import { withTempDir } from '../shared/temp-files.js'

/** `security` by its absolute path: the one Apple ships, whatever PATH holds. */
export const SECURITY = '/usr/bin/security'

export interface KeychainCertificate {
  readonly der: Uint8Array
  readonly sha256: string
  /** Upper-case SHA-1, as `security` prints it and `delete-certificate -Z` takes it. */
  readonly sha1: string
}

export interface KeychainReading {
  readonly certificates: readonly KeychainCertificate[]
  readonly problems: readonly { readonly code: string; readonly message: string }[]
}

/** A login keychain is a few MB even with thousands of items. */
const MAX_KEYCHAIN_BYTES = 512 * 1024 * 1024

/** errSecItemNotFound, which find-certificate reports (exit code 44) for a keychain without certificates. */
const NOT_FOUND = /could not be found in the keychain/

/**
 * Every certificate in the keychain at `path`, read from a private copy. Throws {@link StoreError}
 * when the keychain cannot be copied or `security` cannot read it at all.
 */
export function readKeychain(env: Environment, path: string): Promise<KeychainReading> {
  return withTempDir('keychain', async (folder) => {
    const copy = join(folder, basename(path))
    try {
      // Read through the one reader (a regular file, bounded), never copyFile: it would wait on a FIFO and never end on a device.
      await writeFile(copy, await readRegularFile(path, { maxBytes: MAX_KEYCHAIN_BYTES, what: 'keychain' }), { mode: 0o600 })
    } catch (error) {
      throw fileError(path, error)
    }
    const args = ['find-certificate', '-a', '-Z', '-p', copy]
    const shown = formatCommand([SECURITY, ...args.slice(0, -1), path])
    const result = await env.run(SECURITY, args)
    if (result.spawnError) throw new StoreError('macos-security-missing', `${SECURITY} could not be started (${result.spawnError}), so ${path} could not be read.`)
    const stdout = result.stdout.toString('utf8')
    if (result.exitCode !== 0) {
      if (stdout.trim() === '' && NOT_FOUND.test(result.stderr)) return { certificates: [], problems: [] }
      throw new StoreError('macos-security-failed', `security could not read ${path} (exit code ${result.exitCode}): ${result.stderr.trim() || 'it printed nothing'}. Command: ${shown}`)
    }
    return parseFindCertificate(stdout, shown)
  })
}

/** Splits find-certificate's output into certificates, checking each against the hashes printed before it. */
export function parseFindCertificate(text: string, shown: string): KeychainReading {
  const certificates: KeychainCertificate[] = []
  const problems: { code: string; message: string }[] = []
  const lines = text.split(/\r?\n/)
  let pending: { sha256?: string; sha1?: string } = {}
  let unexpected = 0
  const truncated = (what: string) => problems.push({ code: 'macos-truncated-output', message: `The output of "${shown}" ${what}: it may have been cut short, so a certificate may be missing from this list.` })
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    const hash = /^SHA-(256|1) hash: ([0-9A-Fa-f]+)$/.exec(line)
    if (hash) {
      const key = hash[1] === '256' ? 'sha256' : 'sha1'
      if (pending[key] !== undefined) {
        truncated(`has a certificate hash (${pending[key]}) without its certificate`)
        pending = {}
      }
      pending[key] = hash[2]!.toLowerCase()
      continue
    }
    if (line === '') continue
    if (line !== '-----BEGIN CERTIFICATE-----') {
      unexpected++
      continue
    }
    const end = lines.findIndex((l, j) => j > i && l.trim() === '-----END CERTIFICATE-----')
    if (end < 0) {
      truncated('ends inside a certificate')
      pending = {}
      break
    }
    const body = lines.slice(i + 1, end).join('')
    i = end
    const expected = pending
    pending = {}
    let identity: ReturnType<typeof identify>
    let der: Uint8Array
    try {
      if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) throw new Error('its PEM is not base64')
      der = new Uint8Array(Buffer.from(body, 'base64'))
      identity = identify(der)
    } catch (error) {
      problems.push({ code: 'macos-bad-certificate', message: `A certificate printed by "${shown}" is damaged (${(error as Error).message}); it was skipped.` })
      continue
    }
    if ((expected.sha256 && expected.sha256 !== identity.sha256) || (expected.sha1 && expected.sha1 !== identity.sha1)) {
      problems.push({ code: 'macos-hash-mismatch', message: `"${shown}" printed the hash ${expected.sha256 ?? expected.sha1} for a certificate whose hash is ${identity.sha256}; the output is inconsistent, so it was skipped.` })
      continue
    }
    certificates.push({ der, sha256: identity.sha256, sha1: identity.sha1.toUpperCase() })
  }
  if (pending.sha256 !== undefined || pending.sha1 !== undefined) truncated('ends with a certificate hash but no certificate')
  if (unexpected > 0) problems.push({ code: 'macos-unexpected-output', message: `"${shown}" printed ${unexpected} line(s) that are neither a certificate hash nor part of a certificate; they were ignored.` })
  return { certificates, problems }
}

/** The user's and the admin trust settings (the system domain's are implied by the System Roots keychain). */
export interface TrustReading {
  readonly user: TrustSettings
  readonly admin: TrustSettings
}

/** errSecNoTrustSettings, as cssmPerror prints it. */
const NO_TRUST_SETTINGS = /No Trust Settings were found/

/** Both domains' trust settings. Throws {@link StoreError} when either cannot be read. */
export async function readTrustSettings(env: Environment): Promise<TrustReading> {
  const [user, admin] = await Promise.all([exportDomain(env, 'user'), exportDomain(env, 'admin')])
  return { user, admin }
}

function exportDomain(env: Environment, domain: 'user' | 'admin'): Promise<TrustSettings> {
  return withTempDir('trust', async (folder) => {
    const file = join(folder, `${domain}.plist`)
    const args = ['trust-settings-export', ...(domain === 'admin' ? ['-d'] : []), file]
    const shown = formatCommand([SECURITY, ...args])
    const result = await env.run(SECURITY, args)
    if (result.spawnError) throw new StoreError('macos-security-missing', `${SECURITY} could not be started (${result.spawnError}), so the ${domain} trust settings could not be read.`)
    if (result.exitCode !== 0) {
      if (NO_TRUST_SETTINGS.test(result.stderr)) return new Map()
      throw new StoreError('macos-trust-unreadable', `security could not export the ${domain} trust settings (exit code ${result.exitCode}): ${result.stderr.trim() || 'it printed nothing'}. Command: ${shown}`)
    }
    try {
      return parseTrustExport((await readRegularFile(file, { maxBytes: 256 * 1024 * 1024, noFollow: true, what: 'trust settings export' })).toString('utf8'))
    } catch (error) {
      throw new StoreError('macos-bad-trust-settings', `The ${domain} trust settings exported by "${shown}" could not be read: ${(error as Error).message}.`)
    }
  })
}
