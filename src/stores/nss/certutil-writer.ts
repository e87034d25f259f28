/**
 * Changes NSS certificate databases (Firefox and Thunderbird profiles, Chromium's ~/.pki/nssdb) with
 * certutil, NSS's own tool, on the live database, where it is installed (write.ts decides): back up one certificate (PEM, nickname, all three
 * trust fields), delete it or take its trust away, put it back (DESIGN.md, "Removal").
 * certutil: https://firefox-source-docs.mozilla.org/security/nss/legacy/tools/nss_tools_certutil/index.html
 *
 * certutil names certificates by nickname only, and NSS groups them by subject: `-L -n NICK` exports
 * every certificate with NICK's subject, and the listing cannot say which nickname is whose. So the
 * certificate is always found by its SHA-256 in the database's own rows (SQLite, read-only), which
 * give each certificate's exact nickname (CKA_LABEL), and the command names that nickname with the
 * token in front ("NSS Certificate DB:NICK"): NSS then looks it up by label on this database only.
 */
import { lstat } from 'node:fs/promises'
import { z } from 'zod'
import { join } from 'node:path'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { readCertificates } from '../../audit/pem.js'
import type { CommandResult } from '../shared/command.js'
import { commandFailure } from '../shared/command-text.js'
import { writable } from '../shared/writable.js'
import type { Environment } from '../shared/environment.js'
import { INTERNAL_TOKEN, LISTING_HEADER, listingLine, parseListing, parseLongListing } from './certutil.js'
import { readNssDatabase } from './read.js'
import { trustLettersOnly, type NssRecord } from './trust.js'
import type { Notice } from '../shared/notices.js'
import { FIREFOX_MANAGER, nssNotices } from './notices.js'
import { StoreError, type ChangeOutcome, type CommandRecord, type EntryTarget, type Elevation, type StoreWriter } from '../types.js'
import { withTempFile } from '../shared/temp-files.js'
import { databaseAt, settleDatabase } from './recovery.js'


/** One certificate as the live database holds it. */
interface Held {
  readonly sha256: string
  readonly der: Uint8Array
  readonly nickname: string
  /** certutil's three trust fields, e.g. "CT,C,C". */
  readonly trust: string
}

/** The target and the certificates that share its subject, which `-n` reaches too. */
interface Located extends Held {
  readonly siblings: readonly Held[]
  /** Set when certutil cannot address the target alone (another certificate has its very nickname). */
  readonly ambiguity?: string
}

