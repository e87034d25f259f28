/**
 * Removing one certificate from a bundle file the user owns (a virtual environment's certifi
 * cacert.pem, a bundle a variable or config file points at in the home folder), for the kinds whose
 * stores are such files (env-bundle, runtime). The backup keeps the whole file (bytes, SHA-256 and
 * permission bits); exactly that certificate's PEM block is cut (certificate-blocks.ts), the file is
 * replaced atomically (file-changer.ts), and undo writes the original bytes back only when the file
 * is still exactly as CertAudit left it. The engine re-reads the file to verify each step.
 *
 * A file that is not the user's (outside the home folder, owned by someone else, a package's file in
 * /usr) is never edited here: {@link bundleEditability} says why, and the kind explains what to do.
 */
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { findCertificate, withoutCertificate, certificatesIn } from './certificate-blocks.js'
import { isWithin, type Environment } from './environment.js'
import { FileChanger } from './file-changer.js'
import { machineFile } from './machine-files.js'
import { readRegularFileSync } from './regular-file.js'
import { writable } from './writable.js'
import { StoreError, type Backup, type ChangeOutcome, type Elevation, type EntryTarget, type RemovalMode } from '../types.js'

/** A bundle is at most a few hundred kilobytes (certifi: ~290 KB); past this its backup (base64 in JSON) would be unreasonable. */
export const MAX_EDITABLE_BYTES = 16 * 1024 * 1024

