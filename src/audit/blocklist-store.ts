/**
 * Where installed blocklist updates live, and which list is in use. The folder (the data folder's
 * `blocklist/`, chosen by the caller) holds `current.signed.json` and `previous.signed.json`: each keeps
 * the list's exact text together with its signature, so one rename installs both and they can never
 * disagree after a crash. Every read re-checks the signature: a list edited on disk is never used.
 */
import type { KeyObject } from 'node:crypto'
import { constants, existsSync, lstatSync } from 'node:fs'
import { open, rename } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { ensurePrivateFolder, UnsafeFolderError } from '../stores/shared/private-folder.js'
import { readRegularFile, readRegularFileSync } from '../stores/shared/regular-file.js'
import { StoreError } from '../stores/types.js'
import { BlocklistError, DEFAULT_BLOCKLIST_PATH, loadBlocklist, MAX_BLOCKLIST_BYTES, parseBlocklistBytes, readBlocklistFile, type Blocklist } from './blocklist.js'
import { checkNewer, verifySignedBlocklist, type SignedListErrorCode } from './blocklist-signature.js'

export interface BlocklistStoreOptions {
  /** The folder of installed lists, e.g. `<data folder>/blocklist`. */
  readonly dir: string
  readonly publicKeys: readonly KeyObject[]
  readonly bundledPath?: string
}

/**
 * Where the list a scan uses came from, as the report says it: bundled with CertAudit, an installed
 * update (its signature checked at every start), or a file named with --blocklist; and whether
 * CertAudit's release key vouches for it. The bundled list is part of the signed app.
 */
export interface BlocklistOrigin {
  readonly source: 'bundled' | 'installed' | 'file'
  readonly signed: boolean
}

/** The list in use and where it came from. `warnings` say why an installed list was not used. */
export interface ActiveBlocklist extends BlocklistOrigin {
  readonly blocklist: Blocklist
  readonly source: 'bundled' | 'installed'
  readonly path: string
  readonly warnings: readonly string[]
}

/** An installed list is the list's text in a small envelope: bigger than the largest list allows, it is not one. */
const MAX_ENVELOPE_BYTES = 2 * MAX_BLOCKLIST_BYTES
/** A signature file is 88 bytes of base64. */
const MAX_SIGNATURE_BYTES = 64 * 1024

interface Envelope {
  readonly format: 'certaudit-signed-blocklist'
  readonly installedAt: string
  readonly from: string
  readonly signature: string
  /** The list exactly as signed. */
  readonly list: string
}

const CURRENT = 'current.signed.json'
const PREVIOUS = 'previous.signed.json'

type ReadInstalled = { ok: true; blocklist: Blocklist; envelope: Envelope; path: string } | { ok: false; path: string; message: string } | null

/** Reads and verifies one installed list; null when there is none. */
function readInstalled(path: string, keys: readonly KeyObject[]): ReadInstalled {
  // lstat, not existsSync: a link put there (a loop, a link to /dev/zero) is something, and is refused with why.
  if (!lstatSync(path, { throwIfNoEntry: false })) return null
  let envelope: Envelope
  try {
    // Never a FIFO, a device or a link (the folder is ours; a link in it was not put there by CertAudit).
    envelope = JSON.parse(readRegularFileSync(path, { maxBytes: MAX_ENVELOPE_BYTES, noFollow: true, what: 'installed blocklist' }).toString('utf8')) as Envelope
    if (envelope.format !== 'certaudit-signed-blocklist' || typeof envelope.list !== 'string' || typeof envelope.signature !== 'string') {
      throw new Error('not a CertAudit signed blocklist')
    }
  } catch (error) {
    return { ok: false, path, message: `The installed blocklist ${path} cannot be read (${(error as Error).message}).` }
  }
  const verified = verifySignedBlocklist(Buffer.from(envelope.list, 'utf8'), envelope.signature, keys, `the installed blocklist ${path}`)
  if (!verified.ok) return { ok: false, path, message: verified.error.message }
  return { ok: true, blocklist: verified.blocklist, envelope, path }
}

/**
 * The list to use: the installed one when its signature holds and it is newer than the bundled one (an
 * app update may bring a newer list), otherwise the bundled one. A current list that is missing (an
 * install cut short between its two renames) falls back to the previous one.
 */
export function loadActiveBlocklist(options: BlocklistStoreOptions): ActiveBlocklist {
  const bundledPath = options.bundledPath ?? DEFAULT_BLOCKLIST_PATH
  const bundled = loadBlocklist(bundledPath)
  const using = `Using the bundled list (version ${bundled.version} of ${bundled.updated}).`
  let folder: { usable: boolean; notes: string[] }
  try {
    folder = checkFolders(options, false)
  } catch (error) {
    if (!(error instanceof UnsafeFolderError)) throw error
    // A linked or foreign folder is not read at all: the lists in it are not CertAudit's to trust.
    return { blocklist: bundled, source: 'bundled', signed: true, path: bundledPath, warnings: [`${error.message} The installed blocklist there was not used. ${using}`] }
  }
  const installed = folder.usable ? (readInstalled(join(options.dir, CURRENT), options.publicKeys) ?? readInstalled(join(options.dir, PREVIOUS), options.publicKeys)) : null
  if (installed?.ok && installed.blocklist.version > bundled.version) {
    return { blocklist: installed.blocklist, source: 'installed', signed: true, path: installed.path, warnings: folder.notes }
  }
  const warnings = [...folder.notes, ...(installed && !installed.ok ? [`${installed.message} ${using}`] : [])]
  return { blocklist: bundled, source: 'bundled', signed: true, path: bundledPath, warnings }
}

