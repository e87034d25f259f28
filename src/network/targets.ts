/**
 * What `certaudit check-connection` connects to: the hosts the user names (sent as SNI) and curl-style
 * `--connect-to` rules that send a host's connection to another address. Pure parsing: every bad input
 * becomes a message, never an exception.
 */
import { isIP } from 'node:net'
import { domainToASCII } from 'node:url'

/** One site to check: the name sent in the TLS handshake (SNI) and its port. */
export interface HostTarget {
  readonly host: string
  readonly port: number
}

/**
 * curl's `--connect-to HOST1:PORT1:HOST2:PORT2` (https://curl.se/docs/manpage.html#--connect-to):
 * connections to HOST1:PORT1 go to HOST2:PORT2 instead, while the handshake still names HOST1.
 * An empty HOST1 or PORT1 matches any; an empty HOST2 or PORT2 keeps the original.
 */
export interface ConnectToRule {
  readonly host: string | null
  readonly port: number | null
  readonly toHost: string | null
  readonly toPort: number | null
  /** The rule as the user wrote it, for messages. */
  readonly spec: string
}

/** Where a connection actually goes. */
export interface Route {
  readonly address: string
  readonly port: number
  readonly rule: ConnectToRule | null
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/

/** A host name (IDN names become punycode) or an IP address; `[…]` around IPv6 is removed. */
export function parseHostName(text: string): Parsed<string> {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (isIP(bare)) return { ok: true, value: bare.toLowerCase() }
  if (bare !== text) return { ok: false, error: `"${text}" is not an IPv6 address` }
  const ascii = domainToASCII(bare.replace(/\.$/, '')).toLowerCase()
  if (!ascii || !HOSTNAME.test(ascii)) return { ok: false, error: `"${text}" is not a valid host name` }
  return { ok: true, value: ascii }
}

export function parsePort(text: string): Parsed<number> {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN
  return port >= 1 && port <= 65535 ? { ok: true, value: port } : { ok: false, error: `"${text}" is not a port number (1-65535)` }
}

/**
 * A host as the user typed it: `google.com`, `google.com:8443`, `[::1]:443`, `::1`, or an https URL
 * (people paste those). The port defaults to 443.
 */
export function parseHostTarget(text: string, defaultPort = 443): Parsed<HostTarget> {
  const input = text.trim()
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    let url: URL
    try {
      url = new URL(input)
    } catch {
      return { ok: false, error: `"${text}" is not a valid URL` }
    }
    if (url.protocol !== 'https:') return { ok: false, error: `"${text}": only https:// addresses can be checked` }
    const host = parseHostName(url.hostname)
    return host.ok ? { ok: true, value: { host: host.value, port: url.port ? Number(url.port) : defaultPort } } : host
  }
  if (isIP(input) === 6) return { ok: true, value: { host: input.toLowerCase(), port: defaultPort } }
  const match = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(input)
  if (!match || !match[1]) return { ok: false, error: `"${text}" is not a host name, host:port or https:// address` }
  const host = parseHostName(match[1])
  if (!host.ok) return host
  if (match[2] === undefined) return { ok: true, value: { host: host.value, port: defaultPort } }
  const port = parsePort(match[2])
  return port.ok ? { ok: true, value: { host: host.value, port: port.value } } : { ok: false, error: `"${text}": ${port.error}` }
}

/** Splits on ":" outside `[…]`, so IPv6 addresses can be written in brackets. */
function splitFields(spec: string): string[] | null {
  const fields: string[] = []
  let current = ''
  let inBrackets = false
  for (const char of spec) {
    if (char === '[') {
      if (inBrackets) return null
      inBrackets = true
    } else if (char === ']') {
      if (!inBrackets) return null
      inBrackets = false
    }
    if (char === ':' && !inBrackets) {
      fields.push(current)
      current = ''
    } else {
      current += char
    }
  }
  if (inBrackets) return null
  fields.push(current)
  return fields
}

/** Parses one `--connect-to HOST1:PORT1:HOST2:PORT2` value. */
export function parseConnectTo(spec: string): Parsed<ConnectToRule> {
  const fields = splitFields(spec)
  const usage = `--connect-to "${spec}" must be HOST:PORT:ADDRESS:PORT (e.g. google.com:443:127.0.0.1:8443; put IPv6 addresses in [ ])`
  if (!fields || fields.length !== 4) return { ok: false, error: usage }
  const [host, port, toHost, toPort] = fields as [string, string, string, string]
  if (!toHost && !toPort) return { ok: false, error: `${usage}: it sends the connection nowhere new` }
  const parts: { host: string | null; port: number | null; toHost: string | null; toPort: number | null } = { host: null, port: null, toHost: null, toPort: null }
  for (const [key, value] of [['host', host], ['toHost', toHost]] as const) {
    if (!value) continue
    const parsed = parseHostName(value)
    if (!parsed.ok) return { ok: false, error: `--connect-to "${spec}": ${parsed.error}` }
    parts[key] = parsed.value
  }
  for (const [key, value] of [['port', port], ['toPort', toPort]] as const) {
    if (!value) continue
    const parsed = parsePort(value)
    if (!parsed.ok) return { ok: false, error: `--connect-to "${spec}": ${parsed.error}` }
    parts[key] = parsed.value
  }
  return { ok: true, value: { ...parts, spec } }
}

/** Where a target's connection goes: the first matching rule wins, as in curl. */
export function routeFor(target: HostTarget, rules: readonly ConnectToRule[]): Route {
  const rule = rules.find((r) => (r.host === null || r.host === target.host) && (r.port === null || r.port === target.port)) ?? null
  return { address: rule?.toHost ?? target.host, port: rule?.toPort ?? target.port, rule }
}
