/**
 * Container registries' own roots. Docker trusts every `*.crt` in certs.d/<registry>/ as a CA for
 * that registry (https://docs.docker.com/engine/security/certificates/): /etc/docker/certs.d, and
 * ~/.config/docker/certs.d in rootless mode (https://docs.docker.com/engine/security/rootless/);
 * Docker Desktop reads ~/.docker/certs.d. Podman, Buildah and Skopeo read the same layout in
 * /etc/containers/certs.d and ~/.config/containers/certs.d
 * (https://github.com/containers/image/blob/main/docs/containers-certs.d.5.md). Docker's client
 * trusts DOCKER_CERT_PATH/ca.pem (default ~/.docker) for its daemon
 * (https://docs.docker.com/reference/cli/docker/#environment-variables).
 */
import { join } from 'node:path'
import { systemPath, type Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolder } from '../shared/folder-listing.js'
import { machineRealPath } from '../shared/machine-files.js'
import type { Candidate } from './candidate.js'

/** Registries are a handful; past this many folders the rest is not read. */
const MAX_REGISTRIES = 500

/** Every registry CA file under the certs.d folders of Docker and of Podman/Buildah/Skopeo. */
export async function certsDCandidates(env: Environment): Promise<Candidate[]> {
  const xdg = env.machineEnv.XDG_CONFIG_HOME || join(env.home, '.config')
  const roots = [
    { dir: systemPath(env, '/etc/docker/certs.d'), tool: 'docker' },
    { dir: join(xdg, 'docker/certs.d'), tool: 'docker' },
    { dir: join(env.home, '.docker/certs.d'), tool: 'docker' },
    { dir: systemPath(env, '/etc/containers/certs.d'), tool: 'podman' },
    { dir: join(xdg, 'containers/certs.d'), tool: 'podman' },
  ]
  const found: Candidate[] = []
  for (const root of roots) {
    for (const registry of await entries(env, root.dir, true)) {
      const dir = join(root.dir, registry)
      for (const file of (await entries(env, dir, false)).filter((name) => name.endsWith('.crt'))) {
        found.push({ path: join(dir, file), tool: root.tool, what: `a CA for the registry ${registry} (${root.dir})`, environment: registry, type: 'file' })
      }
    }
  }
  const docker = join(env.home, '.docker/ca.pem')
  if ((await entries(env, join(env.home, '.docker'), false)).includes('ca.pem')) {
    found.push({ path: docker, tool: 'docker', what: "the CA Docker's client trusts for its daemon", setBy: 'DOCKER_CERT_PATH (default ~/.docker)', type: 'file' })
  }
  return found
}

/** Names in a folder (links followed on the audited machine, listed to a bound); none when it is missing. */
async function entries(env: Environment, dir: string, foldersOnly: boolean): Promise<string[]> {
  try {
    return (await readFolder(await machineRealPath(env, dir), MAX_CANDIDATE_ENTRIES)).entries
      .filter((e) => !foldersOnly || e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort()
      .slice(0, MAX_REGISTRIES)
  } catch {
    return []
  }
}