/**
 * The data folder and its `blocklist/`, checked (and with `create`, made) before a list is read from or
 * written to them (shared/private-folder.ts): a link or another user's folder throws
 * {@link UnsafeFolderError}; one of ours that others may write to is made private (`notes` say so).
 */
function checkFolders(options: BlocklistStoreOptions, create: boolean): { usable: boolean; notes: string[] } {
  const data = ensurePrivateFolder(dirname(options.dir), 'data folder', { create, parents: true })
  if (!data.exists) return { usable: false, notes: [] }
  const lists = ensurePrivateFolder(options.dir, 'blocklist folder', { create })
  return { usable: lists.exists, notes: [...data.repaired, ...lists.repaired] }
}

export type InstallErrorCode = SignedListErrorCode | 'unreadable' | 'downgrade' | 'write-failed' | 'nothing-to-roll-back' | 'unsafe-folder'

export type InstallResult =
  | { readonly ok: true; readonly unchanged: boolean; readonly installed: Blocklist; readonly replaced: ActiveBlocklist; readonly path: string }
  | { readonly ok: false; readonly error: { readonly code: InstallErrorCode; readonly message: string } }

/** A file's bytes (a regular file, at most `maxBytes`), or null when there is none. Throws StoreError. */
async function readOptional(path: string, maxBytes: number, what: string): Promise<Buffer | null> {
  try {
    return await readRegularFile(path, { maxBytes, what })
  } catch (error) {
    if (error instanceof StoreError && error.code === 'enoent') return null
    throw error
  }
}

/** {@link readOptional}, synchronously. */
function readOptionalSync(path: string, maxBytes: number, what: string): Buffer | null {
  try {
    return readRegularFileSync(path, { maxBytes, what })
  } catch (error) {
    if (error instanceof StoreError && error.code === 'enoent') return null
    throw error
  }
}

/** A list named with --blocklist: used as given (for list authors and tests), and said whether CertAudit's key signed it. */
export interface NamedBlocklist extends BlocklistOrigin {
  readonly blocklist: Blocklist
  readonly source: 'file'
  /** Why it is not signed, for a warning; absent when it is. */
  readonly warning?: string
}

/**
 * Loads the list a user names (`--blocklist PATH`), reading PATH once and checking PATH.sig against
 * the release keys. An unsigned list is still used — authors test lists before they are signed — but
 * the caller warns, and the report says `signed: false`: such a list can leave a certificate out or
 * rate it lower than the official list. Throws {@link BlocklistError} when it cannot be read or is invalid.
 */
export function loadNamedBlocklist(path: string, keys: readonly KeyObject[]): NamedBlocklist {
  const bytes = readBlocklistFile(path)
  let signature: string | null
  let unreadable: string | undefined
  try {
    signature = readOptionalSync(`${path}.sig`, MAX_SIGNATURE_BYTES, 'signature file')?.toString('utf8') ?? null
  } catch (error) {
    signature = null
    unreadable = (error as Error).message
  }
  const verified = verifySignedBlocklist(bytes, signature, keys, path)
  if (verified.ok) return { blocklist: verified.blocklist, source: 'file', signed: true }
  if (verified.error.code === 'invalid-list') throw new BlocklistError(verified.error.message)
  const blocklist = parseBlocklistBytes(bytes, path)
  const why = unreadable ? `its signature file cannot be read: ${unreadable}` : verified.error.message
  return {
    blocklist,
    source: 'file',
    signed: false,
    warning:
      `The blocklist ${path} is not signed with CertAudit's release key (${why}). It is used as given, but it may leave out ` +
      `certificates or rate them lower than the official list; the report says "signed": false.`,
  }
}

/** Reads `file` and `file.sig` and verifies them; errors are data. */
export async function readSignedFile(file: string, keys: readonly KeyObject[]): Promise<
  | { ok: true; blocklist: Blocklist; text: string; signature: string }
  | { ok: false; error: { code: InstallErrorCode; message: string } }
> {
  let bytes: Buffer | null
  let signature: Buffer | null
  try {
    bytes = await readOptional(file, MAX_BLOCKLIST_BYTES, 'blocklist')
    signature = await readOptional(`${file}.sig`, MAX_SIGNATURE_BYTES, 'signature file')
  } catch (error) {
    return { ok: false, error: { code: 'unreadable', message: (error as Error).message } }
  }
  if (!bytes) return { ok: false, error: { code: 'unreadable', message: `${file} does not exist.` } }
  const verified = verifySignedBlocklist(bytes, signature?.toString('utf8') ?? null, keys, file)
  if (!verified.ok) return verified
  return { ok: true, blocklist: verified.blocklist, text: verified.text, signature: signature!.toString('utf8').trim() }
}

