import { execFileSync } from 'node:child_process'
import { chmodSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCertificates } from '../../../src/audit/pem.js'
import { runCommand, type CommandResult, type CommandRunner } from '../../../src/stores/shared/command.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { nssStore } from '../../../src/stores/nss/index.js'
import { nssWriter } from '../../../src/stores/nss/write.js'
import { StoreError, type Elevation, type EntryTarget } from '../../../src/stores/types.js'
import { makeCertificate, makeKey, type MadeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutil, certutilInstalled, makeNssDb, runnerWithoutCertutil, sha256 } from './fixtures.js'
import { inWords } from '../../support/notices.js'

const dir = tempDir('certaudit-nss-writer-')
const env = createEnvironment({ home: dir, systemRoot: join(dir, 'no-system'), env: {} })
const elevation = createElevation(env)
const isRoot = process.getuid?.() === 0
const ca = (cn: string, key = makeKey()) => makeCertificate({ subject: [['O', 'CertAudit Tests'], ['CN', cn]], key })
const rsaRoot = ca('RSA Root', makeKey({ type: 'rsa' }))
const ecRoot = ca('EC Root')
const sameSubject = (serial: string) => makeCertificate({ subject: [['CN', 'Qaznet Trust Network']], serial })
const TOKEN = 'NSS Certificate DB:'
/** Root ignores file modes: the read-only test then runs certutil as the unprivileged user nobody. */
const canDropRoot = !isRoot || installed('runuser', ['--help'])
const NO_RUNUSER = 'running as root without runuser, so a read-only database cannot be made real'
if (!canDropRoot) console.warn(`[skipped] nss-writer read-only test: ${NO_RUNUSER}`)

/** What the removal plan would hand over for one listed certificate. */
const target = (db: string, entry: string, cert: MadeCertificate): EntryTarget => ({ storeId: `nss:${db}`, kind: 'nss', location: db, entry, sha256: cert.sha256, pem: cert.pem, trust: 'trusted' })

/** The store as the removal engine re-reads it: SHA-256 → nickname and trust. */
async function listed(db: string): Promise<Map<string, { entry: string; trust: string }>> {
  const entries = new Map<string, { entry: string; trust: string }>()
  for await (const item of nssStore.list({ id: `nss:${db}`, kind: 'nss', location: db }, env)) if (item.type === 'entry') entries.set(sha256(item.der), { entry: item.entry, trust: item.trust })
  return entries
}

/** certutil's own listing lines, sorted: every nickname with all three trust fields. */
const listing = (db: string): string[] => certutil(['-L', '-d', `sql:${db}`]).split('SSL,S/MIME,JAR/XPI')[1]!.split('\n').map((l) => l.trimEnd()).filter(Boolean).sort()
const flags = (db: string, nickname: string) => listing(db).flatMap((line) => (line.startsWith(`${nickname} `) ? [line.slice(nickname.length).trim()] : []))
const pemSha = (pem: string) => readCertificates(Buffer.from(pem)).map((item) => (item.type === 'certificate' ? sha256(item.der) : item.code))

