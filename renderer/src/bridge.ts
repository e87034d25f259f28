import type { CertAuditBridge } from './types'

declare global {
  interface Window {
    /** Defined by electron/preload.ts (or the end-to-end harness) before the page runs. */
    readonly certAudit?: CertAuditBridge
  }
}

/** The engine's verbs; undefined when the page was opened outside CertAudit. */
export function findBridge(): CertAuditBridge | undefined {
  return window.certAudit
}

/** The message of whatever a verb threw (the engine's errors are plain `Error`s with a sentence). */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // Electron prefixes IPC errors: "Error invoking remote method 'scan:start': Error: …".
  return message.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '')
}
