/**
 * Reads an NSS database with NSS's own certutil (libnss3-tools / nss-tools), when it is installed:
 * NSS then applies its own rules (trust records, their MACs, schema versions) and we only read its
 * output. certutil -L prints nicknames and trust letters; -L -n NICK -a prints the certificates of
 * one nickname as PEM. https://firefox-source-docs.mozilla.org/security/nss/legacy/tools/nss_tools_certutil/index.html
 */
import { sha256Hex } from '../../audit/certificate.js'
import { readCertificates } from '../../audit/pem.js'
import { commandFailure } from '../shared/command-text.js'
import type { CommandResult } from '../shared/command.js'
import type { Environment } from '../shared/environment.js'
import { TrustBit, trustLetters, trustLettersOnly, type NssReading, type NssRecord } from './trust.js'
import { mapConcurrently } from '../shared/paths.js'
import { StoreError } from '../types.js'

/**
 * The name of the database's own token. certutil prefixes it to nicknames that contain a colon
 * ("NSS Certificate DB:Foo: bar"), and a nickname given with it is looked up in this database only,
 * so "Foo: bar" is never taken for a certificate "bar" on a token "Foo".
 */
export const INTERNAL_TOKEN = 'NSS Certificate DB:'
/** Concurrent certutil processes while exporting: enough to hide process start-up, few enough for a 2-core machine. */
const CONCURRENCY = 4
/** The listing's last header line (`certutil -L`); certificates follow it, one "nickname<padding> CT,C,C" a line. */
export const LISTING_HEADER = 'SSL,S/MIME,JAR/XPI'
/** The trust column: letters for SSL, S/MIME and code signing. */
const TRUST_COLUMN = /^[A-Za-z]*,[A-Za-z]*,[A-Za-z]*$/

/**
 * "nickname<padding> CT,C,C": the trust column is the last thing on the line, after spaces; null for
 * a line that is not one (the start of a nickname with a line break in it). Split by hand: the
 * expression /^(.*?) +(trust) *$/ took time quadratic in a run of spaces inside a nickname, and a
 * nickname is whatever the program that added the certificate chose.
 */
export function listingLine(line: string): [string, string] | null {
  if (/[\r\u2028\u2029]/.test(line)) return null // `.` in that expression stopped at these
  let end = line.length
  while (end > 0 && line[end - 1] === ' ') end--
  const space = line.lastIndexOf(' ', end - 1)
  if (space < 0) return null
  const flags = line.slice(space + 1, end)
  if (!TRUST_COLUMN.test(flags)) return null
  let nicknameEnd = space
  while (nicknameEnd > 0 && line[nicknameEnd - 1] === ' ') nicknameEnd--
  return [line.slice(0, nicknameEnd), flags]
}
/** Flag names of certutil's long listing (secutil.c, printFlags) that come from trust records. */
const FLAG_NAMES: Readonly<Record<string, number>> = {
  'Terminal Record': TrustBit.TERMINAL_RECORD,
  'Valid Peer': TrustBit.TERMINAL_RECORD,
  Trusted: TrustBit.TRUSTED,
  'Valid CA': TrustBit.VALID_CA,
  'Trusted CA': TrustBit.TRUSTED_CA,
  'Trusted Client CA': TrustBit.TRUSTED_CLIENT_CA,
}

/** Thrown when certutil is not installed, so the caller can read the database directly instead. */
export class CertutilMissingError extends Error {
  constructor(readonly detail: string) {
    super(`certutil is not installed (${detail})`)
    this.name = 'CertutilMissingError'
  }
}

/**
 * Lists the certificates of the NSS database in `dir` with certutil. `shownPath` names the
 * database in messages (`dir` is usually a private copy of it). Throws {@link CertutilMissingError}
 * when certutil is absent and {@link StoreError} when it cannot read the database at all.
 */
export async function readWithCertutil(env: Environment, dir: string, shownPath: string, listed?: Listing): Promise<NssReading> {
  const database = `sql:${dir}`
  const { entries, unparsed } = listed ?? (await listWithCertutil(env, dir, shownPath))
  const problems: { code: string; message: string }[] = unparsed.map((text) => ({
    code: 'nss-unexpected-output',
    message: `certutil listed something CertAudit does not understand in ${shownPath}: "${text}"; it was not checked.`,
  }))

  const flagsByNickname = new Map<string, string[]>()
  for (const { nickname, flags } of entries) flagsByNickname.set(nickname, [...(flagsByNickname.get(nickname) ?? []), flags])
  const results = await mapConcurrently([...flagsByNickname], ([nickname, flags]) => exportNickname(env, database, shownPath, nickname, flags), CONCURRENCY)
  const records: NssRecord[] = []
  // NSS finds certificates by subject: `-n NICK` exports every certificate that shares NICK's subject,
  // so two nicknames for two certificates with one subject each export both. Report each certificate
  // once, under the first nickname that led to it.
  const exported = new Set<string>()
  for (const result of results) {
    for (const record of result.records) {
      const key = sha256Hex(record.der)
      if (exported.has(key)) continue
      exported.add(key)
      records.push(record)
    }
    problems.push(...result.problems)
  }
  return { records, problems }
}

/** What `certutil -L` lists: each certificate's nickname and SSL trust letters, and lines it could not read. */
export interface Listing {
  readonly entries: readonly ListedEntry[]
  readonly unparsed: readonly string[]
}

/**
 * certutil's listing alone, one process: NSS's own word on each certificate's nickname and trust.
 * Throws as {@link readWithCertutil} does.
 */
export async function listWithCertutil(env: Environment, dir: string, shownPath: string): Promise<Listing> {
  const listing = checked(await env.run('certutil', ['-L', '-d', `sql:${dir}`]), shownPath)
  return parseListing(listing.stdout.toString('utf8'))
}

