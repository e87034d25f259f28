import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeDir, dataDir } from '../../src/removal/data-dir.js'
import { history, interruptedChanges } from '../../src/removal/history.js'
import { DamagedRecordError, Journal, readBackup, readJournal, type JournalRecord, type RemovalPlan } from '../../src/removal/journal.js'
import { acquireLock, ChangeInProgressError } from '../../src/removal/lock.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { makeCertificate } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'

const root = makeCertificate({ subject: [['CN', 'Test root']] })
const other = makeCertificate({ subject: [['CN', 'Another root']] })

const plan = (id: string): RemovalPlan => ({
  id,
  createdAt: '2026-11-26T00:00:00.000Z',
  mode: 'delete',
  findings: [{ id: root.sha256.slice(0, 16), sha256: root.sha256, title: 'Test root' }],
  changes: [
    {
      target: { storeId: 'nss:/p', kind: 'nss', location: '/p', entry: 'Test', sha256: root.sha256, pem: root.pem, trust: 'trusted' },
      action: 'delete',
      needsAdmin: false,
    },
  ],
})

describe('data folder', () => {
  it('follows the platform and the environment, never the developer’s own home', () => {
    const home = '/home/u'
    expect(dataDir(createEnvironment({ home, platform: 'linux', env: {} }))).toBe('/home/u/.local/share/certaudit')
    expect(dataDir(createEnvironment({ home, platform: 'linux', env: { XDG_DATA_HOME: '/x/data' } }))).toBe('/x/data/certaudit')
    expect(dataDir(createEnvironment({ home, platform: 'darwin', env: {} }))).toBe('/home/u/Library/Application Support/CertAudit')
    expect(dataDir(createEnvironment({ home, platform: 'win32', env: { APPDATA: '/c/Users/u/AppData/Roaming' } }))).toBe('/c/Users/u/AppData/Roaming/CertAudit')
  })
})

