/**
 * Changes the Linux system store at its sources (DESIGN.md, "Removal"), then rebuilds the bundle with
 * the distro's own command: Debian local anchors are deleted, Debian distro certificates deselected
 * with `!` in /etc/ca-certificates.conf, p11-kit anchors (Fedora, Arch, openSUSE) deleted or
 * distrusted with a copy in the blocklist folder. Restore undoes whichever of these is on disk.
 */
import { stat } from 'node:fs/promises'
import { z } from 'zod'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { certificatesIn, findCertificate, withoutCertificate } from '../shared/certificate-blocks.js'
import { canWrite, writable } from '../shared/writable.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { realPathInRoot } from '../shared/paths.js'
import { noticeText, type Notice } from '../shared/notices.js'
import { linuxSystemNotices } from './notices.js'
import { formatCommand } from '../shared/command-text.js'
import { confinedEntry, confinedPath } from '../shared/confine.js'
import { FileChanger, readConfined } from '../shared/file-changer.js'
import { LAYOUTS as READER_LAYOUTS, type Layout } from './discover.js'
import { planRebuild, rebuild, storeDisagreement } from './rebuild.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type Elevation, type EntryTarget, type RemovalMode, type Settled, type StoreWriter } from '../types.js'

/** The writer's view of a distro family's store: which of its folders a change may touch, and how. */
interface WriterLayout {
  readonly id: string
  /** Folders of certificates the administrator added: their files may be deleted or rewritten. `direct`: only files right in it. */
  readonly adminDirs: readonly { readonly dir: string; readonly direct?: boolean }[]
  /** The distribution's own files (package-owned, replaced on upgrade): never edited, only distrusted. */
  readonly distroDirs: readonly string[]
  /** Folders whose certificates are distrusted already. */
  readonly blockedDirs: readonly string[]
  /** Where a distrusted certificate's copy goes (p11-kit's blocklist). Debian has none. */
  readonly blocklist?: string
  readonly conf?: { readonly file: string; readonly certsDir: string }
  readonly bundle: string
  /** The command that rebuilds the bundle from the sources, as run on the machine itself. */
  readonly update: readonly [string, ...string[]]
  /** The reader's layout, which the rebuild (rebuild.ts) works from. */
  readonly reader: Layout
}

/**
 * Sorts the reader's folders (discover.ts) by what a change may do to their files:
 * blocklist folders are distrusted already; folders under /usr/share belong to the distribution's
 * packages (distrust only); the rest the administrator filled (delete or rewrite).
 */
function writerLayout(layout: Layout): WriterLayout {
  const isDistro = (dir: string) => dir.startsWith('/usr/share/')
  return {
    id: layout.id,
    adminDirs: layout.sources.filter((s) => !isDistro(s.dir) && s.trust !== 'distrusted').map((s) => (s.recursive ? { dir: s.dir } : { dir: s.dir, direct: true })),
    distroDirs: layout.sources.filter((s) => isDistro(s.dir) && s.trust !== 'distrusted' && !s.recursive).map((s) => s.dir),
    blockedDirs: layout.sources.filter((s) => s.trust === 'distrusted').map((s) => s.dir),
    ...(layout.blocklist ? { blocklist: layout.blocklist } : {}),
    ...(layout.conf ? { conf: layout.conf } : {}),
    bundle: layout.bundles[0]!,
    update: layout.update,
    reader: layout,
  }
}

const LAYOUTS: readonly WriterLayout[] = READER_LAYOUTS.map(writerLayout)

/** Anchor files are a certificate or a small bundle; past this the backup (base64 in the journal) would be unreasonable. */
const MAX_ANCHOR_BYTES = 16 * 1024 * 1024

/** What a target's origin is, once checked against the store's folders: `file` is never taken on trust. */
type Source =
  | { readonly kind: 'anchor' | 'distro'; readonly layout: WriterLayout; readonly file: string }
  | { readonly kind: 'conf'; readonly layout: WriterLayout; readonly file: string; readonly conf: string; readonly line: number }
  | { readonly kind: 'manual'; readonly reason: Notice }

