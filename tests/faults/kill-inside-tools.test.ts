/**
 * Issue 14, class 3: kills inside the tools, not only between journal steps. On a machine with the
 * Qaznet look-alike in a Firefox profile (beside a root to keep) and as a Debian local anchor (beside
 * another local anchor and two distribution roots, whose links in /etc/ssl/certs must survive), the
 * removal or the undo is cut at every crash point inside update-ca-certificates (an instrumented copy
 * of the real script: each link cleared or made, each certificate appended, inside openssl rehash, the
 * move over the bundle) and inside certutil (killed by strace at its n-th fdatasync or unlink: inside
 * SQLite's transactions and between them). The engine runs in this process; the tool is really killed
 * (SIGKILL to its process group) and the engine stops where it is (PowerCut), as with a power cut.
 *
 * After each kill, `resume` ends with the store exactly as a removal without a kill leaves it (the
 * bundle, every link of /etc/ssl/certs, the database certutil reads) and says `removed`; `undo` alone
 * (another kill at the same point) ends with everything as it was before and says `restored`; an
 * undo killed inside its tool is finished by the next one. The kill-9 tests of the built CLI at a
 * sample of these points are in kill-inside-tools-cli.test.ts.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyPlan, resumeChange, undoChange, type ChangeReport, type RemovalContext } from '../../src/removal/engine.js'
import { runCommand, type CommandRunner } from '../../src/stores/shared/command.js'
import { createElevation, createEnvironment } from '../../src/stores/index.js'
import { faultyRunner, haveStrace, instrumentUpdateCaCertificates, crashPoints, PowerCut, type ToolFault } from '../support/tool-faults.mjs'
import { FAULT_TOOLS_REASON, faultTempDir, faultToolsReady } from './machine.js'
import { toolMachine, planFor, storeState, type ToolMachine } from './tool-machine.js'

const script = faultToolsReady ? instrumentUpdateCaCertificates(faultTempDir('certaudit-instrumented-')) : null
const ready = faultToolsReady && haveStrace && script !== null
const reason = !faultToolsReady ? FAULT_TOOLS_REASON : !haveStrace ? 'needs strace (it kills certutil and openssl inside their work)' : 'the installed update-ca-certificates is not the version these tests instrument'

function ctx(machine: ToolMachine, run: CommandRunner = runCommand): RemovalContext {
  const env = createEnvironment({ home: machine.home, systemRoot: machine.root, env: { XDG_DATA_HOME: machine.data }, run })
  return { env, elevation: createElevation(env) }
}

const statuses = (report: ChangeReport) => report.results.map((r) => `${r.target.kind}:${r.status}`).sort()
/** An undo that put back everything the change had touched: restored, or skipped when the kill came before that entry's turn. */
const undoneAll = (report: ChangeReport) => report.ok && report.results.every((r) => r.status === 'restored' || r.status === 'skipped') && report.results.some((r) => r.status === 'restored')

/** A removal whose `fault` cuts it: the tool killed, the engine stopped where it was. */
async function killedRemoval(fault: ToolFault): Promise<{ machine: ToolMachine; changeId: string }> {
  const machine = toolMachine()
  const plan = await planFor(machine)
  await expect(applyPlan(plan, ctx(machine, faultyRunner(runCommand, fault, 'throw')))).rejects.toBeInstanceOf(PowerCut)
  return { machine, changeId: plan.id }
}

/** The machine's states before and after a removal without a kill (every tool run counting its crash points). */
async function reference(): Promise<{ before: string; after: string }> {
  const machine = toolMachine()
  const before = storeState(machine)
  const plan = await planFor(machine)
  expect(statuses(await applyPlan(plan, ctx(machine)))).toEqual(['linux-system:removed', 'nss:removed'])
  const after = storeState(machine)
  expect(statuses(await undoChange(plan.id, ctx(machine)))).toEqual(['linux-system:restored', 'nss:restored'])
  expect(storeState(machine)).toBe(before)
  return { before, after }
}

