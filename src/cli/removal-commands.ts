import { mozillaRoots } from '../audit/references.js'
import { scan } from '../api/scan.js'
import { changeDir } from '../removal/data-dir.js'
import { applyPlan, resumeChange, undoChange, UnknownChangeError, type ChangeReport, type FaultPoint, type RemovalContext } from '../removal/engine.js'
import { history, interruptedChanges, type ChangeSummary } from '../removal/history.js'
import { DataFolderError, type RemovalPlan } from '../removal/journal.js'
import { ChangeInProgressError } from '../removal/lock.js'
import { planRemoval, UnknownFindingError } from '../removal/plan.js'
import { createElevation, createEnvironment, readerFor, writerFor, type Environment } from '../stores/index.js'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, parseCommand, type CliIo, usageError } from './io.js'
import { loadCliBlocklist } from './load-blocklist.js'

export const REMOVAL_USAGE = `Usage:
  certaudit remove --finding ID... [--mode delete|distrust] [--skip PATH]... [--yes] [--json]
  certaudit undo [--change ID] [--json]        (the last change by default)
  certaudit resume [--change ID] [--json]      (finish an interrupted change)
  certaudit history [--json]

All take --home DIR and --system-root DIR, like scan. "remove" shows its plan and asks
before changing anything, unless --yes; --skip leaves the store at PATH (a profile
folder, keystore or bundle, as the plan shows it) untouched. Exit 0 only when every planned entry ended as planned.
`

const COMMON = {
  json: { type: 'boolean', default: false },
  home: { type: 'string' },
  'system-root': { type: 'string' },
} as const

/** `certaudit remove | undo | resume | history`: returns the exit code. */
export async function runRemovalCommand(command: 'remove' | 'undo' | 'resume' | 'history', argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(argv, io, REMOVAL_USAGE, {
    ...COMMON,
    finding: { type: 'string', multiple: true, default: [] },
    mode: { type: 'string', default: 'delete' },
    yes: { type: 'boolean', default: false },
    change: { type: 'string' },
    skip: { type: 'string', multiple: true, default: [] },
  })
  if ('exit' in parsed) return parsed.exit
  const { values } = parsed
  const env = createEnvironment({
    ...(values.home ? { home: values.home } : {}),
    ...(values['system-root'] ? { systemRoot: values['system-root'] } : {}),
    env: io.env,
  })
  const ctx: RemovalContext = {
    env,
    writerFor,
    readerFor,
    elevation: createElevation(env),
    ...(io.env.CERTAUDIT_FAULT ? { crashAfter: io.env.CERTAUDIT_FAULT as FaultPoint } : {}),
  }
  try {
    if (command === 'history') return await showHistory(env, values.json, io)
    if (command === 'remove') {
      if (values.finding.length === 0) return usage(io, 'remove needs at least one --finding ID (see "certaudit scan")')
      if (values.mode !== 'delete' && values.mode !== 'distrust') return usage(io, '--mode must be delete or distrust')
      return await remove(values.finding, values.mode, values.skip, values.yes, values.json, ctx, io)
    }
    const target = values.change ?? (await defaultChange(env, command))
    if (!target) {
      io.stderr(command === 'undo' ? 'certaudit: there is no change to undo.\n' : 'certaudit: there is no interrupted change to resume.\n')
      return EXIT_ERROR
    }
    const report = command === 'undo' ? await undoChange(target, ctx) : await resumeChange(target, ctx)
    printReport(report, values.json, io)
    return report.ok ? EXIT_OK : EXIT_FINDINGS
  } catch (error) {
    if (error instanceof UnknownFindingError || error instanceof ChangeInProgressError || error instanceof UnknownChangeError || error instanceof DataFolderError) {
      io.stderr(`certaudit: ${error.message}\n`)
      return EXIT_ERROR
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && values.change) {
      io.stderr(`certaudit: there is no change "${values.change}" (see "certaudit history").\n`)
      return EXIT_ERROR
    }
    throw error
  }
}

