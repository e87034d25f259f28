/**
 * Config files in which developer tools are told to trust a bundle of their own, read in every
 * place each tool reads them (its documentation linked on each line), and the settings that name
 * a bundle, a folder, a keystore, or hold certificates themselves (npm's and Yarn's `ca`).
 * A config that is not what its name says (binary junk, lines that are no setting) is reported;
 * what could be read of it is still followed.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { javaTrustStore, NOT_A_PATH } from '../env-bundle/variables.js'
import { machinePath, systemPath, type Environment } from '../shared/environment.js'
import { MAX_CANDIDATE_ENTRIES, readFolderSync } from '../shared/folder-listing.js'
import { onMachineSync, readConfigText } from '../shared/machine-files.js'
import { StoreError } from '../types.js'
import { problemAt, type Candidate } from './candidate.js'
import { normalKey, parseSettings, type Setting, type Syntax } from './config-syntax.js'
import type { PythonEnvironment } from './python.js'

type KeyType = 'file' | 'dir' | 'keystore' | 'inline' | 'file-list' | 'jvm-options'

interface ConfigKey {
  /** The key after normalKey(). */
  readonly key: string
  readonly type: KeyType
  /** Only in sections matching this (lower-case). */
  readonly section?: RegExp
  /** The key (normalised) of the keystore password in the same file. */
  readonly password?: string
}

interface ConfigSource {
  readonly tool: string
  readonly syntax: Syntax
  readonly keys: readonly ConfigKey[]
  files(env: Environment, found: Found): string[]
  /** Relative paths are relative to the config's folder, or (Cargo) to the folder holding `.cargo`. */
  readonly relativeTo?: 'parent'
}

/** What the other finders found, which says where more config files are. */
export interface Found {
  readonly environments: readonly PythonEnvironment[]
  readonly projectFiles: ReadonlyMap<string, readonly string[]>
}

/** Snippet folders (condarc.d, conf.d) hold a few files; past this many the rest is not read. */
const MAX_SNIPPETS = 200

