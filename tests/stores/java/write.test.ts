/**
 * The Java writer against keystores written by the JDK's own keytool: delete an entry, re-list the
 * keystore with javaStore to see it gone, restore it and see it back with the same alias and SHA-256.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { visible } from '../../../src/audit/visible.js'
import { runCommand, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { javaStore } from '../../../src/stores/java/index.js'
import { javaWriter } from '../../../src/stores/java/write.js'
import type { EntryTarget, ListItem } from '../../../src/stores/types.js'
import { makeCertificate, type MadeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { HOSTILE_NAMES, rawHidden } from '../../support/hostile-text.js'
import { readPowerShell } from '../shared/powershell-reader.js'
import { inWords } from '../../support/notices.js'
import { haveKeytool } from '../../support/tools.js'

if (!haveKeytool) console.warn('[skipped] Java writer tests: keytool is not on the PATH (install a JDK to run them)')

const dir = realpathSync(tempDir('certaudit-java-writer-'))
const env = createEnvironment({ home: join(dir, 'home'), systemRoot: join(dir, 'root'), env: {} })
const elevation = createElevation(env)
const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })
const keeper = makeCertificate({ subject: [['O', 'Example Bank'], ['CN', 'Example Root To Keep']] })
const UNICODE_ALIAS = 'Qaznet — Ünïcode 🙂 “quoted” $(x) `y`'
const sha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex')

/** Runs keytool with stdin closed and a UTF-8 locale, as the Java store tests do. */
function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('keytool', args, { env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (error, stdout, stderr) => (error ? reject(new Error(`keytool ${args.join(' ')}: ${stdout}${stderr}`)) : resolve(stdout)))
    child.stdin?.end()
  })
}

let counter = 0
async function keystore(path: string, type: 'JKS' | 'JCEKS' | 'PKCS12', entries: [string, MadeCertificate][]): Promise<string> {
  mkdirSync(join(path, '..'), { recursive: true })
  for (const [alias, certificate] of entries) {
    const file = join(dir, `cert-${++counter}.pem`)
    writeFileSync(file, certificate.pem)
    await run(['-importcert', '-noprompt', '-alias', alias, '-file', file, '-keystore', path, '-storepass', 'changeit', '-storetype', type])
  }
  return path
}

/** What javaStore lists: alias → SHA-256. */
async function listed(path: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {}
  for await (const item of javaStore.list({ id: `java:${path}`, kind: 'java', location: path }, env) as AsyncIterable<ListItem>) {
    if (item.type === 'entry') found[item.entry] = sha256(item.der)
  }
  return found
}

async function targetFor(path: string, certificate: MadeCertificate): Promise<EntryTarget> {
  const alias = Object.entries(await listed(path)).find(([, sha]) => sha === certificate.sha256)?.[0]
  if (alias === undefined) throw new Error(`${certificate.sha256} is not in ${path}`)
  return { storeId: `java:${path}`, kind: 'java', location: path, entry: alias, sha256: certificate.sha256, pem: certificate.pem, trust: 'trusted' }
}

/** Whether `chattr +i` works here: a read-only file that even root (these tests' user) cannot write. */
const chattrWorks = (() => {
  const probe = join(dir, 'chattr-probe')
  writeFileSync(probe, '')
  const on = spawnSync('chattr', ['+i', probe])
  spawnSync('chattr', ['-i', probe])
  return on.status === 0
})()
if (!chattrWorks) console.warn('[skipped] read-only keystore test: chattr +i does not work here')

