/**
 * The Linux system store's second half: the bundle (and, on Debian, the links of /etc/ssl/certs) that
 * the distribution's command builds from the sources. A change is only done when the two agree, so
 * this file says whether they do ({@link storeDisagreement}) and rebuilds the bundle when they do not
 * ({@link rebuild}). A kill inside update-ca-certificates can leave the sources changed, the old bundle
 * in place and /etc/ssl/certs cleared of its links (it deletes them all first with --fresh): the next
 * resume or undo finds that here and rebuilds, instead of trusting the journal's word.
 */
import { lstat, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256Hex } from '../../audit/certificate.js'
import { certificatesIn } from '../shared/certificate-blocks.js'
import { commandError, formatCommand } from '../shared/command-text.js'
import { assertToolSeesSame, confinedPath } from '../shared/confine.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { findTool, readConfined, type FileChanger } from '../shared/file-changer.js'
import { crowdedFolder, MAX_WALK_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { listFiles, newPathCache, realPathInRoot, type PathCache } from '../shared/paths.js'
import { canWrite, writable } from '../shared/writable.js'
import { StoreError } from '../types.js'
import { crtOnly, type Layout } from './discover.js'
import { list } from './read.js'

/** How the bundle is rebuilt on this machine, worked out before anything is written. */
export type RebuildPlan =
  | { readonly run: { readonly tool: string; readonly args: readonly string[]; readonly admin: boolean; readonly hooksSkipped: boolean } }
  /** It cannot be run here (another system root, not installed): the warning says what the user must do. */
  | { readonly skipped: string }
  /** Running it would touch files outside the system root: the change is refused. */
  | { readonly refused: string }

const HASH_LINK = /^[0-9a-f]{8}\.\d+$/

/**
 * The command that rebuilds the bundle, with every path it is given resolved inside the system root.
 * Debian's update-ca-certificates takes every folder as an option; it follows the links inside them as
 * this computer resolves them, so under another system root a link the OS would follow elsewhere makes
 * the rebuild (and so the change) refused. update-ca-trust and openSUSE's tool cannot be pointed
 * elsewhere: under another root they are skipped.
 */
export async function planRebuild(env: Environment, layout: Layout): Promise<RebuildPlan> {
  const [name, ...liveArgs] = layout.update
  const bundle = systemPath(env, layout.bundles[0]!)
  if (layout.id !== 'debian' && env.systemRoot !== '/') {
    return { skipped: `"${formatCommand(layout.update)}" cannot be pointed at another system root (${env.systemRoot}), so it was not run: the bundle ${bundle} keeps the certificate until it runs on that system.` }
  }
  const tool = await findTool(name)
  if (!tool) return { skipped: `${name} is not installed on this machine, so the bundle ${bundle} keeps the certificate until "${formatCommand(layout.update)}" runs on that system.` }
  if (layout.id !== 'debian') return { run: { tool, args: liveArgs, admin: !(await writable(bundle)), hooksSkipped: false } }
  const certsDir = systemPath(env, '/etc/ssl/certs')
  if (env.systemRoot === '/') return { run: { tool, args: liveArgs, admin: !(await canWrite(certsDir)), hooksSkipped: false } }
  try {
    const conf = layout.conf!
    const paths = {
      conf: await confinedPath(env, systemPath(env, conf.file)),
      certs: await confinedPath(env, systemPath(env, conf.certsDir)),
      local: await confinedPath(env, systemPath(env, '/usr/local/share/ca-certificates')),
      etc: await confinedPath(env, certsDir),
    }
    await assertLinksStayInside(env, paths)
    const args = ['--fresh', '--certsconf', paths.conf, '--certsdir', paths.certs, '--localcertsdir', paths.local, '--etccertsdir', paths.etc]
    return { run: { tool, args, admin: !(await canWrite(paths.etc)), hooksSkipped: true } }
  } catch (error) {
    if (!(error instanceof StoreError)) throw error
    return { refused: `update-ca-certificates cannot rebuild ${bundle} safely from here: ${error.message}` }
  }
}

/**
 * Every link update-ca-certificates would follow as this computer resolves them (the links of
 * /etc/ssl/certs, the local certificates' folder, the files the conf selects) must lead where the
 * reader's do; a link to `/usr/share/…` in a disk image leads into the live system instead.
 */
async function assertLinksStayInside(env: Environment, paths: { conf: string; certs: string; local: string; etc: string }): Promise<void> {
  const { entries, more } = await readFolder(paths.etc, MAX_WALK_ENTRIES).catch(() => ({ entries: [], more: false }))
  if (more) throw new StoreError('too-many-files', crowdedFolder(paths.etc, MAX_WALK_ENTRIES, 'certificate folder', 'not every link the tool would follow could be checked'))
  for (const { name } of entries) await assertToolSeesSame(env, join(paths.etc, name))
  for (const file of await listFiles(env, paths.local, () => {}, { recursive: true })) await assertToolSeesSame(env, file.path)
  for (const line of await confSelection(env, paths.conf)) await assertToolSeesSame(env, join(paths.certs, line))
}

/** Runs the rebuild planned by {@link planRebuild}; hooks are never run under another system root (they would act on this machine). */
export async function rebuild(files: FileChanger, env: Environment, layout: Layout, plan: RebuildPlan): Promise<{ error?: string | null; warnings: string[] }> {
  if ('refused' in plan) return { error: plan.refused, warnings: [] }
  if ('skipped' in plan) return { warnings: [plan.skipped] }
  const { tool, admin, hooksSkipped } = plan.run
  const noHooks = hooksSkipped ? await mkdtemp(join(tmpdir(), 'certaudit-no-hooks-')) : null
  const warnings: string[] = []
  try {
    const args = noHooks ? [...plan.run.args, '--hooksdir', join(noHooks, 'none')] : plan.run.args
    if (noHooks) warnings.push(`The update-ca-certificates hooks of ${env.systemRoot} (such as its Java keystore's) were not run: they would change this machine instead.`)
    if (layout.id === 'debian') {
      // The tool appends to ca-certificates.crt.new and never empties it first: one left by a run that was
      // killed would be glued in front of the new bundle (a removed certificate with it).
      const stale = join(await confinedPath(env, systemPath(env, '/etc/ssl/certs')), 'ca-certificates.crt.new')
      if ((await lstat(stale).catch(() => null))?.isFile()) {
        const error = await files.remove(stale)
        if (error) return { error, warnings }
      }
    }
    const error = commandError(await files.run(tool, args, admin))
    if (error || layout.id !== 'debian') return { error, warnings }
    // update-ca-certificates replaces the bundle only when a certificate is left (`if [ -f "$TEMPBUNDLE" ]`):
    // after the last one is removed, the old bundle, removed certificate included, would stay.
    const bundle = systemPath(env, layout.bundles[0]!)
    const left = certificatesIn((await readConfined(env, bundle)) ?? Buffer.alloc(0))
    if (left.length === 0 || (await debianSources(env, layout)).shas.size > 0) return { error, warnings }
    warnings.push(`No certificate is left in the sources of ${bundle}, and update-ca-certificates keeps the old bundle then: CertAudit emptied it, so programs that use it trust no site until certificates are installed again.`)
    return { error: await files.write(bundle, Buffer.alloc(0), 0o644), warnings }
  } finally {
    if (noHooks) await rm(noHooks, { recursive: true, force: true })
  }
}

/**
 * Where the bundle (and Debian's links) do not say what the sources say, in one sentence; null when
 * they agree. Debian is checked whole: the bundle holds exactly the certificates of the selected
 * files, each selected file has its link in /etc/ssl/certs and each single-certificate file its hash
 * link, and no link leads nowhere. The p11-kit layouts are checked for `sha` alone: trusted by the
 * sources (and in no blocklist) exactly when the bundle holds it.
 */
export async function storeDisagreement(env: Environment, layout: Layout, storeId: string, sha: string): Promise<string | null> {
  const bundlePath = systemPath(env, layout.bundles[0]!)
  const bundle = new Set(certificatesIn((await readConfined(env, bundlePath)) ?? Buffer.alloc(0)))
  if (layout.id !== 'debian') {
    // What the sources say of this certificate, from a fresh listing (the bundle's own entries left out).
    let [trusted, distrusted] = [false, false]
    for await (const item of list({ id: storeId, kind: 'linux-system', location: bundlePath }, env)) {
      if (item.type !== 'entry' || item.origin?.file === bundlePath || sha256Hex(item.der) !== sha) continue
      trusted ||= item.trust === 'trusted'
      distrusted ||= item.trust === 'distrusted'
    }
    const expected = trusted && !distrusted
    if (expected === bundle.has(sha)) return null
    return expected ? `The sources trust the certificate, but the bundle ${bundlePath} does not hold it yet.` : `The sources no longer trust the certificate, but the bundle ${bundlePath} still holds it.`
  }
  const sources = await debianSources(env, layout)
  const extra = [...bundle].filter((s) => !sources.shas.has(s)).length
  const missing = [...sources.shas].filter((s) => !bundle.has(s)).length
  if (extra || missing) return `The bundle ${bundlePath} does not match its sources (${extra} certificate(s) no source selects, ${missing} selected but missing).`
  return linksDisagreement(env, sources)
}

interface DebianSources {
  /** Every certificate the selected files hold. */
  readonly shas: Set<string>
  /** Each selected file's real path (links followed in the root), with its certificates. */
  readonly files: Map<string, string[]>
  readonly cache: PathCache
}

/** The files update-ca-certificates puts into the bundle: the conf's selected lines, then every local .crt. */
async function debianSources(env: Environment, layout: Layout): Promise<DebianSources> {
  const conf = layout.conf!
  const cache = newPathCache()
  const certsDir = systemPath(env, conf.certsDir)
  const candidates = (await confSelection(env, systemPath(env, conf.file))).map((line) => join(certsDir, line))
  const local = await listFiles(env, systemPath(env, '/usr/local/share/ca-certificates'), () => {}, { recursive: true, cache })
  candidates.push(...local.filter((f) => crtOnly(f.path)).map((f) => f.path))
  const files = new Map<string, string[]>()
  const shas = new Set<string>()
  for (const path of candidates) {
    const real = await realPathInRoot(env, path, cache).catch(() => null)
    const bytes = real && (await lstat(real).catch(() => null))?.isFile() ? await readConfined(env, real) : null
    if (!real || !bytes) continue // `test -f` fails: the tool warns and skips it
    const held = certificatesIn(bytes)
    files.set(real, held)
    for (const s of held) shas.add(s)
  }
  return { shas, files, cache }
}

/** The conf's selected lines (not empty, not a comment, not deselected with `!`), as the tool reads them. */
async function confSelection(env: Environment, confPath: string): Promise<string[]> {
  const text = ((await readConfined(env, confPath)) ?? Buffer.alloc(0)).toString('utf8')
  // `sed '/^$/d; /^#/d; /^!/d' | while read crt`: read trims the blanks around each line.
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!')).map((line) => line.trim()).filter(Boolean)
}

/** /etc/ssl/certs against the selected files: a link for each, a hash link for each single certificate, none leading nowhere. */
async function linksDisagreement(env: Environment, sources: DebianSources): Promise<string | null> {
  const etc = await confinedPath(env, systemPath(env, '/etc/ssl/certs'))
  const named = new Set<string>()
  const hashed = new Set<string>()
  let dangling = 0
  const { entries, more } = await readFolder(etc, MAX_WALK_ENTRIES).catch(() => ({ entries: [], more: false }))
  if (more) return crowdedFolder(etc, MAX_WALK_ENTRIES, 'certificate folder', 'its links could not all be checked against the sources')
  for (const { name } of entries) {
    const path = join(etc, name)
    if (!(await lstat(path).catch(() => null))?.isSymbolicLink()) continue
    const real = await realPathInRoot(env, path, sources.cache).catch(() => null)
    if (!real) {
      dangling++
      continue
    }
    // openssl rehash links whichever file holding the certificate it meets first: a source, or the bundle when one certificate is left.
    if (HASH_LINK.test(name)) for (const s of sources.files.get(real) ?? certificatesIn((await readConfined(env, real)) ?? Buffer.alloc(0))) hashed.add(s)
    else if (name.endsWith('.pem') && sources.files.has(real)) named.add(real)
  }
  // Two selected files with one name share a link (the second replaces the first): one of them is enough.
  const byName = new Map<string, string[]>()
  for (const real of sources.files.keys()) byName.set(real.slice(real.lastIndexOf('/') + 1), [...(byName.get(real.slice(real.lastIndexOf('/') + 1)) ?? []), real])
  const unnamed = [...byName.values()].filter((reals) => !reals.some((r) => named.has(r))).length
  // openssl rehash links only files holding exactly one certificate.
  const unhashed = new Set([...sources.files.values()].filter((held) => held.length === 1).map((held) => held[0]!).filter((s) => !hashed.has(s))).size
  if (!unnamed && !unhashed && !dangling) return null
  return `${etc} does not match the sources: ${unnamed} selected file(s) without their link, ${unhashed} certificate(s) without a hash link, ${dangling} link(s) leading nowhere.`
}