const SOURCES: readonly ConfigSource[] = [
  {
    // https://pip.pypa.io/en/stable/topics/configuration/#location ; `cert` in any section applies to its command.
    tool: 'pip',
    syntax: 'ini',
    keys: [{ key: 'cert', type: 'file' }],
    files: (env, found) => [
      ...fromVar(env, 'PIP_CONFIG_FILE'),
      ...(env.machineEnv.XDG_CONFIG_DIRS?.split(':').filter(Boolean) ?? [systemPath(env, '/etc/xdg')]).map((d) => join(d, 'pip/pip.conf')),
      systemPath(env, '/etc/pip.conf'),
      systemPath(env, '/Library/Application Support/pip/pip.conf'),
      systemPath(env, '/ProgramData/pip/pip.ini'),
      join(xdgConfig(env), 'pip/pip.conf'),
      join(env.home, '.pip/pip.conf'),
      join(env.home, 'Library/Application Support/pip/pip.conf'),
      join(env.home, 'AppData/Roaming/pip/pip.ini'),
      ...found.environments.flatMap((e) => [join(e.prefix, 'pip.conf'), join(e.prefix, 'pip.ini')]),
    ],
  },
  {
    // https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#files ; cafile and ca: https://docs.npmjs.com/cli/v10/using-npm/config#cafile
    tool: 'npm',
    syntax: 'npmrc',
    keys: [{ key: 'cafile', type: 'file' }, { key: 'ca', type: 'inline' }, { key: 'ca[]', type: 'inline' }],
    files: (env, found) => [
      ...(fromVar(env, 'NPM_CONFIG_USERCONFIG').length ? fromVar(env, 'NPM_CONFIG_USERCONFIG') : [join(env.home, '.npmrc')]),
      ...fromVar(env, 'NPM_CONFIG_GLOBALCONFIG'),
      ...fromVar(env, 'NPM_CONFIG_PREFIX').map((p) => join(p, 'etc/npmrc')),
      ...['/etc/npmrc', '/usr/etc/npmrc', '/usr/local/etc/npmrc', '/usr/lib/node_modules/npm/npmrc', '/usr/local/lib/node_modules/npm/npmrc', '/usr/share/nodejs/npm/npmrc'].map((p) => systemPath(env, p)),
      join(env.home, '.npm-global/etc/npmrc'),
      ...children(env, join(env.home, '.nvm/versions/node')).flatMap((v) => [join(v, 'etc/npmrc'), join(v, 'lib/node_modules/npm/npmrc')]),
      ...(found.projectFiles.get('.npmrc') ?? []),
    ],
  },
  {
    // pnpm reads .npmrc, and its own global rc since v9: https://pnpm.io/npmrc
    tool: 'pnpm',
    syntax: 'npmrc',
    keys: [{ key: 'cafile', type: 'file' }, { key: 'ca', type: 'inline' }],
    files: (env) => [join(xdgConfig(env), 'pnpm/rc'), join(env.home, 'Library/Preferences/pnpm/rc'), join(env.home, 'AppData/Local/pnpm/config/rc')],
  },
  {
    // Yarn 1: https://classic.yarnpkg.com/en/docs/yarnrc (cafile, ca)
    tool: 'yarn',
    syntax: 'yarnrc',
    keys: [{ key: 'cafile', type: 'file' }, { key: 'ca', type: 'inline' }],
    files: (env, found) => [join(env.home, '.yarnrc'), systemPath(env, '/usr/local/share/.yarnrc'), ...(found.projectFiles.get('.yarnrc') ?? [])],
  },
  {
    // Yarn 2+: caFilePath (2, 3), httpsCaFilePath (4), also per host under networkSettings: https://yarnpkg.com/configuration/yarnrc
    tool: 'yarn',
    syntax: 'yaml',
    keys: [{ key: 'cafilepath', type: 'file' }, { key: 'httpscafilepath', type: 'file' }],
    files: (env, found) => [join(env.home, '.yarnrc.yml'), ...(found.projectFiles.get('.yarnrc.yml') ?? [])],
  },
  {
    // https://docs.conda.io/projects/conda/en/latest/user-guide/configuration/use-condarc.html#searching-for-condarc
    // ssl_verify may be a path: https://docs.conda.io/projects/conda/en/latest/user-guide/configuration/non-standard-certs.html
    tool: 'conda',
    syntax: 'yaml',
    keys: [{ key: 'sslverify', type: 'file' }],
    files: (env, found) => {
      const conda = found.environments.filter((e) => e.type === 'conda').map((e) => e.prefix)
      const dirs = [
        ...['/etc/conda', '/var/lib/conda'].map((d) => systemPath(env, d)),
        ...conda,
        ...fromVar(env, 'CONDA_ROOT'),
        ...fromVar(env, 'CONDA_PREFIX'),
        join(xdgConfig(env), 'conda'),
        join(env.home, '.config/conda'),
        join(env.home, '.conda'),
      ]
      return [
        ...dirs.flatMap((d) => [join(d, '.condarc'), join(d, 'condarc'), ...snippets(env, join(d, 'condarc.d'), /\.ya?ml$/)]),
        join(env.home, '.condarc'),
        join(env.home, '.mambarc'),
        ...fromVar(env, 'CONDARC'),
      ]
    },
  },
  {
    // https://curl.se/docs/manpage.html#-K : $CURL_HOME/.curlrc, $XDG_CONFIG_HOME/.curlrc, ~/.curlrc, ~/.config/curlrc
    tool: 'curl',
    syntax: 'curlrc',
    keys: [{ key: 'cacert', type: 'file' }, { key: 'capath', type: 'dir' }, { key: 'proxycacert', type: 'file' }, { key: 'proxycapath', type: 'dir' }],
    files: (env) => [...fromVar(env, 'CURL_HOME').map((d) => join(d, '.curlrc')), join(xdgConfig(env), '.curlrc'), join(env.home, '.curlrc'), join(env.home, '.config/curlrc'), join(env.home, '_curlrc')],
  },
  {
    // https://www.gnu.org/software/wget/manual/html_node/Wgetrc-Location.html ; wget2 reads ~/.config/wget/wget2rc
    tool: 'wget',
    syntax: 'wgetrc',
    keys: [{ key: 'cacertificate', type: 'file' }, { key: 'cadirectory', type: 'dir' }],
    files: (env) => [
      ...(fromVar(env, 'SYSTEM_WGETRC').length ? fromVar(env, 'SYSTEM_WGETRC') : [systemPath(env, '/etc/wgetrc'), systemPath(env, '/usr/local/etc/wgetrc')]),
      ...(fromVar(env, 'WGETRC').length ? fromVar(env, 'WGETRC') : [join(env.home, '.wgetrc')]),
      join(xdgConfig(env), 'wget/wget2rc'),
    ],
  },
  {
    // gcloud's core/custom_ca_certs_file: https://cloud.google.com/sdk/docs/proxy-settings
    tool: 'gcloud',
    syntax: 'ini',
    keys: [{ key: 'customcacertsfile', type: 'file', section: /^core$/ }],
    files: (env) => {
      const dir = fromVar(env, 'CLOUDSDK_CONFIG')[0] ?? join(xdgConfig(env), 'gcloud')
      return [join(dir, 'properties'), ...snippets(env, join(dir, 'configurations'), /^config_/), ...['/usr/lib/google-cloud-sdk/properties', '/usr/share/google-cloud-sdk/properties'].map((p) => systemPath(env, p)), join(env.home, 'google-cloud-sdk/properties')]
    },
  },
  {
    // AWS CLI and SDKs: ca_bundle in any profile: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html#cli-configure-files-settings
    tool: 'aws',
    syntax: 'ini',
    keys: [{ key: 'cabundle', type: 'file' }],
    files: (env) => (fromVar(env, 'AWS_CONFIG_FILE').length ? fromVar(env, 'AWS_CONFIG_FILE') : [join(env.home, '.aws/config')]),
  },
  {
    // Cargo: [http] cainfo / proxy-cainfo, relative to the folder holding .cargo: https://doc.rust-lang.org/cargo/reference/config.html#httpcainfo
    tool: 'cargo',
    syntax: 'toml',
    keys: [{ key: 'cainfo', type: 'file', section: /^(http)?$/ }, { key: 'http.cainfo', type: 'file' }, { key: 'proxycainfo', type: 'file', section: /^(http)?$/ }],
    relativeTo: 'parent',
    files: (env, found) => {
      const home = fromVar(env, 'CARGO_HOME')[0] ?? join(env.home, '.cargo')
      return [home, ...(found.projectFiles.get('.cargo') ?? [])].flatMap((d) => [join(d, 'config.toml'), join(d, 'config')])
    },
  },
  {
    // Bundler: https://bundler.io/man/bundle-config.1.html ; RubyGems ~/.gemrc :ssl_ca_cert: https://guides.rubygems.org/command-reference/#gem-environment
    tool: 'ruby',
    syntax: 'yaml',
    keys: [{ key: 'bundlesslcacert', type: 'file' }, { key: 'sslcacert', type: 'file' }],
    files: (env, found) => [join(env.home, '.bundle/config'), ...fromVar(env, 'BUNDLE_USER_CONFIG'), ...(found.projectFiles.get('.bundle') ?? []).map((d) => join(d, 'config')), join(env.home, '.gemrc'), systemPath(env, '/etc/gemrc'), ...fromVar(env, 'GEMRC')],
  },
  {
    // Poetry: [certificates.<source>] cert: https://python-poetry.org/docs/repositories/#custom-certificate-authority-and-mutual-tls-authentication
    tool: 'poetry',
    syntax: 'toml',
    keys: [{ key: 'cert', type: 'file', section: /^certificates\./ }],
    files: (env) => [join(fromVar(env, 'POETRY_CONFIG_DIR')[0] ?? join(xdgConfig(env), 'pypoetry'), 'config.toml'), join(env.home, 'Library/Application Support/pypoetry/config.toml')],
  },
  {
    // Nix: ssl-cert-file: https://nix.dev/manual/nix/stable/command-ref/conf-file.html#conf-ssl-cert-file
    tool: 'nix',
    syntax: 'ini',
    keys: [{ key: 'sslcertfile', type: 'file' }],
    files: (env) => [systemPath(env, '/etc/nix/nix.conf'), join(xdgConfig(env), 'nix/nix.conf'), ...fromVar(env, 'NIX_CONF_DIR').map((d) => join(d, 'nix.conf'))],
  },
  {
    // PHP: openssl.cafile/capath (https://www.php.net/manual/en/openssl.configuration.php), curl.cainfo (https://www.php.net/manual/en/curl.configuration.php)
    tool: 'php',
    syntax: 'ini',
    keys: [{ key: 'openssl.cafile', type: 'file' }, { key: 'openssl.capath', type: 'dir' }, { key: 'curl.cainfo', type: 'file' }],
    files: (env) => {
      const etcPhp = systemPath(env, '/etc/php')
      const debian = children(env, etcPhp).flatMap((version) => children(env, version).flatMap((sapi) => [join(sapi, 'php.ini'), ...snippets(env, join(sapi, 'conf.d'), /\.ini$/)]))
      return [...debian, systemPath(env, '/etc/php.ini'), ...snippets(env, systemPath(env, '/etc/php.d'), /\.ini$/), systemPath(env, '/usr/local/etc/php/php.ini'), ...snippets(env, systemPath(env, '/usr/local/etc/php/conf.d'), /\.ini$/)]
    },
  },
  {
    // Subversion: ssl-authority-files (';'-separated): https://svnbook.red-bean.com/en/1.7/svn.advanced.confarea.html#svn.advanced.confarea.opts.servers
    tool: 'subversion',
    syntax: 'ini',
    keys: [{ key: 'sslauthorityfiles', type: 'file-list' }],
    files: (env) => [join(env.home, '.subversion/servers'), systemPath(env, '/etc/subversion/servers')],
  },
  {
    // Mercurial: [web] cacerts: https://www.mercurial-scm.org/doc/hgrc.5.html#web
    tool: 'mercurial',
    syntax: 'ini',
    keys: [{ key: 'cacerts', type: 'file', section: /^web$/ }],
    files: (env) => [join(env.home, '.hgrc'), join(xdgConfig(env), 'hg/hgrc'), systemPath(env, '/etc/mercurial/hgrc'), ...snippets(env, systemPath(env, '/etc/mercurial/hgrc.d'), /\.rc$/)],
  },
  {
    // Gradle: systemProp.javax.net.ssl.trustStore: https://docs.gradle.org/current/userguide/build_environment.html#sec:gradle_system_properties
    tool: 'gradle',
    syntax: 'properties',
    keys: [{ key: 'systemprop.javax.net.ssl.truststore', type: 'keystore', password: 'systemprop.javax.net.ssl.truststorepassword' }],
    files: (env, found) => [join(fromVar(env, 'GRADLE_USER_HOME')[0] ?? join(env.home, '.gradle'), 'gradle.properties'), ...(found.projectFiles.get('gradle.properties') ?? [])],
  },
  {
    // Maven: MAVEN_OPTS in ~/.mavenrc and /etc/mavenrc, JVM options in a project's .mvn/jvm.config: https://maven.apache.org/configure.html
    tool: 'maven',
    syntax: 'shell',
    keys: [{ key: 'mavenopts', type: 'jvm-options' }],
    files: (env) => [join(env.home, '.mavenrc'), systemPath(env, '/etc/mavenrc')],
  },
  {
    tool: 'maven',
    syntax: 'jvm-options',
    keys: [{ key: 'jvmoptions', type: 'jvm-options' }],
    files: (_env, found) => (found.projectFiles.get('.mvn') ?? []).map((d) => join(d, 'jvm.config')),
  },
  {
    // containerd: hosts.toml `ca` (a path or a list): https://github.com/containerd/containerd/blob/main/docs/hosts.md
    tool: 'containerd',
    syntax: 'toml',
    keys: [{ key: 'ca', type: 'file-list' }],
    files: (env) => children(env, systemPath(env, '/etc/containerd/certs.d')).map((d) => join(d, 'hosts.toml')),
  },
  {
    // k3s: configs.<registry>.tls.ca_file: https://docs.k3s.io/installation/private-registry
    tool: 'k3s',
    syntax: 'yaml',
    keys: [{ key: 'cafile', type: 'file' }],
    files: (env) => [systemPath(env, '/etc/rancher/k3s/registries.yaml')],
  },
]

