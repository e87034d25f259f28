import type { Problem, StoreKind, TrustState } from '../audit/report.js'
import type { Environment } from './environment.js'

export type { StoreKind, TrustState }

/** One place of one kind on this machine: a bundle file, an NSS database, a keystore… */
export interface StoreLocation {
  /** Unique within a scan, stable across scans of the same machine: `kind:path`. */
  readonly id: string
  readonly kind: StoreKind
  /** The path (or OS store name) people would recognise. */
  readonly location: string
  /** Why this place is scanned, e.g. "set by SSL_CERT_FILE". */
  readonly note?: string
}

/** A certificate as one store holds it. */
export interface StoreEntry {
  readonly der: Uint8Array
  /** Nickname, alias, file name, or position in a bundle. */
  readonly entry: string
  readonly trust: TrustState
  /** The file that puts this certificate in the store (an anchor file, a distro file and its conf line), for removal. */
  readonly origin?: { readonly file: string; readonly confLine?: number }
}

/**
 * What a store yields while it is read: entries, and problems with single entries (the read goes on).
 * Streaming keeps memory flat for very large stores.
 */
export type ListItem = ({ readonly type: 'entry' } & StoreEntry) | ({ readonly type: 'problem' } & Problem)

/**
 * Reading side of a trust store adapter (DESIGN.md, "Store adapters"). One file per store kind
 * implements it; the removal verbs (backup, remove, restore) join it with the removal work.
 *
 * `list` yields entries as it reads them instead of returning an array, so a 100,000-certificate
 * store streams through the auditor. It throws {@link StoreError} when the store cannot be read at
 * all (the scan records the store as failed and goes on).
 */
export interface StoreReader {
  readonly kind: StoreKind
  discover(env: Environment): Promise<StoreLocation[]>
  list(location: StoreLocation, env: Environment): AsyncIterable<ListItem>
}

/** A store that cannot be read at all, with a message for people and a code for scripts. */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}
