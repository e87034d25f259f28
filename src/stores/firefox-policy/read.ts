import { isAbsolute, join } from 'node:path'
import { fileError, readRegularFile } from '../shared/regular-file.js'
import { systemPath, type Environment } from '../shared/environment.js'
import { existsInRoot, realPathInRoot } from '../shared/paths.js'
import { readTrustFile } from '../shared/trust-file.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'

/**
 * Where Firefox looks for a certificate that a policy names without a path, on the system and in the
 * home (https://mozilla.github.io/policy-templates/#certificates--install).
 */
function certificateDirs(env: Environment): { readonly system: readonly string[]; readonly home: readonly string[] } {
  if (env.platform === 'darwin') return { system: ['/Library/Application Support/Mozilla/Certificates'], home: ['Library/Application Support/Mozilla/Certificates'] }
  return { system: ['/usr/lib/mozilla/certificates', '/usr/lib64/mozilla/certificates'], home: ['.mozilla/certificates'] }
}
/** A policies.json is a few KB; Firefox itself refuses to parse a huge one. */
const MAX_POLICIES_BYTES = 16 * 1024 * 1024

/** The list of certificate files a policies.json installs. Garbage is a StoreError that says what is wrong. */
async function installList(env: Environment, path: string): Promise<string[]> {
  let text: string
  try {
    text = (await readRegularFile(await realPathInRoot(env, path), { maxBytes: MAX_POLICIES_BYTES, noFollow: true, what: 'Firefox policies file', shown: path })).toString('utf8')
  } catch (error) {
    throw error instanceof StoreError ? error : fileError(path, error)
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new StoreError('corrupt-policies', `${path} is not valid JSON (${(error as Error).message}); Firefox ignores a broken policies file.`)
  }
  const install = (document as { policies?: { Certificates?: { Install?: unknown } } } | null)?.policies?.Certificates?.Install
  if (install === undefined) return []
  if (!Array.isArray(install) || !install.every((i) => typeof i === 'string')) {
    throw new StoreError('corrupt-policies', `${path}: Certificates.Install must be a list of file names.`)
  }
  return install
}

/** The certificates a policies.json installs, each read from the file Firefox would take it from. */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  for (const name of await installList(env, location.location)) {
    const candidates = isAbsolute(name)
      ? [name.startsWith(env.home) ? name : systemPath(env, name)]
      : [...certificateDirs(env).system.map((d) => systemPath(env, join(d, name))), ...certificateDirs(env).home.map((d) => join(env.home, d, name))]
    let found: string | undefined
    for (const candidate of candidates) {
      if (await existsInRoot(env, candidate)) {
        found = candidate
        break
      }
    }
    if (!found) {
      yield {
        type: 'problem',
        path: location.location,
        code: 'missing-policy-certificate',
        message: `${location.location} installs "${name}", but no such file was found (looked in ${candidates.join(', ')}).`,
      }
      continue
    }
    try {
      yield* readTrustFile(await realPathInRoot(env, found), 'trusted', `${found} (installed by ${location.location})`, { noFollow: true, shown: found })
    } catch (error) {
      const cause = error instanceof StoreError ? error : fileError(found, error)
      yield { type: 'problem', path: found, code: cause.code, message: cause.message }
    }
  }
}