/** Every bundle, folder, keystore or inline certificate a tool's config file names. */
export async function configCandidates(env: Environment, found: Found): Promise<Candidate[]> {
  const candidates: Candidate[] = []
  const read = new Set<string>()
  for (const source of SOURCES) {
    for (const file of source.files(env, found)) {
      const key = `${source.tool}:${source.syntax}:${resolve(file)}`
      if (read.has(key)) continue
      read.add(key)
      let text: string
      try {
        const got = await readConfigText(env, file)
        if (!got) continue
        text = got.text
      } catch (error) {
        const cause = error instanceof StoreError ? error : new StoreError('unreadable', `${file} could not be read: ${(error as Error).message}`)
        candidates.push(problemAt(file, source.tool, cause.code, `${cause.message} ${source.tool}'s settings in it were not checked.`))
        continue
      }
      const { settings, unparsed } = parseSettings(text, source.syntax)
      if (unparsed.length) {
        const lines = unparsed.slice(0, 5).map((u) => u.line).join(', ')
        candidates.push(problemAt(file, source.tool, 'not-a-config', `${file} is not a valid ${source.tool} config file: line${unparsed.length > 1 ? 's' : ''} ${lines}${unparsed.length > 5 ? ' …' : ''} ${unparsed.length > 1 ? 'are' : 'is'} not a setting. What CertAudit could read of it was still checked.`))
      }
      candidates.push(...settingsCandidates(env, source, file, settings))
    }
  }
  return candidates
}

