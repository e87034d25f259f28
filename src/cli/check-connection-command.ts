import type { LookupFunction } from 'node:net'
import type { Language } from '../audit/blocklist.js'
import { LANGUAGES, languageFromLocale } from '../audit/texts.js'
import { shown, visible } from '../audit/visible.js'
import { DEFAULT_HOSTS, DEFAULT_TIMEOUT_MS, type ConnectionReport, type HostCheck } from '../network/check-connection.js'
import { connectionTexts } from '../network/texts.js'
import { parseConnectTo, parseHostTarget, type ConnectToRule } from '../network/targets.js'
import type { TrustAnchors } from '../network/trust-anchors.js'
import { createEnvironment } from '../stores/index.js'
import { cliApi, explained } from './engine.js'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, processIo, parseCommand, type CliIo, usageError } from './io.js'

export const CHECK_CONNECTION_USAGE = `Usage: certaudit check-connection [options] [HOST[:PORT]]...

Checks whether this network intercepts secure connections: a TLS handshake to each
host (by default sites the Kazakh interception of 2019 and 2020 targeted) and a
verdict per host: ok, intercepted (names the CA) or unreachable. Nothing is sent
but the handshake.

Options:
  --json                              print the result as JSON
  --connect-to HOST:PORT:ADDR:PORT    connect to ADDR:PORT when checking HOST:PORT (like
                                      curl; empty HOST or PORT matches any); repeatable
  --timeout SECONDS                   give up on a host after this long (default ${DEFAULT_TIMEOUT_MS / 1000})
  --lang en|ru|kk                     language of the messages (default: from LANG)
  --blocklist PATH                    use another roots blocklist file
  -h, --help                          show this help

Default hosts: ${DEFAULT_HOSTS.join(', ')}

Exit codes: 0 no interception seen, 1 a host is intercepted, 2 usage error or no host reachable.
`

/** What tests inject: the reference roots and name resolution. */
export interface CheckConnectionDeps {
  readonly anchors?: TrustAnchors
  readonly lookup?: LookupFunction
}

/** `certaudit check-connection`: returns the exit code. */
export async function runCheckConnection(argv: readonly string[], io: CliIo = processIo, deps: CheckConnectionDeps = {}): Promise<number> {
  const parsed = parseCommand(
    argv,
    io,
    CHECK_CONNECTION_USAGE,
    {
      json: { type: 'boolean', default: false },
      'connect-to': { type: 'string', multiple: true, default: [] },
      timeout: { type: 'string' },
      lang: { type: 'string' },
      blocklist: { type: 'string' },
    },
    true,
  )
  if ('exit' in parsed) return parsed.exit
  const { values, positionals } = parsed
  if (values.lang !== undefined && !LANGUAGES.includes(values.lang as Language)) return usage(io, `--lang must be one of ${LANGUAGES.join(', ')}`)
  const language = (values.lang as Language | undefined) ?? languageFromLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG)

  let timeoutMs = DEFAULT_TIMEOUT_MS
  if (values.timeout !== undefined) {
    const seconds = /^\d+(\.\d+)?$/.test(values.timeout) ? Number(values.timeout) : NaN
    if (!(seconds > 0 && seconds <= 120)) return usage(io, `--timeout must be a number of seconds between 0 and 120 (got "${values.timeout}")`)
    timeoutMs = Math.round(seconds * 1000)
  }

  const rules: ConnectToRule[] = []
  for (const spec of values['connect-to']) {
    const rule = parseConnectTo(spec)
    if (!rule.ok) return usage(io, rule.error)
    rules.push(rule.value)
  }
  // Checked here too, to say which argument is wrong as a usage error (the API checks them again).
  for (const text of positionals) {
    const target = parseHostTarget(text)
    if (!target.ok) return usage(io, target.error)
  }
  const api = cliApi(createEnvironment({ env: io.env }), io, {
    blocklistPath: values.blocklist,
    network: { connectTo: rules, timeoutMs, ...(deps.anchors ? { anchors: deps.anchors } : {}), ...(deps.lookup ? { lookup: deps.lookup } : {}) },
  })
  if (!api) return EXIT_ERROR
  return explained(io, async () => {
    const report = await api.handle('connection:check', { language, hosts: positionals })
    io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : formatConnectionReport(report, io.isTty && !io.env.NO_COLOR))
    if (report.verdict === 'intercepted') return EXIT_FINDINGS
    return report.verdict === 'unreachable' ? EXIT_ERROR : EXIT_OK
  })
}

const usage = (io: CliIo, message: string): number => usageError(io, CHECK_CONNECTION_USAGE, message)

const COLORS = { ok: '\x1b[32m', intercepted: '\x1b[1;31m', unreachable: '\x1b[33m' } as const

/**
 * The result for people: the overall message first (for an intercepted network, "do not install it"),
 * then each host. The subjects come from whoever answered the handshake (an intercepting network picks
 * its own names), so every value is shown (src/audit/visible.ts), never sent raw to the terminal.
 */
export function formatConnectionReport(report: ConnectionReport, color: boolean): string {
  const t = connectionTexts(report.language)
  const paint = (verdict: HostCheck['verdict'], text: string) => (color ? `${COLORS[verdict]}${text}\x1b[0m` : text)
  const lines = [paint(report.verdict, visible(report.message)), '']
  for (const host of report.hosts) {
    lines.push(paint(host.verdict, `[${t.labels.verdict[host.verdict]}]`) + shown` ${host.message}`)
    if (host.connectedTo.rule) lines.push(shown`  → ${host.connectedTo.address}:${host.connectedTo.port} (--connect-to ${host.connectedTo.rule})`)
    if (host.chain.length) lines.push(`  ${t.labels.chain}:`, ...host.chain.map((c, i) => shown`    ${i + 1}. ${c.subject}`))
    for (const warning of host.warnings) lines.push(`  ${t.warnings[warning]}`)
    lines.push('')
  }
  return lines.join('\n')
}