/**
 * The crash points of the rebuild a removal runs (the anchor deleted) and of the one its undo runs
 * (the anchor back): the instrumented script run on a fresh machine as the writer runs it, counting.
 */
function rebuildPoints(): { removal: string[]; undo: string[] } {
  if (!ready) return { removal: [], undo: [] }
  const machine = toolMachine()
  const counter = join(faultTempDir('certaudit-counter-'), 'count')
  const anchor = join(machine.root, 'usr/local/share/ca-certificates/qaznet.crt')
  const bytes = readFileSync(anchor)
  const rebuild = () => {
    writeFileSync(counter, '0')
    writeFileSync(`${counter}.log`, '')
    const at = (path: string) => join(machine.root, path)
    const args = ['--fresh', '--certsconf', at('etc/ca-certificates.conf'), '--certsdir', at('usr/share/ca-certificates'), '--localcertsdir', at('usr/local/share/ca-certificates'), '--etccertsdir', at('etc/ssl/certs'), '--hooksdir', at('none')]
    execFileSync(script!, args, { env: { ...process.env, CRASH_COUNTER: counter }, stdio: 'pipe' })
    return crashPoints(counter)
  }
  unlinkSync(anchor)
  const removal = rebuild()
  writeFileSync(anchor, bytes)
  return { removal, undo: rebuild() }
}

/** certutil's calls of `syscall` while doing `op` on the planted profile (a dry run under strace). */
function syscallCount(op: '-D' | '-A', syscall: string): number {
  if (!ready) return 0
  const machine = toolMachine()
  const database = `sql:${machine.profile}`
  if (op === '-A') execFileSync('certutil', ['-D', '-d', database, '-n', 'Qaznet'])
  const args = op === '-D' ? ['-D', '-d', database, '-n', 'Qaznet'] : ['-A', '-d', database, '-n', 'Qaznet', '-t', 'C,,', '-a', '-i', machine.pemFile]
  const log = join(faultTempDir('certaudit-strace-'), 'log')
  execFileSync('strace', ['-f', '-o', log, '-e', `trace=${syscall}`, 'certutil', ...args], { stdio: 'pipe' })
  return readFileSync(log, 'utf8').split('\n').filter((line) => line.includes(`${syscall}(`)).length
}

const points = rebuildPoints()
const counter = () => join(faultTempDir('certaudit-counter-'), 'count')
/** Every crash point of the removal's rebuild, and openssl rehash killed at each of its first unlinks and symlinks. */
const REMOVAL_FAULTS: [string, ToolFault][] = ready
  ? [
      ...points.removal.map((label, i): [string, ToolFault] => [`point ${i + 1} (${label})`, { tool: 'update-ca-certificates', script: script!, counter: '', at: i + 1 }]),
      ...['unlink:1', 'unlink:3', 'symlink:1', 'symlink:3'].map((rehash): [string, ToolFault] => [`openssl rehash at its ${rehash}`, { tool: 'update-ca-certificates', script: script!, counter: '', rehash }]),
    ]
  : []
const UNDO_FAULTS: [string, ToolFault][] = points.undo.map((label, i) => [`point ${i + 1} (${label})`, { tool: 'update-ca-certificates', script: script!, counter: '', at: i + 1 }])
/** certutil -D killed at every commit (the unlink of a journal) and every third fdatasync; -A at every one of both. */
const DELETE_FAULTS: [string, ToolFault][] = [
  ...Array.from({ length: syscallCount('-D', 'unlink') }, (_, i) => ({ syscall: 'unlink', nth: i + 1 })),
  ...Array.from({ length: syscallCount('-D', 'fdatasync') }, (_, i) => ({ syscall: 'fdatasync', nth: i + 1 })).filter((p) => p.nth % 3 === 1),
].map(({ syscall, nth }) => [`its ${syscall} ${nth}`, { tool: 'certutil', op: '-D', syscall, nth }])
const ADD_FAULTS: [string, ToolFault][] = ['fdatasync', 'unlink'].flatMap((syscall) =>
  Array.from({ length: syscallCount('-A', syscall) }, (_, i): [string, ToolFault] => [`its ${syscall} ${i + 1}`, { tool: 'certutil', op: '-A', syscall, nth: i + 1 }]),
)

