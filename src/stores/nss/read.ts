/**
 * NSS databases (cert9.db) are read by two readers that must agree: certutil when it is installed
 * (NSS reads its own database), and SQLite through sql.js otherwise. Both read a private snapshot
 * of the database, never the live file: a running Firefox keeps it open and locked, and we must not
 * write to it.
 */
import { lstat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { sha256Hex, subjectHex } from '../../audit/certificate.js'
import { fileError } from '../shared/bundle-file.js'
import type { Environment } from '../shared/environment.js'
import { CertutilMissingError, listWithCertutil, readWithCertutil, type Listing } from './certutil.js'
import { readNssSqlite } from './sqlite.js'
import { trustFromSslFlags, type NssReading, type NssRecord } from './trust.js'
import { confinedPath } from '../shared/confine.js'
import { realPathInRoot } from '../shared/paths.js'
import { snapshotSqlite } from '../shared/sqlite-snapshot.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'
import type { NssLocation } from './discover.js'
import { withTempDir } from '../shared/temp-files.js'

/** `auto`: certutil when installed, else SQLite; and SQLite again when certutil cannot read everything. */
export type NssReaderChoice = 'auto' | 'certutil' | 'sqlite'

/** How `createNssStore` (index.ts) reads databases. */
export interface NssReaderOptions {
  /** Which reader lists the databases; tests pin one to compare them. */
  readonly reader?: NssReaderChoice
}

/** What a certificate without a nickname is called in the report. */
export const NO_NICKNAME = '(no nickname)'

/** Lists one database with the chosen reader; a place that discovery could not look into throws why. */
export async function* list(location: StoreLocation, env: Environment, reader: NssReaderChoice = 'auto'): AsyncGenerator<ListItem> {
  const problem = (location as NssLocation).problem
  if (problem) throw new StoreError(problem.code, problem.message)
  const reading = await readNssDatabase(env, location.location, reader)
  for (const item of reading.problems) yield { type: 'problem', path: location.location, ...item }
  for (const record of reading.records) {
    yield { type: 'entry', der: record.der, entry: record.nickname ?? NO_NICKNAME, trust: trustFromSslFlags(record.sslFlags) }
  }
}

/**
 * Reads the NSS database in `dir` with the chosen reader. A folder without cert9.db has no
 * certificates (a profile never opened); one with only the old cert8.db is reported.
 * Throws {@link StoreError} when the database cannot be read at all.
 */
export async function readNssDatabase(env: Environment, dir: string, reader: NssReaderChoice = 'auto'): Promise<NssReading> {
  let real: string
  let files: Set<string>
  try {
    // Confined: a profile folder that links out of the home folder is not read (confine.ts).
    real = await confinedPath(env, dir)
    files = await presentFiles(real, ['cert9.db', 'cert8.db', 'key4.db'])
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(dir, error)
  }
  const shown = join(dir, 'cert9.db')
  if (!files.has('cert9.db')) {
    if (!files.has('cert8.db')) return { records: [], problems: [] }
    throw new StoreError(
      'nss-legacy-db',
      `${dir} only has the old cert8.db certificate database, which current Firefox, Thunderbird and Chromium no longer use and CertAudit cannot read. ` +
        'Open this profile once in a current version of the program (it converts the database to cert9.db), then scan again.',
    )
  }
  // Links followed inside the system root, as SQLite follows a linked database to find its journal beside it.
  const inRoot = (path: string) => realPathInRoot(env, path)
  let image: Buffer | null = await snapshotSqlite(join(real, 'cert9.db'), shown, inRoot)
  // A database too big for certutil is handed to the direct reader without a copy kept here.
  const handOver = (): Buffer => {
    const handed = image!
    image = null
    return handed
  }
  // On Windows "certutil" is Windows' own certificate tool, not NSS's: the database is read directly.
  const directOnly = reader === 'sqlite' || (reader === 'auto' && (env.platform === 'win32' || image.length > CERTUTIL_MAX_DATABASE_BYTES))
  if (directOnly) return sorted(await readNssSqlite(handOver, shown))
  const bytes = image
  if (reader === 'certutil') {
    try {
      return sorted(await readCopyWithCertutil(env, real, files, bytes, shown))
    } catch (error) {
      if (error instanceof CertutilMissingError) throw new StoreError('nss-certutil-missing', `certutil is not installed, so ${shown} could not be read with it (${error.detail}).`)
      throw error
    }
  }

  // auto: read the database directly (fast, every stored certificate), then let NSS itself confirm
  // each certificate's nickname and trust with one certutil listing.
  let direct: NssReading | undefined
  let directError: unknown
  try {
    direct = await readNssSqlite(bytes, shown)
  } catch (error) {
    directError = error
  }
  // NSS's listing takes time quadratic in the size of the database: past this, the direct read stands alone.
  if (direct && direct.records.length > CERTUTIL_MAX_CERTIFICATES) return sorted(direct)
  let viaCertutil: NssReading
  try {
    viaCertutil = await readCopyWithCertutil(env, real, files, bytes, shown, direct)
  } catch (error) {
    if (error instanceof CertutilMissingError) {
      if (direct) return sorted(direct)
      throw directError
    }
    // certutil refused the database (too new for it, key4.db missing…): SQLite may still read it.
    if (direct) return sorted(direct)
    throw error instanceof StoreError ? error : directError
  }
  if (viaCertutil.problems.length > 0 && direct) {
    // certutil could not export some entries (a nickname it cannot repeat back, such as one ending
    // in spaces): SQLite sees every stored certificate, so an odd nickname hides nothing.
    return sorted(direct)
  }
  return sorted(viaCertutil)
}

/**
 * Above this many certificates certutil is not run: its listing alone takes ~0.3 s for 1,000
 * certificates and ~60 s for 10,000 on a 2-core machine (NSS searches its database once per
 * certificate). The direct read then decides trust without NSS's check of each trust record's MAC
 * (see sqlite.ts): a record edited outside NSS reads as stored.
 */
export const CERTUTIL_MAX_CERTIFICATES = 1000
/** A cert9.db this big holds several thousand certificates (~1.5 KB each): {@link CERTUTIL_MAX_CERTIFICATES}, known before reading it. */
export const CERTUTIL_MAX_DATABASE_BYTES = 16 * 1024 * 1024

/**
 * Runs certutil on a private copy: the snapshot of cert9.db and of key4.db (NSS needs the key
 * database to open read-only, and checks trust records against it), and no pkcs11.txt, so
 * certutil loads no module the user configured and reads this database alone. With a `direct`
 * reading of the same snapshot, one listing confirms it (see {@link confirmWithListing}); otherwise,
 * or when it cannot, every nickname is exported with certutil.
 */
function readCopyWithCertutil(env: Environment, real: string, files: ReadonlySet<string>, certBytes: Buffer, shown: string, direct?: NssReading): Promise<NssReading> {
  return withTempDir('nss', async (copy) => {
    await writeFile(join(copy, 'cert9.db'), certBytes, { mode: 0o600 })
    if (files.has('key4.db')) await writeFile(join(copy, 'key4.db'), await snapshotSqlite(join(real, 'key4.db'), join(dirname(shown), 'key4.db'), (path) => realPathInRoot(env, path)), { mode: 0o600 })
    if (!direct) return await readWithCertutil(env, copy, shown)
    const listed = await listWithCertutil(env, copy, shown)
    return confirmWithListing(direct, listed) ?? (await readWithCertutil(env, copy, shown, listed))
  })
}

/**
 * The direct reading with NSS's word on each certificate: when certutil lists exactly the
 * certificates SQLite holds, each under its own nickname, no two sharing a nickname or a subject,
 * each record takes the trust letters certutil lists for it (NSS checks each trust record's MAC,
 * SQLite cannot) and the certificate bytes SQLite read. That is what exporting every nickname with
 * certutil gives, one process per certificate, in one process. Null when the two do not line up so
 * simply; the caller then exports every nickname.
 */
function confirmWithListing(direct: NssReading, listed: Listing): NssReading | null {
  if (listed.unparsed.length || direct.problems.length || listed.entries.length !== direct.records.length) return null
  const byNickname = new Map<string, NssRecord>()
  const subjects = new Set<string>()
  for (const record of direct.records) {
    if (record.nickname === null || byNickname.has(record.nickname)) return null
    byNickname.set(record.nickname, record)
    let subject: string
    try {
      subject = subjectHex(record.der)
    } catch {
      return null
    }
    // certutil -n NICK exports every certificate of NICK's subject: such twins go the long way.
    if (subjects.has(subject)) return null
    subjects.add(subject)
  }
  const records: NssRecord[] = []
  for (const { nickname, flags } of listed.entries) {
    const record = byNickname.get(nickname)
    if (!record) return null
    byNickname.delete(nickname)
    records.push({ der: record.der, nickname, sslFlags: flags })
  }
  return { records, problems: [] }
}

/** Same order from both readers: by nickname, then by certificate hash. */
function sorted(reading: NssReading): NssReading {
  // One Intl.Collator for the whole sort is what localeCompare does for each of its ~1.7 million
  // comparisons in a database of 100,000 certificates, minus making the collator each time.
  const records = [...reading.records].sort((a, b) => COLLATOR.compare(a.nickname ?? '', b.nickname ?? '') || COLLATOR.compare(sha256Hex(a.der), sha256Hex(b.der)))
  return { records, problems: reading.problems }
}

const COLLATOR = new Intl.Collator()

/**
 * Which of `names` exist in the folder `dir` (whatever they are: reading them says if they are not
 * files). Looked up by name, not by listing the folder: a profile folder of 100,000 entries costs
 * three calls, not a listing of 100,000 names.
 */
async function presentFiles(dir: string, names: readonly string[]): Promise<Set<string>> {
  // The folder itself first: a profile folder that is gone is a problem, never an empty database.
  try {
    if (!(await lstat(dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
  } catch (error) {
    throw fileError(dir, error)
  }
  const present = new Set<string>()
  for (const name of names) {
    try {
      await lstat(join(dir, name))
      present.add(name)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fileError(join(dir, name), error)
      if (code === 'ENOTDIR') throw fileError(dir, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }))
    }
  }
  return present
}
