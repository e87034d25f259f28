import { isTrustVariable } from '../../src/stores/env-bundle/variables.js'

/**
 * This process's environment without what points programs at other certificates or at the
 * developer's own data folders (SSL_CERT_FILE, AWS_CA_BUNDLE, JAVA_TOOL_OPTIONS, XDG_DATA_HOME …:
 * every variable env-bundle reads): a CertAudit child process started with it sees only the temp
 * machine its arguments name, and keeps its journal there.
 */
export const ISOLATED_ENV: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(SSL_CERT_|NODE_EXTRA_CA|REQUESTS_CA|CURL_CA|GIT_SSL_|GIT_CONFIG|XDG_)/.test(name) && !isTrustVariable(name)),
)
