import { StoreError, type EntryTarget, type StoreKind, type StoreWriter } from './types.js'

/**
 * The writer of a store CertAudit must not edit: it plans the entry as "manual" with what the user
 * should do instead, and refuses every change.
 */
export function manualWriter(kind: StoreKind, instructions: (target: EntryTarget) => string): StoreWriter {
  const refuse = (target: EntryTarget): never => {
    throw new StoreError('manual-only', instructions(target))
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
export const envBundleWriter = manualWriter(
  'env-bundle',
  (t) =>
    `${t.location} is a bundle that an environment variable or a git setting points programs at. CertAudit does not edit it: remove this certificate from that file, or stop pointing programs at it (unset the variable, or remove the git setting).`,
)

/** Firefox enterprise policies re-install their certificates at every start: the file must change. */
export const firefoxPoliciesWriter = manualWriter(
  'nss',
  (t) =>
    `The Firefox policy file ${t.location} installs this certificate into every profile each time Firefox starts, so removing it from profiles does not last. Remove it from "Certificates" → "Install" in that file (if your organisation manages it, ask them).`,
)

/** A file named with --file is not a trust store. */
export const namedFileWriter = manualWriter('file', (t) => `${t.location} was named on the command line; it is not a trust store, so there is nothing to remove it from.`)
