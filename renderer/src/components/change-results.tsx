/** What a change (removal, undo, finish) did to each entry, as the engine verified it by re-reading the store. */
import type { ReactElement } from 'react'
import { useI18n } from '../i18n-context'
import { byStoreKind, storeNameIn } from '../labels'
import type { ChangeReport, ScanReport } from '../types'
import { visible } from '../visible'
import { EngineText, StatusBadge } from './common'
import { Icon } from './icons'

export function ChangeResults({ result, report }: { readonly result: ChangeReport; readonly report: ScanReport | null }): ReactElement {
  const { t } = useI18n()
  return (
    <ul className="result-list">
      {byStoreKind(result.results.map((entry) => ({ kind: entry.target.kind, entry }))).map(({ entry }) => {
        const name = storeNameIn(t, report, entry.target)
        return (
          <li key={entry.index} className="result-item">
            <Icon name={name.icon} className="result-icon" />
            <div className="result-body">
              <p className="result-head">
                <span className="result-store">{name.label}</span>
                <StatusBadge status={entry.status} />
              </p>
              <p className="path">{visible(entry.target.origin?.file ?? entry.target.location)}</p>
              {entry.detail && (
                <p className="result-detail">
                  {/* Manual entries repeat the plan's instructions; any other detail is what a command said. */}
                  <EngineText lang={entry.action === 'manual' ? result.language : 'en'}>{entry.detail}</EngineText>
                </p>
              )}
              {(entry.planWarning || entry.warnings.length > 0) && (
                <ul className="result-warnings">
                  {entry.planWarning && (
                    <li>
                      <EngineText lang={result.language}>{entry.planWarning}</EngineText>
                    </li>
                  )}
                  {entry.warnings.map((warning) => (
                    <li key={warning}>
                      <EngineText>{warning}</EngineText>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        )
      })}
    </ul>
  )
}

/** One sentence about the whole change: everything as planned, or how many entries need attention. */
export function changeOutcome(t: ReturnType<typeof useI18n>['t'], result: ChangeReport): string {
  const problems = result.results.filter((r) => r.status === 'failed' || r.status === 'still-present').length
  const manual = result.results.filter((r) => r.status === 'manual').length
  if (result.operation === 'undo') {
    return problems ? t('outcome.undoProblems', { count: problems }) : t('outcome.undoOk')
  }
  // Places found already gone (re-reading the store showed it) no longer trust it either.
  const done = result.results.filter((r) => r.status === 'removed' || r.status === 'distrusted' || r.status === 'skipped').length
  if (problems) return t('outcome.removeProblems', { count: problems, done })
  if (manual) return t('outcome.removeManual', { count: manual, done })
  return t('outcome.removeOk', { count: done })
}
