/**
 * A planted developer's machine: real virtual environments made by `python3 -m venv` (plain,
 * pipx, Poetry, virtualenvwrapper), conda environments, pyenv and the user site-packages, a system
 * Python under the root, every tool's config file in the places it reads them, Docker and Podman
 * certs.d trees; each planted root is found with the right kind, location and facts.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { runtimeStore } from '../../../src/stores/runtime/index.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { noticeText } from '../../../src/stores/shared/notices.js'
import { ADDED } from '../../../src/stores/shared/pointed.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { havePythonVenv, installCertifi, makeCondaEnv, makeVenv, PYTHON_VENV_MISSING, stockCertifiBundle } from '../../support/python-envs.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { haveKeytool, haveOpenssl } from '../../support/tools.js'

const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp TLS Inspection CA']] })
const isp = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })
const stock = stockCertifiBundle()

async function entries(location: StoreLocation, env: Environment): Promise<Extract<ListItem, { type: 'entry' }>[]> {
  const found: Extract<ListItem, { type: 'entry' }>[] = []
  for await (const item of runtimeStore.list(location, env)) if (item.type === 'entry') found.push(item)
  return found
}

/** Where each planted certificate was found: [location, tool, environment or setting]. */
async function placesOf(env: Environment, sha: string): Promise<[string, string | undefined, string | undefined][]> {
  const places: [string, string | undefined, string | undefined][] = []
  for (const location of await runtimeStore.discover(env)) {
    if ((location as { problem?: unknown }).problem) continue
    const found = await entries(location, env).catch(() => [])
    if (found.some((e) => sha256Hex(e.der) === sha)) places.push([location.location, location.facts?.tool, location.facts?.environment ?? location.facts?.setBy?.[0]])
  }
  return places
}

