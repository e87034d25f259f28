import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCheckConnection, type CheckConnectionDeps } from '../../src/cli/check-connection-command.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { DEFAULT_HOSTS, type ConnectionReport } from '../../src/network/check-connection.js'
import { trustAnchorsFrom } from '../../src/network/trust-anchors.js'
import { bundledDocument, entryFor } from '../support/blocklists.js'
import { expectShownSafely, HOSTILE_NAME, HOSTILE_NAMES } from '../support/hostile-text.js'
import { tempDir } from '../support/temp.js'
import { closedPort, makeCa, startTlsServer } from '../support/tls-servers.js'

const dir = tempDir()

/** Runs the command in-process; the data folder is a temp dir so no installed list of this machine is used. */
async function run(args: string[], deps: CheckConnectionDeps = {}, env: Record<string, string> = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', XDG_DATA_HOME: dir, ...env } }
  const code = await runCheckConnection(args, io, deps)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as ConnectionReport }
}

// Look-alikes of the Kazakh interception CAs (same names, keys made here): Qaznet (2019) sends its root,
// the ISCA box (2020) sends only its intermediate.
const qaznet = makeCa([['C', 'KZ'], ['CN', 'Qaznet Trust Network']])
const iscaRoot = makeCa([['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']])
const iscaIntermediate = makeCa([['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority CA']], iscaRoot)
const publicRoot = makeCa([['C', 'US'], ['O', 'Test Public Trust'], ['CN', 'Test Public Root R1']])

