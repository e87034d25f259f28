/**
 * Lists one profile's ServerCertificate database: every row, from a private snapshot of the file
 * (the browser keeps it open; ../shared/sqlite-snapshot.ts applies its -wal or -journal as SQLite
 * would), with the trust the browser gives it.
 *
 * How Chromium uses each row (ProfileNetworkContextService::UpdateAdditionalCertificatesWithUserAddedCerts,
 * https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/net/profile_network_context_service.cc,
 * and ServerCertificateDatabase::GetUserCertificateTrust):
 * - TRUSTED: a trust anchor (or a trusted leaf, for a certificate that is not a CA but names hosts),
 *   limited to the row's name constraints when it has some: `trusted`.
 * - DISTRUSTED: its key is distrusted, whatever else trusts it: `distrusted`.
 * - UNSPECIFIED: only offered to path building as a possible intermediate, never a trust anchor
 *   (it goes to `all_certificates`, the "hint" list): `not-trusted`.
 * - UNKNOWN or a value the browser does not know, or trust settings that do not parse: the row is
 *   skipped: `not-trusted`, with a problem saying why.
 * The browser trusts der_cert and never checks sha256hash_hex against it, so a row whose key lies
 * is listed with the certificate it really holds, and reported.
 */
import { describe, sha256Hex } from '../../audit/certificate.js'
import { attributeValues } from '../../audit/names.js'
import type { Environment } from '../shared/environment.js'
import { realPathInRoot } from '../shared/paths.js'
import { snapshotSqlite } from '../shared/sqlite-snapshot.js'
import { StoreError, type ListItem, type StoreLocation, type TrustState } from '../types.js'
import { readRows, type CertificateRow } from './database.js'
import { whatIsAt, within, type ChromiumLocation } from './discover.js'
import { parseMetadata, ProtobufError, TrustType } from './protobuf.js'

/** Constraints shown in an entry's name: enough to recognise them, not a wall of names. */
const SHOWN_CONSTRAINTS = 3

export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const problem = (location as ChromiumLocation).problem
  if (problem) throw new StoreError(problem.code, problem.message)
  const shown = location.location
  const rows = await readRows(await snapshotSqlite(await livePath(env, shown), shown, (path) => realPathInRoot(env, path)), shown)
  for (const row of rows) {
    const item = rowItem(row, shown)
    if (item.problem) yield { type: 'problem', path: shown, ...item.problem }
    if (item.entry) yield { type: 'entry', ...item.entry }
  }
}

/**
 * The real path of the database file, refused when a link leads it out of the home folder (the
 * location may be re-read long after discovery looked at it).
 */
export async function livePath(env: Environment, file: string): Promise<string> {
  const [real, home] = await Promise.all([realPathInRoot(env, file), realPathInRoot(env, env.home).catch(() => env.home)])
  if (!within(home, real)) throw new StoreError('chromium-outside-home', `${file} leads to ${real}, outside your home folder (${env.home}); CertAudit does not read or change it.${whatIsAt(real)}`)
  return real
}

/** One row as a store entry, and what is wrong with it, if anything. */
export function rowItem(row: CertificateRow, shown: string): { entry?: { der: Uint8Array; entry: string; trust: TrustState }; problem?: { code: string; message: string } } {
  if (row.der.length === 0) return { problem: { code: 'chromium-empty-certificate', message: `${shown} has a row (${quoted(row.key)}) with no certificate in it; it was skipped.` } }
  const trust = trustOf(row)
  const entry = { der: row.der, entry: entryName(row), trust: trust.state }
  const sha256 = sha256Hex(row.der)
  if (row.key.toLowerCase() !== sha256) {
    const message =
      `${shown} stores the certificate ${sha256} under the hash ${quoted(row.key)}, which is not its own: the row was not written by the browser as it is. ` +
      `The browser uses the certificate in the row, whatever the hash says, so it was checked as "${entry.entry}".`
    return { entry, problem: { code: 'chromium-hash-mismatch', message: trust.problem ? `${message} ${trust.problem}` : message } }
  }
  return trust.problem ? { entry, problem: { code: 'chromium-trust-unreadable', message: `"${entry.entry}" in ${shown}: ${trust.problem}` } } : { entry }
}

/** The trust a row's settings give, and what is wrong with them, if anything. */
function trustOf(row: CertificateRow): { state: TrustState; constraints: readonly string[]; problem?: string } {
  try {
    const metadata = parseMetadata(row.trustSettings)
    switch (metadata.trustType) {
      case TrustType.TRUSTED:
        return { state: 'trusted', constraints: metadata.constraints }
      case TrustType.DISTRUSTED:
        return { state: 'distrusted', constraints: metadata.constraints }
      case TrustType.UNSPECIFIED:
        return { state: 'not-trusted', constraints: metadata.constraints }
      default:
        return { state: 'not-trusted', constraints: metadata.constraints, problem: `its trust is ${metadata.trustType}, which the browser does not know, so the browser ignores it.` }
    }
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error
    return { state: 'not-trusted', constraints: [], problem: `its trust settings are damaged (${error.message}), so the browser ignores it.` }
  }
}

/**
 * What people call the certificate: its subject's common name (else organisation, else the whole
 * subject), with the names the browser limits it to, and the false hash when the row lies about it.
 * The name tells rows of one certificate apart (write.ts finds the row by it).
 */
export function entryName(row: CertificateRow): string {
  let name: string
  try {
    const details = describe(row.der)
    name = ['CN', 'O', 'OU'].map((type) => attributeValues(details.subjectName, type).at(-1)).find((value) => value !== undefined) ?? details.subject
    if (name.trim() === '') name = '(certificate without a name)'
  } catch {
    name = '(unreadable certificate)'
  }
  const { constraints } = trustOf(row)
  if (constraints.length > 0) {
    const more = constraints.length > SHOWN_CONSTRAINTS ? ` and ${constraints.length - SHOWN_CONSTRAINTS} more` : ''
    name += ` (only for ${constraints.slice(0, SHOWN_CONSTRAINTS).join(', ')}${more})`
  }
  if (row.der.length > 0 && row.key.toLowerCase() !== sha256Hex(row.der)) name += ` (stored as ${quoted(row.key)})`
  return name
}

/** A stored hash as shown in messages: a lying key may be anything, so it is cut and quoted. */
function quoted(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const clean = key.replace(/[\u0000-\u001f\u007f]/g, '?')
  return `"${clean.length > 24 ? `${clean.slice(0, 24)}…` : clean}"`
}
