/**
 * TLS servers on 127.0.0.1 for the connection check: an interception box that mints a certificate for
 * whatever name the client asks for (SNI), signed by a look-alike CA the test made, and plain TCP servers
 * that hang or hang up. Nothing listens beyond the loopback interface and nothing dials out.
 */
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { createSecureContext, createServer, type SecureContext, type Server as TlsServer } from 'node:tls'
import { afterAll } from 'vitest'
import { makeCertificate, makeKey, type KeyPair, type MadeCertificate, type NameSpec } from './certificates.js'

/** A CA the tests made: its certificate, its name and its key. */
export interface TestCa {
  readonly cert: MadeCertificate
  readonly name: NameSpec
  readonly key: KeyPair
}

export function makeCa(name: NameSpec, issuer?: TestCa): TestCa {
  const key = makeKey()
  const cert = makeCertificate({ subject: name, key, ...(issuer ? { issuer: issuer.name, issuerKey: issuer.key } : {}) })
  return { cert, name, key }
}

/** A server certificate for `host`, signed by `issuer`. */
export function makeLeaf(host: string, issuer: TestCa): MadeCertificate {
  return makeCertificate({ subject: [['CN', host]], issuer: issuer.name, issuerKey: issuer.key, ca: false })
}

const keyPem = (key: KeyPair) => key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string

export interface RunningServer {
  readonly port: number
  /** The names clients asked for (SNI), in order. */
  readonly servernames: readonly string[]
  close(): Promise<void>
}

const open: (() => Promise<void>)[] = []
afterAll(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

async function listen(server: TlsServer | TcpServer, sockets: Set<Socket>): Promise<{ port: number; close: () => Promise<void> }> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  open.push(close)
  return { port: (server.address() as AddressInfo).port, close }
}

/**
 * Serves, for each name asked for, a fresh leaf signed by `issuer`, followed by `sendAlso` (the rest of
 * the chain, as the box chooses to send it): an interception box, or with a "public" CA, an honest site.
 */
export async function startTlsServer(issuer: TestCa, sendAlso: readonly MadeCertificate[] = [issuer.cert]): Promise<RunningServer> {
  const servernames: string[] = []
  const contexts = new Map<string, SecureContext>()
  const contextFor = (name: string): SecureContext => {
    let context = contexts.get(name)
    if (!context) {
      const leaf = makeLeaf(name, issuer)
      context = createSecureContext({ key: keyPem(leaf.key), cert: [leaf, ...sendAlso].map((c) => c.pem).join('') })
      contexts.set(name, context)
    }
    return context
  }
  const fallback = makeLeaf('no-sni.invalid', issuer)
  const server = createServer({
    key: keyPem(fallback.key),
    cert: [fallback, ...sendAlso].map((c) => c.pem).join(''),
    SNICallback: (name, callback) => {
      servernames.push(name)
      callback(null, contextFor(name))
    },
  })
  server.on('tlsClientError', () => {}) // clients that hang up mid-handshake are expected here
  const { port, close } = await listen(server, new Set())
  return { port, servernames, close }
}

/** A TCP server that accepts and then says nothing (a black hole), or hangs up at once (a reset). */
export async function startTcpServer(behaviour: 'silent' | 'hang-up'): Promise<RunningServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => {})
    if (behaviour === 'hang-up') socket.resetAndDestroy()
  })
  const { port, close } = await listen(server, new Set())
  return { port, servernames: [], close }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