/** What a certutil backup keeps besides the certificate: its nickname and certutil's three trust fields. */
export const certutilBackupData = z.object({ nickname: z.string(), trustFlags: z.string().regex(/^[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*$/, 'three trust fields, e.g. "CT,C,C"') }).strict()
export type CertutilBackupData = z.infer<typeof certutilBackupData>

/** NSS databases where NSS's certutil is installed (kind `nss`): delete or distrust one certificate with certutil, and undo it. */
export const certutilWriter: StoreWriter<CertutilBackupData> & Required<Pick<StoreWriter<CertutilBackupData>, 'settle'>> = {
  kind: 'nss',

  async capabilities(target, env) {
    let dir: string
    try {
      dir = await databaseAt(env, target.location)
    } catch (error) {
      return { modes: [], needsAdmin: false, manual: nssNotices.notice('nss-confined', { reason: (error as Error).message }) }
    }
    const needsAdmin = await notWritable(dir)
    const running = await runningProgram(dir)
    return { modes: ['delete', 'distrust'], needsAdmin, ...(running ? { warnings: [running] } : {}) }
  },

  async backup(target, env) {
    const found = await locate(env, target, await databaseAt(env, target.location))
    if (found.ambiguity) throw new StoreError('nss-shared-nickname', found.ambiguity)
    return { target, exportedPem: new CertificateRecord(found.der).toPem(), data: { nickname: found.nickname, trustFlags: found.trust } }
  },

  async apply(backup, mode, env, elevation) {
    // Found again on the live database right before acting: the backup may be minutes old.
    let found: Located
    let dir: string
    const recovered: CommandRecord[] = []
    try {
      dir = await databaseAt(env, backup.target.location)
      recovered.push(...((await settleDatabase(env, dir, backup.target.location, elevation)).outcome?.commands ?? []))
      found = await locate(env, backup.target, dir)
    } catch (error) {
      return refused(error, recovered)
    }
    if (found.ambiguity) return { ok: false, commands: recovered, message: found.ambiguity }
    const database = `sql:${dir}`
    const args = mode === 'delete' ? ['-D', '-d', database, '-n', INTERNAL_TOKEN + found.nickname] : ['-M', '-d', database, '-n', INTERNAL_TOKEN + found.nickname, '-t', ',,']
    const done = await elevation.run('certutil', args, { admin: await notWritable(dir) })
    if (done.exitCode !== 0) return failed(done, `certutil could not ${mode} "${found.nickname}" in ${backup.target.location}`, [...recovered, done])
    return withCommands(recovered, await keepSiblings(env, elevation, dir, found.siblings, done))
  },

  async restore(backup, env, elevation) {
    const { nickname, trustFlags } = backup.data
    const shown = backup.target.location
    let dir: string
    let present: Located | undefined
    const recovered: CommandRecord[] = []
    try {
      dir = await databaseAt(env, shown)
      recovered.push(...((await settleDatabase(env, dir, shown, elevation)).outcome?.commands ?? []))
    } catch (error) {
      return refused(error, recovered)
    }
    try {
      present = await locate(env, backup.target, dir)
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'entry-missing')) return refused(error, recovered)
    }
    if (present?.ambiguity) return { ok: false, commands: recovered, message: present.ambiguity }
    const admin = await notWritable(dir)
    // Still there (it was only distrusted, or a kill cut -D between its trust and its certificate): give the trust back. Gone: add it again as it was.
    if (present) {
      const done = await elevation.run('certutil', ['-M', '-d', `sql:${dir}`, '-n', INTERNAL_TOKEN + present.nickname, '-t', trustFlags], { admin })
      return done.exitCode === 0 ? withCommands(recovered, await keepSiblings(env, elevation, dir, present.siblings, done)) : failed(done, `certutil could not give "${present.nickname}" its trust back in ${shown}`, [...recovered, done])
    }
    const done = await withPemFile(backup.exportedPem, (file) => elevation.run('certutil', ['-A', '-d', `sql:${dir}`, '-n', nickname, '-t', trustFlags, '-a', '-i', file], { admin }))
    return done.exitCode === 0 ? { ok: true, commands: [...recovered, done] } : failed(done, `certutil could not put "${nickname}" back into ${shown}`, [...recovered, done])
  },

  async settle(target, env, elevation) {
    let dir: string
    try {
      dir = await databaseAt(env, target.location)
    } catch (error) {
      return { consistent: false, detail: (error as Error).message }
    }
    return settleDatabase(env, dir, target.location, elevation)
  },
}

/**
 * Finds the target by SHA-256 in the live database at `dir` (the folder confined by databaseAt): its exact nickname from the database's rows
 * (read from a snapshot, never written), its trust from `certutil -L`, and the certificates that
 * `certutil -L -n` groups with it. Throws StoreError `entry-missing` when it is no longer there.
 */
