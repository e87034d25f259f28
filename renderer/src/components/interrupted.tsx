/**
 * Changes that stopped part-way (CertAudit closed, the computer switched off): each can be finished
 * (resume) or rolled back (undo). Shown on the home screen from appInfo.
 */
import { useState, type ReactElement } from 'react'
import { errorMessage } from '../bridge'
import { useI18n } from '../i18n-context'
import type { CertAuditBridge, ChangeReport, ChangeSummary, ScanReport } from '../types'
import { visible } from '../visible'
import { ChangeResults, changeOutcome } from './change-results'
import { Busy, ChangeStateBadge, ErrorNotice } from './common'
import { useConfirmedUndo } from './undo-confirm'

export function InterruptedChanges({
  bridge,
  changes,
  report,
  onChanged,
}: {
  readonly bridge: CertAuditBridge
  readonly changes: readonly ChangeSummary[]
  readonly report: ScanReport | null
  readonly onChanged: () => void
}): ReactElement | null {
  const tr = useI18n()
  const { t } = tr
  const [busy, setBusy] = useState<string | null>(null)
  const [result, setResult] = useState<ChangeReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { confirmUndo, dialog: undoDialog } = useConfirmedUndo(bridge, report)

  const act = async (change: ChangeSummary, action: 'resume' | 'undo') => {
    setBusy(change.id)
    setError(null)
    try {
      // What goes back where is shown, and confirmed, before anything runs (it may ask for admin rights).
      if (action === 'undo' && !(await confirmUndo(change.id))) return
      setResult(action === 'resume' ? await bridge.resume({ changeId: change.id }) : await bridge.undo({ changeId: change.id }))
      onChanged()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  // Stays mounted after the last interrupted change is dealt with, to show what was done.
  if (changes.length === 0 && !result && !error) return null
  return (
    <section className="panel notice-panel" aria-labelledby="interrupted-title">
      <h2 id="interrupted-title">{changes.length ? t('interrupted.title', { count: changes.length }) : t('interrupted.doneTitle')}</h2>
      {changes.length > 0 && <p>{t('interrupted.lead')}</p>}
      {changes.length > 0 && (
        <ul className="change-list">
          {changes.map((change) => (
            <li key={change.id} className="change-item">
              <p className="change-head">
                <strong>{visible(change.findings.map((f) => f.title).join(', '))}</strong>
                <ChangeStateBadge state={change.state} />
              </p>
              <p className="muted">{t('interrupted.started', { date: tr.formatDateTime(change.createdAt), count: change.entries.length })}</p>
              <div className="actions">
                {change.state === 'interrupted' && (
                  <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void act(change, 'resume')}>
                    {t('interrupted.finish')}
                  </button>
                )}
                <button type="button" className="button" disabled={busy !== null} onClick={() => void act(change, 'undo')}>
                  {change.state === 'interrupted' ? t('interrupted.rollBack') : t('interrupted.finishRollBack')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {undoDialog}
      {busy && !undoDialog && <Busy>{t('interrupted.working')}</Busy>}
      {error && <ErrorNotice message={error} />}
      {result && (
        <div className="change-done" role="status">
          <p className="outcome">{changeOutcome(t, result)}</p>
          <ChangeResults result={result} report={report} />
        </div>
      )}
    </section>
  )
}
