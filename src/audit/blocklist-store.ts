/**
 * Where installed blocklist updates live, and which list is in use. The folder (the data folder's
 * `blocklist/`, chosen by the caller) holds `current.signed.json` and `previous.signed.json`: each keeps
 * the list's exact text together with its signature, so one rename installs both and they can never
 * disagree after a crash. Every read re-checks the signature: a list edited on disk is never used.
 */
import type { KeyObject } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_BLOCKLIST_PATH, loadBlocklist, type Blocklist } from './blocklist.js'
import { checkNewer, verifySignedBlocklist, type SignedListErrorCode } from './blocklist-signature.js'

export interface BlocklistStoreOptions {
  /** The folder of installed lists, e.g. `<data folder>/blocklist`. */
  readonly dir: string
  readonly publicKeys: readonly KeyObject[]
  readonly bundledPath?: string
}

/** The list in use and where it came from. `warnings` say why an installed list was not used. */
export interface ActiveBlocklist {
  readonly blocklist: Blocklist
  readonly source: 'bundled' | 'installed'
  readonly path: string
  readonly warnings: readonly string[]
}

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
  if (!existsSync(path)) return null
  let envelope: Envelope
  try {
    envelope = JSON.parse(readFileSync(path, 'utf8')) as Envelope
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
  const installed = readInstalled(join(options.dir, CURRENT), options.publicKeys) ?? readInstalled(join(options.dir, PREVIOUS), options.publicKeys)
  if (installed?.ok && installed.blocklist.version > bundled.version) {
    return { blocklist: installed.blocklist, source: 'installed', path: installed.path, warnings: [] }
  }
  const warnings = installed && !installed.ok ? [`${installed.message} Using the bundled list (version ${bundled.version} of ${bundled.updated}).`] : []
  return { blocklist: bundled, source: 'bundled', path: bundledPath, warnings }
}

export type InstallErrorCode = SignedListErrorCode | 'unreadable' | 'downgrade' | 'write-failed' | 'nothing-to-roll-back'

export type InstallResult =
  | { readonly ok: true; readonly unchanged: boolean; readonly installed: Blocklist; readonly replaced: ActiveBlocklist; readonly path: string }
  | { readonly ok: false; readonly error: { readonly code: InstallErrorCode; readonly message: string } }

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
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
    bytes = await readOptional(file)
    signature = await readOptional(`${file}.sig`)
  } catch (error) {
    return { ok: false, error: { code: 'unreadable', message: `Cannot read ${file}: ${(error as Error).message}` } }
  }
  if (!bytes) return { ok: false, error: { code: 'unreadable', message: `${file} does not exist.` } }
  const verified = verifySignedBlocklist(bytes, signature?.toString('utf8') ?? null, keys, file)
  if (!verified.ok) return verified
  return { ok: true, blocklist: verified.blocklist, text: verified.text, signature: signature!.toString('utf8').trim() }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o644)
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
    await mkdir(options.dir, { recursive: true })
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

/**
 * Puts the previous list back as the current one, and the current one in its place, so a second
 * rollback undoes the first. The user asked for it, so going back a version is allowed here.
 */
export async function rollbackBlocklist(options: BlocklistStoreOptions): Promise<InstallResult> {
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
  const previous = readInstalled(join(options.dir, PREVIOUS), options.publicKeys)
  const { version, updated, entries } = active.blocklist
  return {
    active: { version, updated, entries: entries.length, source: active.source, path: active.path },
    previous: previous?.ok ? { version: previous.blocklist.version, updated: previous.blocklist.updated } : null,
    warnings: active.warnings,
  }
}
