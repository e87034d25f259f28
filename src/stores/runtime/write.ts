/**
 * A runtime's bundle in the user's own home folder (a virtual environment's certifi, a bundle a
 * config names) is edited with a backup; a keystore of theirs changed with keytool
 * (shared/pointed-writer.ts). A package's file installed for the whole computer, a registry CA in
 * /etc, a config that holds the certificate itself: explained, with the exact command or line.
 */
import { isAbsolute, join, relative, sep } from 'node:path'
import { formatCommand, shellFor } from '../shared/command-text.js'
import { isWithin, type Environment } from '../shared/environment.js'
import { noticeText } from '../shared/notices.js'
import { pointedBackupData, pointedWriter, settersOf, type ManualReason } from '../shared/pointed-writer.js'
import { StoreError, type Capabilities, type EntryTarget, type StoreWriter } from '../types.js'
import type { PointedData } from '../shared/pointed-writer.js'
import { runtimeNotices } from './notices.js'
import { INLINE } from './read.js'

/** The package a bundle belongs to, and the Python (or conda) installation it is in, from its path. */
export function packageOf(location: string): { readonly name: string; readonly prefix: string; readonly conda: boolean } | null {
  const site = /^(.*?)[/\\](?:lib|lib64|Lib)[/\\](?:(?:python|pypy)[^/\\]*[/\\])?(?:site|dist)-packages[/\\]([^/\\]+)[/\\]/.exec(location)
  if (site) return { name: site[2]!, prefix: site[1]!, conda: false }
  const conda = /^(.*?)[/\\](?:Library[/\\])?ssl[/\\]cacert\.pem$/.exec(location)
  return conda ? { name: 'ca-certificates', prefix: conda[1]!, conda: true } : null
}

/** A path as the audited machine names it (what people type there): without the system root. */
function onMachine(env: Environment, path: string): string {
  return env.systemRoot !== '/' && isWithin(env.systemRoot, path) ? sep + relative(env.systemRoot, path) : path
}

/** The command that puts a package's stock bundle back. */
function reinstall(env: Environment, pkg: NonNullable<ReturnType<typeof packageOf>>): string {
  const prefix = onMachine(env, pkg.prefix)
  const shell = shellFor(env.platform)
  if (pkg.conda) return formatCommand(['conda', 'install', '--force-reinstall', '--prefix', prefix, pkg.name], shell)
  if (prefix === '/usr') return formatCommand(['sudo', 'apt', 'install', '--reinstall', `python3-${pkg.name}`], shell)
  const python = env.platform === 'win32' ? join(prefix, 'python.exe') : join(prefix, 'bin/python3')
  return formatCommand([...(isWithin(env.home, pkg.prefix) ? [] : ['sudo']), python, '-m', 'pip', 'install', '--force-reinstall', pkg.name], shell)
}

function values(target: EntryTarget) {
  return { location: target.location, tool: target.facts?.tool ?? 'a program', setBy: settersOf(target, 'its own settings'), entry: target.entry, environment: target.facts?.environment ?? '' }
}

function manual(target: EntryTarget, why: ManualReason, env: Environment) {
  const v = values(target)
  switch (why.reason) {
    case 'folder':
      return runtimeNotices.notice('runtime-folder', v)
    case 'keystore':
      return runtimeNotices.notice('runtime-keystore', { ...v, command: why.command })
    case 'cannot-cut':
    case 'too-large':
      return runtimeNotices.notice('runtime-cannot-cut', v)
    case 'outside-home':
    case 'not-yours':
    case 'read-only': {
      // A file of the user's that is a link to someone else's (Fedora's certifi links to the system bundle).
      if (why.file !== target.location && isWithin(env.home, target.location)) return runtimeNotices.notice('runtime-link', { ...v, file: onMachine(env, why.file) })
      const pkg = packageOf(target.location)
      if (pkg) return runtimeNotices.notice('runtime-package', { ...v, package: pkg.name, environment: onMachine(env, pkg.prefix), command: reinstall(env, pkg) })
      if ((v.tool === 'docker' || v.tool === 'podman') && v.environment) {
        return runtimeNotices.notice('runtime-registry', { ...v, command: formatCommand(['sudo', 'rm', '--', onMachine(env, target.location)], shellFor(env.platform)) })
      }
      // Found by its layout, not named by a setting: a file of the application that ships it.
      if (!target.facts?.setBy?.length) return runtimeNotices.notice('runtime-app', { ...v, environment: onMachine(env, v.environment || target.location) })
      return runtimeNotices.notice('runtime-not-yours', v)
    }
    default:
      return runtimeNotices.notice('runtime-unreadable', v)
  }
}

function warnings(target: EntryTarget, others: number | null) {
  const v = values(target)
  const found = []
  const pkg = isAbsolute(target.location) ? packageOf(target.location) : null
  if (pkg) found.push(runtimeNotices.notice('runtime-package-warning', { ...v, package: pkg.name, environment: pkg.prefix }))
  if (others === 0) found.push(runtimeNotices.notice('runtime-empty', v))
  else if (target.facts?.setBy?.length) found.push(runtimeNotices.notice('runtime-still-set', v))
  return found
}

const writer = pointedWriter('runtime', { manual, warnings })

/** Places explained whatever the file: certificates inside a config file, .NET's one-file-per-certificate store. */
function explained(target: EntryTarget): Capabilities | null {
  if (target.storeId.startsWith(INLINE)) return { modes: [], needsAdmin: false, manual: runtimeNotices.notice('runtime-inline', values(target)) }
  if (target.facts?.tool === 'dotnet') return { modes: [], needsAdmin: false, manual: runtimeNotices.notice('runtime-dotnet', values(target)) }
  return null
}

/** The runtime kind's writer: some places are always explained, every other one as pointedWriter decides. */
export const runtimeWriter: StoreWriter<PointedData> = {
  kind: 'runtime',
  capabilities: async (target, env) => explained(target) ?? writer.capabilities(target, env),
  backup: async (target, env) => {
    const manual = explained(target)?.manual
    if (manual) throw new StoreError('not-changeable', noticeText(manual))
    return writer.backup(target, env)
  },
  apply: writer.apply,
  restore: writer.restore,
}

/** A bundle file as it was, or a keystore entry (java/write.ts). */
export const runtimeBackupData = pointedBackupData