function settingsCandidates(env: Environment, source: ConfigSource, file: string, settings: readonly Setting[]): Candidate[] {
  const found: Candidate[] = []
  for (const setting of settings) {
    const name = normalKey(setting.key)
    const key = source.keys.find((k) => name === k.key && (!k.section || k.section.test(setting.section)))
    if (!key) continue
    const setBy = `${setting.key} in ${file}, line ${setting.line}`
    const base = { tool: source.tool, what: setting.key, setBy }
    if (key.type === 'inline') {
      found.push({ ...base, path: file, type: 'inline' })
      continue
    }
    if (key.type === 'keystore' || key.type === 'jvm-options') {
      const store = key.type === 'jvm-options' ? javaTrustStore(setting.value) : { path: setting.value, password: settings.find((s) => normalKey(s.key) === key.password)?.value }
      if (!store?.path) continue
      const path = resolvePath(env, store.path, file, source.relativeTo)
      if (path) found.push({ ...base, what: 'javax.net.ssl.trustStore', path, type: 'keystore', ...(store.password !== undefined ? { password: store.password } : {}) })
      else found.push(unresolved(source, file, setting))
      continue
    }
    if (source.tool === 'conda' && NOT_A_PATH.has(setting.value.toLowerCase())) continue
    const values = key.type === 'file-list' ? setting.value.replace(/^\[|\]$/g, '').split(/[;,]/).map((v) => v.trim().replace(/^["']|["']$/g, '')).filter(Boolean) : [setting.value]
    for (const value of values) {
      const path = resolvePath(env, value, file, source.relativeTo)
      if (path) found.push({ ...base, path, type: key.type === 'dir' ? 'dir' : 'file' })
      else found.push(unresolved(source, file, setting))
    }
  }
  return found
}

function unresolved(source: ConfigSource, file: string, setting: Setting): Candidate {
  return problemAt(file, source.tool, 'unresolved-setting', `${file}, line ${setting.line}: ${setting.key} names a path through a variable CertAudit cannot know (${setting.value}); what it points at was not checked.`)
}

/** A path a config names, on the audited machine: ~ and $HOME are its home, ${VAR} its variable; relative to the config. */
function resolvePath(env: Environment, value: string, file: string, relativeTo?: 'parent'): string | null {
  const expanded = value.replace(/^~(?=\/|$)/, env.home).replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => {
    const name = a ?? b!
    return name === 'HOME' ? env.home : (env.machineEnv[name] ?? whole)
  })
  if (/\$/.test(expanded) || expanded === '') return null
  if (isAbsolute(expanded)) return machinePath(env, expanded)
  return resolve(relativeTo === 'parent' ? dirname(dirname(file)) : dirname(file), expanded)
}

/** A variable of the audited machine naming a file or folder (given for it, so a path as this process sees it). */
function fromVar(env: Environment, name: string): string[] {
  const value = env.machineEnv[name]
  if (!value) return []
  const path = value.replace(/^~(?=\/|$)/, env.home)
  return [isAbsolute(path) ? path : join(env.home, path)]
}

function xdgConfig(env: Environment): string {
  return fromVar(env, 'XDG_CONFIG_HOME')[0] ?? join(env.home, '.config')
}

/** Sub-folders of a folder (sorted, at most MAX_SNIPPETS, of a listing to a bound); none when it is missing or not on the audited machine. */
function children(env: Environment, dir: string): string[] {
  if (!onMachineSync(env, dir)) return []
  try {
    return readFolderSync(dir, MAX_CANDIDATE_ENTRIES)
      .entries.filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => join(dir, e.name))
      .sort()
      .slice(0, MAX_SNIPPETS)
  } catch {
    return []
  }
}

/** Files of a snippet folder whose names match (sorted, at most MAX_SNIPPETS, of a listing to a bound); none when it is not on the audited machine. */
function snippets(env: Environment, dir: string, pattern: RegExp): string[] {
  if (!onMachineSync(env, dir)) return []
  try {
    return readFolderSync(dir, MAX_CANDIDATE_ENTRIES)
      .entries.map((e) => e.name)
      .filter((n) => pattern.test(n))
      .sort()
      .slice(0, MAX_SNIPPETS)
      .map((n) => join(dir, n))
  } catch {
    return []
  }
}
