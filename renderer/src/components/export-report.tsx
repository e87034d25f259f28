/**
 * Saving the report. In the desktop app the shell shows a save dialog and answers `saved` (the path);
 * without one (the browser harness) it answers the file itself, offered here as a download link.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react'
import { errorMessage } from '../bridge'
import { useI18n } from '../i18n-context'
import type { CertAuditBridge } from '../types'
import { ErrorNotice } from './common'
import { Icon } from './icons'

interface Download {
  readonly url: string
  readonly fileName: string
}

export function ExportReport({ bridge }: { readonly bridge: CertAuditBridge }): ReactElement {
  const { t } = useI18n()
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const [download, setDownload] = useState<Download | null>(null)
  const [error, setError] = useState<string | null>(null)
  const link = useRef<HTMLAnchorElement>(null)

  // Object URLs live until revoked: one at a time.
  useEffect(() => () => void (download && URL.revokeObjectURL(download.url)), [download])
  useEffect(() => link.current?.focus(), [download])

  const save = async (format: 'html' | 'json') => {
    setBusy(true)
    setError(null)
    setSaved(null)
    setDownload(null)
    try {
      const answer = await bridge.exportReport({ format })
      if (answer.cancelled) return
      if (answer.saved) setSaved(answer.saved)
      else if (answer.content !== undefined) {
        const type = format === 'json' ? 'application/json' : 'text/html'
        setDownload({ url: URL.createObjectURL(new Blob([answer.content], { type: `${type};charset=utf-8` })), fileName: answer.fileName })
      }
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">{t('export.title')}</h2>
      <p>{t('export.lead')}</p>
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => void save('html')}>
          {t('export.html')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void save('json')}>
          {t('export.json')}
        </button>
      </div>
      <div role="status">
        {saved && <p>{t('export.saved', { path: saved })}</p>}
        {download && (
          <p>
            <a ref={link} className="download-link" href={download.url} download={download.fileName}>
              <Icon name="folder" />
              {t('export.download', { file: download.fileName })}
            </a>
          </p>
        )}
      </div>
      {error && <ErrorNotice message={error} />}
    </section>
  )
}
