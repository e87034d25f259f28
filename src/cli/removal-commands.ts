import type { CertAuditApi } from '../api/certaudit-api.js'
import type { PlannedRemoval } from '../api/contract.js'
import type { ChangeReport, UndoPreview } from '../removal/engine.js'
import type { ChangeSummary } from '../removal/history.js'
import { shown } from '../audit/visible.js'
import { formatCommand } from '../stores/shared/command-text.js'
import { placedByText } from '../stores/shared/placed-by-notices.js'
import { cliApi, explained, MACHINE_OPTIONS, machineFrom, type CliHooks } from './engine.js'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, parseCommand, type CliIo, usageError } from './io.js'

export const REMOVAL_USAGE = `Usage:
  certaudit remove --finding ID... [--mode delete|distrust] [--skip PATH]... [--yes] [--json]
  certaudit undo [--change ID] [--yes] [--json] (the last change by default)
  certaudit resume [--change ID] [--json]      (finish an interrupted change)
  certaudit history [--json]

All take --home DIR and --system-root DIR, like scan. "remove" shows its plan and asks
before changing anything, unless --yes; --skip leaves the store at PATH (a profile
folder, keystore or bundle, as the plan shows it) untouched. "undo" shows what it will put back
where (some of it may ask for administrator rights) and asks first, unless --yes; without a
terminal to ask on, it needs --yes. Exit 0 only when every planned entry ended as planned.
`

const COMMON = {
  json: { type: 'boolean', default: false },
  ...MACHINE_OPTIONS,
} as const

/** `certaudit remove | undo | resume | history`: returns the exit code. */
export async function runRemovalCommand(command: 'remove' | 'undo' | 'resume' | 'history', argv: readonly string[], io: CliIo, hooks: CliHooks = {}): Promise<number> {
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
  if (command === 'remove') {
    if (values.finding.length === 0) return usage(io, 'remove needs at least one --finding ID (see "certaudit scan")')
    if (values.mode !== 'delete' && values.mode !== 'distrust') return usage(io, '--mode must be delete or distrust')
  }
  const env = machineFrom(values, io, hooks.run)
  if (!env) return EXIT_ERROR
  // The same list as `certaudit scan` (an installed update if there is one), so its finding ids are found here too.
  const api = cliApi(env, io, { hooks })
  if (!api) return EXIT_ERROR
  return explained(io, async () => {
    if (command === 'history') return showHistory(await api.handle('history:list', {}), values.json, io)
    if (command === 'remove') return remove(api, values.finding, values.mode as 'delete' | 'distrust', values.skip, values.yes, values.json, io)
    const change = values.change === undefined ? {} : { changeId: values.change }
    if (command === 'undo') return undo(api, change, values.yes, values.json, io)
    const report = await api.handle('removal:resume', change)
    printReport(report, values.json, io)
    return report.ok ? EXIT_OK : EXIT_FINDINGS
  })
}

async function remove(api: CertAuditApi, findingIds: string[], mode: 'delete' | 'distrust', skip: string[], yes: boolean, json: boolean, io: CliIo): Promise<number> {
  await api.handle('scan:start', { language: 'en' })
  const plan = await api.handle('removal:plan', { findingIds: findingIds.map((id) => id.toLowerCase()), mode, skip, language: 'en' })
  if (!json) io.stdout(formatPlan(plan))
  if (plan.changes.length === 0) {
    if (json) io.stdout(JSON.stringify({ plan: withoutFolder(plan), result: null }, null, 2) + '\n')
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
  const result = await api.handle('removal:apply', { planId: plan.id })
  if (json) io.stdout(JSON.stringify({ plan: withoutFolder(plan), result }, null, 2) + '\n')
  else printReport(result, false, io)
  return result.ok ? EXIT_OK : EXIT_FINDINGS
}

/**
 * Undo, after showing what it will put back where (and asking, unless --yes): a backup is evidence,
 * and what undo writes may run with administrator rights, so the user sees it first.
 */
async function undo(api: CertAuditApi, change: { changeId?: string }, yes: boolean, json: boolean, io: CliIo): Promise<number> {
  const preview = await api.handle('removal:undo-preview', change)
  const writes = preview.entries.some((e) => e.action === 'put-back' || e.action === 'trust-again')
  if (!json || !yes) (json ? io.stderr : io.stdout)(formatUndoPreview(preview))
  if (writes && !yes) {
    if (!io.ask) {
      io.stderr('certaudit: nothing was put back. Confirm with --yes (no terminal to ask on).\n')
      return EXIT_ERROR
    }
    const answer = (await io.ask(preview.needsAdmin ? 'Put these back (the administrator prompt will ask too)? [y/N] ' : 'Put these back? [y/N] ')).trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      io.stdout('Nothing was put back.\n')
      return EXIT_OK
    }
  }
  // The change the preview showed, by id, even when a newer one appeared meanwhile.
  const report = await api.handle('removal:undo', { changeId: preview.changeId })
  printReport(report, json, io)
  return report.ok ? EXIT_OK : EXIT_FINDINGS
}

