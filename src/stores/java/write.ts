/**
 * Changes Java keystores (cacerts) with keytool, the JDK's own tool: back up one trusted-certificate
 * entry (its PEM, alias and keystore type), delete it, import it back (DESIGN.md, "Removal").
 * keytool: https://docs.oracle.com/en/java/javase/21/docs/specs/man/keytool.html
 *
 * Java has no distrust: a keystore entry is trusted or absent, so the only mode is delete.
 * keytool only ever changes a private copy, which replaces the keystore once checked (on-copy.ts):
 * keytool truncates the file it writes, and a kill inside it must not leave cacerts empty.
 */
import { z } from 'zod'
import { CertificateRecord, sha256Hex } from '../../audit/certificate.js'
import { findCertificate } from '../shared/certificate-blocks.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { DEFAULT_PASSWORD, detectKeystoreFormat, MAX_KEYSTORE_BYTES, readKeystore, type KeystoreFormat } from './keystore.js'
import { writable } from '../shared/writable.js'
import { noticeText, type Notice } from '../shared/notices.js'
import { javaNotices } from './notices.js'
import { formatCommand, shellFor } from '../shared/command-text.js'
import { changeOnCopy, entryKey, type Entries } from './on-copy.js'
import { FileChanger } from '../shared/file-changer.js'
import { confinedPath } from '../shared/confine.js'
import { readRegularFile } from '../shared/regular-file.js'
import { StoreError, type Backup, type Capabilities, type ChangeOutcome, type Elevation, type EntryTarget, type RemovalMode, type StoreWriter } from '../types.js'
import { withTempFile } from '../shared/temp-files.js'

const STORE_TYPES = ['JKS', 'JCEKS', 'PKCS12'] as const satisfies readonly KeystoreFormat[]

/** What a keystore backup keeps besides the certificate: the entry's alias and the keystore's format. */
export const javaBackupData = z.object({ alias: z.string(), storeType: z.enum(STORE_TYPES) }).strict()
type Data = z.infer<typeof javaBackupData>

/**
 * Keystores that a distribution regenerates from its system store: an entry deleted only here
 * comes back at the next update (ca-certificates-java, update-ca-trust, openSUSE's hook).
 */
const GENERATED = ['/etc/ssl/certs/java/cacerts', '/etc/pki/ca-trust/extracted/java/cacerts', '/etc/pki/java/cacerts', '/var/lib/ca-certificates/java-cacerts']

/** What the keystore holds under the target's alias, read in-process as the reader reads it. */
interface Held {
  readonly format: KeystoreFormat
  /** The alias's certificate, when it holds one (a private key entry's chain holds several). */
  readonly certificates: readonly { readonly der: Uint8Array; readonly trusted: boolean }[]
  /** The keystore's integrity check failed with 'changeit': keytool would refuse the password. */
  readonly otherPassword: boolean
}

/**
 * What the keystore holds under `alias`, read at `path` as the reader reads it: `path` is a keystore
 * already confined ({@link keystoreAt}), so this reads the file keytool will be handed.
 */
async function read(path: string, alias: string): Promise<Held> {
  // Never a FIFO or a device, never more than a keystore can be (shared/regular-file.ts).
  const bytes = await readRegularFile(path, { maxBytes: MAX_KEYSTORE_BYTES, what: 'Java keystore' })
  const format = detectKeystoreFormat(bytes)
  if (!format) throw new StoreError('not-a-keystore', `${path} is not a Java keystore (JKS, JCEKS or PKCS #12).`)
  const certificates: { der: Uint8Array; trusted: boolean }[] = []
  let otherPassword = false
  for (const item of readKeystore(bytes, path, DEFAULT_PASSWORD)) {
    if (item.type === 'problem') otherPassword ||= item.code === 'integrity-unverified'
    else if (item.entry === alias) certificates.push({ der: item.der, trusted: item.trust === 'trusted' })
  }
  return { format, certificates, otherPassword }
}

