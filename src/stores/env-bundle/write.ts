/**
 * A variable is never changed (it is set in the user's shell or session); what it points at may be:
 * a bundle in the user's own home folder is edited with a backup, a keystore of theirs changed with
 * keytool (shared/pointed-writer.ts). Anything else is left to the user, with which variable to unset
 * and where it is set.
 */
import { pointedBackupData, pointedWriter, settersOf, type ManualReason } from '../shared/pointed-writer.js'
import type { EntryTarget } from '../types.js'
import { envBundleNotices } from './notices.js'

function manual(target: EntryTarget, why: ManualReason) {
  const values = { location: target.location, setBy: settersOf(target, 'an environment variable'), entry: target.entry }
  switch (why.reason) {
    case 'folder':
      return envBundleNotices.notice('env-bundle-folder', values)
    case 'keystore':
      return envBundleNotices.notice('env-bundle-keystore', { ...values, command: why.command })
    case 'cannot-cut':
    case 'too-large':
      return envBundleNotices.notice('env-bundle-cannot-cut', values)
    case 'outside-home':
    case 'not-yours':
    case 'read-only':
      return envBundleNotices.notice('env-bundle-not-yours', values)
    default:
      return envBundleNotices.notice('env-bundle')
  }
}

function warnings(target: EntryTarget, others: number | null) {
  const values = { location: target.location, setBy: settersOf(target, 'an environment variable') }
  return others === 0 ? [envBundleNotices.notice('env-bundle-empty', values)] : [envBundleNotices.notice('env-bundle-still-set', values)]
}

/** Bundles and keystores that variables point at: the user's own are edited, the rest explained. */
export const envBundleWriter = pointedWriter('env-bundle', { manual, warnings })

/** A bundle file as it was, or a keystore entry (java/write.ts). */
export const envBundleBackupData = pointedBackupData