async function locate(env: Environment, target: EntryTarget, dir: string): Promise<Located> {
  const { trustByNickname, records } = await readLive(env, dir)
  const shown = target.location
  const record = records.get(target.sha256)
  if (!record) throw new StoreError('entry-missing', `"${target.entry}" is no longer in ${shown}: it was removed since the plan was made.`)
  const manual = `Change it by hand in ${programOf(shown)}: ${FIREFOX_MANAGER.en}.`
  const lines = record.nickname === null ? [] : (trustByNickname.get(record.nickname) ?? [])
  if (record.nickname === null || lines.length === 0) {
    throw new StoreError('nss-unaddressable', `certutil cannot name "${target.entry}" in ${shown} (it has no nickname certutil can repeat back), so CertAudit cannot change it. ${manual}`)
  }
  const nickname = record.nickname
  const exported = checked(await env.run('certutil', ['-L', '-d', `sql:${dir}`, '-n', INTERNAL_TOKEN + nickname, '-a']), dir)
  const group = new Set(readCertificates(exported.stdout).flatMap((item) => (item.type === 'certificate' ? [sha256Hex(item.der)] : [])))
  if (!group.delete(target.sha256)) {
    throw new StoreError('nss-unaddressable', `certutil does not find "${nickname}" in ${shown} by its nickname, so CertAudit cannot change it. ${manual}`)
  }
  const siblings = [...group].map((hash) => {
    const other = records.get(hash)
    const trusts = other?.nickname == null ? [] : (trustByNickname.get(other.nickname) ?? [])
    return other?.nickname != null && trusts.length === 1 ? { sha256: hash, der: other.der, nickname: other.nickname, trust: trusts[0]! } : undefined
  })
  const found: Held = { sha256: target.sha256, der: record.der, nickname, trust: lines[0]! }
  // Another certificate with this very nickname (NSS allows it within one subject): -D and -M take
  // the one NSS thinks best, maybe the other. A listing line whose SSL field is not this certificate's
  // trust is someone else's too. Refuse: losing a certificate the user kept is worse.
  // This certificate's trust is NSS's own word (certutil's long listing, by fingerprint) where it has
  // one: the database's rows keep a trust object whose signature in key4.db a kill inside `certutil -D`
  // already deleted, which NSS (and so Firefox) then ignores.
  const long = await env.run('certutil', ['-L', '-d', `sql:${dir}`, '-n', INTERNAL_TOKEN + nickname])
  const ownTrust = (long.exitCode === 0 ? parseLongListing(long.stdout.toString('utf8')).get(target.sha256) : undefined) ?? record.sslFlags
  const unclear = lines.length > 1 || trustLettersOnly(lines[0]!.split(',')[0]!) !== trustLettersOnly(ownTrust) || siblings.includes(undefined)
  if (!unclear) return { ...found, siblings: siblings as Held[] }
  const ambiguity = `Another certificate in ${shown} has the nickname "${nickname}" or shares its subject in a way certutil cannot tell apart, so certutil could change the wrong one; CertAudit changed nothing. ${manual}`
  return { ...found, siblings: [], ambiguity }
}

/** `certutil -L` of the live database (trust by nickname) and its rows by SHA-256 (exact nicknames). */
async function readLive(env: Environment, dir: string): Promise<{ trustByNickname: Map<string, string[]>; records: Map<string, NssRecord> }> {
  const listing = checked(await env.run('certutil', ['-L', '-d', `sql:${dir}`]), dir)
  const reading = await readNssDatabase(env, dir, 'sqlite')
  return { trustByNickname: listedTrust(listing.stdout.toString('utf8')), records: new Map(reading.records.map((r) => [sha256Hex(r.der), r])) }
}

/**
 * After a change, puts back any certificate of the target's subject that the command took with it
 * (deleted, or its trust changed). NSS finds "NSS Certificate DB:NICK" by label, so this should not
 * fire; it is here because that lookup also consults NSS's by-subject cache, and the user must never
 * lose a certificate they did not choose.
 */
async function keepSiblings(env: Environment, elevation: Elevation, dir: string, siblings: readonly Held[], change: CommandRecord): Promise<ChangeOutcome> {
  if (siblings.length === 0) return { ok: true, commands: [change] }
  const { trustByNickname, records } = await readLive(env, dir)
  const admin = await notWritable(dir)
  const commands = [change]
  const putBack: string[] = []
  for (const sibling of siblings) {
    if (records.has(sibling.sha256) && trustByNickname.get(sibling.nickname)?.[0] === sibling.trust) continue
    const pem = new CertificateRecord(sibling.der).toPem()
    const done = records.has(sibling.sha256)
      ? await elevation.run('certutil', ['-M', '-d', `sql:${dir}`, '-n', INTERNAL_TOKEN + sibling.nickname, '-t', sibling.trust], { admin })
      : await withPemFile(pem, (file) => elevation.run('certutil', ['-A', '-d', `sql:${dir}`, '-n', sibling.nickname, '-t', sibling.trust, '-a', '-i', file], { admin }))
    commands.push(done)
    // Its PEM goes into the message (and so the journal) when it could not be put back: never lost.
    if (done.exitCode !== 0) return failed(done, `certutil also changed "${sibling.nickname}" (same subject) in ${dir}, and putting it back as "${sibling.trust}" failed; the certificate:\n${pem}`, commands)
    putBack.push(sibling.nickname)
  }
  if (putBack.length === 0) return { ok: true, commands }
  const names = putBack.map((n) => `"${n}"`).join(', ')
  return { ok: false, commands, message: `certutil also changed ${names} in ${dir} (same subject); CertAudit put it back as it was. The chosen certificate may not have changed.` }
}

