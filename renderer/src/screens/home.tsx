/** The first screen: one button to scan, the last scan, and any change that was interrupted. */
import type { ReactElement } from 'react'
import { FocusHeading, VERDICT_ICON } from '../components/common'
import { Icon } from '../components/icons'
import { ConnectionCheck } from '../components/connection-check'
import { GuardAlerts } from '../components/guard'
import { InterruptedChanges } from '../components/interrupted'
import { useI18n } from '../i18n-context'
import type { AppInfo, CertAuditBridge, ScanReport } from '../types'
import { visible } from '../visible'

export function HomeScreen({
  bridge,
  info,
  report,
  stale,
  onScan,
  onResults,
  onChanged,
  onOpenFinding,
}: {
  readonly bridge: CertAuditBridge
  readonly info: AppInfo | null
  readonly report: ScanReport | null
  readonly stale: boolean
  readonly onScan: () => void
  readonly onResults: () => void
  readonly onChanged: () => void
  readonly onOpenFinding: (findingId: string) => void
}): ReactElement {
  const tr = useI18n()
  const { t } = tr
  const serious = report ? report.summary.findings.critical + report.summary.findings.high : 0
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <FocusHeading id="home-title">{t('home.title')}</FocusHeading>
        <p className="lead">{t('home.lead')}</p>
        <button type="button" className="button button-primary button-huge" onClick={onScan}>
          <Icon name="shield" />
          {t('home.scan')}
        </button>
        <p className="muted">{t('home.scanNote')}</p>
      </section>

      {info && <GuardAlerts bridge={bridge} events={info.pendingGuardEvents} onOpen={onOpenFinding} />}

      {info && <InterruptedChanges bridge={bridge} changes={info.interrupted} report={report} onChanged={onChanged} />}

      {report && (
        <section className={`panel last-scan verdict-${report.verdict.level}`} aria-labelledby="last-scan-title">
          <h2 id="last-scan-title">{t('home.lastScan', { date: tr.formatDateTime(report.scannedAt) })}</h2>
          <p className="last-scan-verdict">
            <Icon name={VERDICT_ICON[report.verdict.level]} />
            <span>{visible(report.verdict.text)}</span>
          </p>
          <p className="muted">
            {t('home.lastScanCounts', { count: report.findings.length })}
            {serious > 0 && ` ${t('home.lastScanSerious', { count: serious })}`}
          </p>
          {stale && <p className="muted">{t('home.stale')}</p>}
          <div className="actions">
            <button type="button" className="button" onClick={onResults}>
              {t('home.seeResults')}
            </button>
          </div>
        </section>
      )}

      <section className="panel explainer" aria-labelledby="explainer-title">
        <h2 id="explainer-title">{t('home.howTitle')}</h2>
        <ol className="steps-explained">
          <li>{t('home.how1')}</li>
          <li>{t('home.how2')}</li>
          <li>{t('home.how3')}</li>
        </ol>
      </section>

      <ConnectionCheck bridge={bridge} />
    </>
  )
}
