/**
 * `certaudit watch`: the guard from the command line. `--once` checks now (through the API, like
 * `certaudit scan`), `--install` / `--uninstall` schedule that check for this user or stop it,
 * `--status` says whether it is scheduled. Printing only: the rules live in src/guard, behind src/api.
 */
import type { Language } from '../audit/blocklist.js'
import { languageFromLocale, LANGUAGES } from '../audit/texts.js'
import type { GuardCheck, GuardStatus } from '../api/contract.js'
import { GuardScheduleError } from '../guard/schedule/index.js'
import type { GuardEvent } from '../guard/schemas.js'
import { guardTexts } from '../guard/texts.js'
import { NothingScannedError } from '../guard/watch.js'
import { GuardBusyError } from '../guard/files.js'
import { shown, visible } from '../audit/visible.js'
import { formatCommand, shellFor } from '../stores/shared/command-text.js'
import { cliApi, explained, MACHINE_OPTIONS, machineFrom } from './engine.js'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, parseCommand, usageError, type CliIo } from './io.js'

export const WATCH_USAGE = `Usage: certaudit watch --once | --install | --uninstall | --status [options]

The guard: tells you when a dangerous root certificate appears, or one CertAudit
removed comes back, and what put it back. It never changes a store itself.

  --once               check now: compare with the last check (the first one is the
                       baseline) and report "new", "returned" and "gone"
  --notify             with --once: also show a desktop notification (what the
                       schedule runs); where none can be shown, the app shows it at start
  --install            check after each log-in and once a day, for this user only
                       (systemd user timer or autostart entry, LaunchAgent, or
                       Task Scheduler task); no administrator rights
  --uninstall          remove exactly what --install made
  --status             say whether the checks are scheduled
  --json               print JSON
  --home DIR           use DIR as the user's home directory
  --system-root DIR    prepend DIR to every system path
  --lang en|ru|kk      language of the output and notifications (default: from LANG)
  --blocklist PATH     use another roots blocklist file
  -h, --help           show this help

Exit codes (--once): 0 no critical or high finding is trusted, 1 one is, 2 an error.
Other modes: 0 done, 2 an error.
`

export async function runWatch(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(argv, io, WATCH_USAGE, {
    once: { type: 'boolean', default: false },
    notify: { type: 'boolean', default: false },
    install: { type: 'boolean', default: false },
    uninstall: { type: 'boolean', default: false },
    status: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...MACHINE_OPTIONS,
    lang: { type: 'string' },
    blocklist: { type: 'string' },
  })
  if ('exit' in parsed) return parsed.exit
  const { values } = parsed
  const modes = (['once', 'install', 'uninstall', 'status'] as const).filter((mode) => values[mode])
  if (modes.length !== 1) return usageError(io, WATCH_USAGE, modes.length ? `give one of --${modes.join(', --')}` : 'say what to do: --once, --install, --uninstall or --status')
  if (values.notify && !values.once) return usageError(io, WATCH_USAGE, '--notify goes with --once')
  if (values.lang !== undefined && !LANGUAGES.includes(values.lang as Language)) return usageError(io, WATCH_USAGE, `--lang must be one of ${LANGUAGES.join(', ')}`)
  const language = (values.lang as Language | undefined) ?? languageFromLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG)
  const env = machineFrom(values, io)
  if (!env) return EXIT_ERROR
  const api = cliApi(env, io, { blocklistPath: values.blocklist })
  if (!api) return EXIT_ERROR
  return explained(io, async () => {
    try {
      if (values.once) {
        const check = await api.handle('guard:watch', { language, notify: values.notify })
        io.stdout(values.json ? JSON.stringify(checkJson(check), null, 2) + '\n' : formatCheck(check, language))
        if (!values.json) for (const problem of check.problems) io.stderr(`certaudit: ${visible(problem)}\n`)
        return check.serious > 0 ? EXIT_FINDINGS : EXIT_OK
      }
      const status = values.status
        ? await api.handle('guard:status', {})
        : await api.handle('guard:set', { enabled: values.install, ...(values.lang ? { language: values.lang as Language } : {}) })
      io.stdout(values.json ? JSON.stringify(status, null, 2) + '\n' : formatStatus(status, env.platform))
      return EXIT_OK
    } catch (error) {
      if (!(error instanceof GuardScheduleError || error instanceof NothingScannedError || error instanceof GuardBusyError)) throw error
      io.stderr(`certaudit: ${visible(error.message)}\n`)
      return EXIT_ERROR
    }
  })
}

/** The documented JSON of `watch --once --json`: events first, then the verdict. */
function checkJson(check: GuardCheck) {
  return {
    events: check.events.map((e) => ({ kind: e.kind, findingId: e.findingId, certificate: e.certificate, locations: e.locations, removedBy: e.removedBy, title: e.title, severity: e.severity, at: e.at, id: e.id })),
    verdict: check.verdict,
    serious: check.serious,
    baseline: check.baseline,
    checkedAt: check.checkedAt,
    problems: check.problems,
    state: check.statePath,
    ...(check.notification ? { notification: check.notification } : {}),
  }
}

function formatCheck(check: GuardCheck, language: Language): string {
  const t = guardTexts(language)
  const width = Math.max(...Object.values(t.kind).map((k) => k.length)) + 2
  const lines = [check.verdict.text, '']
  if (check.baseline) lines.push(t.baseline, '')
  for (const event of check.events) lines.push(...formatEvent(event, t, width), '')
  if (!check.baseline && check.events.length === 0) lines.push(t.noChange, '')
  lines.push(check.serious > 0 ? t.present(check.serious) : t.allClear)
  if (check.notification && !check.notification.delivered && check.notification.reason) lines.push('', visible(check.notification.reason))
  return lines.join('\n') + '\n'
}

function formatEvent(event: GuardEvent, t: ReturnType<typeof guardTexts>, width: number): string[] {
  // Titles, places and entries come from the machine: shown with their hidden characters made visible.
  const head = `${t.kind[event.kind].padEnd(width)}${visible(event.title)}  (${event.findingId})${event.removedBy ? `, ${t.removedBy(event.removedBy)}` : ''}`
  const places = event.locations.map(
    (l) => `${' '.repeat(width)}${visible(t.place(l))}: ${visible(l.origin?.file ?? l.location)} — ${visible(l.entry)}${l.placedBy && event.kind !== 'gone' ? `\n${' '.repeat(width + 2)}${visible(t.placedBy(l.placedBy))}` : ''}`,
  )
  return [head, ...places]
}

function formatStatus(status: GuardStatus, platform: NodeJS.Platform): string {
  const lines: string[] = []
  if (!status.enabled) lines.push('The guard is off: nothing is scheduled. Turn it on with "certaudit watch --install".')
  else {
    const how = { systemd: 'a systemd user timer', autostart: 'an autostart entry (at each log-in)', 'launch-agent': 'a LaunchAgent', 'task-scheduler': 'a Task Scheduler task' }[status.schedule.kind!]
    lines.push(`The guard is on: ${how} runs a check after you log in and once a day.`, `It runs: ${formatCommand(status.schedule.command, shellFor(platform))}`, 'Files:')
    for (const file of status.schedule.files) lines.push(shown`  ${file}`)
    if (status.schedule.registration?.type === 'none') lines.push(shown`Note: ${status.schedule.registration.reason}.`)
    lines.push('Turn it off with "certaudit watch --uninstall".')
  }
  if (status.lastCheck) lines.push(`Last check: ${status.lastCheck}`)
  for (const problem of status.problems) lines.push(shown`Problem: ${problem}`)
  return lines.join('\n') + '\n'
}
