/**
 * "Who put it back": what CertAudit can tell about why a certificate is in a place. A Firefox
 * enterprise policy or a Windows Group Policy / Active Directory store puts it back until the policy
 * goes; an environment variable points programs at a bundle; a file of the system store may belong to
 * a package (asked of dpkg or rpm, read only); anything else was put there by hand or by a program
 * CertAudit cannot name. Newer stores may carry their own "where it came from" facts: a `policy` or
 * `package` fact, when present, is taken as it is.
 */
import { existsSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { Environment } from '../stores/shared/environment.js'
import type { Cause, GuardLocation } from './schemas.js'

/** The cause of each location, looked up once per file. Never throws: an unknown cause is `unknown`. */
export async function withCauses(env: Environment, locations: readonly GuardLocation[], cache = new Map<string, Promise<Cause>>()): Promise<GuardLocation[]> {
  return Promise.all(
    locations.map(async (location) => {
      const key = `${location.storeId}\0${location.origin?.file ?? ''}`
      let cause = cache.get(key)
      if (!cause) cache.set(key, (cause = causeOf(env, location).catch((): Cause => ({ by: 'unknown' }))))
      return { ...location, cause: await cause }
    }),
  )
}

export async function causeOf(env: Environment, location: GuardLocation): Promise<Cause> {
  const file = location.origin?.file
  const facts = (location.facts ?? {}) as Readonly<Record<string, unknown>>
  const origin = (location.origin ?? {}) as Readonly<Record<string, unknown>>
  // Facts a store states itself come first ("where it came from", added by newer stores).
  for (const source of [facts, origin]) {
    if (typeof source.policy === 'string') return { by: 'policy', name: source.policy, ...(file ? { file } : {}) }
    if (typeof source.package === 'string') return { by: 'package', name: source.package, ...(file ? { file } : {}) }
  }
  if (location.kind === 'firefox-policy') return { by: 'policy', name: 'Firefox enterprise policy', file: file ?? location.location }
  // Any other kind of policy store (browsers' CA policies…): a policy, named by its file.
  if (/polic/i.test(location.kind)) return { by: 'policy', name: location.kind, file: file ?? location.location }
  if (location.kind === 'windows') {
    if (/GroupPolicy/i.test(location.storeId)) return { by: 'policy', name: 'Group Policy' }
    if (/Enterprise/i.test(location.storeId)) return { by: 'policy', name: 'Active Directory' }
  }
  if (location.facts?.setBy?.length) return { by: 'environment', name: location.facts.setBy.join(', ') }
  if (location.kind === 'linux-system' && file) {
    const name = await owningPackage(env, file)
    if (name) return { by: 'package', name, file }
  }
  return file ? { by: 'unknown', file } : { by: 'unknown' }
}

/**
 * The package a system file belongs to, asked of the package database of the machine being looked at
 * (`--system-root`'s own /var/lib/dpkg or rpm database): dpkg-query -S, else rpm -qf. Null when no
 * package owns it, there is no package database, or the path would be read as a pattern.
 */
async function owningPackage(env: Environment, file: string): Promise<string | null> {
  const inside = env.systemRoot === '/' ? file : '/' + relative(env.systemRoot, file).split(sep).join('/')
  if (inside.startsWith('/..') || /[*?[\]\\]/.test(inside)) return null
  const admindir = join(env.systemRoot, 'var/lib/dpkg')
  if (existsSync(join(admindir, 'status'))) {
    const dpkg = await env.run('dpkg-query', [`--admindir=${admindir}`, '-S', inside], { timeoutMs: 20_000 })
    if (dpkg.exitCode === 0) {
      // "isp-root: /usr/local/…" (several packages: "a, b: /path").
      const line = dpkg.stdout.toString('utf8').split('\n').find((l) => l.endsWith(`: ${inside}`))
      if (line) return line.slice(0, -(inside.length + 2))
    }
    return null
  }
  if (existsSync(join(env.systemRoot, 'var/lib/rpm')) || existsSync(join(env.systemRoot, 'usr/lib/sysimage/rpm'))) {
    const rpm = await env.run('rpm', ['--root', env.systemRoot, '-qf', '--queryformat', '%{NAME}\\n', inside], { timeoutMs: 20_000 })
    const name = rpm.stdout.toString('utf8').trim()
    if (rpm.exitCode === 0 && name && !/\s/.test(name)) return name
  }
  return null
}
