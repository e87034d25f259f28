import type { LookupFunction } from 'node:net'
import { describe, expect, it } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { checkConnections } from '../../src/network/check-connection.js'
import { parseConnectTo, type ConnectToRule } from '../../src/network/targets.js'
import { mozillaAnchors, trustAnchorsFrom } from '../../src/network/trust-anchors.js'
import { closedPort, makeCa, startTcpServer, startTlsServer } from '../support/tls-servers.js'

const blocklist = loadBlocklist()
const publicRoot = makeCa([['C', 'US'], ['O', 'Test Public Trust'], ['CN', 'Test Public Root R1']])
const publicIntermediate = makeCa([['C', 'US'], ['O', 'Test Public Trust'], ['CN', 'Test Public TLS CA 1']], publicRoot)
const anchors = trustAnchorsFrom('test public roots', [publicRoot.cert.pem])
const qaznet = makeCa([['C', 'KZ'], ['CN', 'Qaznet Trust Network']])

const to = (spec: string): ConnectToRule => {
  const parsed = parseConnectTo(spec)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value
}

/** Resolves every name to 127.0.0.1 or fails like a missing DNS name: never asks a real resolver. */
const fakeDns = (known: Record<string, string>): LookupFunction =>
  ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const address = known[hostname]
    if (!address) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
      process.nextTick(() => callback(error, options.all ? [] : '', 4))
    } else process.nextTick(() => (options.all ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4)))
  }) as unknown as LookupFunction

describe('checkConnections against servers on 127.0.0.1', () => {
  it('an honest chain to a root in the reference set is ok; the handshake named the host (SNI)', async () => {
    const server = await startTlsServer(publicIntermediate, [publicIntermediate.cert])
    const report = await checkConnections([{ host: 'wikipedia.org', port: 443 }], {
      blocklist,
      anchors,
      connectTo: [to(`wikipedia.org:443:127.0.0.1:${server.port}`)],
    })
    expect(server.servernames).toEqual(['wikipedia.org'])
    expect(report).toMatchObject({ verdict: 'ok', referenceRoots: 'test public roots', blocklist: { version: blocklist.version } })
    expect(report.hosts[0]).toMatchObject({
      host: 'wikipedia.org',
      verdict: 'ok',
      connectedTo: { address: '127.0.0.1', port: server.port, remoteAddress: '127.0.0.1', rule: `wikipedia.org:443:127.0.0.1:${server.port}` },
      issuingCa: { name: 'Test Public Root R1' },
      anchor: { how: 'signed-by-root' },
      error: null,
    })
    expect(report.hosts[0]!.chain.map((c) => c.subject)).toEqual(['CN=wikipedia.org', 'CN=Test Public TLS CA 1,O=Test Public Trust,C=US'])
    expect(report.message).toMatch(/^No interception seen/)
  })

  it('the same chain judged against the real Mozilla set is intercepted: a private CA is not public', async () => {
    const server = await startTlsServer(publicIntermediate, [publicIntermediate.cert, publicRoot.cert])
    const report = await checkConnections([{ host: 'google.com', port: 443 }], { blocklist, anchors: mozillaAnchors(), connectTo: [to(`::127.0.0.1:${server.port}`)] })
    expect(report.hosts[0]).toMatchObject({ verdict: 'intercepted', issuingCa: { name: 'Test Public Root R1' }, blocklistEntry: null })
  })

  it('a Qaznet look-alike box is intercepted, names the CA and the blocklist entry, and says not to install it', async () => {
    const box = await startTlsServer(qaznet)
    const report = await checkConnections([{ host: 'google.com', port: 443 }], { blocklist, connectTo: [to(`google.com:443:127.0.0.1:${box.port}`)] })
    expect(report.verdict).toBe('intercepted')
    expect(report.hosts[0]).toMatchObject({
      verdict: 'intercepted',
      issuingCa: { name: 'Qaznet Trust Network' },
      blocklistEntry: { id: 'kz-qaznet-2016', matchedBy: 'name' },
    })
    expect(report.hosts[0]!.message).toContain('"Qaznet Trust Network", which is not a public certificate authority')
    expect(report.message).toContain('do not install it')
  })

  it('unreachable: a closed port, a silent server (timeout), a hang-up and a DNS failure, each said plainly', async () => {
    const silent = await startTcpServer('silent')
    const hangUp = await startTcpServer('hang-up')
    const port = await closedPort()
    const started = Date.now()
    const report = await checkConnections(
      [
        { host: 'vk.com', port: 443 },
        { host: 'mail.ru', port: 443 },
        { host: 'ok.ru', port: 443 },
        { host: 'x.com', port: 443 },
      ],
      {
        blocklist,
        timeoutMs: 400,
        lookup: fakeDns({}),
        connectTo: [
          to(`vk.com:443:127.0.0.1:${port}`),
          to(`mail.ru:443:127.0.0.1:${silent.port}`),
          to(`ok.ru:443:127.0.0.1:${hangUp.port}`),
          to('x.com:443:no-such-host.test:443'),
        ],
      },
    )
    expect(Date.now() - started).toBeLessThan(2000) // all at once, each within its deadline
    expect(report.verdict).toBe('unreachable')
    expect(report.hosts.map((h) => [h.host, h.verdict, h.error?.code])).toEqual([
      ['vk.com', 'unreachable', 'refused'],
      ['mail.ru', 'unreachable', 'timeout'],
      ['ok.ru', 'unreachable', 'reset'],
      ['x.com', 'unreachable', 'dns-failed'],
    ])
    expect(report.hosts[1]!.message).toBe('mail.ru: not checked — no answer within 0.4 s.')
    expect(report.hosts[3]!.error!.message).toBe('The address of no-such-host.test could not be found (DNS: ENOTFOUND).')
    expect(report.message).toMatch(/^No site could be reached/)
  })

  it('uses the given name resolution for names, and one intercepted host makes the network intercepted', async () => {
    const box = await startTlsServer(qaznet)
    const honest = await startTlsServer(publicIntermediate, [publicIntermediate.cert])
    const report = await checkConnections(
      [
        { host: 'wikipedia.org', port: 443 },
        { host: 'facebook.com', port: 443 },
      ],
      {
        blocklist,
        anchors,
        lookup: fakeDns({ 'box.test': '127.0.0.1', 'honest.test': '127.0.0.1' }),
        connectTo: [to(`wikipedia.org:443:honest.test:${honest.port}`), to(`facebook.com:443:box.test:${box.port}`)],
      },
    )
    expect(report.hosts.map((h) => h.verdict)).toEqual(['ok', 'intercepted'])
    expect(report.verdict).toBe('intercepted')
  })

  it('speaks Russian and Kazakh', async () => {
    const box = await startTlsServer(qaznet)
    const connectTo = [to(`::127.0.0.1:${box.port}`)]
    const ru = await checkConnections([{ host: 'vk.com', port: 443 }], { blocklist, connectTo, language: 'ru' })
    expect(ru.message).toMatch(/^Эта сеть перехватывает защищённые соединения.*не устанавливайте его/)
    const kk = await checkConnections([{ host: 'vk.com', port: 443 }], { blocklist, connectTo, language: 'kk' })
    expect(kk.message).toMatch(/^Бұл желі қорғалған байланыстарды ұстап алады.*орнатпаңыз/)
  })
})
