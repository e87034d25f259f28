/**
 * One TLS handshake, to collect the certificate chain a server (or whatever sits between us and it)
 * presents. We do not judge the chain here and we never send a request: the handshake is all we need.
 */
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls'
import type { HostTarget, Route } from './targets.js'

export type ProbeErrorCode = 'dns-failed' | 'refused' | 'timeout' | 'reset' | 'network-unreachable' | 'tls-failed' | 'no-certificate' | 'failed'

export interface ProbeError {
  readonly code: ProbeErrorCode
  /** What happened, in English, for logs and --json; the CLI and app show a translated sentence per code. */
  readonly message: string
}

export type ProbeResult =
  | {
      readonly ok: true
      /** DER certificates from the leaf up, as the handshake presented them. */
      readonly chain: readonly Buffer[]
      readonly remoteAddress: string | null
      readonly protocol: string | null
    }
  | { readonly ok: false; readonly error: ProbeError }

export interface ProbeOptions {
  /** Deadline for the whole attempt: DNS, TCP and handshake. */
  readonly timeoutMs: number
  /** Name resolution; tests pass one that never touches the network. */
  readonly lookup?: LookupFunction
}

/**
 * Connects to `route` and runs a TLS handshake naming `target.host` (SNI, unless it is an IP address:
 * RFC 6066 3 forbids IP literals there). Certificates are not verified by Node
 * (`rejectUnauthorized: false`): an interception chain is exactly what we want to see.
 * Never throws; every failure comes back as a {@link ProbeError}.
 */
export function probeTls(target: HostTarget, route: Route, options: ProbeOptions): Promise<ProbeResult> {
  const where = `${route.address}:${route.port}`
  return new Promise((resolve) => {
    let settled = false
    let socket: TLSSocket | undefined
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket?.destroy()
      resolve(result)
    }
    const timer = setTimeout(
      () => finish({ ok: false, error: { code: 'timeout', message: `No answer from ${where} within ${options.timeoutMs / 1000} s.` } }),
      options.timeoutMs,
    )
    try {
      socket = connect({
        host: route.address,
        port: route.port,
        ...(isIP(target.host) ? {} : { servername: target.host }),
        rejectUnauthorized: false,
        // Offer what a browser offers: some middleboxes only intercept connections that look like one.
        ALPNProtocols: ['h2', 'http/1.1'],
        ...(options.lookup ? { lookup: options.lookup } : {}),
      })
    } catch (error) {
      finish({ ok: false, error: classify(error as NodeJS.ErrnoException, target, where) })
      return
    }
    socket.once('secureConnect', () => {
      const chain = peerChain(socket!)
      finish(
        chain.length
          ? { ok: true, chain, remoteAddress: socket!.remoteAddress ?? null, protocol: socket!.getProtocol() }
          : { ok: false, error: { code: 'no-certificate', message: `${where} finished the handshake without sending a certificate.` } },
      )
    })
    // `on`, not `once`: an error after the first (while the socket is torn down) must not go unhandled.
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: classify(error, target, where) }))
    socket.once('close', () =>
      finish({ ok: false, error: { code: 'reset', message: `${where} closed the connection during the TLS handshake.` } }),
    )
  })
}

/**
 * The chain from Node's `getPeerCertificate(true)`: the server's certificates ordered from the leaf by
 * issuer. When the server leaves out its root, Node appends the matching root from its own store; the
 * verdict checks every link by signature, so an added root only counts when it really signed the chain.
 */
function peerChain(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = []
  const seen = new Set<string>()
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true)
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256)
    chain.push(cert.raw)
    cert = cert.issuerCertificate
  }
  return chain
}

function classify(error: NodeJS.ErrnoException, target: HostTarget, where: string): ProbeError {
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return { code: 'dns-failed', message: `The address of ${(error as { hostname?: string }).hostname ?? target.host} could not be found (DNS: ${error.code}).` }
    case 'ECONNREFUSED':
      return { code: 'refused', message: `${where} refused the connection.` }
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'reset', message: `${where} cut the connection during the TLS handshake (${error.code}).` }
    case 'ETIMEDOUT':
      return { code: 'timeout', message: `The connection to ${where} timed out.` }
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'ENETDOWN':
      return { code: 'network-unreachable', message: `${where} cannot be reached from this network (${error.code}).` }
  }
  if (error.code?.startsWith('ERR_SSL') || /SSL|TLS|alert/i.test(error.message)) {
    return { code: 'tls-failed', message: `The TLS handshake with ${where} failed: ${error.message}` }
  }
  return { code: 'failed', message: `Connecting to ${where} failed: ${error.message}` }
}
