/**
 * The Java store against real keystores: every keystore here is written by the JDK's own keytool (or
 * OpenSSL, for PKCS #12 files Java did not make), holding RSA and EC certificates made by the test.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import forge from 'node-forge'
import { beforeAll, describe, expect, it } from 'vitest'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { javaStore } from '../../../src/stores/java/index.js'
import { StoreError, type ListItem } from '../../../src/stores/types.js'
import { makeCertificate, makeKey, toPem, type MadeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { haveKeytool, haveOpenssl } from '../../support/tools.js'

if (!haveKeytool) console.warn('[skipped] Java store tests: keytool is not on the PATH (install a JDK to run them)')
if (!haveOpenssl) console.warn('[skipped] OpenSSL-made PKCS #12 test: openssl is not on the PATH')

const dir = realpathSync(tempDir('certaudit-java-'))
const env = createEnvironment({ home: join(dir, 'home'), systemRoot: join(dir, 'no-system'), env: {} })

const rsaRoot = makeCertificate({ subject: [['O', 'Example Bank'], ['CN', 'Example RSA Root']], key: makeKey({ type: 'rsa' }) })
const ecRoot = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example EC P-384 Root']], key: makeKey({ type: 'ec', curve: 'P-384' }) })
const ecRoot256 = makeCertificate({ subject: [['CN', 'Example EC P-256 Root']] })
const UNICODE_ALIAS = 'EC Root — Ünïcode 🙂 “quoted” ĄĘŁ'

type Entry = Extract<ListItem, { type: 'entry' }>
type Problem = Extract<ListItem, { type: 'problem' }>
const sha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex')
const byEntry = <T extends { entry: string }>(items: T[]) => items.sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0))
/** What a keystore listed, in a comparable form: alias, trust and the SHA-256 of the certificate. */
const summary = (entries: Entry[]) => byEntry(entries.map((e) => ({ entry: e.entry, trust: e.trust, sha256: sha256(e.der) })))

/** Lists a keystore; a StoreError thrown after some entries is returned with them. */
async function read(path: string): Promise<{ entries: Entry[]; problems: Problem[]; error?: StoreError }> {
  const entries: Entry[] = []
  const problems: Problem[] = []
  try {
    for await (const item of javaStore.list({ id: `java:${path}`, kind: 'java', location: path }, env)) {
      if (item.type === 'entry') entries.push(item)
      else problems.push(item)
    }
  } catch (error) {
    if (!(error instanceof StoreError)) throw error
    return { entries, problems, error }
  }
  return { entries, problems }
}

