/**
 * Where language runtimes and developer tools keep roots of their own, found on disk: Python
 * packages' bundles in every environment (python.ts), the bundles and certificates tools' config
 * files name (configs.ts), container registries' CAs (certs-d.ts), and the per-user trust stores of
 * Java Web Start and .NET. Each file is one location, however many finders name it; its note and
 * facts say every tool and setting that uses it.
 */
import { join } from 'node:path'
import { isWithin, type Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolderSync } from '../shared/folder-listing.js'
import { machineRealPath } from '../shared/machine-files.js'
import type { StoreFacts, StoreLocation } from '../types.js'
import type { Candidate } from './candidate.js'
import { certsDCandidates } from './certs-d.js'
import { configCandidates } from './configs.js'
import { environmentBundles, findEnvironments, vendoredBundles } from './python.js'

/** A runtime location, with what listing it needs besides its path. */
export interface RuntimeLocation extends StoreLocation {
  readonly password?: string
  readonly problem?: { readonly code: string; readonly message: string }
}

/** Every place of the kind on the machine: bundles, config-named files, registry CAs, user trust stores. */
export async function discover(env: Environment): Promise<RuntimeLocation[]> {
  const walk = await findEnvironments(env)
  const candidates: Candidate[] = [...walk.problems]
  for (const environment of walk.environments) candidates.push(...(await environmentBundles(env, environment)))
  candidates.push(...(await vendoredBundles(env)))
  candidates.push(...(await configCandidates(env, walk)))
  candidates.push(...(await certsDCandidates(env)))
  candidates.push(...userTrustStores(env))
  return merge(env, candidates)
}

/**
 * Per-user trust stores of runtimes: IcedTea-Web's and Java Web Start's user CA keystore
 * (https://docs.oracle.com/javase/8/docs/technotes/guides/deploy/properties.html), and .NET's
 * CurrentUser\Root store on Linux, one PFX per certificate
 * (https://learn.microsoft.com/dotnet/standard/security/cross-platform-cryptography#x509store).
 */
function userTrustStores(env: Environment): Candidate[] {
  const found: Candidate[] = []
  for (const path of ['.config/icedtea-web/security/trusted.cacerts', '.icedtea/security/trusted.cacerts', '.java/deployment/security/trusted.cacerts']) {
    found.push({ path: join(env.home, path), tool: 'java', what: 'the Java Web Start user CA store', type: 'keystore' })
  }
  const dotnet = join(env.home, '.dotnet/corefx/cryptography/x509stores/root')
  let names: string[] = []
  try {
    // Listed to a bound: one file per certificate, a few dozen in a real store.
    names = readFolderSync(dotnet, MAX_CANDIDATE_ENTRIES).entries.map((e) => e.name).filter((n) => n.toLowerCase().endsWith('.pfx')).sort().slice(0, 1000)
  } catch {
    // no .NET user Root store
  }
  // .NET writes these without a password.
  for (const name of names) found.push({ path: join(dotnet, name), tool: 'dotnet', what: ".NET's CurrentUser Root store", type: 'keystore', password: '' })
  return found
}

/** One location per file (per config file for inline certificates; per problem), naming every candidate that led there. */
async function merge(env: Environment, candidates: readonly Candidate[]): Promise<RuntimeLocation[]> {
  const groups = new Map<string, { first: Candidate; all: Candidate[]; real: string | null }>()
  for (const candidate of candidates) {
    let real: string | null = null
    if (!candidate.problem) {
      try {
        real = await machineRealPath(env, candidate.path)
      } catch (error) {
        const code = (error as { code?: string }).code
        // A file no setting finds is not a place; one a setting names but is missing is reported.
        if ((code === 'enoent' || code === 'enotdir') && !candidate.setBy) continue
      }
    }
    const key = candidate.problem ? `problem:${candidate.path}#${candidate.problem.code}#${candidate.problem.message}` : `${candidate.type === 'inline' ? 'inline:' : ''}${real ?? candidate.path}`
    const group = groups.get(key)
    if (group) group.all.push(candidate)
    else groups.set(key, { first: candidate, all: [candidate], real })
  }
  const ids = new Set<string>()
  return [...groups.values()].map(({ first, all, real }) => {
    const setBy = [...new Set(all.flatMap((c) => (c.setBy ? [c.setBy] : [])))]
    // In the order of the facts' schema (removal/schemas.ts): a backup must read back as it was written.
    const facts: StoreFacts = { ...(setBy.length ? { setBy } : {}), tool: first.tool, ...(first.environment ? { environment: first.environment } : {}) }
    const whats = [...new Set(all.map((c) => (c.setBy && c.what !== 'setting' ? `${c.tool}: ${c.setBy}` : c.what)))]
    const link = real && real !== first.path && !isWithin(env.home, real) ? ` (a link to ${real})` : ''
    let id = first.problem ? `runtime:${first.path}#${first.problem.code}` : first.type === 'inline' ? `runtime:inline:${first.path}` : `runtime:${first.path}`
    for (let n = 2; ids.has(id); n++) id = `${id.replace(/#\d+$/, '')}#${n}`
    ids.add(id)
    const password = all.find((c) => c.password !== undefined)?.password
    return {
      id,
      kind: 'runtime' as const,
      location: first.path,
      note: first.problem ? `${first.tool} setting in ${first.path}` : `${whats.join('; ')}${link}`,
      facts,
      ...(password !== undefined ? { password } : {}),
      ...(first.problem ? { problem: first.problem } : {}),
    }
  })
}