describe.skipIf(!ready)(`kills inside update-ca-certificates and certutil (${ready ? 'real tools' : `skipped: ${reason}`})`, { timeout: 300_000 }, () => {
  const ref = ready ? reference() : Promise.reject(new Error(reason))

  it('the instrumented rebuild passes every kind of crash point', () => {
    for (const kinds of [points.removal, points.undo]) expect(new Set(kinds)).toEqual(new Set(['clear', 'clear-dangling', 'link', 'append', 'rehash', 'chmod', 'move', 'moved']))
    expect(DELETE_FAULTS.length).toBeGreaterThan(10)
  })

  /** After a kill: resume ends exactly as a removal without one, then undo exactly as before; undo alone (another kill at the same point) too. */
  async function resumeAndUndo(name: string, fault: ToolFault): Promise<void> {
    const { before, after } = await ref
    const fresh = (f: ToolFault): ToolFault => (f.tool === 'update-ca-certificates' ? { ...f, counter: counter() } : f)
    const resumed = await killedRemoval(fresh(fault))
    expect(statuses(await resumeChange(resumed.changeId, ctx(resumed.machine))), name).toEqual(['linux-system:removed', 'nss:removed'])
    expect(storeState(resumed.machine), name).toBe(after)
    expect(statuses(await undoChange(resumed.changeId, ctx(resumed.machine))), name).toEqual(['linux-system:restored', 'nss:restored'])
    expect(storeState(resumed.machine), name).toBe(before)

    const undone = await killedRemoval(fresh(fault))
    const report = await undoChange(undone.changeId, ctx(undone.machine))
    expect(undoneAll(report), `${name}: ${JSON.stringify(report.results.map((r) => [r.status, r.detail]))}`).toBe(true)
    expect(storeState(undone.machine), name).toBe(before)
  }

  /** An undo killed by `fault` after a clean removal: the next undo ends exactly as before the removal. */
  async function undoTwice(name: string, fault: ToolFault): Promise<void> {
    const { before } = await ref
    const machine = toolMachine()
    const plan = await planFor(machine)
    await applyPlan(plan, ctx(machine))
    await expect(undoChange(plan.id, ctx(machine, faultyRunner(runCommand, fault.tool === 'update-ca-certificates' ? { ...fault, counter: counter() } : fault, 'throw')))).rejects.toBeInstanceOf(PowerCut)
    expect(statuses(await undoChange(plan.id, ctx(machine))), name).toEqual(['linux-system:restored', 'nss:restored'])
    expect(storeState(machine), name).toBe(before)
  }

  it.each(REMOVAL_FAULTS)('removal killed inside update-ca-certificates at %s: resume finishes it exactly, undo alone puts everything back', resumeAndUndo)
  it.each(UNDO_FAULTS)('undo killed inside update-ca-certificates at %s: the next undo finishes it exactly', undoTwice)
  it.each(DELETE_FAULTS)('removal killed inside certutil -D at %s: resume and undo both end right', resumeAndUndo)
  it.each(ADD_FAULTS)('undo killed inside certutil -A at %s: the next undo finishes it, restored only when certutil reads it back', undoTwice)

  it('a database whose hot journal cannot be recovered is never reported restored', async () => {
    const { machine, changeId } = await killedRemoval({ tool: 'certutil', op: '-D', syscall: 'fdatasync', nth: 3 })
    // certutil is gone for the undo: the database keeps its hot journal, and the truth is told.
    const noCertutil: CommandRunner = (command, args, options) =>
      command === 'certutil' ? Promise.resolve({ command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: 'ENOENT: spawn certutil ENOENT' }) : runCommand(command, args, options)
    const report = await undoChange(changeId, ctx(machine, noCertutil))
    expect(report.results.find((r) => r.target.kind === 'nss')).toMatchObject({ status: 'failed' })
    expect(existsSync(join(machine.profile, 'cert9.db-journal'))).toBe(true)
  })
})