/** Why CertAudit will not change this entry, or null when it may. */
function refusal(target: EntryTarget, held: Held, env: Environment): Notice | null {
  const command = formatCommand(keytool(['-delete', '-alias', target.entry], target.location, held.format, '<password>'), shellFor(env.platform))
  if (held.otherPassword) return javaNotices.notice('java-other-password', { location: target.location, password: DEFAULT_PASSWORD, command })
  if (held.certificates.some((c) => !c.trusted)) return javaNotices.notice('java-private-key', { entry: target.entry, location: target.location, command })
  return null
}

async function capabilities(target: EntryTarget, env: Environment): Promise<Capabilities> {
  const probe = await env.run('keytool', ['-help'], { input: '' })
  if (probe.spawnError) {
    return {
      modes: [],
      needsAdmin: false,
      manual: javaNotices.notice('java-no-keytool', { command: formatCommand(keytool(['-delete', '-alias', target.entry], target.location, null), shellFor(env.platform)) }),
    }
  }
  let keystore: string
  try {
    keystore = await keystoreAt(env, target.location)
  } catch (error) {
    return { modes: [], needsAdmin: false, manual: javaNotices.notice('java-confined', { reason: (error as Error).message }) }
  }
  // The checked copy replaces the keystore with a rename: the file and its folder must be writable.
  const needsAdmin = !(await writable(keystore))
  const held = await read(keystore, target.entry).catch(() => null)
  const refused = held && refusal(target, held, env)
  if (refused) return { modes: [], needsAdmin, manual: refused }
  const generated = GENERATED.some((p) => systemPath(env, p) === target.location)
  return { modes: ['delete'], needsAdmin, ...(generated ? { warnings: [javaNotices.notice('java-generated', { location: target.location })] } : {}) }
}

