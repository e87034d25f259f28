/** The wizard's first four steps: what will change, the backup, programs to close, the permission prompt. */
import type { ReactElement } from 'react'
import { Busy, EngineText, FocusHeading } from '../components/common'
import { Icon } from '../components/icons'
import { PlacedByNote } from '../components/placed-by'
import { useI18n } from '../i18n-context'
import { byStoreKind, entryName, storeNameIn, type StoreIcon } from '../labels'
import type { PlannedChange, RemovalPlan, ScanReport } from '../types'
import { visible } from '../visible'

export type Mode = 'delete' | 'distrust'

export function ReviewStep({
  plan,
  active,
  skipped,
  mode,
  report,
  planning,
  onToggle,
  onMode,
}: {
  readonly plan: RemovalPlan | null
  readonly active: RemovalPlan | null
  readonly skipped: ReadonlySet<string>
  readonly mode: Mode
  readonly report: ScanReport
  readonly planning: boolean
  readonly onToggle: (location: string) => void
  readonly onMode: (mode: Mode) => void
}): ReactElement {
  const { t } = useI18n()
  const count = active?.changes.length ?? 0
  return (
    <>
      <FocusHeading level={2}>{t('review.title')}</FocusHeading>
      <p>{t('review.lead')}</p>
      <fieldset className="mode-choice">
        <legend>{t('review.modeLegend')}</legend>
        <label className="radio">
          <input type="radio" name="mode" value="delete" checked={mode === 'delete'} onChange={() => onMode('delete')} />
          <span>
            <strong>{t('review.modeDelete')}</strong>
            <span className="muted">{t('review.modeDeleteNote')}</span>
          </span>
        </label>
        <label className="radio">
          <input type="radio" name="mode" value="distrust" checked={mode === 'distrust'} onChange={() => onMode('distrust')} />
          <span>
            <strong>{t('review.modeDistrust')}</strong>
            <span className="muted">{t('review.modeDistrustNote')}</span>
          </span>
        </label>
      </fieldset>
      {!plan && planning && <Busy>{t('review.planning')}</Busy>}
      {plan && plan.changes.length === 0 && <p className="notice">{t('review.nothing')}</p>}
      {plan && plan.changes.length > 0 && (
        <fieldset className="change-choice">
          <legend>{t('review.placesLegend', { count: plan.changes.length })}</legend>
          <ul className="plan-list">
            {byStoreKind(plan.changes.map((change) => ({ kind: change.target.kind, change }))).map(({ change }, index) => (
              <PlanItem
                key={`${change.target.location}\u0000${change.target.entry}`}
                change={change}
                lang={plan.language ?? 'en'}
                index={index}
                report={report}
                checked={!skipped.has(change.target.location)}
                onToggle={onToggle}
              />
            ))}
          </ul>
        </fieldset>
      )}
      <p role="status" className="plan-count">
        {plan && (count === 0 ? t('review.noneChosen') : t('review.chosen', { count, total: plan.changes.length }))}
      </p>
    </>
  )
}

function PlanItem({
  change,
  lang,
  index,
  report,
  checked,
  onToggle,
}: {
  readonly change: PlannedChange
  /** The language the plan's instructions and warnings are written in. */
  readonly lang: string
  readonly index: number
  readonly report: ScanReport
  readonly checked: boolean
  readonly onToggle: (location: string) => void
}): ReactElement {
  const { t } = useI18n()
  const { target } = change
  const name = storeNameIn(t, report, target)
  const id = `change-${index}`
  const actionKey = { delete: 'review.actionDelete', distrust: 'review.actionDistrust', manual: 'review.actionManual' } as const
  return (
    <li className={checked ? 'plan-item' : 'plan-item plan-item-skipped'}>
      <input type="checkbox" id={id} checked={checked} onChange={() => onToggle(target.location)} aria-describedby={`${id}-what`} />
      <div className="plan-item-body">
        <label htmlFor={id} className="plan-item-name">
          <Icon name={name.icon} />
          {name.label}
        </label>
        <p id={`${id}-what`} className="plan-item-what">
          {checked ? t(actionKey[change.action], { entry: entryName(target.entry) }) : t('review.actionSkipped')}
        </p>
        <p className="path">{visible(target.origin?.file ?? target.location)}</p>
        {change.placedBy && (
          <p className="plan-note plan-placed-by">
            <PlacedByNote placed={change.placedBy} />
          </p>
        )}
        {change.advice && (
          <p className="plan-note plan-warning plan-advice">
            <Icon name="warning" />
            <EngineText lang={lang}>{change.advice}</EngineText>
          </p>
        )}
        {change.needsAdmin && (
          <p className="tag">
            <Icon name="lock" />
            {t('review.needsAdmin')}
          </p>
        )}
        {change.instructions && (
          <p className="plan-note">
            <Icon name="hand" />
            <EngineText lang={lang}>{change.instructions}</EngineText>
          </p>
        )}
        {change.warning && (
          <p className="plan-note plan-warning">
            <Icon name="warning" />
            <EngineText lang={lang}>{change.warning}</EngineText>
          </p>
        )}
      </div>
    </li>
  )
}