describe.skipIf(!havePythonVenv)(`runtime: Python environments${havePythonVenv ? '' : ` (skipped: ${PYTHON_VENV_MISSING})`}`, () => {
  const home = tempDir('certaudit-runtime-home-')
  const root = tempDir('certaudit-runtime-root-')
  const env = createEnvironment({ home, systemRoot: root, env: {} })
  const venv = join(home, 'src/github.com/acme/api/.venv')
  const venvSite = makeVenv(venv)
  const venvBundle = installCertifi(venvSite, stock + corp.pem)
  const pipVendored = installCertifi(venvSite, stock, 'pip/_vendor/certifi')
  const pipx = join(home, '.local/share/pipx/venvs/httpie')
  const pipxBundle = installCertifi(makeVenv(pipx), stock + isp.pem)
  const poetry = join(home, '.cache/pypoetry/virtualenvs/api-AbC123-py3.11')
  const poetryBundle = installCertifi(makeVenv(poetry), corp.pem + stock)
  const wrapper = join(home, '.virtualenvs/tools')
  const wrapperBundle = installCertifi(makeVenv(wrapper), stock + isp.pem)
  const condaBase = makeCondaEnv(join(home, 'miniconda3'), stock + corp.pem)
  const condaEnv = makeCondaEnv(join(home, 'miniconda3/envs/ds'), stock)
  const condaCertifi = installCertifi(condaEnv.sitePackages, stock + isp.pem)
  const pyenvBundle = installCertifi(join(home, '.pyenv/versions/3.12.4/lib/python3.12/site-packages'), stock + corp.pem)
  const userSite = installCertifi(join(home, '.local/lib/python3.11/site-packages'), stock + isp.pem)
  const systemCertifi = installCertifi(join(root, 'usr/lib/python3/dist-packages'), stock + isp.pem)
  const systemBoto = put(root, 'usr/local/lib/python3.11/dist-packages/botocore/cacert.pem', stock + corp.pem)
  const optConda = makeCondaEnv(join(root, 'opt/conda'), stock + isp.pem)

  it('finds certifi in every kind of environment, each with its environment as a fact', async () => {
    expect(await placesOf(env, corp.sha256)).toEqual(
      expect.arrayContaining([
        [venvBundle, 'python', venv],
        [poetryBundle, 'python', poetry],
        [condaBase.sslBundle, 'conda', join(home, 'miniconda3')],
        [pyenvBundle, 'python', join(home, '.pyenv/versions/3.12.4')],
        [systemBoto, 'python', join(root, 'usr/local')],
      ]),
    )
    expect(await placesOf(env, isp.sha256)).toEqual(
      expect.arrayContaining([
        [pipxBundle, 'python', pipx],
        [wrapperBundle, 'python', wrapper],
        [condaCertifi, 'python', join(home, 'miniconda3/envs/ds')],
        [userSite, 'python', join(home, '.local')],
        [systemCertifi, 'python', join(root, 'usr')],
        [optConda.sslBundle, 'conda', join(root, 'opt/conda')],
      ]),
    )
  })

  it('reads a venv once, though lib64 links to lib, and pip’s vendored certifi as its own place', async () => {
    const locations = (await runtimeStore.discover(env)).map((l) => l.location)
    expect(locations.filter((l) => l.startsWith(venv))).toEqual([venvBundle, pipVendored])
    expect(locations.some((l) => l.includes('lib64'))).toBe(false)
  })

  it('reports only the root added to a stock bundle as added, and still lists and counts every root', async () => {
    const location = (await runtimeStore.discover(env)).find((l) => l.location === venvBundle)!
    const listed = await entries(location, env)
    expect(listed).toHaveLength(mozillaRoots().sha256.size + 1)
    expect(listed.filter((e) => e.entry.endsWith(ADDED)).map((e) => sha256Hex(e.der))).toEqual([corp.sha256])
    const report = await scan({ kinds: ['runtime'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    const inVenv = report.findings.filter((f) => f.locations.some((l) => l.location === venvBundle))
    expect(inVenv.map((f) => [f.certificate.sha256, f.rule])).toEqual([[corp.sha256, 'unknown-root']])
    expect(report.stores.find((s) => s.location === venvBundle)).toMatchObject({ kind: 'runtime', status: 'ok', entryCount: mozillaRoots().sha256.size + 1 })
    // A look-alike of a Kazakh interception root in a stock bundle is reported where it is, too.
    expect(report.findings.find((f) => f.certificate.sha256 === isp.sha256)).toMatchObject({ rule: 'lookalike', severity: 'high' })
  })
})

describe('runtime: tools’ config files, in the places each tool reads them', () => {
  const home = tempDir('certaudit-runtime-configs-')
  const root = tempDir('certaudit-runtime-configs-root-')
  const bundle = (name: string) => put(home, `certs/${name}.pem`, corp.pem)
  const planted: [string, string, RegExp][] = []
  const plant = (tool: string, configPath: string, text: (bundlePath: string) => string, setting: RegExp, inRoot = false) => {
    const target = bundle(`${tool}-${planted.length}`)
    put(inRoot ? root : home, configPath, text(target))
    planted.push([target, tool, setting])
  }
  plant('pip', '.config/pip/pip.conf', (b) => `[global]\nindex-url = https://pypi.example/simple\ncert = ${b}\n`, /^cert in .*\.config\/pip\/pip\.conf, line 3$/)
  plant('pip', '.pip/pip.conf', (b) => `[install]\ncert=${b}\n`, /^cert in .*\.pip\/pip\.conf, line 2$/)
  plant('pip', 'etc/pip.conf', (b) => `[global]\ncert = ${b}\n`, /^cert in .*\/etc\/pip\.conf, line 2$/, true)
  plant('npm', '.npmrc', (b) => `registry=https://npm.example/\n//npm.example/:_authToken=secret\ncafile=${b}\n`, /^cafile in .*\.npmrc, line 3$/)
  plant('npm', 'etc/npmrc', (b) => `cafile = "${b}"\n`, /^cafile in .*\/etc\/npmrc, line 1$/, true)
  plant('pnpm', '.config/pnpm/rc', (b) => `cafile=${b}\n`, /^cafile in .*pnpm\/rc, line 1$/)
  plant('yarn', '.yarnrc', (b) => `# yarn lockfile v1\ncafile "${b}"\n`, /^cafile in .*\.yarnrc, line 2$/)
  plant('yarn', 'work/app/.yarnrc.yml', (b) => `nodeLinker: node-modules\nnetworkSettings:\n  "npm.example":\n    httpsCaFilePath: ${b}\n`, /^httpsCaFilePath in .*\.yarnrc\.yml, line 4$/)
  plant('conda', '.condarc', (b) => `channels:\n  - defaults\nssl_verify: ${b}\n`, /^ssl_verify in .*\.condarc, line 3$/)
  plant('conda', 'etc/conda/condarc.d/corp.yml', (b) => `ssl_verify: '${b}'\n`, /^ssl_verify in .*condarc\.d\/corp\.yml, line 1$/, true)
  plant('curl', '.curlrc', (b) => `# proxy settings\n--cacert "${b}"\n`, /^--cacert in .*\.curlrc, line 2$/)
  plant('wget', '.wgetrc', (b) => `ca_certificate = ${b}\n`, /^ca_certificate in .*\.wgetrc, line 1$/)
  plant('wget', 'etc/wgetrc', (b) => `CA-Certificate=${b}\n`, /^CA-Certificate in .*\/etc\/wgetrc, line 1$/, true)
  plant('aws', '.aws/config', (b) => `[profile work]\nregion = eu-west-1\nca_bundle = ${b}\n`, /^ca_bundle in .*\.aws\/config, line 3$/)
  plant('gcloud', '.config/gcloud/configurations/config_default', (b) => `[core]\naccount = a@example.com\ncustom_ca_certs_file = ${b}\n`, /^custom_ca_certs_file in .*config_default, line 3$/)
  plant('cargo', '.cargo/config.toml', (b) => `[http]\ncainfo = "${b}"\n`, /^cainfo in .*\.cargo\/config\.toml, line 2$/)
  plant('ruby', '.gemrc', (b) => `---\n:ssl_ca_cert: ${b}\n`, /^:ssl_ca_cert in .*\.gemrc, line 2$/)
  plant('ruby', '.bundle/config', (b) => `---\nBUNDLE_SSL_CA_CERT: "${b}"\n`, /^BUNDLE_SSL_CA_CERT in .*\.bundle\/config, line 2$/)
  plant('poetry', '.config/pypoetry/config.toml', (b) => `[certificates.corp]\ncert = "${b}"\n`, /^cert in .*pypoetry\/config\.toml, line 2$/)
  plant('nix', 'etc/nix/nix.conf', (b) => `ssl-cert-file = ${b}\n`, /^ssl-cert-file in .*nix\.conf, line 1$/, true)
  plant('php', 'etc/php/8.2/cli/conf.d/99-corp.ini', (b) => `[openssl]\nopenssl.cafile="${b}"\n`, /^openssl\.cafile in .*99-corp\.ini, line 2$/, true)
  plant('subversion', '.subversion/servers', (b) => `[global]\nssl-authority-files = ${b}\n`, /^ssl-authority-files in .*servers, line 2$/)
  plant('mercurial', '.hgrc', (b) => `[web]\ncacerts = ${b}\n`, /^cacerts in .*\.hgrc, line 2$/)
  plant('containerd', 'etc/containerd/certs.d/registry.example:5000/hosts.toml', (b) => `server = "https://registry.example:5000"\n[host."https://registry.example:5000"]\n  ca = ["${b}"]\n`, /^ca in .*hosts\.toml, line 3$/, true)
  plant('k3s', 'etc/rancher/k3s/registries.yaml', (b) => `configs:\n  "registry.example:5000":\n    tls:\n      ca_file: ${b}\n`, /^ca_file in .*registries\.yaml, line 4$/, true)
  mkdirSync(join(home, 'work/app/node_modules'), { recursive: true })
  const env = createEnvironment({ home, systemRoot: root, env: {} })

  it('finds the bundle each setting names, with the tool and the setting’s file and line', async () => {
    const locations = await runtimeStore.discover(env)
    for (const [target, tool, setting] of planted) {
      const location = locations.find((l) => l.location === target)
      expect(location, `${tool}: ${setting}`).toBeDefined()
      expect(location!.facts?.tool, target).toBe(tool)
      expect(location!.facts?.setBy, target).toEqual([expect.stringMatching(setting)])
      expect((await entries(location!, env)).map((e) => sha256Hex(e.der))).toEqual([corp.sha256])
    }
  })

  it('follows ~, $HOME and relative paths as each tool does, and lists certificates written into .npmrc itself', async () => {
    const dir = tempDir('certaudit-runtime-paths-')
    const target = put(dir, 'certs/relative.pem', corp.pem)
    put(dir, '.cargo/config.toml', '[http]\ncainfo = "certs/relative.pem"\n') // Cargo: relative to the folder holding .cargo
    put(dir, '.curlrc', 'cacert = ~/certs/relative.pem\n')
    put(dir, '.wgetrc', 'ca_certificate = $HOME/certs/relative.pem\n')
    put(dir, '.npmrc', `ca="${isp.pem.trim().replace(/\n/g, '\\n')}"\n`)
    const local = createEnvironment({ home: dir, systemRoot: root, env: {} })
    const locations = await runtimeStore.discover(local)
    expect(locations.find((l) => l.location === target)?.facts?.setBy).toEqual([expect.stringMatching(/^cacert/), expect.stringMatching(/^ca_certificate/), expect.stringMatching(/^cainfo/)])
    const inline = locations.find((l) => l.id === `runtime:inline:${join(dir, '.npmrc')}`)!
    expect((await entries(inline, local)).map((e) => [sha256Hex(e.der), e.entry])).toEqual([[isp.sha256, 'ca, line 1']])
  })
})

describe('runtime: container registries’ certs.d', () => {
  const home = tempDir('certaudit-runtime-docker-')
  const root = tempDir('certaudit-runtime-docker-root-')
  const system = put(root, 'etc/docker/certs.d/registry.example:5000/ca.crt', corp.pem)
  put(root, 'etc/docker/certs.d/registry.example:5000/client.cert', isp.pem) // a client certificate: not a CA
  const rootless = put(home, '.config/docker/certs.d/mirror.example/ca.crt', corp.pem)
  const desktop = put(home, '.docker/certs.d/ghcr.io/corp.crt', corp.pem)
  const podman = put(root, 'etc/containers/certs.d/quay.example/ca.crt', corp.pem)
  const env = createEnvironment({ home, systemRoot: root, env: {} })

  it('finds every *.crt, with the registry it is trusted for', async () => {
    expect(await placesOf(env, corp.sha256)).toEqual([
      [system, 'docker', 'registry.example:5000'],
      [rootless, 'docker', 'mirror.example'],
      [desktop, 'docker', 'ghcr.io'],
      [podman, 'podman', 'quay.example'],
    ])
    expect(await placesOf(env, isp.sha256)).toEqual([])
  })
})

describe.skipIf(!haveKeytool)(`runtime: Java trust stores named by Gradle and Maven settings${haveKeytool ? '' : ' (skipped: keytool is not on the PATH)'}`, () => {
  const home = tempDir('certaudit-runtime-java-')
  const keystore = join(home, 'corp/truststore.p12')
  mkdirSync(join(home, 'corp'), { recursive: true })
  const pem = put(home, 'corp/corp.pem', corp.pem)
  execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'corp-proxy', '-file', pem, '-keystore', keystore, '-storepass', 's3cret', '-storetype', 'PKCS12'], { stdio: 'pipe' })
  put(home, '.gradle/gradle.properties', `org.gradle.jvmargs=-Xmx2g\nsystemProp.javax.net.ssl.trustStore=${keystore}\nsystemProp.javax.net.ssl.trustStorePassword=s3cret\n`)
  put(home, '.mavenrc', `export MAVEN_OPTS="-Xmx1g -Djavax.net.ssl.trustStore=${keystore} -Djavax.net.ssl.trustStorePassword=s3cret"\n`)
  const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })

  it('reads the keystore with the password the setting gives, naming the alias', async () => {
    const location = (await runtimeStore.discover(env)).find((l) => l.location === keystore)!
    expect(location.facts).toEqual({ tool: 'gradle', setBy: [expect.stringMatching(/^systemProp\.javax\.net\.ssl\.trustStore in .*gradle\.properties, line 2$/), expect.stringMatching(/^MAVEN_OPTS in .*\.mavenrc, line 1$/)] })
    expect((await entries(location, env)).map((e) => [sha256Hex(e.der), e.entry])).toEqual([[corp.sha256, 'corp-proxy']])
  })
})

