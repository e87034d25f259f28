/**
 * Issue 14, class 5: CertAudit's data folder, `changes/`, a change's folder and its `backups/`, the
 * `blocklist/` folder and the lock, when they are links, another user's, or writable by others. A link
 * or a foreign folder is refused with a clear message and nothing is written through it; one of ours
 * that others may write to is made private (0700) and the repair is said. On the old code every link
 * was followed without a word (the journal and backups were written wherever it pointed) and a
 * world-writable folder was used as it was.
 */
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import type * as signatureModule from '../../src/audit/blocklist-signature.js'
import type { ScanReport } from '../../src/audit/report.js'
import { createCertAuditApi } from '../../src/api/certaudit-api.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { UnsafeFolderError } from '../../src/removal/data-dir.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { listVersion, writeSignedList } from '../support/blocklists.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { isRoot, makeSpecial } from '../support/special-files.js'
import { tempDir } from '../support/temp.js'

// Installed blocklists must be signed: these tests sign with their own key, put where the app looks for the project's.
const testKey = await vi.hoisted(async () => (await import('node:crypto')).generateKeyPairSync('ed25519'))
vi.mock('../../src/audit/blocklist-signature.js', async (importOriginal) => ({
  ...(await importOriginal<typeof signatureModule>()),
  projectSigningKeys: () => [testKey.publicKey],
}))

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })
const FINDING = qaznet.sha256.slice(0, 16)
const NOBODY = 65534

/**
 * A machine whose only store is a bundle SSL_CERT_FILE points at, holding the Qaznet look-alike: a
 * removal of it is a real change (journal, backups folder) with no tool to run (the plan says what to
 * do by hand). The system root is empty, so nothing of this machine's own stores is read.
 */
function machine(options: { xdgDataHome?: string } = {}) {
  const home = tempDir()
  const root = join(home, 'root')
  mkdirSync(root)
  const bundle = join(home, 'proxy-ca.pem')
  writeFileSync(bundle, qaznet.pem)
  const env = { LANG: 'C', SSL_CERT_FILE: bundle, ...(options.xdgDataHome ? { XDG_DATA_HOME: options.xdgDataHome } : {}) }
  const data = join(options.xdgDataHome ?? join(home, '.local/share'), 'certaudit')
  const run = async (args: string[]) => {
    let stdout = ''
    let stderr = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env }
    // `blocklist` takes only --home: the installed lists live in the user's data folder.
    const code = await main([...args, '--home', home, ...(args[0] === 'blocklist' ? [] : ['--system-root', root])], io)
    return { code, stdout, stderr }
  }
  const remove = () => run(['remove', '--finding', FINDING, '--yes', '--json'])
  return { home, root, data, env, run, remove }
}

const mode = (path: string) => statSync(path).mode & 0o7777

