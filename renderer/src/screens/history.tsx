/** Every change CertAudit has made on this computer, newest first, each with undo (or finish / roll back). */
import { useCallback, useEffect, useState, type ReactElement } from 'react'
import { errorMessage } from '../bridge'
import { ChangeResults, changeOutcome } from '../components/change-results'
import { Busy, ChangeStateBadge, ErrorNotice, FocusHeading, StatusBadge } from '../components/common'
import { GuardReturns } from '../components/guard'
import { Icon } from '../components/icons'
import { useConfirmedUndo } from '../components/undo-confirm'
import { useI18n } from '../i18n-context'
import { storeNameIn } from '../labels'
import type { CertAuditBridge, ChangeReport, ChangeSummary, LoggedEvent, ScanReport } from '../types'
import { visible } from '../visible'

export function HistoryScreen({
  bridge,
  report,
  onChanged,
  onRemoveAgain,
}: {
  readonly bridge: CertAuditBridge
  readonly report: ScanReport | null
  readonly onChanged: () => void
  /** Into the removal wizard again for a certificate that came back. */
  readonly onRemoveAgain: (findingId: string) => void
}): ReactElement {
  const tr = useI18n()
  const { t } = tr
  const [changes, setChanges] = useState<readonly ChangeSummary[] | null>(null)
  const [returns, setReturns] = useState<readonly LoggedEvent[]>([])
  const [busy, setBusy] = useState<string | null>(null)
  const [result, setResult] = useState<{ readonly id: string; readonly report: ChangeReport } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { confirmUndo, dialog: undoDialog } = useConfirmedUndo(bridge, report)

  const load = useCallback(async () => {
    try {
      setChanges(await bridge.history({}))
      // What the guard saw come back after each change (a damaged event log only hides these, never the changes).
      setReturns((await bridge.guardEvents({}).catch(() => [])).filter((e) => e.kind === 'returned'))
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [bridge])
  useEffect(() => {
    void load()
  }, [load])

  const act = async (change: ChangeSummary, action: 'undo' | 'resume') => {
    setBusy(change.id)
    setError(null)
    setResult(null)
    try {
      // What goes back where is shown, and confirmed, before anything runs (it may ask for admin rights).
      if (action === 'undo' && !(await confirmUndo(change.id))) return
      const answer = action === 'undo' ? await bridge.undo({ changeId: change.id }) : await bridge.resume({ changeId: change.id })
      setResult({ id: change.id, report: answer })
      onChanged()
      await load()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  return (
    <section aria-labelledby="history-title">
      <FocusHeading id="history-title">{t('history.title')}</FocusHeading>
      <p className="lead">{t('history.lead')}</p>
      {error && <ErrorNotice message={error} />}
      {changes === null && !error && <Busy>{t('history.loading')}</Busy>}
      {changes?.length === 0 && <p className="panel">{t('history.empty')}</p>}
      {changes && changes.length > 0 && (
        <ul className="change-list">
          {changes.map((change) => {
            const titleId = `change-${change.id}`
            return (
              <li key={change.id}>
                <article className="panel change-card" aria-labelledby={titleId}>
                  <div className="change-head">
                    <h2 id={titleId}>{change.findings.length > 0 ? visible(change.findings.map((f) => f.title).join(', ')) : t('history.damagedTitle')}</h2>
                    <ChangeStateBadge state={change.state} />
                  </div>
                  <p className="muted">
                    {t(change.mode === undefined ? 'history.madeOn' : change.mode === 'delete' ? 'history.removedOn' : 'history.distrustedOn', { date: tr.formatDateTime(change.createdAt) })}
                  </p>
                  {change.problem && <p className="change-problem">{t('history.damaged', { problem: visible(change.problem) })}</p>}
                  <ul className="history-entries">
                    {change.entries.map((entry, index) => {
                      const name = storeNameIn(t, report, entry)
                      return (
                        <li key={index}>
                          <Icon name={name.icon} />
                          <span className="history-entry-name">{name.label}</span>
                          <StatusBadge status={entry.status} />
                        </li>
                      )
                    })}
                  </ul>
                  {change.state !== 'undone' && <GuardReturns events={returns.filter((e) => e.removedBy === change.id)} onRemoveAgain={onRemoveAgain} />}
                  <div className="actions">
                    {change.state === 'done' && (
                      <button type="button" className="button" disabled={busy !== null} onClick={() => void act(change, 'undo')} aria-describedby={titleId}>
                        <Icon name="undo" />
                        {t('history.undo')}
                      </button>
                    )}
                    {change.state === 'interrupted' && (
                      <>
                        <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void act(change, 'resume')} aria-describedby={titleId}>
                          {t('interrupted.finish')}
                        </button>
                        <button type="button" className="button" disabled={busy !== null} onClick={() => void act(change, 'undo')} aria-describedby={titleId}>
                          {t('interrupted.rollBack')}
                        </button>
                      </>
                    )}
                    {change.state === 'undo-interrupted' && (
                      <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void act(change, 'undo')} aria-describedby={titleId}>
                        {t('interrupted.finishRollBack')}
                      </button>
                    )}
                  </div>
                  {busy === change.id && (undoDialog ?? <Busy>{t('interrupted.working')}</Busy>)}
                  {result?.id === change.id && (
                    <div role="status" className="change-done">
                      <p className="outcome">{changeOutcome(t, result.report)}</p>
                      <ChangeResults result={result.report} report={report} />
                    </div>
                  )}
                </article>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