async function remove(findingIds: string[], mode: 'delete' | 'distrust', skip: string[], yes: boolean, json: boolean, ctx: RemovalContext, io: CliIo): Promise<number> {
  const interrupted = await interruptedChanges(ctx.env)
  if (interrupted.length) {
    const id = interrupted[0]!.id
    io.stderr(
      `certaudit: change ${id} was interrupted before it finished. Run "certaudit resume --change ${id}" to finish it, ` +
        `or "certaudit undo --change ${id}" to roll it back, before starting another.\n`,
    )
    return EXIT_ERROR
  }
  // The same list as `certaudit scan` (an installed update if there is one), so its finding ids are found here too.
  const blocklist = loadCliBlocklist(undefined, ctx.env, io)
  if (!blocklist) return EXIT_ERROR
  const report = await scan({ language: 'en' }, { env: ctx.env, blocklist, publicRoots: mozillaRoots() })
  const full = await planRemoval(report, findingIds, mode, ctx.env, writerFor)
  // The user deselected these stores: they are not part of the change at all.
  const plan = { ...full, changes: full.changes.filter((c) => !skip.includes(c.target.location) && !skip.includes(c.target.storeId)) }
  if (!json) io.stdout(formatPlan(plan, ctx.env))
  if (plan.changes.length === 0) {
    if (json) io.stdout(JSON.stringify({ plan, result: null }, null, 2) + '\n')
    else io.stdout('Nothing to do: the certificate is not trusted in any store that was scanned.\n')
    return EXIT_OK
  }
  if (!yes) {
    if (!io.ask) {
      io.stderr('certaudit: nothing was changed. Confirm with --yes (no terminal to ask on).\n')
      return EXIT_ERROR
    }
    const answer = (await io.ask('Make these changes? [y/N] ')).trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      io.stdout('Nothing was changed.\n')
      return EXIT_OK
    }
  }
  const result = await applyPlan(plan, ctx)
  if (json) io.stdout(JSON.stringify({ plan, result }, null, 2) + '\n')
  else printReport(result, false, io)
  return result.ok ? EXIT_OK : EXIT_FINDINGS
}

async function defaultChange(env: Environment, command: 'undo' | 'resume'): Promise<string | undefined> {
  const changes = await history(env)
  if (command === 'resume') return changes.find((c) => c.state === 'interrupted')?.id
  return changes.find((c) => c.state !== 'undone')?.id
}

async function showHistory(env: Environment, json: boolean, io: CliIo): Promise<number> {
  const changes = await history(env)
  if (json) {
    io.stdout(JSON.stringify(changes, null, 2) + '\n')
    return EXIT_OK
  }
  if (changes.length === 0) io.stdout('No changes yet.\n')
  for (const change of changes) io.stdout(formatSummary(change))
  return EXIT_OK
}

function formatPlan(plan: RemovalPlan, env: Environment): string {
  const lines = [`Plan (${plan.mode}) for: ${plan.findings.map((f) => f.title).join('; ')}`]
  for (const [i, change] of plan.changes.entries()) {
    const where = `${change.target.kind}: ${change.target.location} — ${change.target.entry}`
    if (change.action === 'manual') lines.push(`  ${i + 1}. ${where}\n     you must do this yourself: ${change.instructions}`)
    else lines.push(`  ${i + 1}. ${change.action}${change.needsAdmin ? ' (asks for administrator rights)' : ''}: ${where}${change.warning ? `\n     note: ${change.warning}` : ''}`)
  }
  lines.push(`Backups go to ${changeDir(env, plan.id)}`, '')
  return lines.join('\n') + '\n'
}

function printReport(report: ChangeReport, json: boolean, io: CliIo): void {
  if (json) {
    io.stdout(JSON.stringify(report, null, 2) + '\n')
    return
  }
  const lines = [report.operation === 'undo' ? `Undo of change ${report.changeId}:` : `Change ${report.changeId}:`]
  for (const r of report.results) {
    lines.push(`  ${r.status.padEnd(13)} ${r.target.kind}: ${r.target.location} — ${r.target.entry}`)
    if (r.detail && r.status !== 'manual') lines.push(`                ${r.detail}`)
    for (const warning of [...(r.planWarning ? [r.planWarning] : []), ...r.warnings]) lines.push(`                note: ${warning}`)
  }
  lines.push(report.ok ? 'Every entry ended as planned.' : 'Not every entry ended as planned: see above.')
  if (report.operation === 'remove') lines.push(`Backups: ${report.backupDir}`, `Undo with: certaudit undo --change ${report.changeId}`)
  io.stdout(lines.join('\n') + '\n')
}

function formatSummary(change: ChangeSummary): string {
  const counts = new Map<string, number>()
  for (const e of change.entries) counts.set(e.status, (counts.get(e.status) ?? 0) + 1)
  const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(', ')
  return `${change.id}  ${change.state.padEnd(16)} ${change.mode}  ${change.findings.map((f) => f.title).join('; ')}  (${tally})\n`
}

const usage = (io: CliIo, message: string): number => usageError(io, REMOVAL_USAGE, message)
