/**
 * One finding in full: what it is, why it matters, what to do, where it is installed, and the
 * technical details on demand. A state CA outside the root programs is shown as a trade-off to
 * weigh, in calm colours, not as an alarm.
 */
import type { ReactElement } from 'react'
import { FocusHeading, SeverityBadge } from '../components/common'
import { Icon } from '../components/icons'
import { StorePicture } from '../components/store-picture'
import { useI18n } from '../i18n-context'
import { canRemove, findingTitle, ruleSummary, whatItIs } from '../labels'
import type { CertAuditBridge, Finding, ScanReport } from '../types'
import { visible } from '../visible'

export function FindingScreen({
  bridge,
  report,
  findingId,
  onBack,
  onRemove,
}: {
  readonly bridge: CertAuditBridge
  readonly report: ScanReport
  readonly findingId: string
  readonly onBack: () => void
  readonly onRemove: (findingId: string) => void
}): ReactElement {
  const tr = useI18n()
  const { t } = tr
  const finding = report.findings.find((f) => f.id === findingId)
  const back = (
    <button type="button" className="button button-link back" onClick={onBack}>
      <Icon name="back" />
      {t('finding.back')}
    </button>
  )
  if (!finding) {
    return (
      <section className="panel">
        {back}
        <FocusHeading>{t('finding.goneTitle')}</FocusHeading>
        <p>{t('finding.gone')}</p>
      </section>
    )
  }
  const tradeOff = finding.rule === 'government-ca'
  return (
    <article className={`finding-detail severity-card-${finding.severity}`} aria-labelledby="finding-title">
      {back}
      <SeverityBadge severity={finding.severity} />
      <FocusHeading id="finding-title">{findingTitle(finding)}</FocusHeading>
      <p className="lead">{whatItIs(tr, finding)}</p>

      {tradeOff && (
        <section className="trade-off" aria-labelledby="trade-off-title">
          <h2 id="trade-off-title">{t('finding.tradeOffTitle')}</h2>
          <div className="trade-off-columns">
            <div>
              <h3>{t('finding.keepTitle')}</h3>
              <p>{t('finding.keep')}</p>
            </div>
            <div>
              <h3>{t('finding.removeTitle')}</h3>
              <p>{t('finding.removeChoice')}</p>
            </div>
          </div>
        </section>
      )}

      <section aria-labelledby="why-title">
        <h2 id="why-title">{t('finding.why')}</h2>
        <p>{visible(finding.explanation)}</p>
      </section>
      <section aria-labelledby="todo-title">
        <h2 id="todo-title">{t('finding.todo')}</h2>
        <p>{visible(finding.advice)}</p>
      </section>
      <section aria-labelledby="where-title">
        <h2 id="where-title">{t('finding.where', { count: finding.locations.length })}</h2>
        <StorePicture finding={finding} report={report} />
      </section>

      {canRemove(finding) && (
        <div className="actions remove-actions">
          <button type="button" className={tradeOff || finding.severity === 'review' ? 'button button-primary' : 'button button-danger'} onClick={() => onRemove(finding.id)}>
            {t('finding.remove')}
          </button>
          <p className="muted">{t('finding.removeNote')}</p>
        </div>
      )}

      <TechnicalDetails finding={finding} bridge={bridge} />
    </article>
  )
}

function TechnicalDetails({ finding, bridge }: { readonly finding: Finding; readonly bridge: CertAuditBridge }): ReactElement {
  const tr = useI18n()
  const { t } = tr
  const c = finding.certificate
  const matched = finding.matchedBy
  const matchedKeys = { sha256: 'details.matched.sha256', spkiSha256: 'details.matched.spkiSha256', sha1: 'details.matched.sha1', name: 'details.matched.name', issuer: 'details.matched.issuer' } as const
  return (
    <details className="disclosure details">
      <summary>{t('details.title')}</summary>
      <dl className="facts">
        <dt>{t('details.subject')}</dt>
        <dd className="mono">{visible(c.subject)}</dd>
        <dt>{t('details.issuer')}</dt>
        <dd className="mono">{visible(c.issuer)}</dd>
        <dt>{t('details.validity')}</dt>
        <dd>{t('details.validityRange', { from: tr.formatDate(c.notBefore), to: tr.formatDate(c.notAfter) })}</dd>
        <dt>{t('details.key')}</dt>
        <dd>
          {c.keySize ? t('details.keyWithSize', { algorithm: c.keyAlgorithm, bits: String(c.keySize) }) : visible(c.keyAlgorithm)} · {visible(c.signatureAlgorithm)}
        </dd>
        {c.permittedNames && (
          <>
            <dt>{t('details.limitedTo')}</dt>
            <dd className="mono">{visible(c.permittedNames.join(', '))}</dd>
          </>
        )}
        <dt>{t('details.serial')}</dt>
        <dd className="mono">{visible(c.serial)}</dd>
        <dt>SHA-256</dt>
        <dd className="mono hash">{c.sha256}</dd>
        <dt>SHA-1</dt>
        <dd className="mono hash">{c.sha1}</dd>
        <dt>{t('details.spki')}</dt>
        <dd className="mono hash">{c.spkiSha256}</dd>
        <dt>{t('details.rule')}</dt>
        <dd>
          {ruleSummary(t, finding.rule)} <span className="mono">({finding.rule})</span>
          {matched && ` · ${t(matchedKeys[matched])}`}
        </dd>
        {finding.alsoMatched.length > 0 && (
          <>
            <dt>{t('details.alsoMatched')}</dt>
            <dd>{finding.alsoMatched.map((rule) => ruleSummary(t, rule)).join(', ')}</dd>
          </>
        )}
        {finding.blocklistEntry && (
          <>
            <dt>{t('details.blocklist')}</dt>
            <dd className="mono">{visible(finding.blocklistEntry.id)}</dd>
          </>
        )}
      </dl>
      {finding.references.length > 0 && (
        <>
          <h3>{t('details.sources')}</h3>
          <ul className="sources">
            {finding.references.map((url) => (
              <li key={url}>
                <a
                  href={url}
                  rel="noreferrer noopener"
                  onClick={(event) => {
                    event.preventDefault()
                    void bridge.openLink({ url }).catch(() => {})
                  }}
                >
                  {sourceLabel(url)}
                  <Icon name="external" />
                  <span className="sr-only">{t('details.opensInBrowser')}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  )
}

/** "blog.mozilla.org › security/2019/08/21/…": the site first, so people see where a link goes (decoding can make %E2%80%AE a bidi override: shown). */
function sourceLabel(url: string): string {
  try {
    const parsed = new URL(url)
    const path = visible(decodeURIComponent(parsed.pathname + parsed.search).replace(/^\/|\/$/g, ''))
    return path ? `${parsed.hostname} › ${path.length > 60 ? `${[...path].slice(0, 57).join('')}…` : path}` : parsed.hostname
  } catch {
    return visible(url)
  }
}