describe('certaudit check-connection', () => {
  it('checks every default site through a Qaznet look-alike box, exits 1 and tells the user not to install the certificate', async () => {
    const box = await startTlsServer(qaznet)
    const { code, stdout } = await run(['--connect-to', `::127.0.0.1:${box.port}`, '--timeout', '3'])
    expect(code).toBe(1)
    expect([...box.servernames].sort()).toEqual([...DEFAULT_HOSTS].sort())
    expect(DEFAULT_HOSTS).toEqual(expect.arrayContaining(['google.com', 'facebook.com', 'twitter.com', 'x.com', 'instagram.com', 'youtube.com', 'vk.com', 'mail.ru', 'wikipedia.org']))
    const lines = stdout.split('\n')
    expect(lines[0]).toMatch(/^This network intercepts secure connections\. If you are asked to install a certificate .* do not install it/)
    expect(stdout).toContain('[INTERCEPTED] google.com: the connection is secured by "Qaznet Trust Network", which is not a public certificate authority.')
    expect(stdout).toContain('It carries the name of a known interception certificate (Qaznet Trust Network (Kazakhstan 2019 interception root)) with a new key')
    expect(stdout).toContain(`→ 127.0.0.1:${box.port} (--connect-to ::127.0.0.1:${box.port})`)
    expect(stdout).toMatch(/1\. CN=vk\.com\n {4}2\. CN=Qaznet Trust Network,C=KZ/)
  })

  it('--json gives the chain, the issuing CA and the blocklist entry matched by hash', async () => {
    const box = await startTlsServer(iscaIntermediate, [iscaIntermediate.cert])
    const document = bundledDocument()
    document.entries.push(entryFor(iscaIntermediate.cert, { id: 'test-isca-intermediate', name: 'Test ISCA intermediate' }))
    const list = join(dir, 'with-isca.json')
    writeFileSync(list, JSON.stringify(document))
    const { code, json } = await run(['--json', '--blocklist', list, '--connect-to', `google.com:443:127.0.0.1:${box.port}`, 'google.com', 'https://google.com/'])
    expect(code).toBe(1)
    const report = json()
    expect(report).toMatchObject({ schemaVersion: 1, verdict: 'intercepted', referenceRoots: expect.stringContaining('Mozilla') })
    expect(report.hosts).toHaveLength(1) // the same host named twice is checked once
    const [host] = report.hosts
    expect(host).toMatchObject({
      host: 'google.com',
      port: 443,
      verdict: 'intercepted',
      issuingCa: { name: 'Information Security Certification Authority', subject: 'CN=Information Security Certification Authority,O=ISCA,C=KZ' },
      blocklistEntry: { id: 'test-isca-intermediate', matchedBy: 'sha256', category: 'government-interception' },
      error: null,
    })
    expect(host!.chain.map((c) => [c.sha256, c.publicRoot])).toEqual([
      [expect.stringMatching(/^[0-9a-f]{64}$/), false],
      [iscaIntermediate.cert.sha256, false],
    ])
    expect(host!.chain[1]!.pem).toBe(iscaIntermediate.cert.pem)
  })

  it('exits 0 when the chain reaches a root of the reference set (injected: no test can hold a real public root key)', async () => {
    const site = await startTlsServer(publicRoot)
    const { code, stdout } = await run(['--connect-to', `::127.0.0.1:${site.port}`, 'wikipedia.org', 'mail.ru:443'], { anchors: trustAnchorsFrom('test roots', [publicRoot.cert.pem]) })
    expect(code).toBe(0)
    expect(stdout).toMatch(/^No interception seen/)
    expect(stdout).toContain('[OK] wikipedia.org: the connection is secured by Test Public Root R1, a public certificate authority.')
  })

  it('a box whose CA is named to lie (ESC sequences, a bidi override, fake lines): the output shows the name, and the verdict stays the first line', async () => {
    const liar = makeCa([['O', HOSTILE_NAMES.zeroWidth], ['CN', HOSTILE_NAME]])
    const box = await startTlsServer(liar)
    const { code, stdout } = await run(['--connect-to', `::127.0.0.1:${box.port}`, 'google.com'])
    expect(code).toBe(1)
    expectShownSafely(stdout)
    expect(stdout.split('\n')[0]).toMatch(/^This network intercepts secure connections\./)
    expect(stdout).toContain('[INTERCEPTED] google.com: the connection is secured by "Evil⟨U+001B⟩[2J')
    expect(stdout).toMatch(/ {4}2\. CN=Evil⟨U\+001B⟩\[2J.*,O=Exa⟨U\+200B⟩mple⟨U\+200C⟩/) // the chain's subjects
    const json = await run(['--json', '--connect-to', `::127.0.0.1:${box.port}`, 'google.com'])
    expect(json.json().hosts[0]!.issuingCa!.name).toBe(HOSTILE_NAME) // the data is the name itself
  })

  it('exits 2 when no site answers, and says so', async () => {
    const port = await closedPort()
    const { code, stdout } = await run(['--connect-to', `::127.0.0.1:${port}`, 'google.com'])
    expect(code).toBe(2)
    expect(stdout).toMatch(/^No site could be reached, so nothing was checked\./)
    expect(stdout).toContain('[NOT CHECKED] google.com: not checked — the connection was refused.')
  })

  it('a host that cannot be resolved is unreachable, named in the message', async () => {
    const lookup = ((hostname: string, _options: unknown, callback: (error: Error) => void) =>
      process.nextTick(() => callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND', hostname })))) as unknown as NonNullable<CheckConnectionDeps['lookup']>
    const { code, json } = await run(['--json', 'does-not-exist.test'], { lookup })
    expect(code).toBe(2)
    expect(json().hosts[0]).toMatchObject({ verdict: 'unreachable', error: { code: 'dns-failed', message: 'The address of does-not-exist.test could not be found (DNS: ENOTFOUND).' } })
  })

  it.each([
    [['--connect-to', 'google.com:443:127.0.0.1'], 'must be HOST:PORT:ADDRESS:PORT'],
    [['--connect-to', 'google.com:443:127.0.0.1:http'], '"http" is not a port number'],
    [['--timeout', 'soon'], '--timeout must be a number of seconds'],
    [['--timeout', '0'], '--timeout must be a number of seconds'],
    [['http://vk.com'], 'only https:// addresses can be checked'],
    [['bad host'], 'is not a valid host name'],
    [['--lang', 'de'], '--lang must be one of en, ru, kk'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with exit 2: %s', async (args, message) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stderr).toContain('Usage: certaudit check-connection')
  })

  it('is wired into the certaudit command', async () => {
    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C' } }
    expect(await main(['check-connection', '--help'], io)).toBe(0)
    expect(stdout).toContain('--connect-to HOST:PORT:ADDR:PORT')
  })
})