/** What undo will do, entry by entry: what goes back, where, as what, and whether it asks for admin rights. */
export function formatUndoPreview(preview: UndoPreview): string {
  const lines = [`Undo of change ${preview.changeId}:`]
  for (const entry of preview.entries) {
    const { target } = entry
    // Names, paths and the backup's facts come from the machine: shown with hidden characters made visible.
    const where = shown`${target.kind}: ${target.location} — ${target.entry}`
    const facts = Object.entries(entry.facts).map(([key, value]) => shown`${key} ${JSON.stringify(value)}`).join(', ')
    const what = shown`${entry.subject} (SHA-256 ${target.sha256})`
    if (entry.action === 'put-back' || entry.action === 'trust-again') {
      lines.push(`  ${entry.index + 1}. ${entry.action === 'put-back' ? 'put back' : 'trust again'}${entry.needsAdmin ? ' (asks for administrator rights)' : ''}: ${what}`)
      lines.push(`     into ${where}, ${target.trust === 'trusted' ? 'trusted' : target.trust}${facts ? ` (${facts})` : ''}`)
    } else {
      lines.push(`  ${entry.index + 1}. ${entry.action === 'refused' ? 'refused' : 'nothing to do'}: ${where}`, shown`     ${entry.detail ?? ''}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** The plan as `--json` has always printed it (the backup folder is in the result). */
function withoutFolder(plan: PlannedRemoval): Omit<PlannedRemoval, 'backupDir'> {
  const { backupDir: _backupDir, ...rest } = plan
  return rest
}

function showHistory(changes: readonly ChangeSummary[], json: boolean, io: CliIo): number {
  if (json) {
    io.stdout(JSON.stringify(changes, null, 2) + '\n')
    return EXIT_OK
  }
  if (changes.length === 0) io.stdout('No changes yet.\n')
  for (const change of changes) io.stdout(formatSummary(change))
  return EXIT_OK
}

/** The plan for people; every name, path and instruction through `shown` (src/audit/visible.ts). */
function formatPlan(plan: PlannedRemoval): string {
  const lines = [shown`Plan (${plan.mode}) for: ${plan.findings.map((f) => f.title).join('; ')}`]
  for (const [i, change] of plan.changes.entries()) {
    const where = shown`${change.target.kind}: ${change.target.location} — ${change.target.entry}`
    if (change.action === 'manual') lines.push(`  ${i + 1}. ${where}\n` + shown`     you must do this yourself: ${change.instructions}`)
    else lines.push(`  ${i + 1}. ${change.action}${change.needsAdmin ? ' (asks for administrator rights)' : ''}: ${where}${change.warning ? shown`\n     note: ${change.warning}` : ''}`)
    // What put it there, and the cause to remove first where it puts it back (plan.ts).
    if (change.placedBy) lines.push(shown`     ${placedByText(change.placedBy, plan.language ?? 'en')}`)
    if (change.advice) lines.push(shown`     first: ${change.advice}`)
  }
  lines.push(shown`Backups go to ${plan.backupDir}`, '')
  return lines.join('\n') + '\n'
}

function printReport(report: ChangeReport, json: boolean, io: CliIo): void {
  if (json) {
    io.stdout(JSON.stringify(report, null, 2) + '\n')
    return
  }
  const lines = [report.operation === 'undo' ? shown`Undo of change ${report.changeId}:` : shown`Change ${report.changeId}:`]
  for (const r of report.results) {
    lines.push(shown`  ${r.status.padEnd(13)} ${r.target.kind}: ${r.target.location} — ${r.target.entry}`)
    if (r.detail && r.status !== 'manual') lines.push(shown`                ${r.detail}`)
    for (const warning of [...(r.planWarning ? [r.planWarning] : []), ...r.warnings]) lines.push(shown`                note: ${warning}`)
  }
  lines.push(report.ok ? 'Every entry ended as planned.' : 'Not every entry ended as planned: see above.')
  if (report.operation === 'remove') lines.push(shown`Backups: ${report.backupDir}`, shown`Undo with: ${formatCommand(['certaudit', 'undo', '--change', report.changeId])}`)
  io.stdout(lines.join('\n') + '\n')
}

function formatSummary(change: ChangeSummary): string {
  const counts = new Map<string, number>()
  for (const e of change.entries) counts.set(e.status, (counts.get(e.status) ?? 0) + 1)
  const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(', ')
  const line = shown`${change.id}  ${change.state.padEnd(16)} ${change.mode ?? '?'}  ${change.findings.map((f) => f.title).join('; ')}  (${tally})` + '\n'
  // A damaged journal says why CertAudit will not act on it.
  return change.problem ? line + shown`    ${change.problem}` + '\n' : line
}

const usage = (io: CliIo, message: string): number => usageError(io, REMOVAL_USAGE, message)