describe.skipIf(!haveOpenssl)(`runtime: .NET’s CurrentUser Root store on Linux${haveOpenssl ? '' : ' (skipped: openssl is not installed)'}`, () => {
  it('reads each PFX (no password, as .NET writes them) and explains the removal: delete that file', async () => {
    const home = tempDir('certaudit-runtime-dotnet-')
    const pem = put(home, 'corp.pem', corp.pem)
    const pfx = join(home, '.dotnet/corefx/cryptography/x509stores/root', 'ABCDEF0123.pfx')
    mkdirSync(join(pfx, '..'), { recursive: true })
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', pem, '-passout', 'pass:', '-out', pfx], { stdio: 'pipe' })
    const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
    const [location] = await runtimeStore.discover(env)
    expect(location).toMatchObject({ location: pfx, facts: { tool: 'dotnet' } })
    expect((await entries(location!, env)).map((e) => sha256Hex(e.der))).toEqual([corp.sha256])
    const can = await runtimeStore.capabilities({ storeId: location!.id, kind: 'runtime', location: pfx, entry: 'certificate 1', sha256: corp.sha256, pem: corp.pem, trust: 'trusted', facts: location!.facts! }, env)
    expect(can.modes).toEqual([])
    expect(noticeText(can.manual!)).toMatch(/CurrentUser Root store \(one file per certificate\)\. Delete that file/)
  })
})

