/**
 * The guard in the window: the "warn me if this comes back" switch (after a removal and in Settings),
 * the returns a change's history card shows ("came back on … in …, put there by …", with one click
 * into the wizard again and the advice to remove the cause), and what the guard found while the
 * window was closed (on the home screen). The engine does the checking; these only show and ask.
 */
import { useCallback, useEffect, useId, useState, type ReactElement } from 'react'
import { errorMessage } from '../bridge'
import { useI18n } from '../i18n-context'
import type { Translator } from '../i18n'
import { storeName } from '../labels'
import type { CertAuditBridge, GuardStatus, LoggedEvent, PlacedBy, ScheduleKind } from '../types'
import { Busy, ErrorNotice } from './common'
import { Icon } from './icons'
import { visible } from '../visible'

const SCHEDULE_ON: Readonly<Record<ScheduleKind, 'guard.on.systemd' | 'guard.on.autostart' | 'guard.on.launchAgent' | 'guard.on.taskScheduler'>> = {
  systemd: 'guard.on.systemd',
  autostart: 'guard.on.autostart',
  'launch-agent': 'guard.on.launchAgent',
  'task-scheduler': 'guard.on.taskScheduler',
}

/** Who put a certificate where it is, as the end of "put there by …". */
export function causeText(t: Translator['t'], placed: PlacedBy | undefined): string {
  switch (placed?.by) {
    case 'policy':
      return placed.file ? t('guard.cause.policyFile', { name: placed.name ?? '', file: placed.file }) : t('guard.cause.policy', { name: placed.name ?? '' })
    case 'package':
      return t('guard.cause.package', { name: placed.name ?? '' })
    case 'environment':
      return t('guard.cause.environment', { name: placed.name ?? '' })
    case 'generated':
      return t('guard.cause.generated', { tool: placed.tool ?? '' })
    default:
      return t('guard.cause.unknown')
  }
}

/** What the schedule is, in a sentence: on (and how), off, or not possible here. */
export function GuardState({ status }: { readonly status: GuardStatus }): ReactElement {
  const tr = useI18n()
  const { t } = tr
  if (!status.supported) return <p className="muted">{t('guard.unsupported')}</p>
  return (
    <div className="guard-state" role="status">
      <p>
        <Icon name={status.enabled ? 'shield' : 'minus'} />
        {status.enabled && status.schedule.kind ? t(SCHEDULE_ON[status.schedule.kind]) : t('guard.off')}
      </p>
      <p className="muted">{status.lastCheck ? t('guard.lastCheck', { date: tr.formatDateTime(status.lastCheck) }) : t('guard.neverChecked')}</p>
    </div>
  )
}

/**
 * The switch itself. `offerOnMount`: after a removal the guard is on by default — turned on as the
 * switch appears (unless it is on already), and the user can turn it off right there.
 */
export function GuardSwitch({ bridge, label, offerOnMount = false }: { readonly bridge: CertAuditBridge; readonly label: string; readonly offerOnMount?: boolean }): ReactElement {
  const { t, lang } = useI18n()
  const id = useId()
  const [status, setStatus] = useState<GuardStatus | null>(null)
  // What the switch shows: the user's choice at once, then what the engine says it did.
  const [wanted, setWanted] = useState(offerOnMount)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const show = (next: GuardStatus | null) => {
    setStatus(next)
    if (next) setWanted(next.enabled)
  }
  const set = useCallback(
    async (enabled: boolean) => {
      setWanted(enabled)
      setBusy(true)
      setError(null)
      try {
        show(await bridge.setGuard({ enabled, language: lang }))
      } catch (e) {
        setError(errorMessage(e))
        show(await bridge.guardStatus({}).catch(() => null))
      } finally {
        setBusy(false)
      }
    },
    [bridge, lang],
  )

  useEffect(() => {
    let cancelled = false
    void (async () => {
      try {
        const current = await bridge.guardStatus({})
        if (cancelled) return
        show(current)
        if (offerOnMount && current.supported && !current.enabled) await set(true)
      } catch (e) {
        if (!cancelled) setError(errorMessage(e))
      }
    })()
    return () => {
      cancelled = true
    }
  }, [bridge, offerOnMount, set])

  return (
    <div className="guard-switch">
      {status?.supported !== false && (
        <div className="guard-toggle">
          <input type="checkbox" role="switch" id={id} checked={wanted} disabled={busy || status === null} onChange={(e) => void set(e.target.checked)} aria-describedby={`${id}-what`} />
          <label htmlFor={id}>{label}</label>
        </div>
      )}
      <p id={`${id}-what`} className="guard-explain">
        {t('guard.explain')}
      </p>
      {status && <GuardState status={status} />}
      {busy && <Busy>{t('guard.working')}</Busy>}
      {error && <ErrorNotice message={error} />}
    </div>
  )
}

