/**
 * The openssl kind never edits its files: each is a package's file or a tool's output (update-ca-
 * certificates, clrtrust, certctl, nixos-rebuild, brew), so an edit would be undone, unseen, at the
 * next update or rebuild, and the root would be back; and from the disk alone a file an
 * administrator made at one of these default paths cannot be told from a package's. The places an
 * administrator points programs at on purpose (variables, settings, runtimes' bundles) are the
 * env-bundle and runtime kinds', which edit the user's own files with a backup. Here the plan says
 * who rebuilds the file and the command that removes the certificate for good.
 */
import { lstatSync } from 'node:fs'
import { isAbsolute, relative, sep } from 'node:path'
import { formatCommand } from '../shared/command-text.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { NO_BACKUP_DATA } from '../shared/manual.js'
import type { Notice } from '../shared/notices.js'
import { noticeText } from '../shared/notices.js'
import { existsInRoot, realPathInRoot } from '../shared/paths.js'
import { readRegularFileSync } from '../shared/regular-file.js'
import { StoreError, type EntryTarget, type StoreWriter } from '../types.js'
import { opensslNotices } from './notices.js'

/** Alpine's package database is a few MB; a bigger file is not one. */
const MAX_APK_DB_BYTES = 64 * 1024 * 1024
const HOMEBREW = ['/opt/homebrew', '/usr/local/etc/ca-certificates', '/usr/local/etc/openssl', '/home/linuxbrew/.linuxbrew']
const ANDROID = ['/system/etc/security', '/apex', '/data/misc/keychain']

/** Every change is refused; the plan carries what to do instead. */
export const opensslWriter: StoreWriter<Record<string, never>> = {
  kind: 'openssl',
  capabilities: async (target, env) => ({ modes: [], needsAdmin: false, manual: await instructions(target, env) }),
  backup: async (target, env) => refuse(await instructions(target, env)),
  apply: async (backup, _mode, env) => refuse(await instructions(backup.target, env)),
  restore: async (backup, env) => refuse(await instructions(backup.target, env)),
}

/** Nothing is ever backed up from these files. */
export const opensslBackupData = NO_BACKUP_DATA

function refuse(notice: Notice): never {
  throw new StoreError('manual-only', noticeText(notice))
}

/** Who rebuilds the file that puts this certificate here, and what removes it for good. */
export async function instructions(target: EntryTarget, env: Environment): Promise<Notice> {
  const place = target.location
  const file = target.origin?.file ?? place
  const real = await realPathInRoot(env, place).catch(() => place)
  const under = (path: string, dirs: readonly string[]) => dirs.some((dir) => isUnder(path, systemPath(env, dir)))
  const sudo = (...command: string[]) => `sudo ${formatCommand(command)}`
  const programs = (target.facts?.readBy ?? ['OpenSSL']).join(', ')
  const folder = target.facts?.folder ?? isFolder(place)

  if (under(real, ['/nix/store'])) return opensslNotices.notice('openssl-nix', { file: place, command: sudo('nixos-rebuild', 'switch') })
  if (under(real, ['/gnu/store'])) return opensslNotices.notice('openssl-guix', { file: place, command: sudo('guix', 'system', 'reconfigure', '/etc/config.scm') })
  if (under(place, ['/var/cache/ca-certs', '/usr/share/ca-certs'])) {
    return opensslNotices.notice('openssl-clear', { file: place, command: sudo('clrtrust', 'remove', onMachine(env, file)) })
  }
  if (under(place, HOMEBREW) || under(real, HOMEBREW)) return opensslNotices.notice('openssl-homebrew', { file: place, command: formatCommand(['brew', 'postinstall', 'ca-certificates']) })
  if (under(place, ANDROID)) return opensslNotices.notice('openssl-android', { file })
  if (place === systemPath(env, '/usr/local/share/certs/ca-root-nss.crt')) {
    return opensslNotices.notice('openssl-ca-root-nss', { file: place, command: sudo('pkg', 'install', '-f', 'ca_root_nss') })
  }
  // FreeBSD 12.2+: certctl builds /etc/ssl/certs (and, from 14.0, /etc/ssl/cert.pem) from its trusted
  // folders, /usr/local/share/certs among them (certctl(8)); `untrust` outlives the next rebuild.
  if (under(place, ['/etc/ssl', '/usr/local/share/certs', '/usr/local/etc/ssl']) && (await existsInRoot(env, systemPath(env, '/usr/share/certs/trusted')))) {
    return opensslNotices.notice('openssl-certctl', { file, command: sudo('certctl', 'untrust', onMachine(env, file)) })
  }
  if (folder) {
    return opensslNotices.notice('openssl-folder-file', { file, folder: place, programs, command: sudo('openssl', 'rehash', onMachine(env, place)) })
  }
  const apkPackage = await apkOwner(env, real)
  if (apkPackage) return opensslNotices.notice('openssl-apk', { file: place, package: apkPackage, command: sudo('apk', 'fix', apkPackage) })
  const mac = env.platform === 'darwin' || (await existsInRoot(env, systemPath(env, '/System/Library/CoreServices/SystemVersion.plist')))
  if (mac && under(real, ['/etc/ssl', '/private/etc/ssl'])) return opensslNotices.notice('openssl-macos', { file: place })
  return opensslNotices.notice('openssl-by-hand', { file: place, programs })
}

/**
 * The Alpine package that installed a file, from apk's database (/lib/apk/db/installed: `P:` a
 * package, `F:` a folder of it, `R:` a file in that folder; https://wiki.alpinelinux.org/wiki/Apk_spec).
 */
async function apkOwner(env: Environment, realPath: string): Promise<string | null> {
  let text: string
  try {
    const path = systemPath(env, '/lib/apk/db/installed')
    text = readRegularFileSync(await realPathInRoot(env, path), { maxBytes: MAX_APK_DB_BYTES, noFollow: true, what: 'apk package database', shown: path }).toString('utf8')
  } catch {
    return null // not Alpine, or no database to ask (or not a file one can read)
  }
  const wanted = onMachine(env, realPath).slice(1)
  let [pkg, folder] = ['', '']
  for (const line of text.split('\n')) {
    if (line.startsWith('P:')) [pkg, folder] = [line.slice(2), '']
    else if (line.startsWith('F:')) folder = line.slice(2)
    else if (line.startsWith('R:') && `${folder}/${line.slice(2)}` === wanted) return pkg
  }
  return null
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}

/** A path as the audited machine names it (commands are run there, not under --system-root). */
function onMachine(env: Environment, path: string): string {
  if (env.systemRoot === '/') return path
  const rel = relative(env.systemRoot, path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : `/${rel.split(sep).join('/')}`
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep)
}
