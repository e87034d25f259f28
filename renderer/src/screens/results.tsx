/** The verdict first, in plain words; then the findings by severity; the stores checked; saving a report. */
import type { ReactElement } from 'react'
import { FocusHeading, SeverityBadge, VERDICT_ICON } from '../components/common'
import { ExportReport } from '../components/export-report'
import { Icon } from '../components/icons'
import type { Translator } from '../i18n'
import { useI18n } from '../i18n-context'
import { byStoreKind, canRemove, findingTitle, storeName, storeNameIn, whatItIs } from '../labels'
import type { CertAuditBridge, Finding, ScanReport, Severity } from '../types'
import { visible } from '../visible'

const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'review', 'info']

export function ResultsScreen({
  bridge,
  report,
  stale,
  relanguaging,
  onScan,
  onOpen,
  onRemove,
}: {
  readonly bridge: CertAuditBridge
  readonly report: ScanReport
  readonly stale: boolean
  readonly relanguaging: boolean
  readonly onScan: () => void
  readonly onOpen: (findingId: string) => void
  readonly onRemove: (findingId: string) => void
}): ReactElement {
  const tr = useI18n()
  const { t } = tr
  const level = report.verdict.level
  return (
    <>
      <section className={`verdict verdict-${level}`} aria-labelledby="verdict-title">
        <p className="eyebrow">{t('results.scannedAt', { date: tr.formatDateTime(report.scannedAt) })}</p>
        <div className="verdict-body">
          <Icon name={VERDICT_ICON[level]} className="verdict-icon" />
          <FocusHeading id="verdict-title" className="verdict-text">
            {visible(report.verdict.text)}
          </FocusHeading>
        </div>
        <p className="verdict-counts">{t('results.checked', { count: report.stores.length, certificates: report.summary.certificates })}</p>
        {level === 'clean' && <p>{t('results.cleanNote')}</p>}
      </section>

      {relanguaging && (
        <p className="notice" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('results.relanguaging')}
        </p>
      )}
      {stale && (
        <div className="notice notice-info">
          <Icon name="info" />
          <p>{t('results.stale')}</p>
          <button type="button" className="button button-small" onClick={onScan}>
            {t('results.scanAgain')}
          </button>
        </div>
      )}

      {ORDER.filter((severity) => report.findings.some((f) => f.severity === severity)).map((severity) => (
        <FindingGroup key={severity} severity={severity} findings={report.findings.filter((f) => f.severity === severity)} report={report} tr={tr} onOpen={onOpen} onRemove={onRemove} />
      ))}

      {report.problems.length > 0 && (
        <section className="panel" aria-labelledby="problems-title">
          <h2 id="problems-title">{t('results.problemsTitle', { count: report.problems.length })}</h2>
          <p>{t('results.problemsLead')}</p>
          <ul className="problem-list">
            {report.problems.map((problem, index) => (
              <li key={index} className="engine-text" lang="en">
                {visible(problem.message)}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="panel" aria-labelledby="stores-title">
        <h2 id="stores-title">{t('results.storesTitle')}</h2>
        <details className="disclosure">
          <summary>{t('results.storesSummary', { count: report.stores.length })}</summary>
          <ul className="checked-stores">
            {report.stores.map((store) => {
              const name = storeName(t, store)
              return (
                <li key={store.id}>
                  <Icon name={name.icon} />
                  <span>
                    <span className="checked-store-name">{name.label}</span>
                    <span className="muted"> — {store.status === 'failed' ? t('results.storeFailed') : t('results.storeCount', { count: store.entryCount })}</span>
                    <span className="path">{visible(store.location)}</span>
                  </span>
                </li>
              )
            })}
          </ul>
        </details>
      </section>

      <ExportReport bridge={bridge} />

      <div className="actions">
        <button type="button" className="button" onClick={onScan}>
          {t('results.scanAgain')}
        </button>
      </div>
    </>
  )
}

function FindingGroup({
  severity,
  findings,
  report,
  tr,
  onOpen,
  onRemove,
}: {
  readonly severity: Severity
  readonly findings: readonly Finding[]
  readonly report: ScanReport
  readonly tr: Translator
  readonly onOpen: (findingId: string) => void
  readonly onRemove: (findingId: string) => void
}): ReactElement {
  const { t } = tr
  const titles = { critical: 'group.critical', high: 'group.high', medium: 'group.medium', review: 'group.review', info: 'group.info' } as const
  const leads = { critical: 'group.criticalLead', high: 'group.highLead', medium: 'group.mediumLead', review: 'group.reviewLead', info: 'group.infoLead' } as const
  return (
    <section className={`finding-group group-${severity}`} aria-labelledby={`group-${severity}`}>
      <h2 id={`group-${severity}`}>{t(titles[severity], { count: findings.length })}</h2>
      <p className="group-lead">{t(leads[severity])}</p>
      <ul className="finding-list">
        {findings.map((finding) => {
          const titleId = `finding-${finding.id}`
          const places = finding.locations.length
          return (
            <li key={finding.id}>
              <article className={`finding-card severity-card-${finding.severity}`} aria-labelledby={titleId}>
                <SeverityBadge severity={finding.severity} />
                <h3 id={titleId}>{findingTitle(finding)}</h3>
                <p>{whatItIs(tr, finding)}</p>
                <p className="muted found-in">
                  <span className="mini-stores" aria-hidden="true">
                    {byStoreKind(finding.locations).slice(0, 8).map((l) => (
                      <Icon key={`${l.storeId}\u0000${l.entry}`} name={storeNameIn(t, report, l).icon} />
                    ))}
                  </span>
                  {t('results.foundIn', { count: places })}
                </p>
                <div className="actions">
                  <button type="button" className="button" onClick={() => onOpen(finding.id)} aria-describedby={titleId}>
                    {t('results.open')}
                  </button>
                  {canRemove(finding) && (
                    <button type="button" className={finding.severity === 'critical' || finding.severity === 'high' ? 'button button-danger' : 'button'} onClick={() => onRemove(finding.id)} aria-describedby={titleId}>
                      {t('results.remove')}
                    </button>
                  )}
                </div>
              </article>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