/** After a removal: "Warn me if this comes back", on by default. */
export function GuardOffer({ bridge }: { readonly bridge: CertAuditBridge }): ReactElement {
  const { t } = useI18n()
  return (
    <section className="guard-offer" aria-labelledby="guard-offer-title">
      <h3 id="guard-offer-title">{t('guard.offerTitle')}</h3>
      <GuardSwitch bridge={bridge} label={t('guard.offer')} offerOnMount />
    </section>
  )
}

/** The places one event names, as people know them, each with what put it there. */
function EventPlaces({ event }: { readonly event: LoggedEvent }): ReactElement {
  const tr = useI18n()
  const { t } = tr
  return (
    <ul className="guard-places">
      {event.locations.map((location, index) => (
        <li key={index}>
          {t(event.kind === 'returned' ? 'guard.cameBack' : 'guard.foundIn', { date: tr.formatDateTime(event.at), place: storeName(t, location).label, cause: causeText(t, location.placedBy) })}
          <span className="path">{visible(location.origin?.file ?? location.location)}</span>
        </li>
      ))}
    </ul>
  )
}

/** Advice to remove the cause first, where one is known: a policy, a program. */
function CauseAdvice({ event }: { readonly event: LoggedEvent }): ReactElement | null {
  const { t } = useI18n()
  const causes = event.locations.map((l) => l.placedBy).filter((c): c is PlacedBy => c !== undefined)
  const policy = causes.find((c) => c.by === 'policy')
  const program = causes.find((c) => c.by === 'package')
  const generated = causes.find((c) => c.by === 'generated')
  if (!policy && !program && !generated) return null
  return (
    <div className="notice notice-warning">
      <Icon name="warning" />
      <div>
        {policy && <p>{t('guard.advice.policy', { name: policy.name ?? '' })}</p>}
        {program && <p>{t('guard.advice.package', { name: program.name ?? '' })}</p>}
        {generated && <p>{t('guard.advice.generated', { tool: generated.tool ?? '' })}</p>}
      </div>
    </div>
  )
}

/** A change's returns, on its history card. */
export function GuardReturns({ events, onRemoveAgain }: { readonly events: readonly LoggedEvent[]; readonly onRemoveAgain: (findingId: string) => void }): ReactElement | null {
  const { t } = useI18n()
  if (events.length === 0) return null
  return (
    <div className="guard-returns">
      {events.map((event) => (
        <div key={event.id} className="guard-return">
          <p className="guard-return-title">
            <Icon name="warning" />
            {t('guard.returnedTitle', { title: event.title })}
          </p>
          <EventPlaces event={event} />
          <CauseAdvice event={event} />
          <button type="button" className="button button-primary" onClick={() => onRemoveAgain(event.findingId)}>
            {t('guard.removeAgain')}
          </button>
        </div>
      ))}
    </div>
  )
}

/** What the guard found while the window was closed (no notification told the user): on the home screen. */
export function GuardAlerts({ bridge, events, onOpen }: { readonly bridge: CertAuditBridge; readonly events: readonly LoggedEvent[]; readonly onOpen: (findingId: string) => void }): ReactElement | null {
  const { t } = useI18n()
  const [dismissed, setDismissed] = useState(false)
  if (events.length === 0 || dismissed) return null
  const dismiss = async () => {
    setDismissed(true)
    await bridge.guardEvents({ acknowledge: events.map((e) => e.id) }).catch(() => {})
  }
  return (
    <section className="panel notice-panel guard-alerts" aria-labelledby="guard-alerts-title">
      <h2 id="guard-alerts-title">{t('guard.pendingTitle', { count: events.length })}</h2>
      <ul className="change-list">
        {events.map((event) => (
          <li key={event.id} className="guard-return">
            <p className="guard-return-title">
              <Icon name="warning" />
              {t(event.kind === 'returned' ? 'guard.returnedTitle' : 'guard.newTitle', { title: event.title })}
            </p>
            <EventPlaces event={event} />
            <button type="button" className="button" onClick={() => onOpen(event.findingId)}>
              {t('guard.show')}
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button button-link" onClick={() => void dismiss()}>
          {t('guard.dismiss')}
        </button>
      </div>
    </section>
  )
}