describe.skipIf(!haveKeytool)('javaWriter, with the real keytool', () => {
  it.each([
    ['JKS', 'qaznet root'],
    ['JCEKS', 'qaznet root'],
    ['PKCS12', UNICODE_ALIAS],
  ] as const)('%s: delete, re-list (gone), restore, re-list (same alias and SHA-256)', async (type, alias) => {
    const path = await keystore(join(dir, type, 'cacerts'), type, [[alias, qaznet], ['keeper', keeper]])
    const target = await targetFor(path, qaznet)
    // keytool lowercases JKS and JCEKS aliases; PKCS #12 keeps them as typed.
    expect(target.entry).toBe(type === 'PKCS12' ? alias : alias.toLowerCase())
    expect(inWords(await javaWriter.capabilities(target, env))).toEqual({ modes: ['delete'], needsAdmin: false })
    const backup = await javaWriter.backup(target, env)
    expect(backup).toEqual({ target, exportedPem: qaznet.pem, data: { alias: target.entry, storeType: type } })

    const applied = await javaWriter.apply(backup, 'delete', env, elevation)
    expect(applied).toMatchObject({ ok: true })
    // A non-ASCII alias runs under `env LC_ALL=C.UTF-8` (see the next test).
    expect(applied.commands.map((c) => c.command.slice(c.command.indexOf('keytool'), c.command.indexOf('keytool') + 2))).toEqual([['keytool', '-delete']])
    expect(await listed(path)).toEqual({ keeper: keeper.sha256 })

    const restored = await javaWriter.restore(backup, env, elevation)
    expect(restored).toMatchObject({ ok: true })
    expect(restored.commands.at(-1)!.command).toEqual(expect.arrayContaining(['-importcert', '-storetype', type]))
    expect(await listed(path)).toEqual({ [target.entry]: qaznet.sha256, keeper: keeper.sha256 })
  })

  it('passes a non-ASCII alias under C.UTF-8, so a POSIX locale (as under pkexec) does not turn it into "?"s', async () => {
    const path = await keystore(join(dir, 'posix', 'cacerts'), 'PKCS12', [[UNICODE_ALIAS, qaznet]])
    const posix: CommandRunner = (command, args, options = {}) => runCommand(command, args, { ...options, env: { ...process.env, LANG: 'C', LC_ALL: undefined } })
    const posixEnv = createEnvironment({ home: join(dir, 'home'), systemRoot: join(dir, 'root'), env: {}, run: posix })
    const backup = await javaWriter.backup(await targetFor(path, qaznet), posixEnv)
    const applied = await javaWriter.apply(backup, 'delete', posixEnv, createElevation(posixEnv))
    expect(applied).toMatchObject({ ok: true })
    expect(applied.commands[0]!.command.slice(0, 3)).toEqual(['env', 'LC_ALL=C.UTF-8', 'keytool'])
    expect(await listed(path)).toEqual({})
    expect(await javaWriter.restore(backup, posixEnv, createElevation(posixEnv))).toMatchObject({ ok: true })
    expect(await listed(path)).toEqual({ [UNICODE_ALIAS]: qaznet.sha256 })
  })

  it('has no distrust, and warns when the keystore is generated from the system store', async () => {
    const path = await keystore(join(dir, 'root/etc/ssl/certs/java/cacerts'), 'JKS', [['qaznet', qaznet]])
    const target = await targetFor(path, qaznet)
    expect(inWords(await javaWriter.capabilities(target, env))).toEqual({ modes: ['delete'], needsAdmin: false, warning: expect.stringContaining('generated from the Linux system store') })
    const backup = await javaWriter.backup(target, env)
    expect(await javaWriter.apply(backup, 'distrust', env, elevation)).toEqual({ ok: false, commands: [], message: expect.stringContaining('no distrust') })
    expect(await listed(path)).toEqual({ qaznet: qaznet.sha256 })
  })

  it('throws entry-missing when the alias is gone, or holds another certificate, before the backup', async () => {
    const path = await keystore(join(dir, 'gone', 'cacerts'), 'PKCS12', [['qaznet', qaznet]])
    const target = await targetFor(path, qaznet)
    await run(['-delete', '-alias', 'qaznet', '-keystore', path, '-storepass', 'changeit'])
    await expect(javaWriter.backup(target, env)).rejects.toMatchObject({ name: 'StoreError', code: 'entry-missing', message: expect.stringContaining('has no entry "qaznet"') })
    await keystore(path, 'PKCS12', [['qaznet', keeper]])
    await expect(javaWriter.backup(target, env)).rejects.toMatchObject({ code: 'entry-missing', message: expect.stringContaining('now holds another certificate') })
  })

  it('leaves a private key entry to the user: deleting it would lose the key', async () => {
    const path = join(dir, 'with-key', 'keystore.p12')
    mkdirSync(join(path, '..'), { recursive: true })
    await run(['-genkeypair', '-alias', 'server', '-keyalg', 'EC', '-dname', 'CN=server', '-keystore', path, '-storepass', 'changeit', '-storetype', 'PKCS12'])
    const [alias, sha] = Object.entries(await listed(path))[0]!
    const target: EntryTarget = { storeId: `java:${path}`, kind: 'java', location: path, entry: alias, sha256: sha, pem: '', trust: 'not-trusted' }
    expect(inWords(await javaWriter.capabilities(target, env))).toMatchObject({ modes: [], manual: expect.stringContaining('private key entry') })
    await expect(javaWriter.backup(target, env)).rejects.toMatchObject({ code: 'not-changeable' })
  })

  it('without keytool: no modes, and the command to run by hand', async () => {
    const noKeytool: CommandRunner = async (command, args) => ({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn keytool ENOENT' })
    const target: EntryTarget = { storeId: 'java:/x/cacerts', kind: 'java', location: '/x/cacerts', entry: 'qaznet', sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }
    expect(inWords(await javaWriter.capabilities(target, createEnvironment({ home: dir, systemRoot: dir, env: {}, run: noKeytool })))).toEqual({
      modes: [],
      needsAdmin: false,
      manual: expect.stringContaining('keytool -delete -alias qaznet -keystore /x/cacerts -storepass changeit'),
    })
  })

  it('without keytool: the command to run by hand, pasted into sh, runs nothing and gives keytool the very alias and path', async () => {
    const noKeytool: CommandRunner = async (command, args) => ({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn keytool ENOENT' })
    const paste = realpathSync(tempDir('certaudit-java-paste-'))
    const home = join(paste, 'home')
    mkdirSync(home)
    writeFileSync(join(home, 'canary'), 'still here')
    // A keytool that only writes down the arguments it was given, one per NUL.
    mkdirSync(join(paste, 'bin'))
    writeFileSync(join(paste, 'bin', 'keytool'), `#!/bin/sh\nprintf '%s\\0' "$@" > ${JSON.stringify(join(paste, 'argv'))}\n`, { mode: 0o755 })
    const location = join(paste, 'Qaz $(touch owned-path)', 'cacerts')
    for (const alias of ['$(touch owned)', '"; rm -rf ~; "', '`touch owned`\'; touch owned', `${HOSTILE_NAMES.clearScreen} ${HOSTILE_NAMES.reversed} ${HOSTILE_NAMES.zeroWidth}`]) {
      const target: EntryTarget = { storeId: `java:${location}`, kind: 'java', location, entry: alias, sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }
      const manual = inWords(await javaWriter.capabilities(target, createEnvironment({ home: dir, systemRoot: dir, env: {}, run: noKeytool })))['manual'] as string
      // What people see (the plan shows every notice through visible()), from "run: " on.
      const shown = visible(manual.slice(manual.indexOf('run: ') + 'run: '.length))
      expect(rawHidden(shown)).toEqual([])
      execFileSync('/bin/sh', ['-c', shown], { cwd: paste, env: { PATH: `${join(paste, 'bin')}:${process.env.PATH}`, HOME: home } })
      expect(readFileSync(join(paste, 'argv'), 'utf8').split('\0').slice(0, -1)).toEqual(['-delete', '-alias', alias, '-keystore', location, '-storepass', 'changeit'])
      expect(readdirSync(paste).sort()).toEqual(['argv', 'bin', 'home'])
      expect(readFileSync(join(home, 'canary'), 'utf8')).toBe('still here')
    }
  })

  it('on Windows, the command to run by hand is PowerShell that reads back as the very alias, hidden characters and all', async () => {
    const noKeytool: CommandRunner = async (command, args) => ({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT' })
    const alias = `'$(x)' ${HOSTILE_NAMES.reversed}\n${HOSTILE_NAMES.clearScreen}`
    const location = "C:\\Program Files\\Java\\jdk-21\\lib\\security\\cacerts"
    const target: EntryTarget = { storeId: `java:${location}`, kind: 'java', location, entry: alias, sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }
    const manual = inWords(await javaWriter.capabilities(target, createEnvironment({ home: dir, systemRoot: dir, env: {}, platform: 'win32', run: noKeytool })))['manual'] as string
    const shown = visible(manual.slice(manual.indexOf('run: ') + 'run: '.length))
    expect(readPowerShell(shown)).toEqual(['keytool', '-delete', '-alias', alias, '-keystore', location, '-storepass', 'changeit'])
  })

  it.skipIf(!chattrWorks)('a read-only keystore (chattr +i): needs admin; keytool changes a copy, putting it in place fails, the keystore is unchanged', async () => {
    const path = await keystore(join(dir, 'readonly', 'cacerts'), 'JKS', [['qaznet', qaznet]])
    const backup = await javaWriter.backup(await targetFor(path, qaznet), env)
    const before = readFileSync(path)
    expect(spawnSync('chattr', ['+i', path]).status).toBe(0)
    try {
      expect((inWords(await javaWriter.capabilities(backup.target, env))).needsAdmin).toBe(true)
      const outcome = await javaWriter.apply(backup, 'delete', env, elevation)
      expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/^install -m 0644 -T -- .* failed \(exit code 1\):.*(Operation not permitted|denied)/s) })
      // keytool never had the keystore itself, only CertAudit's copy: a kill inside it cannot truncate cacerts.
      expect(outcome.commands[0]!.command).toEqual(expect.arrayContaining(['keytool', '-delete']))
      expect(outcome.commands[0]!.command).not.toContain(path)
      expect(outcome.commands.at(-1)!.elevated).toBe(false) // root needs no prompt; the file itself refused
    } finally {
      spawnSync('chattr', ['-i', path])
    }
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(await listed(path)).toEqual({ qaznet: qaznet.sha256 })
  })
})
