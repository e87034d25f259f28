/**
 * Every environment variable a common program reads as its own CA bundle, CA folder or trust store,
 * each with the document that says so. A proxy installer (or a "security" tool) that sets one of these
 * can make those programs trust its root without touching any store, so each is scanned.
 *
 * Programs that only read the OpenSSL variables are listed under them (Ruby, Go, PHP, Terraform,
 * Helm, rustls-native-certs, uv, .NET on Linux); Helm and Terraform have no variable of their own
 * (Helm takes `--ca-file` per command), nor do Electron and Chromium (they use the OS store).
 */

/** What the variable's value names. */
export type PointerType = 'file' | 'dir' | 'keystore'

export interface CaVariable {
  readonly name: string
  readonly type: PointerType
  /** The programs that read it, as people know them. */
  readonly tools: string
  /** A list of paths, like PATH (OpenSSL's SSL_CERT_DIR, Go's SSL_CERT_DIR). */
  readonly list?: boolean
  /** The value names a folder holding this file (DOCKER_CERT_PATH → ca.pem). */
  readonly fileIn?: string
}

/** A variable whose value is a path (or a list of paths). */
export const CA_VARIABLES: readonly CaVariable[] = [
  // OpenSSL: https://docs.openssl.org/3.0/man3/SSL_CTX_load_verify_locations/ ; Go (both may be lists):
  // https://pkg.go.dev/crypto/x509#SystemCertPool ; Ruby: https://docs.ruby-lang.org/en/master/OpenSSL/X509.html ;
  // rustls-native-certs: https://docs.rs/rustls-native-certs/latest/rustls_native_certs/ ; uv:
  // https://docs.astral.sh/uv/reference/environment/#ssl_cert_file ; CMake: https://cmake.org/cmake/help/latest/envvar/SSL_CERT_FILE.html
  { name: 'SSL_CERT_FILE', type: 'file', tools: 'OpenSSL, Python, Ruby, Go, Rust, uv, PHP, .NET' },
  { name: 'SSL_CERT_DIR', type: 'dir', tools: 'OpenSSL, Python, Ruby, Go, Rust', list: true },
  // Node.js: https://nodejs.org/api/cli.html#node_extra_ca_certsfile ; Bun and Deno 2.8+ read it too:
  // https://bun.sh/docs/runtime/nodejs-apis , https://docs.deno.com/runtime/reference/env_variables/
  { name: 'NODE_EXTRA_CA_CERTS', type: 'file', tools: 'Node.js, Bun, Deno' },
  // Python requests (and the Azure CLI, which uses it): https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification
  { name: 'REQUESTS_CA_BUNDLE', type: 'file', tools: 'Python requests, Azure CLI' },
  // curl: https://curl.se/docs/sslcerts.html (requests reads it as well)
  { name: 'CURL_CA_BUNDLE', type: 'file', tools: 'curl, Python requests' },
  // git: https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslCAInfo
  { name: 'GIT_SSL_CAINFO', type: 'file', tools: 'git' },
  { name: 'GIT_SSL_CAPATH', type: 'dir', tools: 'git' },
  // pip: https://pip.pypa.io/en/stable/topics/configuration/#environment-variables (every option as PIP_<NAME>)
  { name: 'PIP_CERT', type: 'file', tools: 'pip' },
  // AWS CLI and SDKs: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html#envvars-list-AWS_CA_BUNDLE
  { name: 'AWS_CA_BUNDLE', type: 'file', tools: 'AWS CLI and SDKs' },
  // Google Cloud CLI (core/custom_ca_certs_file): https://cloud.google.com/sdk/gcloud/reference/topic/configurations
  { name: 'CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE', type: 'file', tools: 'Google Cloud CLI' },
  // Nix: https://nix.dev/manual/nix/stable/installation/env-variables#nix_ssl_cert_file
  { name: 'NIX_SSL_CERT_FILE', type: 'file', tools: 'Nix' },
  // gRPC (C core, Python, Ruby, grpc-js): https://github.com/grpc/grpc/blob/master/doc/environment_variables.md
  { name: 'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH', type: 'file', tools: 'gRPC' },
  // Deno: https://docs.deno.com/runtime/reference/env_variables/#deno_cert
  { name: 'DENO_CERT', type: 'file', tools: 'Deno' },
  // Cargo: https://doc.rust-lang.org/cargo/reference/config.html#httpcainfo (and http.proxy-cainfo)
  { name: 'CARGO_HTTP_CAINFO', type: 'file', tools: 'Cargo' },
  { name: 'CARGO_HTTP_PROXY_CAINFO', type: 'file', tools: 'Cargo' },
  // Composer: https://getcomposer.org/doc/03-cli.md#composer-cafile
  { name: 'COMPOSER_CAFILE', type: 'file', tools: 'Composer (PHP)' },
  { name: 'COMPOSER_CAPATH', type: 'dir', tools: 'Composer (PHP)' },
  // httplib2 (google-api-python-client): https://github.com/httplib2/httplib2/blob/master/httplib2/certs.py
  { name: 'HTTPLIB2_CA_CERTS', type: 'file', tools: 'httplib2' },
  // npm (every option as npm_config_<name>, any case): https://docs.npmjs.com/cli/v10/using-npm/config#environment-variables
  { name: 'NPM_CONFIG_CAFILE', type: 'file', tools: 'npm, pnpm' },
  // Yarn 2+ (every .yarnrc.yml setting as YARN_<NAME>): https://yarnpkg.com/configuration/yarnrc#httpsCaFilePath
  { name: 'YARN_HTTPS_CA_FILE_PATH', type: 'file', tools: 'Yarn 4' },
  { name: 'YARN_CA_FILE_PATH', type: 'file', tools: 'Yarn 2 and 3' },
  // Bundler: https://bundler.io/man/bundle-config.1.html (ssl_ca_cert)
  { name: 'BUNDLE_SSL_CA_CERT', type: 'file', tools: 'Bundler (Ruby)' },
  // Julia: https://docs.julialang.org/en/v1/stdlib/NetworkOptions/#NetworkOptions.ca_roots
  { name: 'JULIA_SSL_CA_ROOTS_PATH', type: 'file', tools: 'Julia' },
  // Hex (Elixir, Erlang): https://hexdocs.pm/hex/Mix.Tasks.Hex.Config.html (cacerts_path)
  { name: 'HEX_CACERTS_PATH', type: 'file', tools: 'Hex (Elixir)' },
  // Perl LWP: https://metacpan.org/pod/LWP::UserAgent#ssl_opts (and Crypt::SSLeay's HTTPS_CA_*)
  { name: 'PERL_LWP_SSL_CA_FILE', type: 'file', tools: 'Perl LWP' },
  { name: 'PERL_LWP_SSL_CA_PATH', type: 'dir', tools: 'Perl LWP' },
  { name: 'HTTPS_CA_FILE', type: 'file', tools: 'Perl LWP' },
  { name: 'HTTPS_CA_DIR', type: 'dir', tools: 'Perl LWP' },
  // websocket-client: https://websocket-client.readthedocs.io/en/latest/faq.html
  { name: 'WEBSOCKET_CLIENT_CA_BUNDLE', type: 'file', tools: 'websocket-client (Python)' },
  // PostgreSQL's libpq: https://www.postgresql.org/docs/current/libpq-envars.html
  { name: 'PGSSLROOTCERT', type: 'file', tools: 'PostgreSQL clients' },
  // HashiCorp: https://developer.hashicorp.com/vault/docs/commands#vault_cacert ,
  // https://developer.hashicorp.com/consul/commands#consul_cacert , https://developer.hashicorp.com/nomad/docs/commands#nomad_cacert
  { name: 'VAULT_CACERT', type: 'file', tools: 'Vault' },
  { name: 'VAULT_CAPATH', type: 'dir', tools: 'Vault' },
  { name: 'CONSUL_CACERT', type: 'file', tools: 'Consul' },
  { name: 'CONSUL_CAPATH', type: 'dir', tools: 'Consul' },
  { name: 'NOMAD_CACERT', type: 'file', tools: 'Nomad' },
  { name: 'NOMAD_CAPATH', type: 'dir', tools: 'Nomad' },
  // etcd: https://etcd.io/docs/v3.5/dev-guide/interacting_v3/ (every flag as ETCDCTL_<FLAG>)
  { name: 'ETCDCTL_CACERT', type: 'file', tools: 'etcdctl' },
  // Docker's client, to its daemon: https://docs.docker.com/reference/cli/docker/#environment-variables
  { name: 'DOCKER_CERT_PATH', type: 'file', tools: 'Docker', fileIn: 'ca.pem' },
  // Conda: any setting as CONDA_<NAME>; ssl_verify may be a path: https://docs.conda.io/projects/conda/en/latest/user-guide/configuration/non-standard-certs.html
  { name: 'CONDA_SSL_VERIFY', type: 'file', tools: 'conda' },
]