describe('a data folder, changes/ or a change folder that is a link is refused, never followed', () => {
  it('the data folder is a link: remove, undo, resume and history refuse; nothing is written where it points', async () => {
    const m = machine()
    const elsewhere = tempDir()
    mkdirSync(join(m.home, '.local/share'), { recursive: true })
    symlinkSync(elsewhere, m.data)
    for (const args of [['remove', '--finding', FINDING, '--yes'], ['undo'], ['resume'], ['history']]) {
      const result = await m.run(args)
      expect(result.code, args[0]).toBe(2)
      expect(result.stderr).toContain(`certaudit: CertAudit's data folder ${m.data} is a symbolic link (to ${elsewhere}). CertAudit does not follow it`)
    }
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('changes/ is a link: remove is refused and writes nothing there', async () => {
    const m = machine()
    const elsewhere = tempDir()
    mkdirSync(m.data, { recursive: true })
    symlinkSync(elsewhere, join(m.data, 'changes'))
    const result = await m.remove()
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`CertAudit's folder of changes ${join(m.data, 'changes')} is a symbolic link`)
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it("a change's folder, or its backups/, replaced by a link: undo and history refuse and say which", async () => {
    for (const part of ['change', 'backups'] as const) {
      const m = machine()
      const removed = await m.remove()
      expect(removed.code).toBe(0)
      const id = (JSON.parse(removed.stdout) as { result: { changeId: string } }).result.changeId
      const changeFolder = join(m.data, 'changes', id)
      const target = part === 'change' ? changeFolder : join(changeFolder, 'backups')
      const copy = join(tempDir(), 'copy')
      cpSync(target, copy, { recursive: true })
      renameSync(target, `${target}.moved`)
      symlinkSync(copy, target)
      for (const args of [['undo', '--change', id], ['history']]) {
        const result = await m.run(args)
        expect(result.code, `${part}: ${args[0]}`).toBe(2)
        expect(result.stderr).toContain(`${target} is a symbolic link (to ${copy})`)
      }
    }
  })

  it('the window is told too: app:info and history refuse a linked data folder with the reason', async () => {
    const m = machine()
    mkdirSync(join(m.home, '.local/share'), { recursive: true })
    symlinkSync(tempDir(), m.data)
    const api = createCertAuditApi({ env: createEnvironment({ home: m.home, systemRoot: m.root, env: m.env }), version: 'test', blocklist: loadBlocklist() })
    await expect(api.handle('app:info', {})).rejects.toBeInstanceOf(UnsafeFolderError)
    await expect(api.handle('history:list', {})).rejects.toThrow(/is a symbolic link/)
  })

  for (const kind of ['regular file', 'fifo'] as const) {
    it(`the data folder is a ${kind}: refused at once`, async () => {
      const m = machine()
      if (kind === 'fifo') makeSpecial('fifo', m.data)
      else {
        mkdirSync(join(m.home, '.local/share'), { recursive: true })
        writeFileSync(m.data, 'not a folder')
      }
      const result = await m.remove()
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(new RegExp(`data folder ${m.data} is (a file|a named pipe).*not a folder`))
    })
  }
})

describe('the lock that is not one CertAudit made', () => {
  for (const kind of ['link', 'fifo', 'zero-link'] as const) {
    it(`change.lock is a ${kind}: the removal is refused at once and the lock is left alone`, async () => {
      const m = machine()
      mkdirSync(m.data, { recursive: true, mode: 0o700 })
      const lock = join(m.data, 'change.lock')
      const target = join(tempDir(), 'precious')
      writeFileSync(target, 'keep me')
      if (kind === 'link') symlinkSync(target, lock)
      else makeSpecial(kind, lock)
      const result = await m.remove()
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`CertAudit's lock file ${lock} is a`)
      expect(result.stderr).toMatch(/not one CertAudit made/)
      expect(existsSync(target) && statSync(target).size).toBe(7)
    })
  }
})

describe('folders others may write to', () => {
  for (const [name, perms] of [['world-writable', 0o777], ['group-writable', 0o770]] as const) {
    it(`a ${name} data folder, changes/, change folder and backups/ of ours are made 0700, and that is said`, async () => {
      const m = machine()
      const first = await m.remove()
      expect(first.code).toBe(0)
      const id = (JSON.parse(first.stdout) as { result: { changeId: string } }).result.changeId
      const folders = [m.data, join(m.data, 'changes'), join(m.data, 'changes', id), join(m.data, 'changes', id, 'backups')]
      for (const folder of folders) chmodSync(folder, perms)
      const result = await m.run(['history'])
      expect(result.code).toBe(0)
      for (const folder of folders) {
        expect(mode(folder), folder).toBe(0o700)
        expect(result.stderr).toContain(`${folder} could be changed by other users (mode 0${perms.toString(8)}); CertAudit made it private to you (0700).`)
      }
    })
  }

  it('a new data folder is made private (0700) whatever the umask', async () => {
    const m = machine()
    const old = process.umask(0)
    try {
      expect((await m.remove()).code).toBe(0)
    } finally {
      process.umask(old)
    }
    expect(mode(m.data)).toBe(0o700)
    expect(mode(join(m.data, 'changes'))).toBe(0o700)
  })

  it('a folder above the data folder that anyone may write to (no sticky bit) is refused; with the sticky bit (as /tmp) it is not', async () => {
    const open = tempDir()
    chmodSync(open, 0o777)
    const m = machine({ xdgDataHome: join(open, 'share') })
    const refused = await m.remove()
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`${open}, a folder above CertAudit's data folder ${m.data}, can be changed by any user (mode 0777)`)
    expect(existsSync(m.data)).toBe(false)
    chmodSync(open, 0o1777)
    expect((await m.remove()).code).toBe(0)
  })
})

describe("another user's folders (needs root to give a folder away)", () => {
  const reason = isRoot ? null : 'chown to another user needs root'
  it("the data folder belongs to another user: refused, nothing written", async (context) => {
    if (reason) return context.skip(reason)
    const m = machine()
    mkdirSync(m.data, { recursive: true, mode: 0o700 })
    chownSync(m.data, NOBODY, NOBODY)
    const result = await m.remove()
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`CertAudit's data folder ${m.data} belongs to another user (user id ${NOBODY}`)
    expect(readdirSync(m.data)).toEqual([])
  })

  it('a folder above the data folder belongs to another user: refused', async (context) => {
    if (reason) return context.skip(reason)
    const theirs = tempDir()
    chownSync(theirs, NOBODY, NOBODY)
    const m = machine({ xdgDataHome: join(theirs, 'share') })
    const result = await m.remove()
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`${theirs}, a folder above CertAudit's data folder ${m.data}, belongs to another user (user id ${NOBODY})`)
  })

  it("a lock of another user's is left alone", async (context) => {
    if (reason) return context.skip(reason)
    const m = machine()
    mkdirSync(m.data, { recursive: true, mode: 0o700 })
    writeFileSync(join(m.data, 'change.lock'), JSON.stringify({ pid: 1, since: 'x' }))
    chownSync(join(m.data, 'change.lock'), NOBODY, NOBODY)
    const result = await m.remove()
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/lock file .* is another user's file/)
    expect(existsSync(join(m.data, 'change.lock'))).toBe(true)
  })
})