async function backup(target: EntryTarget, env: Environment): Promise<Backup<Data>> {
  let held: Held
  try {
    held = await read(await keystoreAt(env, target.location), target.entry)
  } catch (error) {
    // The reader's StoreError says `enoent` (regular-file.ts); a look before it, node's `ENOENT`.
    if (['enoent', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) throw new StoreError('entry-missing', `${target.location} does not exist any more.`)
    throw error instanceof StoreError ? error : new StoreError('unreadable', `${target.location} could not be read: ${(error as Error).message}`)
  }
  const found = held.certificates.find((c) => sha256Hex(c.der) === target.sha256)
  if (!found) {
    const why = held.certificates.length ? `its alias "${target.entry}" now holds another certificate` : `it has no entry "${target.entry}" any more`
    throw new StoreError('entry-missing', `The certificate ${target.sha256.slice(0, 16)}… is no longer in ${target.location}: ${why}.`)
  }
  const refused = refusal(target, held, env)
  if (refused) throw new StoreError('not-changeable', noticeText(refused))
  return { target, exportedPem: new CertificateRecord(found.der).toPem(), data: { alias: target.entry, storeType: held.format } }
}

async function apply(backup: Backup<Data>, mode: RemovalMode, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  if (mode !== 'delete') return { ok: false, commands: [], message: 'A Java keystore has no distrust: an entry is trusted or it is not there. Choose delete.' }
  const checked = await check(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { alias, storeType, held, keystore } = checked
  // Checked again right before acting: the alias may have been given to another certificate since the backup.
  if (held.certificates.length === 0) return { ok: true, commands: [], warnings: [`"${alias}" was already gone from ${backup.target.location}: nothing was changed.`] }
  if (!held.certificates.some((c) => sha256Hex(c.der) === backup.target.sha256)) {
    return { ok: false, commands: [], message: `"${alias}" in ${backup.target.location} now holds another certificate than the one backed up, so CertAudit left it alone.` }
  }
  const refused = refusal(backup.target, held, env)
  if (refused) return { ok: false, commands: [], message: noticeText(refused) }
  const files = new FileChanger(elevation, env)
  const error = await changeOnCopy(files, keystore, (before) => before.filter((e) => !e.startsWith(`${alias}\0`)), (copy) => runKeytool(files, ['-delete', '-alias', alias], copy, storeType), shellFor(env.platform))
  return error ? { ok: false, commands: files.commands, message: error } : { ok: true, commands: files.commands }
}

async function restore(backup: Backup<Data>, env: Environment, elevation: Elevation): Promise<ChangeOutcome> {
  const checked = await check(backup, env)
  if (typeof checked === 'string') return { ok: false, commands: [], message: checked }
  const { alias, storeType, held, keystore } = checked
  if (held.certificates.some((c) => sha256Hex(c.der) === backup.target.sha256)) {
    return { ok: true, commands: [], warnings: [`"${alias}" already holds this certificate in ${backup.target.location}: nothing was changed.`] }
  }
  if (held.certificates.length) return { ok: false, commands: [], message: `"${alias}" in ${backup.target.location} now holds another certificate, so CertAudit did not replace it.` }
  // keytool imports from a file: the backed-up PEM goes to a private temp folder, removed afterwards.
  return withTempFile('keytool', 'certificate.pem', backup.exportedPem, async (file) => {
    const files = new FileChanger(elevation, env)
    const expected = (before: Entries) => [...before, entryKey(alias, backup.target.sha256)]
    const error = await changeOnCopy(files, keystore, expected, (copy) => runKeytool(files, ['-importcert', '-noprompt', '-alias', alias, '-file', file], copy, storeType), shellFor(env.platform))
    return error ? { ok: false, commands: files.commands, message: error } : { ok: true, commands: files.commands }
  }, 0o644)
}

/** Java keystores (kind `java`): delete one trusted certificate entry with keytool, and import it back. */
export const javaWriter: StoreWriter<Data> = { kind: 'java', capabilities, backup, apply, restore }

/** A backup read back from disk: check its certificate and facts before they name anything in a command. */
async function check(backup: Backup<Data>, env: Environment): Promise<{ alias: string; storeType: KeystoreFormat; held: Held; keystore: string } | string> {
  const { alias, storeType } = backup.data
  if (!findCertificate(Buffer.from(backup.exportedPem), backup.target.sha256)) return `The backup of "${backup.target.entry}" does not hold the certificate ${backup.target.sha256}: it cannot be used.`
  if (alias !== backup.target.entry) return `The backup of "${backup.target.entry}" is not a Java keystore backup: it cannot be used.`
  try {
    const keystore = await keystoreAt(env, backup.target.location)
    return { alias, storeType, held: await read(keystore, alias), keystore }
  } catch (error) {
    return `${backup.target.location} could not be read: ${(error as Error).message}`
  }
}

/**
 * The keystore file keytool is handed: links followed inside the system root, as the reader follows
 * them (a JDK's lib/security/cacerts is often a link to /etc/ssl/certs/java/cacerts, which under
 * --system-root means the image's, not this computer's). Throws StoreError when it leads out.
 */
function keystoreAt(env: Environment, location: string): Promise<string> {
  return confinedPath(env, location)
}

/**
 * keytool's arguments for one keystore. -storetype is always given: JDK 8's keytool reads only JKS
 * without it, and JCEKS always needs it.
 */
function keytool(args: readonly string[], keystore: string, storeType: KeystoreFormat | null, password = DEFAULT_PASSWORD): string[] {
  return ['keytool', ...args, '-keystore', keystore, '-storepass', password, ...(storeType ? ['-storetype', storeType] : [])]
}

/**
 * Runs keytool on CertAudit's private copy of a keystore (on-copy.ts), so never elevated: only the
 * swap of the checked copy into place asks for admin rights when needed (FileChanger.write).
 * Java decodes its arguments in the locale's charset: under a non-UTF-8 locale (pkexec's is often
 * "C") a non-ASCII alias turns into "?"s and names another entry, so such a call is made under C.UTF-8.
 * Its stdin is closed, so an unexpected prompt fails at once instead of waiting.
 */
async function runKeytool(files: FileChanger, args: readonly string[], keystore: string, storeType: KeystoreFormat) {
  const [command, ...rest] = keytool(args, keystore, storeType)
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(rest.join(''))) return files.run(command!, rest, false, '')
  return files.run('env', ['LC_ALL=C.UTF-8', command!, ...rest], false, '')
}