/**
 * Variables that carry JVM options, where `-Djavax.net.ssl.trustStore=…` replaces the JDK's cacerts
 * (https://docs.oracle.com/en/java/javase/21/security/java-secure-socket-extension-jsse-reference-guide.html).
 * The JVM reads JAVA_TOOL_OPTIONS, HotSpot _JAVA_OPTIONS, the `java` launcher JDK_JAVA_OPTIONS
 * (https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html#using-the-jdk_java_options-launcher-environment-variable,
 * https://docs.oracle.com/en/java/javase/21/troubleshoot/environment-variables-and-system-properties.html);
 * the launch scripts of Maven, Gradle, Tomcat, sbt and Ant pass on their own.
 */
export const JAVA_OPTION_VARIABLES = ['JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'JAVA_OPTS', 'MAVEN_OPTS', 'GRADLE_OPTS', 'CATALINA_OPTS', 'SBT_OPTS', 'ANT_OPTS'] as const

/**
 * Variables named by a pattern: Poetry's per-source certificates, `POETRY_CERTIFICATES_<SOURCE>_CERT`
 * (https://python-poetry.org/docs/repositories/#custom-certificate-authority-and-mutual-tls-authentication),
 * and npm's options, which npm reads in any case (`npm_config_cafile`).
 */
export const CA_VARIABLE_PATTERNS: readonly { readonly pattern: RegExp; readonly type: PointerType; readonly tools: string }[] = [
  { pattern: /^POETRY_CERTIFICATES_[A-Z0-9_]+_CERT$/, type: 'file', tools: 'Poetry' },
  { pattern: /^npm_config_cafile$/i, type: 'file', tools: 'npm, pnpm' },
]

/** Values of CONDA_SSL_VERIFY (and conda's ssl_verify) that are not paths. */
export const NOT_A_PATH = new Set(['true', 'false', 'yes', 'no', 'on', 'off', '0', '1', 'truststore', ''])

/** The variable's description, when `name` is a CA variable of any kind (exact names first, then the patterns). */
export function caVariable(name: string): CaVariable | undefined {
  const exact = CA_VARIABLES.find((v) => v.name === name)
  if (exact) return exact
  const pattern = CA_VARIABLE_PATTERNS.find((p) => p.pattern.test(name))
  return pattern ? { name, type: pattern.type, tools: pattern.tools } : undefined
}

/** True for every variable this module knows (CA paths and JVM options): what a test machine must not inherit. */
export function isTrustVariable(name: string): boolean {
  return caVariable(name) !== undefined || (JAVA_OPTION_VARIABLES as readonly string[]).includes(name)
}

/** The trust store a JVM option string names: `-Djavax.net.ssl.trustStore=PATH` and its password, if set. */
export function javaTrustStore(options: string): { readonly path: string; readonly password?: string } | undefined {
  const words = splitOptions(options)
  const value = (property: string) => words.find((w) => w.startsWith(`-D${property}=`))?.slice(property.length + 3)
  const path = value('javax.net.ssl.trustStore')
  // NONE: a PKCS #11 token, not a file; Windows-ROOT and KeychainStore are the OS store.
  if (!path || path === 'NONE') return undefined
  const password = value('javax.net.ssl.trustStorePassword')
  return password !== undefined ? { path, password } : { path }
}

/** JVM options as the shell would split them: whitespace separates words, quotes group (and go). */
function splitOptions(text: string): string[] {
  const words: string[] = []
  let word: string | null = null
  let quote: string | null = null
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null
      else word += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      word ??= ''
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word)
      word = null
    } else {
      word = (word ?? '') + ch
    }
  }
  if (word !== null) words.push(word)
  return words
}
