/** Small pieces shared by the screens: headings that take focus, badges, notices. */
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react'
import { useI18n } from '../i18n-context'
import type { ChangeState, EntryStatus, Severity, TrustState, VerdictLevel } from '../types'
import { visible } from '../visible'
import { Icon, type IconName } from './icons'

/**
 * A screen's or a step's heading. It takes the keyboard focus when it appears, so a screen reader
 * announces the new screen and Tab continues from the top of it.
 */
export function FocusHeading({
  level = 1,
  children,
  className,
  id,
}: {
  readonly level?: 1 | 2
  readonly children: ReactNode
  readonly className?: string
  readonly id?: string
}): ReactElement {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [])
  const Tag = level === 1 ? 'h1' : 'h2'
  return (
    <Tag ref={ref} tabIndex={-1} className={className} id={id}>
      {children}
    </Tag>
  )
}

const SEVERITY_ICON: Readonly<Record<Severity, IconName>> = { critical: 'critical', high: 'high', medium: 'medium', review: 'review', info: 'info' }

/** The severity as an icon and a word, on its colour: never colour alone. */
export function SeverityBadge({ severity }: { readonly severity: Severity }): ReactElement {
  const { t } = useI18n()
  const labels = { critical: 'severity.critical', high: 'severity.high', medium: 'severity.medium', review: 'severity.review', info: 'severity.info' } as const
  return (
    <span className={`badge severity-${severity}`}>
      <Icon name={SEVERITY_ICON[severity]} />
      {t(labels[severity])}
    </span>
  )
}

export const VERDICT_ICON: Readonly<Record<VerdictLevel, IconName>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  review: 'review',
  clean: 'clean',
  incomplete: 'warning',
  'nothing-scanned': 'info',
}

/** Whether a store trusts the certificate, as a word with an icon. */
export function TrustBadge({ trust }: { readonly trust: TrustState }): ReactElement {
  const { t } = useI18n()
  const view = {
    trusted: { icon: 'warning', key: 'trust.trusted' },
    distrusted: { icon: 'check', key: 'trust.distrusted' },
    'not-trusted': { icon: 'minus', key: 'trust.not-trusted' },
  } as const
  return (
    <span className={`badge trust-${trust}`}>
      <Icon name={view[trust].icon} />
      {t(view[trust].key)}
    </span>
  )
}

const STATUS_VIEW = {
  removed: { icon: 'check', key: 'status.removed', tone: 'good' },
  distrusted: { icon: 'check', key: 'status.distrusted', tone: 'good' },
  restored: { icon: 'undo', key: 'status.restored', tone: 'good' },
  'still-present': { icon: 'warning', key: 'status.still-present', tone: 'bad' },
  failed: { icon: 'cross', key: 'status.failed', tone: 'bad' },
  manual: { icon: 'hand', key: 'status.manual', tone: 'todo' },
  skipped: { icon: 'skip', key: 'status.skipped', tone: 'neutral' },
  pending: { icon: 'minus', key: 'status.pending', tone: 'neutral' },
} as const

/** What became of one entry of a change. */
export function StatusBadge({ status }: { readonly status: EntryStatus | 'pending' }): ReactElement {
  const { t } = useI18n()
  const view = STATUS_VIEW[status]
  return (
    <span className={`badge status-${view.tone}`}>
      <Icon name={view.icon} />
      {t(view.key)}
    </span>
  )
}

/** The state of a whole change in the history. */
export function ChangeStateBadge({ state }: { readonly state: ChangeState }): ReactElement {
  const { t } = useI18n()
  const view = {
    done: { icon: 'check', key: 'changeState.done', tone: 'good' },
    undone: { icon: 'undo', key: 'changeState.undone', tone: 'neutral' },
    interrupted: { icon: 'warning', key: 'changeState.interrupted', tone: 'bad' },
    'undo-interrupted': { icon: 'warning', key: 'changeState.undo-interrupted', tone: 'bad' },
    damaged: { icon: 'warning', key: 'changeState.damaged', tone: 'bad' },
  } as const satisfies Record<ChangeState, unknown>
  return (
    <span className={`badge status-${view[state].tone}`}>
      <Icon name={view[state].icon} />
      {t(view[state].key)}
    </span>
  )
}

/** An error from the engine, in its own words, under a sentence in the window's language. */
export function ErrorNotice({ message, onDismiss }: { readonly message: string; readonly onDismiss?: () => void }): ReactElement {
  const { t } = useI18n()
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="cross" />
      <div>
        <p className="notice-title">{t('error.title')}</p>
        <p className="engine-text" lang="en">{visible(message)}</p>
        {onDismiss && (
          <button type="button" className="button button-small" onClick={onDismiss}>
            {t('error.dismiss')}
          </button>
        )}
      </div>
    </div>
  )
}

/** "Working…" for a running verb, announced politely. */
export function Busy({ children }: { readonly children: ReactNode }): ReactElement {
  return (
    <p className="busy" role="status">
      <span className="spinner" aria-hidden="true" />
      {children}
    </p>
  )
}

/**
 * Text the engine wrote (command output, results: English; plan instructions and warnings: the plan's
 * language), marked so screen readers pronounce it right, with the hidden characters of the names and
 * paths it quotes shown (../visible.ts).
 */
export function EngineText({ children, lang = 'en' }: { readonly children: string | undefined; readonly lang?: string }): ReactElement {
  return (
    <span className="engine-text" lang={lang}>
      {children === undefined ? null : visible(children)}
    </span>
  )
}