/** The file a location leads to (links already followed on the machine), read as it is now; `location` names it in messages. */
function readEditable(file: string, location: string): Buffer {
  return readRegularFileSync(file, { maxBytes: MAX_EDITABLE_BYTES, noFollow: true, what: 'bundle CertAudit edits', shown: location })
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')

/** What a bundle edit's backup keeps: the file as it was, and the SHA-256 of the file CertAudit leaves. */
export const bundleEditData = z
  .object({
    edit: z.literal('bundle'),
    /** The file changed (links followed): what apply and restore touch, checked against the target's location. */
    file: z.string().min(1),
    fileMode: z.number().int().min(0).max(0o7777),
    fileSha256: sha256,
    fileBytes: z.base64(),
    /** The file without the certificate: how undo knows the file is still as CertAudit left it. */
    resultSha256: sha256,
  })
  .strict()
export type BundleEditData = z.infer<typeof bundleEditData>

/** Why a bundle cannot be edited here. */
export type NotEditable =
  | { readonly reason: 'missing' | 'not-a-file' | 'too-large' | 'outside-home' | 'not-yours' | 'read-only' | 'not-held' | 'cannot-cut'; readonly file: string }
  | { readonly reason: 'unreadable'; readonly file: string; readonly message: string }

/** True for a path in the home folder, as named or as it really is (a home under /tmp may be a link). */
function inHome(env: Environment, path: string): boolean {
  if (isWithin(env.home, path)) return true
  try {
    return isWithin(realpathSync(env.home), path)
  } catch {
    return false
  }
}

/** The real file behind `location` when it is this user's own (in the home folder, theirs, writable), or why not. */
export async function userFile(env: Environment, location: string): Promise<{ readonly file: string; readonly size: number } | NotEditable> {
  let info
  try {
    info = await machineFile(env, location)
  } catch (error) {
    const code = (error as StoreError).code
    return code === 'enoent' ? { reason: 'missing', file: location } : { reason: 'unreadable', file: location, message: (error as Error).message }
  }
  const file = info.realPath
  if (info.type !== 'file') return { reason: 'not-a-file', file }
  if (!inHome(env, file)) return { reason: 'outside-home', file }
  const uid = process.getuid?.()
  if (uid !== undefined && uid !== 0 && info.uid !== uid) return { reason: 'not-yours', file }
  if (!(await writable(file))) return { reason: 'read-only', file }
  return { file, size: info.size }
}

/** The file to edit and how many other certificates it holds, or why it cannot be edited. */
export async function bundleEditability(target: EntryTarget, env: Environment): Promise<{ readonly file: string; readonly others: number } | NotEditable> {
  const owned = await userFile(env, target.location)
  if ('reason' in owned) return owned
  const { file } = owned
  if (owned.size > MAX_EDITABLE_BYTES) return { reason: 'too-large', file }
  let bytes: Buffer
  try {
    bytes = readEditable(file, target.location)
  } catch (error) {
    return { reason: 'unreadable', file, message: (error as Error).message }
  }
  if (!findCertificate(bytes, target.sha256)) return { reason: 'not-held', file }
  if (!withoutCertificate(bytes, target.sha256)) return { reason: 'cannot-cut', file }
  return { file, others: certificatesIn(bytes).filter((s) => s !== target.sha256).length }
}

/** Exports the certificate and the whole file it is in. Throws {@link StoreError} when it cannot be edited. */
export async function backupBundleEdit(target: EntryTarget, env: Environment): Promise<Backup<BundleEditData>> {
  const editable = await bundleEditability(target, env)
  if ('reason' in editable) {
    if (editable.reason === 'missing' || editable.reason === 'not-held') {
      throw new StoreError('entry-missing', `The certificate ${target.sha256.slice(0, 16)}… is no longer in ${target.location}.`)
    }
    throw new StoreError('not-changeable', `${target.location} cannot be edited by CertAudit (${editable.reason}).`)
  }
  const stat = await machineFile(env, editable.file)
  const bytes = readEditable(editable.file, target.location)
  const der = findCertificate(bytes, target.sha256)!
  const rest = withoutCertificate(bytes, target.sha256)!
  return {
    target,
    exportedPem: new CertificateRecord(der).toPem(),
    data: { edit: 'bundle', file: editable.file, fileMode: stat.mode, fileSha256: sha256Hex(bytes), fileBytes: bytes.toString('base64'), resultSha256: sha256Hex(rest) },
  }
}

/** Cuts the certificate out of the file, unless the file changed since the backup. */
export async function applyBundleEdit(backup: Backup<BundleEditData>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  if (mode !== 'delete') return { ok: false, commands: [], message: 'A bundle file has no distrust: a certificate is in it or it is not. Choose delete.' }
  const checked = await check(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { file, data, current } = checked
  if (current && sha256Hex(current) === data.resultSha256) return { ok: true, commands: [], warnings: [`${file} already was without this certificate: nothing was changed.`] }
  if (!current || sha256Hex(current) !== data.fileSha256) return { ok: false, commands: [], message: `${file} changed after the backup was made, so CertAudit left it alone. Scan again, then retry.` }
  const rest = withoutCertificate(current, backup.target.sha256)
  if (!rest || sha256Hex(rest) !== data.resultSha256) return { ok: false, commands: [], message: `The certificate could not be cut out of ${file} exactly, so CertAudit left it alone.` }
  const files = new FileChanger(elevation, env)
  const error = await files.write(file, rest, data.fileMode)
  return error ? { ok: false, commands: files.commands, message: error } : { ok: true, commands: files.commands }
}

/** Writes the original bytes back, when the file is as CertAudit left it (or gone). */
export async function restoreBundleEdit(backup: Backup<BundleEditData>, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = await check(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { file, data, current } = checked
  const original = Buffer.from(data.fileBytes, 'base64')
  if (sha256Hex(original) !== data.fileSha256) return { ok: false, commands: [], message: `The backup of ${file} is damaged (its bytes do not match their SHA-256): nothing was put back.` }
  if (current && sha256Hex(current) === data.fileSha256) return { ok: true, commands: [], warnings: [`${file} already is as it was before the change: nothing was changed.`] }
  if (current && sha256Hex(current) !== data.resultSha256) {
    return { ok: false, commands: [], message: `${file} changed after CertAudit edited it, so CertAudit did not overwrite it. Its original bytes are in the backup.` }
  }
  const files = new FileChanger(elevation, env)
  const error = await files.write(file, original, data.fileMode)
  return error ? { ok: false, commands: files.commands, message: error } : { ok: true, commands: files.commands }
}

/**
 * A backup read back from disk (its shape already parsed): its certificate must be the target's and
 * its file the one the target's location leads to now, inside the home folder, or nothing is touched.
 */
async function check(backup: Backup<BundleEditData>, env: Environment): Promise<{ file: string; data: BundleEditData; current: Buffer | null } | string> {
  const { target, data } = backup
  if (!findCertificate(Buffer.from(backup.exportedPem), target.sha256)) return `The backup of ${target.entry} does not hold the certificate ${target.sha256}: it cannot be used.`
  let file: string
  let current: Buffer | null = null
  try {
    const info = await machineFile(env, target.location)
    file = info.realPath
    current = readEditable(file, target.location)
  } catch (error) {
    if ((error as StoreError).code !== 'enoent') return `${target.location} could not be read: ${(error as Error).message}`
    file = resolve(target.location) // gone: put back where it was, never somewhere a link would now lead
  }
  const damaged = `The backup of ${target.location} does not describe this file (it is damaged, or was made for another one): it cannot be used.`
  if (file !== data.file || !inHome(env, file)) return damaged
  return { file, data, current }
}
