/**
 * "Is this network intercepting my connections?": a TLS handshake to the sites that the Kazakh
 * interceptions targeted, through certAudit.checkConnection. The verdicts and messages come from the
 * engine in the chosen language; an intercepted network is told plainly not to install the certificate.
 */
import { useState, type ReactElement } from 'react'
import { useI18n } from '../i18n-context'
import type { CertAuditBridge } from '../types'
import { visible } from '../visible'

type ConnectionReport = Awaited<ReturnType<CertAuditBridge['checkConnection']>>

export function ConnectionCheck({ bridge }: { readonly bridge: CertAuditBridge }): ReactElement {
  const tr = useI18n()
  const { t } = tr
  const [state, setState] = useState<{ readonly running: boolean; readonly report: ConnectionReport | null; readonly error: string | null }>({ running: false, report: null, error: null })
  const check = async () => {
    setState({ running: true, report: null, error: null })
    try {
      setState({ running: false, report: await bridge.checkConnection({ language: tr.lang }), error: null })
    } catch (error) {
      setState({ running: false, report: null, error: (error as Error).message })
    }
  }
  const report = state.report
  return (
    <section className="panel connection-check" aria-labelledby="connection-title">
      <h2 id="connection-title">{t('connection.title')}</h2>
      <p>{t('connection.lead')}</p>
      <div className="actions">
        <button type="button" className="button" onClick={() => void check()} disabled={state.running} aria-describedby="connection-status">
          {state.running ? t('connection.checking') : t('connection.button')}
        </button>
      </div>
      <div id="connection-status" role="status" aria-live="polite">
        {state.error && <p className="error">{visible(state.error)}</p>}
        {report && (
          <>
            <p className={`connection-verdict connection-${report.verdict}`}>
              <strong>{t(`connectionVerdict.${report.verdict}`)}</strong> {visible(report.message)}
            </p>
            <ul className="connection-hosts">
              {report.hosts.map((host) => (
                <li key={`${host.host}:${host.port}`}>
                  <span className={`badge connection-${host.verdict}`}>{t(`connectionVerdict.${host.verdict}`)}</span> {visible(host.host)}
                  {host.verdict !== 'ok' && <span className="muted"> — {visible(host.message)}</span>}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  )
}