export function BackupStep({ plan }: { readonly plan: RemovalPlan }): ReactElement {
  const { t } = useI18n()
  const manualOnly = plan.changes.every((c) => c.action === 'manual')
  return (
    <>
      <FocusHeading level={2}>{t('backup.title')}</FocusHeading>
      <p>{t('backup.lead')}</p>
      <p className="path path-large">
        <Icon name="folder" />
        {visible(plan.backupDir)}
      </p>
      <ul className="plain-list">
        <li>{t('backup.what')}</li>
        <li>{t('backup.checked')}</li>
        <li>{t('backup.undo')}</li>
      </ul>
      {manualOnly && <p className="notice">{t('backup.manualOnly')}</p>}
    </>
  )
}

const PROGRAM_KEYS: Partial<Record<StoreIcon, 'programs.firefox' | 'programs.thunderbird' | 'programs.chromium' | 'programs.java' | 'programs.system'>> = {
  firefox: 'programs.firefox',
  policy: 'programs.firefox',
  thunderbird: 'programs.thunderbird',
  chromium: 'programs.chromium',
  java: 'programs.java',
  system: 'programs.system',
  bundle: 'programs.system',
}

export function ProgramsStep({
  plan,
  report,
  planning,
  onCheckAgain,
}: {
  readonly plan: RemovalPlan
  readonly report: ScanReport
  readonly planning: boolean
  readonly onCheckAgain: () => void
}): ReactElement {
  const { t } = useI18n()
  const programs = [...new Set(plan.changes.map((c) => PROGRAM_KEYS[storeNameIn(t, report, c.target).icon]).filter((k) => k !== undefined))]
  // The NSS adapter warns when a profile's lock shows its program running (nss-writer.ts).
  const running = plan.changes.filter((c) => c.runningProgram !== undefined)
  return (
    <>
      <FocusHeading level={2}>{t('programs.title')}</FocusHeading>
      <p>{t('programs.lead')}</p>
      {programs.length > 0 && (
        <ul className="plain-list">
          {programs.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      )}
      {running.length > 0 ? (
        <div className="notice notice-warning" role="alert">
          <Icon name="warning" />
          <div>
            <p className="notice-title">{t('programs.runningTitle', { count: running.length })}</p>
            <ul className="plain-list">
              {running.map((c) => (
                <li key={c.target.location}>
                  <strong>{storeNameIn(t, report, c.target).label}</strong>: <EngineText lang={plan.language ?? 'en'}>{c.warning}</EngineText>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : (
        <p className="notice notice-ok">
          <Icon name="check" />
          {t('programs.noneRunning')}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button button-small" disabled={planning} onClick={onCheckAgain}>
          {t('programs.checkAgain')}
        </button>
        {planning && <Busy>{t('programs.checking')}</Busy>}
      </div>
    </>
  )
}

export function PermissionStep({ plan, report }: { readonly plan: RemovalPlan; readonly report: ScanReport }): ReactElement {
  const { t } = useI18n()
  const admin = plan.changes.filter((c) => c.needsAdmin)
  return (
    <>
      <FocusHeading level={2}>{t('permission.title')}</FocusHeading>
      {admin.length === 0 ? (
        <p className="notice notice-ok">
          <Icon name="check" />
          {t('permission.none')}
        </p>
      ) : (
        <>
          <p>{t('permission.some', { count: admin.length })}</p>
          <ul className="plain-list">
            {admin.map((c) => (
              <li key={c.target.location}>
                <Icon name="lock" />
                {storeNameIn(t, report, c.target).label}
              </li>
            ))}
          </ul>
          <p>{t('permission.cancel')}</p>
        </>
      )}
      <p className="muted">{t('permission.never')}</p>
    </>
  )
}
