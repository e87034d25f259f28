/**
 * The writing half of the kinds whose stores are places settings point at (env-bundle, runtime): a
 * bundle in the user's own home folder is edited (bundle-editor.ts), a Java keystore of theirs is
 * changed with keytool exactly as the java kind does (java/write.ts), and everything else — a folder,
 * a file that is not theirs, one CertAudit cannot cut safely — is left to the user with what to do,
 * which the kind says in its own words (notices).
 */
import { z } from 'zod'
import { formatCommand, shellFor } from './command-text.js'
import { DEFAULT_PASSWORD, detectKeystoreFormat } from '../java/keystore.js'
import { javaBackupData, javaWriter } from '../java/write.js'
import { applyBundleEdit, backupBundleEdit, bundleEditability, bundleEditData, restoreBundleEdit, userFile, type BundleEditData, type NotEditable } from './bundle-editor.js'
import type { Environment } from './environment.js'
import { machineFile } from './machine-files.js'
import { readRegularFileHeadSync } from './regular-file.js'
import { noticeText, type Notice } from './notices.js'
import { StoreError, type Backup, type Capabilities, type EntryTarget, type StoreKind, type StoreWriter } from '../types.js'

/** A backup of one of these places: the bundle file as it was, or the keystore entry (java/write.ts). */
export const pointedBackupData = z.union([bundleEditData, javaBackupData])
export type PointedData = z.infer<typeof pointedBackupData>
type JavaData = z.infer<typeof javaBackupData>

/** Why CertAudit leaves a place to the user. */
export type ManualReason = NotEditable | { readonly reason: 'folder'; readonly file: string } | { readonly reason: 'keystore'; readonly file: string; readonly command: string }

/** What a kind says about its places, in its own notices. */
export interface PointedWords {
  /** What to do by hand. */
  manual(target: EntryTarget, why: ManualReason, env: Environment): Notice
  /** What to know before CertAudit edits the place (`others`: the certificates left in a bundle; null for a keystore). */
  warnings(target: EntryTarget, others: number | null): Notice[]
}

/** What `location` is: a folder, a Java keystore, or anything else (a bundle, or nothing). */
export async function placeType(env: Environment, location: string): Promise<'folder' | 'keystore' | 'other'> {
  try {
    const info = await machineFile(env, location)
    if (info.type === 'dir') return 'folder'
    return info.type === 'file' && detectKeystoreFormat(readRegularFileHeadSync(info.realPath, 16, { noFollow: true, shown: location })) ? 'keystore' : 'other'
  } catch {
    return 'other'
  }
}

/** The writer of a kind whose places are bundles, folders and keystores that settings name. */
export function pointedWriter(kind: StoreKind, words: PointedWords): StoreWriter<PointedData> {
  const manual = (target: EntryTarget, why: ManualReason, env: Environment): Capabilities => ({ modes: [], needsAdmin: false, manual: words.manual(target, why, env) })
  return {
    kind,
    async capabilities(target, env) {
      const type = await placeType(env, target.location)
      if (type === 'folder') return manual(target, { reason: 'folder', file: target.location }, env)
      if (type === 'keystore') {
        const owned = await userFile(env, target.location)
        if ('reason' in owned) return manual(target, { reason: 'keystore', file: target.location, command: keytoolDelete(target, env) }, env)
        const can = await javaWriter.capabilities(target, env)
        return can.modes.length ? { ...can, warnings: [...(can.warnings ?? []), ...words.warnings(target, null)] } : can
      }
      const editable = await bundleEditability(target, env)
      if ('reason' in editable) return manual(target, editable, env)
      const warnings = words.warnings(target, editable.others)
      return { modes: ['delete'], needsAdmin: false, ...(warnings.length ? { warnings } : {}) }
    },
    async backup(target, env) {
      const type = await placeType(env, target.location)
      if (type === 'keystore' && !('reason' in (await userFile(env, target.location)))) return javaWriter.backup(target, env)
      if (type !== 'other') throw new StoreError('not-changeable', noticeText(words.manual(target, type === 'folder' ? { reason: 'folder', file: target.location } : { reason: 'keystore', file: target.location, command: keytoolDelete(target, env) }, env)))
      return backupBundleEdit(target, env)
    },
    async apply(backup, mode, env, elevation) {
      return isBundleEdit(backup) ? applyBundleEdit(backup, mode, env, elevation) : javaWriter.apply(backup as Backup<JavaData>, mode, env, elevation)
    },
    async restore(backup, env, elevation) {
      return isBundleEdit(backup) ? restoreBundleEdit(backup, env, elevation) : javaWriter.restore(backup as Backup<JavaData>, env, elevation)
    },
  }
}

function isBundleEdit(backup: Backup<PointedData>): backup is Backup<BundleEditData> {
  return 'edit' in backup.data
}

/** The keytool command that deletes the entry, as people paste it (the JDK's default password shown). */
function keytoolDelete(target: EntryTarget, env: Environment): string {
  return formatCommand(['keytool', '-delete', '-alias', target.entry, '-keystore', target.location, '-storepass', DEFAULT_PASSWORD], shellFor(env.platform))
}

/** The names of what points programs at a place, for a notice: its facts' setBy, or the words given. */
export function settersOf(target: EntryTarget, otherwise: string): string {
  const setBy = target.facts?.setBy ?? []
  return setBy.length ? setBy.join('; ') : otherwise
}