async function sourceOf(target: EntryTarget, env: Environment): Promise<Source> {
  const layout = LAYOUTS.find((l) => target.kind === 'linux-system' && target.storeId === `linux-system:${l.id}`)
  if (!layout) return { kind: 'manual', reason: linuxSystemNotices.notice('linux-unknown-store', { store: target.storeId }) }
  const update = `sudo ${formatCommand(layout.update)}`
  const bundle = systemPath(env, layout.bundle)
  const file = target.origin ? resolve(target.origin.file) : bundle
  if (file === bundle || file === (await realIn(env, bundle))) {
    return { kind: 'manual', reason: linuxSystemNotices.notice('linux-bundle-only', { bundle, update }) }
  }
  const inAny = async (dirs: readonly string[], direct = false) => {
    for (const dir of dirs) if (await isInside(env, dir, file, direct)) return true
    return false
  }
  if (layout.conf && target.origin?.confLine !== undefined && (await inAny([layout.conf.certsDir]))) {
    return { kind: 'conf', layout, file, conf: systemPath(env, layout.conf.file), line: target.origin.confLine }
  }
  if (await inAny(layout.blockedDirs)) return { kind: 'manual', reason: linuxSystemNotices.notice('linux-in-blocklist', { file }) }
  for (const { dir, direct } of layout.adminDirs) if (await isInside(env, dir, file, direct)) return { kind: 'anchor', layout, file }
  if (layout.blocklist && (await inAny(layout.distroDirs))) return { kind: 'distro', layout, file }
  return { kind: 'manual', reason: linuxSystemNotices.notice('linux-outside-store', { file, update }) }
}

/**
 * The target's source, once the places a change of it writes are known to stay inside the system root
 * (confine.ts): its file (or conf) and the blocklist folder. Otherwise it is left to the user.
 */
async function resolveSource(target: EntryTarget, env: Environment): Promise<Source> {
  const source = await sourceOf(target, env)
  if (source.kind === 'manual') return source
  try {
    await confinedEntry(env, source.kind === 'conf' ? source.conf : source.file)
    if (source.layout.blocklist) await confinedPath(env, systemPath(env, source.layout.blocklist))
  } catch (error) {
    if (!(error instanceof StoreError)) throw error
    return { kind: 'manual', reason: linuxSystemNotices.notice('linux-confined', { reason: error.message }) }
  }
  return source
}

