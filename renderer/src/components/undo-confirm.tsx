/**
 * Undo asks first. What it puts back may run with administrator rights, and its backups are files
 * any program of this user could have edited, so before anything runs the window shows what goes
 * back where, as the engine will do it (removal:undo-preview, the same list `certaudit undo` prints):
 * each certificate, its store, as what, whether Windows, macOS or Linux will ask for a password, and
 * the entries that will not be put back, with why. Nothing runs until the user confirms.
 */
import { useState, type ReactElement } from 'react'
import { useI18n } from '../i18n-context'
import { commonName, storeNameIn } from '../labels'
import type { CertAuditBridge, ScanReport, UndoPreview } from '../types'
import { Icon } from './icons'
import { visible } from '../visible'

/** `confirmUndo(changeId)` shows the preview and resolves true when the user confirms; render `dialog` where it should appear. */
export function useConfirmedUndo(bridge: CertAuditBridge, report: ScanReport | null): { confirmUndo: (changeId: string) => Promise<boolean>; dialog: ReactElement | null } {
  const [pending, setPending] = useState<{ readonly preview: UndoPreview; readonly answer: (ok: boolean) => void } | null>(null)
  const confirmUndo = async (changeId: string) => {
    const preview = await bridge.previewUndo({ changeId })
    return new Promise<boolean>((resolve) => setPending({ preview, answer: resolve }))
  }
  const dialog = pending ? (
    <UndoConfirm
      preview={pending.preview}
      report={report}
      onAnswer={(ok) => {
        pending.answer(ok)
        setPending(null)
      }}
    />
  ) : null
  return { confirmUndo, dialog }
}

const ACTION_KEY = { 'put-back': 'undoConfirm.putBack', 'trust-again': 'undoConfirm.trustAgain', nothing: 'undoConfirm.nothing', refused: 'undoConfirm.refused' } as const

function UndoConfirm({ preview, report, onAnswer }: { readonly preview: UndoPreview; readonly report: ScanReport | null; readonly onAnswer: (ok: boolean) => void }): ReactElement {
  const { t } = useI18n()
  const writes = preview.entries.some((e) => e.action === 'put-back' || e.action === 'trust-again')
  return (
    <section className="panel undo-confirm" role="alertdialog" aria-modal="false" aria-labelledby="undo-confirm-title" aria-describedby="undo-confirm-lead">
      <h3 id="undo-confirm-title">{t('undoConfirm.title')}</h3>
      <p id="undo-confirm-lead">{t(writes ? 'undoConfirm.lead' : 'undoConfirm.leadNothing')}</p>
      <ul className="undo-confirm-list">
        {preview.entries.map((entry) => {
          const store = storeNameIn(t, report, entry.target)
          return (
            <li key={entry.index} className={`undo-confirm-${entry.action}`}>
              <p>
                <strong>{t(ACTION_KEY[entry.action])}</strong> {visible(commonName(entry.subject))}
                {entry.needsAdmin && (
                  <span className="badge">
                    <Icon name="lock" />
                    {t('undoConfirm.admin')}
                  </span>
                )}
              </p>
              <p className="muted">
                {t('undoConfirm.where', { store: store.label, location: entry.target.location, entry: entry.target.entry })}
              </p>
              {Object.keys(entry.facts).length > 0 && (
                <p className="muted">{visible(Object.entries(entry.facts).map(([key, value]) => `${key}: ${String(value)}`).join(' · '))}</p>
              )}
              <p className="path">SHA-256 {entry.target.sha256}</p>
              {entry.detail && <p>{visible(entry.detail)}</p>}
            </li>
          )
        })}
      </ul>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={() => onAnswer(true)}>
          {t(writes ? 'undoConfirm.confirm' : 'undoConfirm.confirmNothing')}
        </button>
        <button type="button" className="button" onClick={() => onAnswer(false)}>
          {t('undoConfirm.cancel')}
        </button>
      </div>
    </section>
  )
}
