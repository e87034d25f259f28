import { z } from 'zod'
import { noticeText, type Notice } from './notices.js'
import { StoreError, type EntryTarget, type StoreKind, type StoreWriter } from '../types.js'

/** The backup data of a store CertAudit never changes: there is none, since nothing is ever backed up there. */
export const NO_BACKUP_DATA = z.object({}).strict()

/**
 * The writing half of a store CertAudit must not edit: it plans the entry as "manual" with what the
 * user should do instead, and refuses every change.
 */
export function manualWriter(kind: StoreKind, instructions: (target: EntryTarget) => Notice): StoreWriter<z.infer<typeof NO_BACKUP_DATA>> {
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
