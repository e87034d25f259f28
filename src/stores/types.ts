/**
 * The one interface every kind of trust store implements (DESIGN.md, "Store adapters"): a folder
 * src/stores/<kind>/ whose index.ts exports a {@link StoreAdapter}, registered once in registry.ts.
 */
import type { z } from 'zod'
import type { FindingLocation, Problem, TrustState } from '../audit/report.js'
import type { StoreKind } from './registry.js'
import type { Environment } from './shared/environment.js'
import type { Notice, NoticeCatalogue } from './shared/notices.js'

export type { StoreKind, TrustState }

/**
 * What CertAudit knows about a store besides its path, as fields the window turns into words in the
 * user's language ("Firefox, profile “work”"), never by reading the English note.
 */
export interface StoreFacts {
  /**
   * The program whose own store this is (chrome … yandex: that browser family's own store, kind `chromium`;
   * `system`: no one program's, the computer's shared NSS database /etc/pki/nssdb).
   */
  readonly program?: 'firefox' | 'thunderbird' | 'chromium' | 'java' | 'chrome' | 'edge' | 'brave' | 'vivaldi' | 'opera' | 'yandex' | 'system'
  /**
   * A browser's product name, as its makers write it ("Google Chrome Beta", "Opera GX", "Chromium (snap)",
   * and for a Firefox fork "LibreWolf", "Tor Browser"): whose own store this is, or whom a policy is for.
   */
  readonly browser?: string
  /** The program's profile (Firefox, Thunderbird, a Chromium-family browser's name for it). */
  readonly profile?: string
  /** The profile folder is not listed in the program's profiles.ini (a forgotten or hidden profile). */
  readonly unlisted?: boolean
  /** The system store's distribution family, e.g. "Debian/Ubuntu". */
  readonly distro?: string
  /** The environment variables or settings that point programs at this bundle or folder. */
  readonly setBy?: readonly string[]
  /** A browser policy's level: `managed` (mandatory: the user cannot change it) or `recommended` (a default). */
  readonly policyLevel?: 'managed' | 'recommended'
  /** Whom a browser policy applies to: every user of the machine, or one user. */
  readonly policyScope?: 'machine' | 'user'
  /** CAPlatformIntegrationEnabled as the policy sets it: false when the browser ignores the roots users added to the OS store. */
  readonly caPlatformIntegration?: boolean
  /** The language runtime or developer tool whose own roots these are: python, pip, npm, yarn, conda, curl, docker … */
  readonly tool?: string
  /** The virtual environment, conda environment or Python installation (its folder), or the container registry, it belongs to. */
  readonly environment?: string
  /** The libraries and programs that read this default bundle or folder ("OpenSSL", "Go", "curl"…; the openssl kind). */
  readonly readBy?: readonly string[]
  /** The place is a folder of certificate files, not a bundle (the openssl kind). */
  readonly folder?: boolean
}

/** One place of one kind on this machine: a bundle file, an NSS database, a keystore… */
export interface StoreLocation {
  /** Unique within a scan, stable across scans of the same machine: `kind:path`. */
  readonly id: string
  readonly kind: StoreKind
  /** The path (or OS store name) people would recognise. */
  readonly location: string
  /** Why this place is scanned, e.g. "set by SSL_CERT_FILE" (English, for the CLI and the report). */
  readonly note?: string
  readonly facts?: StoreFacts
}

/**
 * What put a certificate in one place, where CertAudit can tell, and whether it will come back after a
 * removal: the answer of src/stores/shared/placed-by.ts for each place of each finding (the report's
 * `placedBy`, the plan's advice, the guard's "put there by").
 */