/** Trust fields by nickname from `certutil -L` (a list: one nickname may be listed more than once). */
function listedTrust(text: string): Map<string, string[]> {
  // parseListing keeps only the SSL letters; its entries are the trust-column lines in order, so
  // pairing them with the column read here gives each nickname its three fields.
  const lines = text.split('\n')
  const columns = lines.slice(lines.findIndex((line) => line.trim() === LISTING_HEADER) + 1).flatMap((line) => listingLine(line)?.[1] ?? [])
  const trust = new Map<string, string[]>()
  parseListing(text).entries.forEach(({ nickname }, i) => trust.set(nickname, [...(trust.get(nickname) ?? []), columns[i]!]))
  return trust
}

/** A certutil read that failed becomes a StoreError naming the command and quoting certutil. */
function checked(result: CommandResult, dir: string): CommandResult {
  if (result.exitCode === 0) return result
  if (result.spawnError?.startsWith('ENOENT')) throw new StoreError('nss-certutil-missing', `certutil is not installed, so CertAudit cannot change ${dir}: install ${certutilPackage(process.platform)} (certutil).`)
  throw new StoreError('nss-certutil-failed', `certutil could not read ${dir}: ${commandFailure(result)}`)
}

/** A change that failed: names the command as run (with pkexec when elevated) and quotes certutil. */
function failed(record: CommandRecord, what: string, commands: readonly CommandRecord[] = [record]): ChangeOutcome {
  return { ok: false, commands, message: `${what}: ${commandFailure(record)}` }
}

/** A change that could not start: the certificate is gone, ambiguous, or the database unreadable or out of bounds. */
function refused(error: unknown, commands: readonly CommandRecord[] = []): ChangeOutcome {
  return { ok: false, commands, message: error instanceof Error ? error.message : String(error) }
}

/** The outcome with the recovery's commands in front, so the journal names every command that ran. */
function withCommands(first: readonly CommandRecord[], outcome: ChangeOutcome): ChangeOutcome {
  return first.length ? { ...outcome, commands: [...first, ...outcome.commands] } : outcome
}


/** True when this user cannot change the database: cert9.db, or its folder (SQLite writes a journal beside it). */
async function notWritable(dir: string): Promise<boolean> {
  return !(await writable(join(dir, 'cert9.db')))
}

/**
 * Firefox and Thunderbird keep a `lock` symlink in the profile while they run (its target,
 * "127.0.1.1:+12345", is the host and process, not a file) and remove it when they quit; a crash
 * leaves it behind, so the warning may be stale. `.parentlock` is no sign on Linux: it stays after
 * a clean exit (nsProfileLock.cpp holds an fcntl lock on it, which Node cannot query).
 * They keep the certificates in memory, so a change shows after a restart.
 */
async function runningProgram(dir: string): Promise<Notice | undefined> {
  const link = await lstat(join(dir, 'lock')).catch(() => undefined)
  if (!link?.isSymbolicLink()) return undefined
  return nssNotices.notice('nss-program-running', { program: programOf(dir) })
}

/** The program whose certificate manager changes this database by hand. */
function programOf(dir: string): string {
  return dir.includes('thunderbird') ? 'Thunderbird' : 'Firefox'
}

/** Runs `use` with the PEM in a private temp file (certutil -A reads a file), removed afterwards. */
function withPemFile<T>(pem: string, use: (file: string) => Promise<T>): Promise<T> {
  return withTempFile('restore', 'certificate.pem', pem, use)
}

/** Where NSS's certutil comes from: Debian/Ubuntu's libnss3-tools, Homebrew's nss on macOS. */
function certutilPackage(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'NSS with Homebrew ("brew install nss")' : 'libnss3-tools'
}