/** Runs a tool with stdin closed (so a prompt fails instead of hanging), in a UTF-8 locale so keytool takes non-ASCII aliases as they are. */
function run(tool: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(tool, args, { env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} ${args.join(' ')} failed: ${stdout}${stderr}`))
      else resolve(stdout)
    })
    child.stdin?.end()
  })
}

let fileCounter = 0
function pemFile(certificate: MadeCertificate): string {
  const path = join(dir, `cert-${++fileCounter}.pem`)
  writeFileSync(path, certificate.pem)
  return path
}

/** Imports certificates as trusted entries with keytool, one after the other (each run rewrites the keystore). */
async function keystore(path: string, type: 'JKS' | 'JCEKS' | 'PKCS12', certificates: [string, MadeCertificate][], options: { password?: string; javaOptions?: string[] } = {}): Promise<string> {
  mkdirSync(join(path, '..'), { recursive: true })
  for (const [alias, certificate] of certificates) {
    await run('keytool', [...(options.javaOptions ?? []), '-importcert', '-noprompt', '-alias', alias, '-file', pemFile(certificate), '-keystore', path, '-storepass', options.password ?? 'changeit', '-storetype', type])
  }
  return path
}

/** True when the file holds this OBJECT IDENTIFIER: proof of which algorithm keytool or openssl used. */
function usesOid(path: string, dotted: string): boolean {
  const body = Buffer.from(forge.asn1.oidToDer(dotted).getBytes(), 'binary')
  return readFileSync(path).includes(Buffer.concat([Buffer.from([0x06, body.length]), body]))
}
const OIDS = {
  pbes2: '1.2.840.113549.1.5.13',
  aes256: '2.16.840.1.101.3.4.1.42',
  hmacSha256: '1.2.840.113549.2.9',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha1: '1.3.14.3.2.26',
  rc2x40: '1.2.840.113549.1.12.1.6',
  tripleDes: '1.2.840.113549.1.12.1.3',
  encryptedData: '1.2.840.113549.1.7.6',
}

const trusted = (alias: string, certificate: MadeCertificate) => ({ entry: alias, trust: 'trusted', sha256: certificate.sha256 })

describe.skipIf(!haveKeytool)('javaStore.list, on keystores written by keytool', () => {
  it('reads a JKS keystore: RSA and EC certificates byte for byte, with their aliases (keytool lowercases JKS aliases)', async () => {
    const path = await keystore(join(dir, 'jks/cacerts'), 'JKS', [['rsa root', rsaRoot], [UNICODE_ALIAS, ecRoot], ['ec256', ecRoot256]])
    const { entries, problems, error } = await read(path)
    expect(error).toBeUndefined()
    expect(problems).toEqual([])
    expect(summary(entries)).toEqual(byEntry([trusted('ec256', ecRoot256), trusted(UNICODE_ALIAS.toLowerCase(), ecRoot), trusted('rsa root', rsaRoot)]))
  })

  it('reads the PKCS #12 keystore keytool writes by default (PBES2 with AES-256, HMAC-SHA-256), keeping the alias as typed', async () => {
    const path = await keystore(join(dir, 'p12/cacerts'), 'PKCS12', [['rsa root', rsaRoot], [UNICODE_ALIAS, ecRoot]])
    expect([OIDS.pbes2, OIDS.aes256, OIDS.hmacSha256, OIDS.sha256].map((oid) => usesOid(path, oid))).toEqual([true, true, true, true])
    const { entries, problems, error } = await read(path)
    expect(error).toBeUndefined()
    expect(problems).toEqual([])
    expect(summary(entries)).toEqual(byEntry([trusted(UNICODE_ALIAS, ecRoot), trusted('rsa root', rsaRoot)]))
  })

  it('reads a legacy PKCS #12 keystore (RC2-40 certificates, SHA-1 MAC), as JDK 8 and 11 wrote them', async () => {
    const path = await keystore(join(dir, 'legacy/cacerts'), 'PKCS12', [['ec', ecRoot], ['rsa', rsaRoot]], { javaOptions: ['-J-Dkeystore.pkcs12.legacy'] })
    expect([OIDS.rc2x40, OIDS.sha1, OIDS.pbes2].map((oid) => usesOid(path, oid))).toEqual([true, true, false])
    const { entries, problems } = await read(path)
    expect(problems).toEqual([])
    expect(summary(entries)).toEqual([trusted('ec', ecRoot), trusted('rsa', rsaRoot)])
  })

  it('reads a password-less PKCS #12 keystore (no encryption, no MAC), like the cacerts of JDK 18+', async () => {
    const javaOptions = ['-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE', '-J-Dkeystore.pkcs12.macAlgorithm=NONE']
    const path = await keystore(join(dir, 'passwordless/cacerts'), 'PKCS12', [['ec', ecRoot]], { javaOptions })
    expect(usesOid(path, OIDS.encryptedData)).toBe(false)
    const { entries, problems } = await read(path)
    expect(problems).toEqual([])
    expect(summary(entries)).toEqual([trusted('ec', ecRoot)])
  })

  it('reads JCEKS and steps over secret keys, also when certificates come after them', async () => {
    const path = join(dir, 'jceks/keystore')
    await keystore(path, 'JCEKS', [['alpha', ecRoot]])
    for (const alias of ['secret one', 'secret two', 'secret three']) {
      await run('keytool', ['-genseckey', '-alias', alias, '-keyalg', 'AES', '-keysize', '128', '-keystore', path, '-storepass', 'changeit', '-keypass', 'changeit', '-storetype', 'JCEKS'])
    }
    await keystore(path, 'JCEKS', [['beta', rsaRoot], ['gamma', ecRoot256], ['delta', ecRoot]])
    const bytes = readFileSync(path)
    // Proof that the test covers the hard case: a certificate stored after a serialized secret key.
    const firstSecret = bytes.indexOf(Buffer.from([0xac, 0xed, 0x00, 0x05]))
    expect(firstSecret).toBeGreaterThan(0)
    expect(Math.max(...[rsaRoot, ecRoot256, ecRoot].map((c) => bytes.lastIndexOf(c.der)))).toBeGreaterThan(firstSecret)
    const { entries, problems, error } = await read(path)
    expect(error).toBeUndefined()
    expect(problems).toEqual([])
    expect(summary(entries)).toEqual(byEntry([trusted('alpha', ecRoot), trusted('beta', rsaRoot), trusted('delta', ecRoot), trusted('gamma', ecRoot256)]))
  })

  it('lists the certificate of a private key entry as not trusted, under its alias', async () => {
    for (const [type, keyalg] of [['JKS', 'RSA'], ['PKCS12', 'EC']] as const) {
      const path = join(dir, `keypair-${type}/keystore`)
      mkdirSync(join(path, '..'), { recursive: true })
      await keystore(path, type, [['a root', rsaRoot]])
      await run('keytool', ['-genkeypair', '-alias', 'My Server', '-keyalg', keyalg, '-dname', 'CN=server.example', '-keystore', path, '-storepass', 'changeit', '-keypass', 'changeit', '-storetype', type])
      const exported = await run('keytool', ['-exportcert', '-rfc', '-alias', 'My Server', '-keystore', path, '-storepass', 'changeit', '-storetype', type])
      const serverSha = sha256(Buffer.from(exported.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
      const { entries, problems } = await read(path)
      expect(problems, type).toEqual([])
      // keytool stores a key entry's alias in lower case in both formats (`openssl pkcs12 -info` shows friendlyName: my server).
      expect(summary(entries), type).toEqual(byEntry([trusted('a root', rsaRoot), { entry: 'my server', trust: 'not-trusted', sha256: serverSha }]))
    }
  })

  it('lists a JKS keystore under another password, with a problem saying its integrity could not be verified', async () => {
    const path = await keystore(join(dir, 'other-password/cacerts'), 'JKS', [['ec', ecRoot]], { password: 'hunter22' })
    const { entries, problems, error } = await read(path)
    expect(error).toBeUndefined()
    expect(summary(entries)).toEqual([trusted('ec', ecRoot)])
    expect(problems).toEqual([{ type: 'problem', code: 'integrity-unverified', path, message: expect.stringContaining(`${path}: its integrity check does not match the default password 'changeit'`) }])
  })

  it('refuses a PKCS #12 keystore under another password (its certificates are encrypted) with a clear error', async () => {
    const path = await keystore(join(dir, 'other-password-p12/cacerts'), 'PKCS12', [['ec', ecRoot]], { password: 'hunter22' })
    const { entries, problems, error } = await read(path)
    expect(entries).toEqual([])
    expect(problems).toEqual([])
    expect(error).toMatchObject({ code: 'wrong-password', message: `${path} is protected by a password other than the default 'changeit'; CertAudit could not open it.` })
  })

  it('turns damaged and foreign files into clear errors naming the file, after the entries read before the damage', async () => {
    const original = await keystore(join(dir, 'damage/base.jks'), 'JKS', [['first', ecRoot], ['second', rsaRoot]])
    const p12 = await keystore(join(dir, 'damage/base.p12'), 'PKCS12', [['first', ecRoot]])
    const bytes = readFileSync(original)
    const [early, late] = [ecRoot, rsaRoot].sort((a, b) => bytes.indexOf(a.der) - bytes.indexOf(b.der)) as [MadeCertificate, MadeCertificate]
    const variant = (name: string, edit: (copy: Buffer) => Buffer) => put(dir, `damage/${name}`, edit(Buffer.from(bytes)))
    const cases: { path: string; code: string; message: RegExp; entries?: MadeCertificate[] }[] = [
      { path: variant('truncated', (b) => b.subarray(0, b.indexOf(late.der) + 40)), code: 'damaged-keystore', message: /is a damaged JKS keystore: a certificate claims \d+ bytes but the file ends \d+ bytes later in entry 2 of 2/, entries: [early] },
      { path: variant('absurd-length', (b) => (b.writeUInt32BE(0x7fffffff, b.indexOf(early.der) - 4), b)), code: 'damaged-keystore', message: /a certificate claims 2147483647 bytes .* in entry 1 of 2/ },
      { path: variant('unknown-entry', (b) => (b.writeUInt32BE(9, 12), b)), code: 'damaged-keystore', message: /the entry type 9 is unknown in entry 1 of 2/ },
      { path: variant('version-7', (b) => (b.writeUInt32BE(7, 4), b)), code: 'unsupported-keystore', message: /is a JKS keystore of version 7/ },
      { path: variant('no-digest', (b) => b.subarray(0, b.length - 20)), code: 'damaged-keystore', message: /the integrity check claims 20 bytes but the file ends 0 bytes later/, entries: [early, late] },
      { path: put(dir, 'damage/truncated.p12', readFileSync(p12).subarray(0, 700)), code: 'damaged-keystore', message: /is a damaged PKCS #12 keystore: it is cut short \(it should be \d+ bytes long but has 700\)/ },
      { path: put(dir, 'damage/garbage', Buffer.from('this is not a keystore at all, just text\n'.repeat(100))), code: 'not-a-keystore', message: /is not a Java keystore \(JKS, JCEKS or PKCS #12\): it starts with the bytes 74 68 69 73/ },
      { path: put(dir, 'damage/empty', ''), code: 'not-a-keystore', message: /: it is empty\.$/ },
      { path: put(dir, 'damage/cacerts.pem', ecRoot.pem), code: 'not-a-keystore', message: /not a Java keystore/ },
      { path: join(dir, 'damage'), code: 'eisdir', message: /is a folder/ },
      { path: join(dir, 'damage/missing'), code: 'enoent', message: /does not exist/ },
    ]
    for (const { path, code, message, entries = [] } of cases) {
      const result = await read(path)
      expect(result.error, path).toBeInstanceOf(StoreError)
      expect(result.error, path).toMatchObject({ code, message: expect.stringMatching(message) })
      expect(result.error!.message.startsWith(path), path).toBe(true)
      expect(result.entries.map((e) => sha256(e.der)), path).toEqual(entries.map((c) => c.sha256))
    }
  })

  it('reports an undecodable certificate for its entry and reads the others', async () => {
    const path = await keystore(join(dir, 'bad-cert/cacerts'), 'JKS', [['broken', ecRoot], ['fine', rsaRoot]])
    const bytes = readFileSync(path)
    const at = bytes.indexOf(ecRoot.der)
    expect([bytes[at + 1], bytes[at + 4]]).toEqual([0x82, 0x30]) // a two-byte length, then the TBSCertificate SEQUENCE
    bytes[at + 4] = 0x31 // now a SET: the framing is intact, the contents are not a certificate
    writeFileSync(path, bytes)
    const { entries, problems, error } = await read(path)
    expect(error).toBeUndefined()
    expect(summary(entries)).toEqual([trusted('fine', rsaRoot)])
    expect(problems.map((p) => p.code).sort()).toEqual(['corrupt-certificate', 'integrity-unverified'])
    expect(problems.find((p) => p.code === 'corrupt-certificate')!.message).toMatch(new RegExp(`^${path}: the certificate of entry "broken" is damaged and was skipped: `))
  })
})

describe.skipIf(!haveKeytool || !haveOpenssl)('javaStore.list, on certificate-only PKCS #12 files made by OpenSSL', () => {
  it('reads 3DES, RC2-40, AES and unencrypted ones, as not trusted: Java ignores certificates without its trusted-key-usage mark', async () => {
    const bundle = join(dir, 'openssl-bundle.pem')
    writeFileSync(bundle, ecRoot.pem + toPem(rsaRoot.der))
    const variants: Record<string, string[]> = {
      '3des': ['-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
      rc2: ['-certpbe', 'PBE-SHA1-RC2-40', '-legacy'],
      aes: ['-certpbe', 'AES-128-CBC', '-macalg', 'sha512'],
      plain: ['-certpbe', 'NONE', '-nomac'],
    }
    for (const [name, options] of Object.entries(variants)) {
      const path = join(dir, `openssl-${name}.p12`)
      await run('openssl', ['pkcs12', '-export', '-nokeys', '-in', bundle, '-out', path, '-passout', 'pass:changeit', ...options])
      const { entries, problems, error } = await read(path)
      expect(error, name).toBeUndefined()
      expect(problems, name).toEqual([])
      expect(entries.map((e) => [e.trust, sha256(e.der)]).sort(), name).toEqual([['not-trusted', ecRoot.sha256], ['not-trusted', rsaRoot.sha256]].sort())
    }
    expect(usesOid(join(dir, 'openssl-3des.p12'), OIDS.tripleDes)).toBe(true)
    expect(await run('keytool', ['-list', '-keystore', join(dir, 'openssl-3des.p12'), '-storepass', 'changeit'])).toContain('Your keystore contains 0 entries')
  })
})

describe.skipIf(!haveKeytool)('javaStore.discover', () => {
  // Laid out like Debian: the JDK's cacerts is an absolute link to the shared keystore of ca-certificates-java.
  const root = join(dir, 'debian-root')
  const shared = join(root, 'etc/ssl/certs/java/cacerts')
  const jdk8 = join(root, 'usr/lib/jvm/java-8-openjdk-amd64/jre/lib/security/cacerts')
  const docker = join(root, 'opt/java/openjdk/lib/security/cacerts')
  const customHome = join(dir, 'custom-jdk')
  const JAVA = { program: 'java' }
  const link = (target: string, path: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true })
    symlinkSync(target, join(root, path))
  }
  beforeAll(async () => {
    await keystore(shared, 'JKS', [['ec', ecRoot]])
    link('/etc/ssl/certs/java/cacerts', 'usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts')
    link('java-17-openjdk-amd64', 'usr/lib/jvm/java-1.17.0-openjdk-amd64')
    mkdirSync(join(root, 'usr/lib/jvm/openjdk-17'), { recursive: true }) // Debian's folder of docs: no cacerts
    link('/nowhere/cacerts', 'usr/lib/jvm/broken-jdk/lib/security/cacerts')
    // More `..` than folders: stops at the root, as on the audited machine (so it is the shared cacerts), never this machine's /etc.
    link('../../../../../../../../../../../../etc/ssl/certs/java/cacerts', 'usr/lib/jvm/escaping-jdk/lib/security/cacerts')
    await keystore(jdk8, 'PKCS12', [['rsa', rsaRoot]], { javaOptions: ['-J-Dkeystore.pkcs12.legacy'] })
    await keystore(docker, 'PKCS12', [['ec256', ecRoot256]])
    await keystore(join(customHome, 'lib/security/cacerts'), 'PKCS12', [['rsa', rsaRoot]])
  })
  const envWith = (javaHome?: string) => createEnvironment({ home: join(root, 'home/user'), systemRoot: root, env: javaHome ? { JAVA_HOME: javaHome } : {} })

  it('reports every keystore under the system root once, following links inside the root', async () => {
    expect(await javaStore.discover(envWith())).toEqual([
      {
        id: `java:${shared}`,
        kind: 'java',
        location: shared,
        note: 'Java trust store: the JDK in /usr/lib/jvm/escaping-jdk; the JDK in /usr/lib/jvm/java-1.17.0-openjdk-amd64; the JDK in /usr/lib/jvm/java-17-openjdk-amd64; shared by the JDKs of Debian, Ubuntu and Arch (ca-certificates-java)',
        facts: JAVA,
      },
      { id: `java:${jdk8}`, kind: 'java', location: jdk8, note: 'Java trust store: the JDK in /usr/lib/jvm/java-8-openjdk-amd64', facts: JAVA },
      { id: `java:${docker}`, kind: 'java', location: docker, note: 'Java trust store: the JDK in /opt/java/openjdk', facts: JAVA },
    ])
  })

  it('adds JAVA_HOME, in the JDK 9+ layout, and merges it with the JDK it points to', async () => {
    const custom = join(customHome, 'lib/security/cacerts')
    const withCustom = await javaStore.discover(envWith(customHome))
    expect(withCustom[0]).toEqual({ id: `java:${custom}`, kind: 'java', location: custom, note: `Java trust store: JAVA_HOME (${customHome})`, facts: JAVA })
    expect(withCustom).toHaveLength(4)
    const debianHome = join(root, 'usr/lib/jvm/java-17-openjdk-amd64')
    const merged = await javaStore.discover(envWith(debianHome))
    expect(merged.map((l) => l.location)).toEqual([shared, jdk8, docker])
    expect(merged[0]!.note).toMatch(new RegExp(`^Java trust store: JAVA_HOME \\(${debianHome}\\); the JDK in /usr/lib/jvm/escaping-jdk; the JDK in /usr/lib/jvm/java-1.17.0-openjdk-amd64; `))
  })

  it('finds the JDK 8 layout under JAVA_HOME, and nothing on a machine without Java', async () => {
    const jdk8Home = join(root, 'usr/lib/jvm/java-8-openjdk-amd64')
    const empty = join(dir, 'empty-root')
    mkdirSync(empty, { recursive: true })
    expect(await javaStore.discover(createEnvironment({ home: join(empty, 'home'), systemRoot: empty, env: { JAVA_HOME: jdk8Home } }))).toEqual([
      { id: `java:${jdk8}`, kind: 'java', location: jdk8, note: `Java trust store: JAVA_HOME (${jdk8Home})`, facts: JAVA },
    ])
    expect(await javaStore.discover(createEnvironment({ home: join(empty, 'home'), systemRoot: empty, env: {} }))).toEqual([])
  })
})

describe.skipIf(!haveKeytool)('javaStore.discover: JDKs outside the package folders', () => {
  // Each a place a Java program takes its roots from; before, none of these was looked at.
  const root = join(dir, 'jdk-places-root')
  const home = join(root, 'home/user')
  const SYSTEM = [
    ['usr/lib64/jvm/java-17-openjdk', 'the JDK in /usr/lib64/jvm/java-17-openjdk'],
    ['usr/local/openjdk-11', 'the JDK in /usr/local/openjdk-11'],
    ['opt/jdk-21.0.2', 'the JDK in /opt/jdk-21.0.2'],
    ['opt/android-studio/jbr', 'the JDK in /opt/android-studio/jbr'],
    ['snap/intellij-idea-community/current/jbr', 'the JDK in /snap/intellij-idea-community/current/jbr'],
    ['opt/homebrew/opt/openjdk@21/libexec/openjdk.jdk/Contents/Home', 'the JDK in /opt/homebrew/opt/openjdk@21/libexec/openjdk.jdk/Contents/Home'],
  ] as const
  const HOME = ['.sdkman/candidates/java/21.0.2-tem', '.jdks/corretto-17.0.10', '.gradle/jdks/eclipse_adoptium-17-amd64-linux', '.asdf/installs/java/temurin-21', '.local/share/mise/installs/java/21', '.jbang/cache/jdks/17', 'Library/Java/JavaVirtualMachines/zulu-21.jdk/Contents/Home']

  it('finds the JDKs of IDEs, SDK managers and unpacked archives, system-wide and in the home, and the root in each', async () => {
    for (const [jdk] of SYSTEM) await keystore(join(root, jdk, 'lib/security/cacerts'), 'PKCS12', [['ec256', ecRoot256]])
    for (const jdk of HOME) await keystore(join(home, jdk, 'lib/security/cacerts'), 'PKCS12', [['ec256', ecRoot256]])
    const env = createEnvironment({ home, systemRoot: root, env: {} })
    const found = await javaStore.discover(env)
    const expected = [
      ...SYSTEM.map(([jdk, note]) => ({ location: join(root, jdk, 'lib/security/cacerts'), note: `Java trust store: ${note}` })),
      ...HOME.map((jdk) => ({ location: join(home, jdk, 'lib/security/cacerts'), note: `Java trust store: the JDK in ${join(home, jdk)}` })),
    ]
    expect(found.map((l) => ({ location: l.location, note: l.note })).sort((a, b) => a.location.localeCompare(b.location))).toEqual(expected.sort((a, b) => a.location.localeCompare(b.location)))
    const report = await scan({ kinds: ['java'] }, { env, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    expect(report.findings.find((f) => f.certificate.sha256 === ecRoot256.sha256)?.locations).toHaveLength(SYSTEM.length + HOME.length)
  })
})

describe.skipIf(!haveKeytool)('a scan of Java keystores', () => {
  it('finds a look-alike of the Kazakh ISCA root in a JDK keystore and names its alias', async () => {
    const root = join(dir, 'scan-root')
    const isca = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']], key: makeKey({ type: 'ec', curve: 'P-384' }) })
    const path = await keystore(join(root, 'usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts'), 'PKCS12', [['kz isca root', isca], ['bank', rsaRoot]])
    const scanEnv = createEnvironment({ home: join(root, 'home/user'), systemRoot: root, env: {} })
    const report = await scan({ kinds: ['java'] }, { env: scanEnv, blocklist: loadBlocklist(), publicRoots: mozillaRoots() })
    expect(report.stores).toEqual([expect.objectContaining({ id: `java:${path}`, kind: 'java', location: path, entryCount: 2, status: 'ok' })])
    const finding = report.findings.find((f) => f.certificate.sha256 === isca.sha256)
    expect(finding).toMatchObject({ rule: 'lookalike', severity: 'high', locations: [{ storeId: `java:${path}`, kind: 'java', location: path, entry: 'kz isca root', trust: 'trusted' }] })
    expect(report.problems).toEqual([])
  })
})