async function capabilities(target: EntryTarget, env: Environment): Promise<Capabilities> {
  const source = await resolveSource(target, env)
  if (source.kind === 'manual') return { modes: [], needsAdmin: false, manual: source.reason }
  const { layout } = source
  const warnings: Notice[] = []
  const modeWarnings: { distrust?: Notice } = {}
  const files = [source.kind === 'conf' ? source.conf : source.file]
  const folders: string[] = []
  let modes: RemovalMode[] = ['delete', 'distrust']
  if (source.kind === 'conf') {
    warnings.push(linuxSystemNotices.notice('debian-conf-deselect', { file: source.file, conf: source.conf }))
  } else if (source.kind === 'distro') {
    modes = ['distrust'] // a package upgrade would undo an edit of its file; a blocklist copy outlives it
  } else {
    const bytes = await readConfined(env, source.file).catch(() => null)
    const others = bytes ? certificatesIn(bytes).filter((sha) => sha !== target.sha256).length : 0
    const cuttable = others === 0 || (bytes !== null && withoutCertificate(bytes, target.sha256) !== null)
    if (others > 0) warnings.push(linuxSystemNotices.notice(cuttable ? 'linux-others-cut' : 'linux-others-kept', { file: source.file, count: others }))
    if (!layout.blocklist) {
      // Debian reads no blocklist folder: the only way to stop trusting a local anchor is to remove it.
      if (cuttable) modeWarnings.distrust = linuxSystemNotices.notice('debian-distrust-removes')
      modes = cuttable ? ['delete', 'distrust'] : []
    } else if (!cuttable) modes = ['distrust']
  }
  const rebuilding = await planRebuild(env, layout.reader)
  if ('refused' in rebuilding) return { modes: [], needsAdmin: false, manual: linuxSystemNotices.notice('linux-confined', { reason: rebuilding.refused }) }
  if (layout.blocklist) folders.push(systemPath(env, layout.blocklist))
  if (layout.id === 'debian') folders.push(systemPath(env, '/etc/ssl/certs'))
  else if (env.systemRoot === '/') files.push(systemPath(env, layout.bundle))
  else warnings.push(linuxSystemNotices.notice('linux-update-not-run', { update: formatCommand(layout.update), root: env.systemRoot, bundle: systemPath(env, layout.bundle) }))
  // Asked of the places the change will really write (links followed inside the root), not of the links.
  const [realFiles, realFolders] = await Promise.all([Promise.all(files.map((f) => confinedEntry(env, f))), Promise.all(folders.map((f) => confinedPath(env, f)))])
  const needsAdmin = (await Promise.all([...realFiles.map(writable), ...realFolders.map(canWrite)])).some((ok) => !ok)
  if (modes.length === 0) return { modes, needsAdmin, manual: linuxSystemNotices.notice('linux-cut-by-hand', { file: source.file, update: `sudo ${formatCommand(layout.update)}` }) }
  return { modes, needsAdmin, ...(warnings.length ? { warnings } : {}), ...(modeWarnings.distrust ? { modeWarnings } : {}) }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<Data>> {
  const source = await resolveSource(target, env)
  if (source.kind === 'manual') throw new StoreError('not-changeable', noticeText(source.reason))
  const gone = (why: string) => new StoreError('entry-missing', `The certificate ${target.sha256.slice(0, 16)}… is no longer in the store: ${why}`)
  const base = { layout: source.layout.id, file: source.file }
  let data: Data
  let der: Uint8Array | undefined
  if (source.kind === 'conf') {
    const conf = await readConfined(env, source.conf)
    const line = conf && confLineAt(conf, source.line)
    if (!line || !namesFile(env, source, line.text)) throw gone(`line ${source.line} of ${source.conf} no longer names ${source.file}.`)
    der = findCertificate((await readConfined(env, source.file)) ?? Buffer.alloc(0), target.sha256)
    data = { ...base, source: 'conf', confLine: source.line, confText: line.text }
  } else {
    const info = await stat(await confinedPath(env, source.file)).catch(() => null)
    if (!info?.isFile()) throw gone(`${source.file} does not exist any more.`)
    if (info.size > MAX_ANCHOR_BYTES) throw new StoreError('too-large', `${source.file} is too large (${info.size} bytes) to be backed up as a certificate file.`)
    const bytes = (await readConfined(env, source.file)) ?? Buffer.alloc(0)
    der = findCertificate(bytes, target.sha256)
    const copy = source.layout.blocklist ? await readConfined(env, blocklistFile(source.layout, env, target.sha256)) : null
    const facts = { ...base, fileMode: info.mode & 0o7777, fileSha256: sha256Hex(bytes), blocklistExisted: copy !== null }
    data = source.kind === 'anchor' ? { ...facts, source: 'anchor', fileBytes: bytes.toString('base64') } : { ...facts, source: 'distro' }
  }
  if (!der) throw gone(`${source.file} does not hold it any more.`)
  return { target, exportedPem: new CertificateRecord(der).toPem(), data }
}

async function apply(backup: Backup<Data>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = await checkBackup(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { source } = checked
  // Worked out before anything is written: a rebuild that would reach outside the system root refuses the change.
  const plan = await planRebuild(env, source.layout.reader)
  if ('refused' in plan) return { ok: false, commands: [], message: `${plan.refused} Nothing was changed.` }
  const files = new FileChanger(elevation, env)
  let step: Step
  if (checked.via === 'conf') step = await markConfLine(files, env, checked.source, checked.data, 'deselect')
  else if (mode === 'distrust' && checked.source.layout.blocklist) step = await addBlocklistCopy(files, env, checked.source.layout, backup)
  else if (checked.source.kind === 'distro') step = { error: `${checked.source.file} belongs to the distribution and is replaced on upgrade: this certificate can only be distrusted, not deleted from it.` }
  else step = await removeFromAnchor(files, checked.source.file, backup.target.sha256, checked.data)
  if (step.error) return { ok: false, commands: files.commands, message: step.error }
  // The sources were changed before (a run cut short inside the rebuild): done only if the bundle says so too.
  if (!step.changed && !(await disagreement(backup.target, env))) return { ok: true, commands: files.commands, warnings: ['The store already was as this change would leave it: nothing was changed.'] }
  const update = await rebuild(files, env, source.layout.reader, plan)
  if (update.error) {
    // A source changed while the bundle still holds the certificate is half a change: put the source back.
    const undo = await restoreSources(files, env, checked, backup)
    const rebuilt = undo.error ? undefined : await rebuild(files, env, source.layout.reader, plan)
    const after = undo.error ? ` Putting the file back failed as well: ${undo.error}` : ` CertAudit put ${source.kind === 'conf' ? source.conf : source.file} back as it was${rebuilt?.error ? ', but rebuilding the bundle failed again' : ''}.`
    return { ok: false, commands: files.commands, message: `${update.error}${after}` }
  }
  return { ok: true, commands: files.commands, ...(update.warnings.length ? { warnings: update.warnings } : {}) }
}

async function restore(backup: Backup<Data>, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = await checkBackup(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const plan = await planRebuild(env, checked.source.layout.reader)
  if ('refused' in plan) return { ok: false, commands: [], message: `${plan.refused} Nothing was put back.` }
  const files = new FileChanger(elevation, env)
  const step = await restoreSources(files, env, checked, backup)
  if (step.error) return { ok: false, commands: files.commands, message: step.error }
  if (!step.changed && !(await disagreement(backup.target, env))) return { ok: true, commands: files.commands, warnings: ['The store already holds the certificate as backed up: nothing was changed.'] }
  // The sources are as they were before the removal: a failing rebuild is reported, not undone.
  const update = await rebuild(files, env, checked.source.layout.reader, plan)
  if (update.error) return { ok: false, commands: files.commands, message: `${update.error} The source file is back as it was, but the bundle does not hold the certificate until the command succeeds.` }
  return { ok: true, commands: files.commands, ...(update.warnings.length ? { warnings: update.warnings } : {}) }
}

/**
 * Whether the bundle agrees with the sources about this entry's store, and (with `elevation`) a
 * rebuild when it does not: what resume and undo run first after a kill inside the rebuild.
 */
async function settle(target: EntryTarget, env: Environment, elevation?: Elevation): Promise<Settled> {
  const layout = LAYOUTS.find((l) => target.storeId === `linux-system:${l.id}`)
  if (!layout) return { consistent: true }
  const before = await disagreement(target, env)
  if (!before || !elevation) return before ? { consistent: false, detail: before } : { consistent: true }
  const files = new FileChanger(elevation, env)
  const done = await rebuild(files, env, layout.reader, await planRebuild(env, layout.reader))
  const after = await disagreement(target, env)
  const outcome: ChangeOutcome = { ok: !done.error && !after, commands: files.commands, ...(done.error ? { message: done.error } : {}), ...(done.warnings.length ? { warnings: done.warnings } : {}) }
  return after ? { consistent: false, detail: [after, done.error ?? done.warnings.join(' ')].filter(Boolean).join(' '), outcome } : { consistent: true, outcome }
}

/** What the bundle and the sources of the target's store disagree on, or null ({@link storeDisagreement}). */
async function disagreement(target: EntryTarget, env: Environment): Promise<string | null> {
  const layout = LAYOUTS.find((l) => target.storeId === `linux-system:${l.id}`)
  return layout ? storeDisagreement(env, layout.reader, target.storeId, target.sha256) : null
}

/** The Linux system store's writing side (kind `linux-system`): anchor files, Debian's conf lines, p11-kit blocklists. */
export const linuxSystemWriter = { kind: 'linux-system', capabilities, backup, apply, restore, settle } as const satisfies StoreWriter<Data>

type Step = { readonly error?: string | null; readonly changed?: boolean }
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')
const fileFacts = { layout: z.string(), file: z.string(), fileMode: z.number().int().min(0).max(0o7777), fileSha256: sha256, blocklistExisted: z.boolean() }

/**
 * What a system store backup keeps: the conf line that selected a distro file (Debian), or the
 * anchor file's mode, hash and (for files the administrator added) its bytes.
 */
export const linuxSystemBackupData = z.discriminatedUnion('source', [
  z.object({ layout: z.string(), file: z.string(), source: z.literal('conf'), confLine: z.number().int().positive(), confText: z.string() }).strict(),
  z.object({ ...fileFacts, source: z.literal('anchor'), fileBytes: z.base64() }).strict(),
  z.object({ ...fileFacts, source: z.literal('distro') }).strict(),
])
type Data = z.infer<typeof linuxSystemBackupData>
type FileData = Exclude<Data, { source: 'conf' }>
type ConfData = Extract<Data, { source: 'conf' }>
type ConfSource = Extract<Source, { kind: 'conf' }>
type FileSource = Extract<Source, { kind: 'anchor' | 'distro' }>
type Checked = { readonly via: 'conf'; readonly source: ConfSource; readonly data: ConfData } | { readonly via: 'file'; readonly source: FileSource; readonly data: FileData }

/**
 * A backup is read back from disk before it is used (its shape already parsed with
 * {@link linuxSystemBackupData}): check it still describes this store and this entry. The facts that
 * name what to change must be what backup() wrote: a backup made for another entry changes nothing.
 */
async function checkBackup(backup: Backup<Data>, env: Environment): Promise<Checked | string> {
  const der = findCertificate(Buffer.from(backup.exportedPem), backup.target.sha256)
  if (!der) return `The backup of ${backup.target.entry} does not hold the certificate ${backup.target.sha256}: it cannot be used.`
  const source = await resolveSource(backup.target, env)
  if (source.kind === 'manual') return noticeText(source.reason)
  const { data } = backup
  const damaged = `The backup of ${backup.target.entry} does not describe this store entry (it is damaged, or was made for another one): it cannot be used.`
  if (data.layout !== source.layout.id || data.source !== source.kind) return damaged
  if (source.kind === 'conf') return data.source === 'conf' && data.confLine === source.line && namesFile(env, source, data.confText) ? { via: 'conf', source, data } : damaged
  if (data.source === 'conf') return damaged
  return { via: 'file', source, data }
}

/** Deletes an anchor file, or cuts this certificate out of it when it holds others; refuses if the file changed since the backup. */
async function removeFromAnchor(files: FileChanger, file: string, sha: string, data: FileData): Promise<Step> {
  const current = await files.read(file)
  if (!current) return { changed: false }
  if (sha256Hex(current) !== data.fileSha256) return { error: `${file} changed after the backup was made, so CertAudit left it alone. Back it up again, then retry.` }
  if (!certificatesIn(current).some((s) => s !== sha)) return { error: await files.remove(file), changed: true }
  const rest = withoutCertificate(current, sha)
  if (!rest) return { error: `${file} holds other certificates that cannot be separated from this one (DER or p11-kit objects), so CertAudit did not change it.` }
  return { error: await files.write(file, rest, data.fileMode), changed: true }
}

/** Undoes whatever `apply` did to the sources, judged from what is on disk now, so it can run twice or after a crash. */
async function restoreSources(files: FileChanger, env: Environment, checked: Checked, backup: Backup<Data>): Promise<Step> {
  if (checked.via === 'conf') return markConfLine(files, env, checked.source, checked.data, 'reselect')
  const { source, data } = checked
  let changed = false
  if (source.layout.blocklist && data.blocklistExisted === false) {
    const copy = blocklistFile(source.layout, env, backup.target.sha256)
    const bytes = await files.read(copy)
    if (bytes) {
      if (certificatesIn(bytes).join() !== backup.target.sha256) return { error: `${copy} no longer holds only the certificate CertAudit put there, so it was left alone.` }
      const error = await files.remove(copy)
      if (error) return { error }
      changed = true
    }
  }
  if (data.source === 'anchor') {
    const original = Buffer.from(data.fileBytes, 'base64')
    if (sha256Hex(original) !== data.fileSha256) return { error: `The backup of ${source.file} is damaged (its bytes do not match their SHA-256).` }
    const current = await files.read(source.file)
    if (current?.equals(original)) return { changed }
    if (current && !withoutCertificate(original, backup.target.sha256)?.equals(current)) {
      return { error: `${source.file} was changed after CertAudit removed the certificate, so it was left alone. The backup holds the original file.` }
    }
    // Undo puts back the certificate the change took away, never another: a file written whole again
    // (it held only this certificate) must hold only this certificate, whatever the backup says.
    if (!current && certificatesIn(original).some((sha) => sha !== backup.target.sha256)) {
      return { error: `The backup of ${source.file} holds certificates other than the one removed, so CertAudit did not write it back.` }
    }
    return { error: await files.write(source.file, original, data.fileMode), changed: true }
  }
  return { changed }
}

/** Prefixes (deselect) or un-prefixes (reselect) the conf line with `!`, touching no other byte of the file. */
async function markConfLine(files: FileChanger, env: Environment, source: ConfSource, data: ConfData, how: 'deselect' | 'reselect'): Promise<Step> {
  const original = data.confText
  const bytes = await files.read(source.conf)
  if (!bytes) return { error: `${source.conf} does not exist any more, so CertAudit cannot change it.` }
  const mode = (await stat(await confinedPath(env, source.conf))).mode & 0o7777
  const marked = original.startsWith('!') ? original : `!${original}`
  const at = confLineAt(bytes, source.line)
  if (how === 'deselect') {
    if (at?.text === marked) return { changed: false }
    if (at?.text !== original || !namesFile(env, source, original)) {
      return { error: `Line ${source.line} of ${source.conf} no longer names ${source.file} (it reads "${at?.text ?? ''}"), so CertAudit did not change it. Scan again, then retry.` }
    }
    return { error: await files.write(source.conf, Buffer.concat([bytes.subarray(0, at.start), Buffer.from('!'), bytes.subarray(at.start)]), mode), changed: true }
  }
  if (marked === original || at?.text === original) return { changed: false }
  // The line moved (the package rewrote the conf)? Then the one line that reads the same, marked.
  const candidates = at?.text === marked ? [at] : confLines(bytes).filter((l) => l.text === marked)
  if (candidates.length !== 1) return { error: `${source.conf} has no single line "${marked}" to put back, so CertAudit did not change it. Remove the "!" in front of ${original} by hand.` }
  const line = candidates[0]!
  return { error: await files.write(source.conf, Buffer.concat([bytes.subarray(0, line.start), bytes.subarray(line.start + 1)]), mode), changed: true }
}

/** Distrusts through p11-kit: a PEM copy of the certificate in the layout's blocklist folder. */
async function addBlocklistCopy(files: FileChanger, env: Environment, layout: WriterLayout, backup: Backup<Data>): Promise<Step> {
  const copy = blocklistFile(layout, env, backup.target.sha256)
  const current = await files.read(copy)
  if (current) return certificatesIn(current).join() === backup.target.sha256 ? { changed: false } : { error: `${copy} already exists with other content, so CertAudit left it alone.` }
  const error = (await files.makeFolder(dirname(copy))) ?? (await files.write(copy, Buffer.from(backup.exportedPem), 0o644))
  return { error, changed: true }
}

/** CertAudit's copy in the blocklist folder, named by the certificate's SHA-256 so it is found again and never clashes. */
function blocklistFile(layout: WriterLayout, env: Environment, sha: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new StoreError('bad-target', `"${sha}" is not a SHA-256.`)
  return join(systemPath(env, layout.blocklist!), `certaudit-${sha}.pem`)
}

type ConfLine = { readonly start: number; readonly text: string }

/** The lines of a conf file with the byte offset each starts at (1-based numbering, as the reader reports them). */
function confLines(bytes: Buffer): ConfLine[] {
  const lines: ConfLine[] = []
  for (let start = 0; start <= bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start)
    const stop = newline < 0 ? bytes.length : newline
    lines.push({ start, text: bytes.subarray(start, stop).toString('utf8') })
    start = stop + 1
  }
  return lines
}

const confLineAt = (bytes: Buffer, line: number): ConfLine | undefined => (line >= 1 ? confLines(bytes)[line - 1] : undefined)

/** Whether a conf line (with or without its `!`) selects this file, as the reader joins them. */
function namesFile(env: Environment, source: Extract<Source, { kind: 'conf' }>, text: string): boolean {
  const name = text.trim().replace(/^!/, '')
  return name !== '' && !name.startsWith('#') && join(systemPath(env, source.layout.conf!.certsDir), name) === source.file
}

/** `file` inside `dir` (a system path), comparing both as written and with the folder's links followed. */
async function isInside(env: Environment, dir: string, file: string, direct = false): Promise<boolean> {
  const raw = systemPath(env, dir)
  for (const base of new Set([raw, await realIn(env, raw)])) {
    const rel = relative(base, file)
    if (rel && !rel.startsWith('..') && !isAbsolute(rel) && (!direct || !rel.includes(sep))) return true
  }
  return false
}

async function realIn(env: Environment, path: string): Promise<string> {
  return realPathInRoot(env, path).catch(() => path)
}
