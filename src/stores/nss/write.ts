/**
 * Changes NSS certificate databases (Firefox and Thunderbird profiles on every OS, Chromium's
 * ~/.pki/nssdb on Linux): back up one certificate, delete it or take its trust away, put it back
 * (DESIGN.md, "Removal"). Two writers, chosen per database:
 *
 * - NSS's certutil (certutil-writer.ts) wherever it is installed: Linux with libnss3-tools (nss-tools),
 *   macOS with Homebrew's nss. NSS then writes its own database: it signs trust with its own code,
 *   follows any future change of its schema, and works with a Primary Password.
 * - CertAudit's own (sqlite-writer.ts) where it is not: always on Windows, where the `certutil` on the
 *   PATH is Windows' certificate tool (System32\certutil.exe), a different program with other options;
 *   macOS without Homebrew's nss; Linux without libnss3-tools. It changes the rows NSS would change,
 *   on a private copy swapped in whole, with the program closed. Tested against certutil as the oracle.
 *
 * A backup says which writer made it (its data's shape), and undo uses that one.
 */
import { z } from 'zod'
import type { Environment } from '../shared/environment.js'
import { StoreError, type Backup, type EntryTarget, type StoreWriter } from '../types.js'
import { certutilBackupData, certutilWriter, type CertutilBackupData } from './certutil-writer.js'
import { databaseAt } from './recovery.js'
import { nssRowsBackupData, sqliteWriter, type NssRowsBackupData } from './sqlite-writer.js'

/** What an NSS backup keeps: certutil's (nickname, trust fields), or CertAudit's own writer's (the rows too). */
export const nssBackupData = z.union([certutilBackupData, nssRowsBackupData])
export type NssBackupData = z.infer<typeof nssBackupData>

/**
 * Whether NSS's certutil changes this database: never on Windows, elsewhere when it can be started.
 * Asked once per call; installing libnss3-tools between a plan and its change switches writers, and
 * undo still uses the writer that made the backup.
 */
export async function usesCertutil(env: Environment, target: EntryTarget): Promise<boolean> {
  if (env.platform === 'win32') return false
  let dir: string
  try {
    dir = await databaseAt(env, target.location)
  } catch {
    return true // the certutil writer refuses it and says why (confine.ts)
  }
  const probe = await env.run('certutil', ['-L', '-d', `sql:${dir}`])
  return !probe.spawnError?.startsWith('ENOENT')
}

/** Which writer made a backup, from its (already parsed) data: CertAudit's own keeps the rows. */
const madeByRows = (backup: Backup<NssBackupData>): backup is Backup<NssRowsBackupData> => 'rows' in backup.data

/** The NSS adapter's writing verbs: certutil's where NSS's certutil is installed, CertAudit's own elsewhere. */
export const nssWriter: StoreWriter<NssBackupData> & Required<Pick<StoreWriter<NssBackupData>, 'settle'>> = {
  kind: 'nss',
  async capabilities(target, env) {
    return (await usesCertutil(env, target)) ? certutilWriter.capabilities(target, env) : sqliteWriter.capabilities(target, env)
  },
  async backup(target, env) {
    return (await usesCertutil(env, target)) ? certutilWriter.backup(target, env) : sqliteWriter.backup(target, env)
  },
  async apply(backup, mode, env, elevation) {
    if (madeByRows(backup)) return sqliteWriter.apply(backup, mode, env, elevation)
    if (env.platform === 'win32') throw certutilOnly(backup.target)
    return certutilWriter.apply(backup as Backup<CertutilBackupData>, mode, env, elevation)
  },
  async restore(backup, env, elevation) {
    if (madeByRows(backup)) return sqliteWriter.restore(backup, env, elevation)
    if (env.platform === 'win32') throw certutilOnly(backup.target)
    return certutilWriter.restore(backup as Backup<CertutilBackupData>, env, elevation)
  },
  async settle(target, env, elevation) {
    return (await usesCertutil(env, target)) ? certutilWriter.settle(target, env, elevation) : sqliteWriter.settle(target, env, elevation)
  },
}

/** A backup made by certutil, to be undone where NSS's certutil cannot run (Windows). */
function certutilOnly(target: EntryTarget): StoreError {
  return new StoreError('nss-certutil-backup', `This backup of "${target.entry}" was made with NSS's certutil, which Windows does not have; CertAudit cannot use it here.`)
}