/** Lists are written only where CertAudit made them: a link put in their place is not followed. Written, never read here (reads: regular-file.ts). */
const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0)

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, WRITE_NEW, 0o644)
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Installs a signed list: verified, newer than the list in use (version and date), then written next
 * to the current one and renamed over it; the current one becomes the previous one (for rollback).
 * Installing the very list already in use changes nothing and succeeds.
 */
export async function installBlocklist(file: string, options: BlocklistStoreOptions): Promise<InstallResult> {
  const read = await readSignedFile(file, options.publicKeys)
  if (!read.ok) return read
  const unsafe = refusedFolder(options)
  if (unsafe) return unsafe
  const active = loadActiveBlocklist(options)
  const current = readInstalled(join(options.dir, CURRENT), options.publicKeys)
  if (active.source === 'installed' && current?.ok && current.envelope.list === read.text) {
    return { ok: true, unchanged: true, installed: read.blocklist, replaced: active, path: current.path }
  }
  const newer = checkNewer(read.blocklist, active.blocklist)
  if (!newer.ok) return { ok: false, error: { code: newer.code, message: newer.message } }
  const envelope: Envelope = { format: 'certaudit-signed-blocklist', installedAt: new Date().toISOString(), from: file, signature: read.signature, list: read.text }
  const target = join(options.dir, CURRENT)
  try {
    const incoming = join(options.dir, `incoming-${process.pid}.signed.json`)
    await writeDurably(incoming, JSON.stringify(envelope, null, 2) + '\n')
    // Keep only a verified list as the one to roll back to; a tampered current one is simply replaced.
    if (current?.ok) await rename(target, join(options.dir, PREVIOUS))
    await rename(incoming, target)
  } catch (error) {
    return { ok: false, error: { code: 'write-failed', message: `Could not write the new list into ${options.dir}: ${(error as Error).message}` } }
  }
  return { ok: true, unchanged: false, installed: read.blocklist, replaced: active, path: target }
}

/** The refusal of a linked or foreign data or blocklist folder (checked, and made when missing), or null. */
function refusedFolder(options: BlocklistStoreOptions): Extract<InstallResult, { ok: false }> | null {
  try {
    checkFolders(options, true)
    return null
  } catch (error) {
    if (error instanceof UnsafeFolderError) return { ok: false, error: { code: 'unsafe-folder', message: error.message } }
    return { ok: false, error: { code: 'write-failed', message: `Could not make ${options.dir}: ${(error as Error).message}` } }
  }
}

/**
 * Puts the previous list back as the current one, and the current one in its place, so a second
 * rollback undoes the first. The user asked for it, so going back a version is allowed here.
 */
export async function rollbackBlocklist(options: BlocklistStoreOptions): Promise<InstallResult> {
  const unsafe = refusedFolder(options)
  if (unsafe) return unsafe
  const currentPath = join(options.dir, CURRENT)
  const previousPath = join(options.dir, PREVIOUS)
  const previous = readInstalled(previousPath, options.publicKeys)
  if (!previous) return { ok: false, error: { code: 'nothing-to-roll-back', message: 'There is no previous blocklist to go back to.' } }
  if (!previous.ok) return { ok: false, error: { code: 'bad-signature', message: `${previous.message} It cannot be rolled back to.` } }
  const before = loadActiveBlocklist(options)
  try {
    const aside = join(options.dir, `rollback-${process.pid}.signed.json`)
    if (existsSync(currentPath)) await rename(currentPath, aside)
    await rename(previousPath, currentPath)
    if (existsSync(aside)) await rename(aside, previousPath)
  } catch (error) {
    return { ok: false, error: { code: 'write-failed', message: `Could not swap the lists in ${options.dir}: ${(error as Error).message}` } }
  }
  return { ok: true, unchanged: false, installed: previous.blocklist, replaced: before, path: currentPath }
}

/** What `certaudit blocklist status` and the app show: the list in use and the one to roll back to. */
export interface BlocklistStatus {
  readonly active: { readonly version: number; readonly updated: string; readonly entries: number; readonly source: 'bundled' | 'installed'; readonly path: string }
  readonly previous: { readonly version: number; readonly updated: string } | null
  readonly warnings: readonly string[]
}

export function blocklistStatus(options: BlocklistStoreOptions): BlocklistStatus {
  const active = loadActiveBlocklist(options)
  // Nothing is read from a folder that was refused (loadActiveBlocklist said why in its warnings).
  const usable = (() => {
    try {
      return checkFolders(options, false).usable
    } catch {
      return false
    }
  })()
  const previous = usable ? readInstalled(join(options.dir, PREVIOUS), options.publicKeys) : null
  const { version, updated, entries } = active.blocklist
  return {
    active: { version, updated, entries: entries.length, source: active.source, path: active.path },
    previous: previous?.ok ? { version: previous.blocklist.version, updated: previous.blocklist.updated } : null,
    warnings: active.warnings,
  }
}