describe('journal', () => {
  it('appends records durably, reads them back, and ignores a last line cut short by a crash', async () => {
    const dir = join(tempDir(), 'change')
    const seen: string[] = []
    const journal = await Journal.open(dir, (r) => seen.push(r.step))
    const id = '20261126T000000Z-00c1'
    await journal.append({ step: 'planned', at: 'now', plan: plan(id) })
    const { file, sha256 } = await journal.writeBackup(0, { target: plan(id).changes[0]!.target, exportedPem: root.pem, data: { nickname: 'Test', trustFlags: 'CT,C,C' } })
    await journal.append({ step: 'backed-up', at: 'now', index: 0, file, evidence: { certificate: root.sha256, backup: sha256 } })
    appendFileSync(join(dir, 'journal.jsonl'), '{"step":"applying","at":"no')
    expect((await readJournal(dir)).map((r) => r.step)).toEqual(['planned', 'backed-up'])
    expect(seen).toEqual(['planned', 'backed-up'])
    expect(await readBackup(dir, file)).toMatchObject({ exportedPem: root.pem, data: { nickname: 'Test', trustFlags: 'CT,C,C' } })
  })

  it('reads a backup only when its shape, its store’s own facts and its certificate are what CertAudit wrote', async () => {
    const dir = join(tempDir(), 'change')
    const journal = await Journal.open(dir)
    const target = plan('20261126T000000Z-00c2').changes[0]!.target
    const good = { target, exportedPem: root.pem, data: { nickname: 'Test', trustFlags: 'CT,C,C' } }
    const damaged: [string, string | object][] = [
      ['cut short', JSON.stringify(good).slice(0, 80)],
      ['not an object', '[]'],
      ['another certificate than the target names', { ...good, exportedPem: other.pem }],
      ['no certificate at all', { ...good, exportedPem: 'PEM' }],
      ['NSS facts of the wrong shape', { ...good, data: { nickname: 'Test', trustFlags: 'CT,C,C; rm -rf ~' } }],
      ['facts of another store kind', { ...good, data: { alias: 'test', storeType: 'JKS' } }],
      ['an unknown store kind', { ...good, target: { ...target, kind: 'registry' } }],
      ['a field CertAudit never writes', { ...good, extra: true }],
    ]
    for (const [why, content] of damaged) {
      const file = `backups/${why.replaceAll(' ', '-')}.json`
      writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content))
      const error = await readBackup(dir, file).catch((e: unknown) => e)
      expect(error, why).toBeInstanceOf(DamagedRecordError)
      expect((error as Error).message, why).toMatch(/^The backup .+ cannot be used: .+\.$/)
    }
    expect(await readBackup(dir, (await journal.writeBackup(0, good)).file)).toEqual(good)
  })

  it('reads a change journaled before Firefox policies were a store kind of their own', async () => {
    const dir = join(tempDir(), 'change')
    const old = plan('20261126T000000Z-00c3')
    const target = { ...old.changes[0]!.target, storeId: 'firefox-policies:/etc/firefox/policies/policies.json', kind: 'nss' }
    writeFileSync(join(await Journal.open(dir).then((j) => j.dir), 'journal.jsonl'), JSON.stringify({ step: 'planned', at: 'then', plan: { ...old, changes: [{ ...old.changes[0], target }] } }) + '\n')
    const [record] = await readJournal(dir)
    expect(record?.step === 'planned' && record.plan.changes[0]!.target.kind).toBe('firefox-policy')
  })

  it('history tells done, interrupted, undone and undo-interrupted changes apart', async () => {
    const env = createEnvironment({ home: tempDir(), platform: 'linux', env: {} })
    const write = async (id: string, steps: string[]) => {
      const journal = await Journal.open(changeDir(env, id))
      await journal.append({ step: 'planned', at: 'now', plan: plan(id) })
      for (const step of steps) {
        const record = (step === 'verified' ? { step, at: 'now', index: 0, status: 'removed' } : step === 'applying' ? { step, at: 'now', index: 0 } : { step, at: 'now' }) as JournalRecord
        await journal.append(record)
      }
    }
    await write('20260101T000000Z-0001', ['verified', 'done'])
    await write('20260102T000000Z-0002', ['applying'])
    await write('20260103T000000Z-0003', ['verified', 'done', 'undo-started', 'undo-done'])
    await write('20260104T000000Z-0004', ['verified', 'done', 'undo-started'])
    const states = (await history(env)).map((c) => [c.id.slice(-4), c.state, c.entries[0]!.status])
    expect(states).toEqual([
      ['0004', 'undo-interrupted', 'removed'],
      ['0003', 'undone', 'removed'],
      ['0002', 'interrupted', 'pending'],
      ['0001', 'done', 'removed'],
    ])
    expect((await interruptedChanges(env)).map((c) => c.id.slice(-4))).toEqual(['0004', '0002'])
  })

  it('history lists a change whose journal is damaged, with why and what its plan said, and never as one to finish', async () => {
    const env = createEnvironment({ home: tempDir(), platform: 'linux', env: {} })
    const id = '20260105T101112Z-0005'
    const journal = await Journal.open(changeDir(env, id))
    await journal.append({ step: 'planned', at: 'now', plan: plan(id) })
    await journal.append({ step: 'applying', at: 'now', index: 0 } as JournalRecord)
    // Something else wrote a record CertAudit never writes.
    appendFileSync(join(journal.dir, 'journal.jsonl'), JSON.stringify({ step: 'verified', at: 'now', index: 0, status: 'restored-by-magic' }) + '\n')
    // A journal with no readable plan at all (its first line rewritten).
    const bare = '20260106T000000Z-0006'
    writeFileSync(join((await Journal.open(changeDir(env, bare))).dir, 'journal.jsonl'), JSON.stringify({ step: 'planned', at: 'now', plan: { nonsense: true } }) + '\n')
    const listed = await history(env)
    expect(listed.map((c) => [c.id, c.state, c.mode, c.entries.map((e) => e.status)])).toEqual([
      [bare, 'damaged', undefined, []],
      [id, 'damaged', 'delete', ['pending']],
    ])
    expect(listed[0]!.createdAt).toBe('2026-01-06T00:00:00.000Z')
    for (const change of listed) expect(change.problem).toMatch(/is damaged \(line \d+: .*\), so CertAudit will not act on it/)
    expect(await interruptedChanges(env)).toEqual([])
  })
})

describe('change lock', () => {
  it('lets one change run at a time, and takes over a lock whose process is gone', async () => {
    const dir = tempDir()
    const release = await acquireLock(dir)
    await expect(acquireLock(dir)).rejects.toBeInstanceOf(ChangeInProgressError)
    await release()
    // A lock left by a killed process (a pid that cannot exist).
    writeFileSync(join(dir, 'change.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, since: 'yesterday' }))
    const again = await acquireLock(dir)
    expect(JSON.parse(readFileSync(join(dir, 'change.lock'), 'utf8')).pid).toBe(process.pid)
    await again()
  })
})