describe('the blocklist folder', () => {
  const bundled = loadBlocklist()

  /** A machine with a signed update installed, then `spoil` done to its folders. */
  async function withInstalledList(spoil: (m: ReturnType<typeof machine>) => void) {
    const m = machine()
    const list = writeSignedList(join(m.home, 'update.json'), listVersion(bundled.version + 1, '2027-01-01'), testKey)
    const installed = await m.run(['blocklist', 'install', list])
    expect(installed.code, installed.stderr).toBe(0)
    spoil(m)
    return { m, list }
  }

  it('a linked blocklist/ is not read: the scan uses the bundled list and says why; install and rollback refuse', async () => {
    const { m, list } = await withInstalledList((m) => {
      const folder = join(m.data, 'blocklist')
      const copy = join(tempDir(), 'copy')
      cpSync(folder, copy, { recursive: true })
      renameSync(folder, `${folder}.moved`)
      symlinkSync(copy, folder)
    })
    const scan = await m.run(['scan', '--json', '--store', 'env-bundle'])
    expect(scan.stderr).toContain(`blocklist folder ${join(m.data, 'blocklist')} is a symbolic link`)
    expect(scan.stderr).toMatch(/The installed blocklist there was not used\. Using the bundled list/)
    expect((JSON.parse(scan.stdout) as ScanReport).blocklist).toMatchObject({ version: bundled.version, source: 'bundled' })
    for (const args of [['blocklist', 'install', list], ['blocklist', 'rollback']]) {
      const result = await m.run(args)
      expect(result.code, args[1]).toBe(2)
      expect(result.stderr).toMatch(/is a symbolic link/)
    }
  })

  it('a world-writable blocklist/ of ours is made private, said, and its signed list used', async () => {
    const { m } = await withInstalledList((m) => chmodSync(join(m.data, 'blocklist'), 0o777))
    const scan = await m.run(['scan', '--json', '--store', 'env-bundle'])
    expect(scan.stderr).toContain(`blocklist folder ${join(m.data, 'blocklist')} could be changed by other users (mode 0777); CertAudit made it private to you (0700).`)
    expect((JSON.parse(scan.stdout) as ScanReport).blocklist).toMatchObject({ version: bundled.version + 1, source: 'installed', signed: true })
    expect(mode(join(m.data, 'blocklist'))).toBe(0o700)
  })
})
