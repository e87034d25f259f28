import { notice, noticeText, type Notice } from './notices.js'
import { StoreError, type EntryTarget, type StoreKind, type StoreWriter } from '../types.js'

/**
 * The writer of a store CertAudit must not edit: it plans the entry as "manual" with what the user
 * should do instead, and refuses every change.
 */
export function manualWriter(kind: StoreKind, instructions: (target: EntryTarget) => Notice): StoreWriter {
  const refuse = (target: EntryTarget): never => {
    throw new StoreError('manual-only', noticeText(instructions(target)))
  }
  return {
    kind,
    capabilities: async (target) => ({ modes: [], needsAdmin: false, manual: instructions(target) }),
    backup: async (target) => refuse(target),
    apply: async (backup) => refuse(backup.target),
    restore: async (backup) => refuse(backup.target),
  }
}

/** Bundles that environment variables or git point programs at: the user's own files, never edited. */
export const envBundleWriter = manualWriter('env-bundle', (t) => notice('env-bundle', { location: t.location }))

/** Firefox enterprise policies re-install their certificates at every start: the file must change. */
export const firefoxPoliciesWriter = manualWriter('nss', (t) => notice('firefox-policy', { location: t.location }))

/** A file named with --file is not a trust store. */
export const namedFileWriter = manualWriter('file', (t) => notice('named-file', { location: t.location }))