/** A failed run becomes a StoreError that names the command and quotes what certutil said. */
function checked(result: CommandResult, shownPath: string): CommandResult {
  if (result.spawnError?.startsWith('ENOENT')) throw new CertutilMissingError(result.spawnError)
  if (result.spawnError) throw new StoreError('nss-certutil-failed', `certutil could not be started to read ${shownPath}: ${result.spawnError}`)
  if (result.exitCode === 0) return result
  const failure = commandFailure(result, 'run on a copy of the database')
  if (result.stderr.includes('SEC_ERROR_BAD_DATABASE')) {
    throw new StoreError('nss-corrupt-db', `${shownPath} is damaged or is not an NSS certificate database: ${failure}`)
  }
  throw new StoreError('nss-certutil-failed', `certutil could not read ${shownPath}: ${failure}`)
}

export interface ListedEntry {
  readonly nickname: string
  readonly flags: string
}

/**
 * Parses `certutil -L`: after the header, one line per certificate, the nickname padded to 60
 * bytes, then the trust column. A nickname may hold spaces, commas, quotes or a newline (a line
 * without a trust column continues on the next). certutil shows a nickname that contains a colon
 * with the token name in front; we strip it to get the stored nickname back.
 */
export function parseListing(text: string): { entries: ListedEntry[]; unparsed: string[] } {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line.trim() === LISTING_HEADER)
  if (start < 0) return { entries: [], unparsed: text.trim() ? [text.trim().slice(0, 200)] : [] }
  const entries: ListedEntry[] = []
  let pending = ''
  for (const line of lines.slice(start + 1)) {
    if (line === '' && pending === '') continue
    const match = listingLine(line)
    if (!match) {
      pending += `${line}\n`
      continue
    }
    const shown = pending + match[0]
    entries.push({ nickname: shown.startsWith(INTERNAL_TOKEN) ? shown.slice(INTERNAL_TOKEN.length) : shown, flags: trustLettersOnly(match[1].split(',')[0]!) })
    pending = ''
  }
  return { entries, unparsed: pending.trim() ? [pending.trim()] : [] }
}

/**
 * Exports every certificate with one nickname. Certificates of the same subject share a nickname
 * and each has its own trust, so when a nickname is listed more than once the trust is matched to
 * each certificate by its SHA-256 fingerprint in certutil's long listing.
 */
async function exportNickname(env: Environment, database: string, shownPath: string, nickname: string, listedFlags: readonly string[]): Promise<NssReading> {
  const failed = (result: CommandResult, what: string): NssReading => ({
    records: [],
    problems: [
      {
        code: 'nss-export-failed',
        message: `certutil could not export ${what} "${nickname}" from ${shownPath}, so it was not checked: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
      },
    ],
  })
  const pem = await env.run('certutil', ['-L', '-d', database, '-n', INTERNAL_TOKEN + nickname, '-a'])
  const ders = unique(readCertificates(pem.stdout).flatMap((item) => (item.type === 'certificate' ? [item.der] : [])))
  if (pem.exitCode !== 0 || ders.length === 0) return failed(pem, 'the certificate')
  if (ders.length === 1 && listedFlags.length === 1) return { records: [{ der: ders[0]!, nickname, sslFlags: listedFlags[0]! }], problems: [] }

  const long = await env.run('certutil', ['-L', '-d', database, '-n', INTERNAL_TOKEN + nickname])
  if (long.exitCode !== 0) return failed(long, 'the trust of the certificates named')
  const flagsByFingerprint = parseLongListing(long.stdout.toString('utf8'))
  const records: NssRecord[] = []
  const problems: { code: string; message: string }[] = []
  for (const der of ders) {
    const flags = flagsByFingerprint.get(sha256Hex(der))
    if (flags === undefined) {
      problems.push({ code: 'nss-export-failed', message: `certutil did not show the trust of one certificate named "${nickname}" in ${shownPath}; it was checked as not trusted.` })
    }
    records.push({ der, nickname, sslFlags: flags ?? '' })
  }
  return { records, problems }
}

/**
 * SSL trust letters by SHA-256 fingerprint from `certutil -L -n NICK` (one block per certificate:
 * "Fingerprint (SHA-256):", the hex, later "Certificate Trust Flags:" / "SSL Flags:" and one flag
 * name per line until "Email Flags:"). Each certificate is printed once, so a fingerprint seen twice
 * means text in a certificate (a subject with line breaks) imitates a block: that certificate's
 * trust is then left unknown rather than guessed.
 */
export function parseLongListing(text: string): Map<string, string> {
  const flags = new Map<string, string>()
  const forged = new Set<string>()
  const lines = text.split('\n').map((line) => line.trim())
  let fingerprint: string | null = null
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === 'Fingerprint (SHA-256):') {
      let hex = ''
      while (i + 1 < lines.length && /^[0-9A-Fa-f:]+$/.test(lines[i + 1]!)) hex += lines[++i]!
      fingerprint = hex.replace(/:/g, '').toLowerCase()
    } else if (lines[i] === 'SSL Flags:' && fingerprint) {
      let bits = 0
      while (i + 1 < lines.length && lines[i + 1] !== 'Email Flags:') bits |= FLAG_NAMES[lines[++i]!] ?? 0
      if (flags.has(fingerprint)) forged.add(fingerprint)
      flags.set(fingerprint, trustLetters(bits))
      fingerprint = null
    }
  }
  for (const fingerprint of forged) flags.delete(fingerprint)
  return flags
}

function unique(ders: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  return ders.filter((der) => {
    const key = sha256Hex(der)
    return seen.has(key) ? false : (seen.add(key), true)
  })
}
