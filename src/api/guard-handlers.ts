/**
 * The guard's channels of the API (guard:status, guard:set, guard:events, guard:watch), for the window
 * and for `certaudit watch`: one set of rules for both. Only guard:set changes anything, and only the
 * schedule in this user's own folders; no guard channel ever changes a trust store.
 */
import type { Language } from '../audit/blocklist.js'
import type { ScanReport } from '../audit/report.js'
import { acknowledge, markNotified } from '../guard/event-log.js'
import { guardFile, readJsonFile } from '../guard/files.js'
import type { Launcher } from '../guard/launcher.js'
import { notificationFor, notify } from '../guard/notify/index.js'
import { noteRemoval } from '../guard/removals.js'
import { installSchedule, scheduleStatus, uninstallSchedule, GuardScheduleError } from '../guard/schedule/index.js'
import { watchState } from '../guard/schemas.js'
import { watchOnce } from '../guard/watch.js'
import type { ChangeReport } from '../removal/engine.js'
import type { RemovalPlan } from '../removal/journal.js'
import type { Environment } from '../stores/shared/environment.js'
import type { GuardStatus } from './contract.js'
import type { ApiHandlers } from './certaudit-api.js'

export interface GuardContext {
  readonly env: Environment
  /** How the schedule starts CertAudit; null where it cannot (the schedule is then not offered). */
  readonly launcher: Launcher | null
  /** A scan of the machine in `language`, as scan:start makes it (without becoming the window's report). */
  readonly scan: (language: Language) => Promise<ScanReport>
}

type GuardChannels = 'guard:status' | 'guard:set' | 'guard:events' | 'guard:watch'

const SCHEDULED = ['linux', 'darwin', 'win32']

export function guardHandlers(ctx: GuardContext): Pick<ApiHandlers, GuardChannels> {
  const { env } = ctx
  const status = async (): Promise<GuardStatus> => {
    const schedule = await scheduleStatus(env)
    const state = await readJsonFile(guardFile(env, 'state'), watchState)
    const problems = [
      ...(schedule.problem ? [schedule.problem] : []),
      ...(state.status === 'damaged' ? [`${state.problem}; the next check starts a fresh baseline.`] : []),
      ...(schedule.missing.length ? [`These files of the guard's schedule are missing or were changed: ${schedule.missing.join(', ')}. Turn the guard off and on again to put them back.`] : []),
    ]
    return {
      enabled: schedule.installed,
      supported: SCHEDULED.includes(env.platform) && ctx.launcher !== null,
      schedule,
      lastCheck: state.status === 'ok' ? state.value.checkedAt : null,
      problems,
    }
  }
  return {
    'guard:status': status,
    'guard:set': async (request) => {
      if (request.enabled) {
        if (!ctx.launcher) throw new GuardScheduleError('This copy of CertAudit cannot tell how to start itself later, so it cannot schedule its checks.')
        await installSchedule(env, ctx.launcher, request.language)
      } else {
        await uninstallSchedule(env)
      }
      return status()
    },
    'guard:events': async (request) => [...(await acknowledge(env, request.acknowledge))].reverse(),
    'guard:watch': async (request) => {
      const result = await watchOnce(await ctx.scan(request.language), env)
      const notification = request.notify ? notificationFor(result.events, request.language) : null
      if (!notification) return result
      const outcome = await notify(env, notification)
      if (outcome.delivered) await markNotified(env, result.events.filter((e) => e.kind !== 'gone').map((e) => e.id))
      return { ...result, notification: outcome }
    },
  }
}

/**
 * After a change: notes the places its certificates were trusted at the scan it was planned from and
 * that it did not take them out of (unticked, or left to do by hand), so a later check does not call
 * them "came back". Best effort: without the note the guard still works, only less precisely.
 */
export async function noteLeftPlaces(env: Environment, plan: RemovalPlan, result: ChangeReport, report: ScanReport | null): Promise<void> {
  if (!report) return
  const takenOut = new Set(result.results.filter((r) => ['removed', 'distrusted', 'skipped'].includes(r.status)).map((r) => `${r.target.sha256}\0${r.target.storeId}`))
  const left: { sha256: string; storeId: string }[] = []
  for (const { sha256 } of plan.findings) {
    const finding = report.findings.find((f) => f.certificate.sha256 === sha256)
    for (const location of finding?.locations ?? []) {
      if (location.trust === 'trusted' && !takenOut.has(`${sha256}\0${location.storeId}`)) left.push({ sha256, storeId: location.storeId })
    }
  }
  await noteRemoval(env, result.changeId, left).catch(() => {})
}