describe.skipIf(!certutilInstalled)(`nssWriter with the real certutil${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  it('backs up the certificate chosen by hash with its nickname, three trust fields and PEM (RSA and EC)', async () => {
    const db = makeNssDb(join(dir, 'backup'), [
      { nickname: 'RSA Root', trust: 'CT,C,C', cert: rsaRoot },
      { nickname: 'EC Root', trust: 'C,,', cert: ecRoot },
    ])
    for (const [nickname, trustFlags, cert] of [['RSA Root', 'CT,C,C', rsaRoot], ['EC Root', 'C,,', ecRoot]] as const) {
      const backup = await nssWriter.backup(target(db, nickname, cert), env)
      expect(backup.data).toEqual({ nickname, trustFlags })
      expect(pemSha(backup.exportedPem)).toEqual([cert.sha256])
    }
  })

  it('deletes, then restores byte-identical with the same trust (and only runs certutil with argument arrays)', async () => {
    const db = makeNssDb(join(dir, 'delete'), [
      { nickname: 'Qaznet Trust Network', trust: 'CT,C,C', cert: rsaRoot },
      { nickname: 'EC Root', trust: 'C,,', cert: ecRoot },
    ])
    const before = listing(db)
    const backup = await nssWriter.backup(target(db, 'Qaznet Trust Network', rsaRoot), env)
    const applied = await nssWriter.apply(backup, 'delete', env, elevation)
    expect(applied).toMatchObject({ ok: true })
    expect(applied.commands.map((c) => c.command)).toEqual([['certutil', '-D', '-d', `sql:${db}`, '-n', `${TOKEN}Qaznet Trust Network`]])
    expect([...(await listed(db)).keys()]).toEqual([ecRoot.sha256])

    const restored = await nssWriter.restore(backup, env, elevation)
    expect(restored).toMatchObject({ ok: true })
    expect(restored.commands[0]!.command.slice(0, 10)).toEqual(['certutil', '-A', '-d', `sql:${db}`, '-n', 'Qaznet Trust Network', '-t', 'CT,C,C', '-a', '-i'])
    expect((await listed(db)).get(rsaRoot.sha256)).toEqual({ entry: 'Qaznet Trust Network', trust: 'trusted' })
    expect(listing(db)).toEqual(before)
  })

  it('distrusts (CT,C,C → ,,) and restores the trust in place', async () => {
    const db = makeNssDb(join(dir, 'distrust'), [{ nickname: 'Qaznet', trust: 'CT,C,C', cert: rsaRoot }])
    const backup = await nssWriter.backup(target(db, 'Qaznet', rsaRoot), env)
    const applied = await nssWriter.apply(backup, 'distrust', env, elevation)
    expect(applied.commands.map((c) => c.command)).toEqual([['certutil', '-M', '-d', `sql:${db}`, '-n', `${TOKEN}Qaznet`, '-t', ',,']])
    expect(flags(db, 'Qaznet')).toEqual([',,'])
    expect((await listed(db)).get(rsaRoot.sha256)?.trust).toBe('not-trusted')
    const restored = await nssWriter.restore(backup, env, elevation)
    expect(restored.commands.map((c) => c.command)).toEqual([['certutil', '-M', '-d', `sql:${db}`, '-n', `${TOKEN}Qaznet`, '-t', 'CT,C,C']])
    expect(flags(db, 'Qaznet')).toEqual(['CT,C,C'])
  })

  it('handles nicknames with quotes, $(), backticks, spaces, colons, unicode and a newline', async () => {
    const nicknames = ['Qaznet "Trust" $(id) `id` ;|& <x>', 'two  spaces inside', 'Кириллица Қазақстан 证书 ünïcödé', 'Foo: bar', "back\\slash 'single'", 'new\nline']
    const certs = nicknames.map((_, i) => ca(`Odd ${i}`))
    const db = makeNssDb(join(dir, 'odd'), nicknames.map((nickname, i) => ({ nickname, trust: 'C,c,', cert: certs[i]! })))
    const before = listing(db)
    for (const [i, nickname] of nicknames.entries()) {
      const backup = await nssWriter.backup(target(db, nickname, certs[i]!), env)
      expect(backup.data, nickname).toEqual({ nickname, trustFlags: 'C,c,' })
      expect(await nssWriter.apply(backup, 'delete', env, elevation), nickname).toMatchObject({ ok: true })
      expect((await listed(db)).has(certs[i]!.sha256), nickname).toBe(false)
      expect(await nssWriter.restore(backup, env, elevation), nickname).toMatchObject({ ok: true })
      expect(await nssWriter.apply(backup, 'distrust', env, elevation), nickname).toMatchObject({ ok: true })
      expect((await listed(db)).get(certs[i]!.sha256), nickname).toEqual({ entry: nickname, trust: 'not-trusted' })
      expect(await nssWriter.restore(backup, env, elevation), nickname).toMatchObject({ ok: true })
    }
    expect(listing(db)).toEqual(before)
  })

  it('changes only the chosen one of two certificates sharing a subject, even when the plan named the other', async () => {
    const [first, second] = [sameSubject('0a'), sameSubject('0b')]
    const db = makeNssDb(join(dir, 'same-subject'), [
      { nickname: 'Qaznet 2019', trust: 'C,,', cert: first },
      { nickname: 'Qaznet 2020', trust: 'CT,C,C', cert: second },
    ])
    const before = listing(db)
    // certutil's reader may list the second under the first's nickname: the hash decides.
    const backup = await nssWriter.backup(target(db, 'Qaznet 2019', second), env)
    expect(backup.data).toEqual({ nickname: 'Qaznet 2020', trustFlags: 'CT,C,C' })
    expect(await nssWriter.apply(backup, 'delete', env, elevation)).toMatchObject({ ok: true })
    expect([...(await listed(db)).keys()]).toEqual([first.sha256])
    expect(flags(db, 'Qaznet 2019')).toEqual(['C,,'])
    expect(await nssWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(await nssWriter.apply(backup, 'distrust', env, elevation)).toMatchObject({ ok: true })
    expect([flags(db, 'Qaznet 2019'), flags(db, 'Qaznet 2020')]).toEqual([['C,,'], [',,']])
    expect(await nssWriter.restore(backup, env, elevation)).toMatchObject({ ok: true })
    expect(listing(db)).toEqual(before)

    // Were certutil to delete the other certificate instead, it is put back as it was.
    const wrongPick: Elevation = {
      run: (command, args, options) => elevation.run(command, args[0] === '-D' ? args.map((a) => (a === `${TOKEN}Qaznet 2020` ? `${TOKEN}Qaznet 2019` : a)) : args, options),
    }
    const outcome = await nssWriter.apply(backup, 'delete', env, wrongPick)
    expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining('put it back') })
    expect(outcome.commands.map((c) => c.command.slice(0, 2))).toEqual([['certutil', '-D'], ['certutil', '-A']])
    expect(listing(db)).toEqual(before)
  })

  it('refuses two certificates with the very same nickname: certutil cannot tell them apart', async () => {
    const [first, second] = [sameSubject('1a'), sameSubject('1b')]
    const db = makeNssDb(join(dir, 'twins'), [{ nickname: 'Twin', trust: 'C,,', cert: first }])
    const backup = await nssWriter.backup(target(db, 'Twin', first), env)
    writeFileSync(join(dir, 'twin.pem'), second.pem)
    certutil(['-A', '-d', `sql:${db}`, '-n', 'Twin', '-t', 'p,p,p', '-i', join(dir, 'twin.pem')])
    const before = listing(db)
    for (const mode of ['delete', 'distrust'] as const) {
      const outcome = await nssWriter.apply(backup, mode, env, elevation)
      expect(outcome).toMatchObject({ ok: false, commands: [], message: expect.stringContaining('nickname "Twin"') })
    }
    expect(listing(db)).toEqual(before)
    await expect(nssWriter.backup(target(db, 'Twin', second), env)).rejects.toMatchObject({ code: 'nss-shared-nickname' })
  })

  it('throws entry-missing when the certificate disappeared since the plan', async () => {
    const db = makeNssDb(join(dir, 'gone'), [{ nickname: 'Gone', trust: 'C,,', cert: rsaRoot }])
    certutil(['-D', '-d', `sql:${db}`, '-n', 'Gone'])
    const error = await nssWriter.backup(target(db, 'Gone', rsaRoot), env).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect(error).toMatchObject({ code: 'entry-missing', message: expect.stringContaining('"Gone" is no longer in') })
  })

  it.skipIf(!canDropRoot)(`reports a read-only database with the certutil command and what certutil said${canDropRoot ? '' : ` (skipped: ${NO_RUNUSER})`}`, async () => {
    // As root chmod stops nothing: certutil then runs as the unprivileged user nobody.
    const run: CommandRunner = isRoot
      ? async (command, args, options) => ({ ...(await runCommand('runuser', ['-u', 'nobody', '--', command, ...args], options)), command: [command, ...args] })
      : runCommand
    const asUser = createEnvironment({ home: dir, systemRoot: join(dir, 'no-system'), env: {}, run })
    chmodSync(dir, 0o755)
    const db = makeNssDb(join(dir, 'read-only'), [{ nickname: 'Locked Root', trust: 'C,,', cert: rsaRoot }])
    for (const file of readdirSync(db)) chmodSync(join(db, file), 0o444)
    chmodSync(db, 0o555)
    try {
      const backup = await nssWriter.backup(target(db, 'Locked Root', rsaRoot), asUser)
      // isRoot: true runs the command as it is, as an admin prompt that succeeded would.
      const outcome = await nssWriter.apply(backup, 'delete', asUser, createElevation(asUser, { isRoot: true }))
      expect(outcome.ok).toBe(false)
      expect(outcome.commands[0]!.stderr).toMatch(/SEC_ERROR_READ_ONLY/)
      expect(outcome.message).toContain(`certutil -D -d sql:${db} -n 'NSS Certificate DB:Locked Root'`)
      expect(outcome.message).toContain(outcome.commands[0]!.stderr.trim())
      expect((await listed(db)).has(rsaRoot.sha256)).toBe(true)
    } finally {
      chmodSync(db, 0o755)
    }
  })

  it("capabilities: both modes for a writable database, a warning while Firefox runs; without certutil, CertAudit's own writer instead of steps by hand", async () => {
    const db = makeNssDb(join(dir, 'caps'), [{ nickname: 'Root', trust: 'C,,', cert: rsaRoot }])
    const t = target(db, 'Root', rsaRoot)
    expect(inWords(await nssWriter.capabilities(t, env))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: false })
    const { run, calls } = runnerWithoutCertutil()
    const noCertutil = createEnvironment({ home: dir, systemRoot: join(dir, 'no-system'), env: {}, run })
    expect(inWords(await nssWriter.capabilities(t, noCertutil))).toEqual({ modes: ['delete', 'distrust'], needsAdmin: false })
    expect(calls.every(([command]) => command === 'certutil')).toBe(true)
    expect((await nssWriter.backup(t, noCertutil)).data).toEqual({ nickname: 'Root', trustFlags: 'C,,', rows: expect.stringContaining('"distrustId":') })
    // A running Firefox keeps a `lock` symlink to "address:+pid", which is no file.
    symlinkSync('127.0.1.1:+12345', join(db, 'lock'))
    expect(inWords(await nssWriter.capabilities(t, env))).toMatchObject({
      modes: ['delete', 'distrust'],
      warning: 'Firefox is running with this profile: close it before removing, or the change may not take effect until it restarts.',
    })
  })

  it('asks pkexec for exactly the certutil command when the database is not writable', async (context) => {
    const db = makeNssDb(join(dir, 'admin'), [{ nickname: 'System Root', trust: 'CT,C,C', cert: ecRoot }])
    const locked = join(db, 'cert9.db')
    // Root ignores file modes; an immutable file is one root cannot write either.
    if (isRoot && !tryRun('chattr', ['+i', locked])) {
      console.warn('[skipped] nss-writer pkexec test: chattr +i is not available here, so root cannot be kept from writing')
      return context.skip()
    }
    if (!isRoot) chmodSync(locked, 0o444)
    const asked: string[][] = []
    const run: CommandRunner = (command, args, options) => {
      if (command !== 'pkexec') return runCommand(command, args, options)
      asked.push([command, ...args])
      const dismissed: CommandResult = { command: [command, ...args], exitCode: 126, stdout: Buffer.alloc(0), stderr: 'Error executing command as another user: Request dismissed' }
      return Promise.resolve(dismissed)
    }
    const recording: Environment = createEnvironment({ home: dir, systemRoot: join(dir, 'no-system'), env: {}, run })
    const prompt = createElevation(recording, { isRoot: false })
    try {
      const t = target(db, 'System Root', ecRoot)
      expect(inWords(await nssWriter.capabilities(t, recording))).toMatchObject({ needsAdmin: true })
      const backup = await nssWriter.backup(t, recording)
      const outcome = await nssWriter.apply(backup, 'delete', recording, prompt)
      const restored = await nssWriter.restore(backup, recording, prompt)
      expect(asked).toEqual([
        ['pkexec', 'certutil', '-D', '-d', `sql:${db}`, '-n', `${TOKEN}System Root`],
        ['pkexec', 'certutil', '-M', '-d', `sql:${db}`, '-n', `${TOKEN}System Root`, '-t', 'CT,C,C'],
      ])
      expect(outcome).toMatchObject({ ok: false, commands: [{ elevated: true, exitCode: 126 }], message: expect.stringMatching(/pkexec certutil -D .* failed \(exit code 126\):[\s\S]*cancelled or refused/) })
      expect(restored.ok).toBe(false)
      expect(flags(db, 'System Root')).toEqual(['CT,C,C'])
    } finally {
      if (isRoot) tryRun('chattr', ['-i', locked])
    }
  })
})

function tryRun(tool: string, args: string[]): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function installed(tool: string, args: string[]): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore' })
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}