export interface PlacedBy {
  /**
   * `policy`: an enterprise policy (a browser's, a Firefox policies.json, Windows Group Policy or Active
   * Directory, a macOS configuration profile); `package`: a file a package owns (dpkg or rpm);
   * `environment`: a variable or setting points programs at it; `generated`: a file rebuilt from another
   * store (Java's shared keystore from the system certificates); `hand`: by hand, or by a program
   * CertAudit cannot name.
   */
  readonly by: 'policy' | 'package' | 'environment' | 'generated' | 'hand'
  /**
   * Its name as people would look for it: the policy ("Firefox Certificates.Install", "Google Chrome
   * CACertificates", "Group Policy"), the package, the variables, or what a generated file comes from.
   */
  readonly name?: string
  /** The file (or registry key) to change: the policy file, the package's file, the file that sets the variable, the source a generated file is rebuilt from. */
  readonly file?: string
  /** The line of `file` that sets the variable. */
  readonly line?: number
  /** `generated`: the command that rebuilds it (`update-ca-certificates`, `update-ca-trust`). */
  readonly tool?: string
  /** `policy`: the policy is a managed preference a macOS configuration profile (MDM) installed. */
  readonly profile?: boolean
  /** True when what placed it puts it back after a removal, until that cause itself goes. */
  readonly comesBack: boolean
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

/** One store entry that a removal will change, as the plan names it. JSON-safe: it is journaled. */
export interface EntryTarget {
  readonly storeId: string
  readonly kind: StoreKind
  /** The store's location (profile folder, keystore file, system bundle). */
  readonly location: string
  /** Nickname, alias or file label, as listed. */
  readonly entry: string
  /** SHA-256 of the certificate: the only identity a change trusts. */
  readonly sha256: string
  /** The certificate itself, PEM. */
  readonly pem: string
  readonly trust: TrustState
  readonly origin?: { readonly file: string; readonly confLine?: number }
  /** The store's facts at planning time, so the history can name it without a scan. */
  readonly facts?: StoreFacts
}

/**
 * What an adapter saved before changing an entry: enough to put it back exactly. `data` holds the
 * adapter's own facts (NSS nickname and trust flags, keystore alias and type, the anchor file's bytes
 * or the conf line…), in the shape of the adapter's {@link StoreAdapter.backupData} schema. JSON-safe:
 * it is written to the backup folder, and parsed with that schema whenever it is read back.
 */
export interface Backup<Data = BackupData> {
  readonly target: EntryTarget
  /** The certificate as exported from the store at backup time (PEM); its SHA-256 must be target.sha256. */
  readonly exportedPem: string
  readonly data: Data
}

/** The JSON values an adapter may keep in a backup. */
export type BackupData = Readonly<Record<string, string | number | boolean | null>>

/** A command run while changing a store, with what it said: errors name the command and its output. */
export interface CommandRecord {
  readonly command: readonly string[]
  readonly exitCode: number | null
  readonly stdout: string
  readonly stderr: string
  readonly elevated: boolean
}

/** What applying or restoring one entry did. `ok` is the tools' word only: the caller re-reads the store to verify. */
export interface ChangeOutcome {
  readonly ok: boolean
  readonly commands: readonly CommandRecord[]
  /** Why it failed, in plain words. */
  readonly message?: string
  /** Things the user should know (Firefox is running, the update command could not be run here …). */
  readonly warnings?: readonly string[]
}

export type RemovalMode = 'delete' | 'distrust'

/**
 * Whether a store's parts agree, as re-reading them shows: the Linux system store's sources and its
 * bundle (and /etc/ssl/certs), an NSS database and its SQLite journal. A kill inside the store's tool
 * can leave them apart; resume and undo then bring them back together before judging anything.
 */
export interface Settled {
  readonly consistent: boolean
  /** What disagrees, in plain words (English). */
  readonly detail?: string
  /** The commands run to bring the parts back together, when any ran. */
  readonly outcome?: ChangeOutcome
}

/** What a store can do with one entry, decided before anything changes. */
export interface Capabilities {
  /** Modes this entry supports; empty when it can only be changed by hand. */
  readonly modes: readonly RemovalMode[]
  /** True when the change needs the OS admin prompt (the files are not writable by this user). */
  readonly needsAdmin: boolean
  /** For entries CertAudit must not edit (env bundles, policies): what the user should do instead. */
  readonly manual?: Notice
  /** What the user should know before the change (Firefox is running, Windows will ask …). */
  readonly warnings?: readonly Notice[]
  /** Notes that apply to one mode only (e.g. "distrust removes the file here"); shown only for that mode. */
  readonly modeWarnings?: Partial<Readonly<Record<RemovalMode, Notice>>>
}

/** Runs commands, asking the OS for admin rights for exactly the commands that need them. */
export interface Elevation {
  run(command: string, args: readonly string[], options: { readonly admin: boolean; readonly input?: string }): Promise<CommandRecord>
}

/** One place of a certificate, as placed-by.ts asks a kind about it. */
export interface PlacedPlace extends Omit<FindingLocation, 'placedBy'> {
  /** The facts of its store, as discover gave them. */
  readonly facts?: StoreFacts
}

/** What a kind is asked about: one place, and the same certificate's other places in this scan. */
export interface Placement {
  readonly place: PlacedPlace
  readonly elsewhere: readonly PlacedPlace[]
  /** The kinds this scan read: that a kind not read holds nothing proves nothing. */
  readonly scannedKinds: ReadonlySet<StoreKind>
}

/** What placed-by.ts lends a kind while it answers: each is asked once per file per scan. */
export interface PlacementContext {
  readonly env: Environment
  /** The package(s) owning a file under the system root, from the root's own dpkg or rpm database; null when none does or none can tell. */
  owner(path: string): Promise<string | null>
  /** The file (and its line) that sets `variable` to `path` at log-in, read from the files that set variables; null when none is found. */
  setting(variable: string, path: string): Promise<{ readonly file: string; readonly line: number } | null>
}

/**
 * One kind of trust store, whole: where it is, how to read it, and how to change it safely.
 *
 * `list` yields entries as it reads them instead of returning an array, so a 100,000-certificate
 * store streams through the auditor. It throws {@link StoreError} when the store cannot be read at
 * all (the scan records the store as failed and goes on).
 *
 * The writing verbs never claim success on their own: the removal engine re-lists the store. A
 * backup read back from disk reaches `apply` and `restore` only after {@link backupData} parsed its
 * `data`, so a writer never checks the shape of its own backup by hand.
 */
export interface StoreAdapter<Data = BackupData> {
  readonly kind: StoreKind
  /** Every place of this kind on this machine; nothing on a platform the kind does not belong to. */
  discover(env: Environment): Promise<StoreLocation[]>
  list(location: StoreLocation, env: Environment): AsyncIterable<ListItem>
  capabilities(target: EntryTarget, env: Environment): Promise<Capabilities>
  /** Exports the entry from the live store. Throws StoreError when it is gone or cannot be read. */
  backup(target: EntryTarget, env: Environment): Promise<Backup<Data>>
  apply(backup: Backup<Data>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome>
  restore(backup: Backup<Data>, env: Environment, elevation: Elevation): Promise<ChangeOutcome>
  /**
   * For stores whose tools work in several steps (a rebuild, a database transaction): whether the
   * store the target lives in is whole ({@link Settled}); with `elevation`, brought back to whole
   * first (the bundle rebuilt, the database's hot journal rolled back). Kinds without it are whole
   * after any kill.
   */
  settle?(target: EntryTarget, env: Environment, elevation?: Elevation): Promise<Settled>
  /** The shape of this kind's `Backup.data`. */
  readonly backupData: z.ZodType<Data>
  /** What this kind tells people (steps by hand, warnings), in every language. */
  readonly notices: NoticeCatalogue
  /**
   * What put a certificate in one of this kind's places, where the kind knows better than the shared
   * rules (its policy file, its Group Policy store, the system store a keystore is generated from).
   * Null, or no such verb, leaves it to them: src/stores/shared/placed-by.ts.
   */
  placedBy?(placement: Placement, context: PlacementContext): Promise<PlacedBy | null>
}

/** The reading half of an adapter (what a scan uses). */
export type StoreReader = Pick<StoreAdapter, 'kind' | 'discover' | 'list'>

/** The writing half of an adapter (what a removal uses besides re-reading). */
export type StoreWriter<Data = BackupData> = Pick<StoreAdapter<Data>, 'kind' | 'capabilities' | 'backup' | 'apply' | 'restore' | 'settle'>