describe('runtime: bundles applications ship outside any environment', () => {
  it('finds the Google Cloud CLI’s vendored certifi and botocore, and its bundled Python’s, and explains them', async () => {
    const root = tempDir('certaudit-runtime-gcloud-')
    const home = tempDir()
    const sdk = join(root, 'usr/lib/google-cloud-sdk')
    const certifi = put(sdk, 'lib/third_party/certifi/cacert.pem', stock + corp.pem)
    const botocore = put(sdk, 'lib/third_party/botocore/cacert.pem', corp.pem)
    const bundled = put(sdk, 'platform/bundledpythonunix/lib/python3.12/site-packages/certifi/cacert.pem', corp.pem)
    const env = createEnvironment({ home, systemRoot: root, env: {} })
    expect(await placesOf(env, corp.sha256)).toEqual([
      [certifi, 'gcloud', sdk],
      [botocore, 'gcloud', sdk],
      [bundled, 'python', join(sdk, 'platform/bundledpythonunix')],
    ])
    const location = (await runtimeStore.discover(env)).find((l) => l.location === certifi)!
    const can = await runtimeStore.capabilities({ storeId: location.id, kind: 'runtime', location: certifi, entry: 'x', sha256: corp.sha256, pem: corp.pem, trust: 'trusted', facts: location.facts! }, env)
    expect(noticeText(can.manual!)).toBe(`${certifi} belongs to gcloud, installed for the whole computer (/usr/lib/google-cloud-sdk), so CertAudit does not edit it. Reinstalling or updating gcloud puts its own bundle back, without this certificate.`)
  })

  it('finds environments as deep as Hatch keeps them (8 folders below the home)', async () => {
    const home = tempDir('certaudit-runtime-hatch-')
    const prefix = join(home, '.local/share/hatch/env/virtual/api/AbCd1234/default')
    put(prefix, 'pyvenv.cfg', 'home = /usr/bin\n')
    const bundle = installCertifi(join(prefix, 'lib/python3.12/site-packages'), corp.pem)
    expect(await placesOf(createEnvironment({ home, systemRoot: tempDir(), env: {} }), corp.sha256)).toEqual([[bundle, 'python', prefix]])
  })
})
