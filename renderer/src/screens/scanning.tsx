/** The scan running: which store is being read, how far it is, and a way back. */
import type { ReactElement } from 'react'
import { Busy, ErrorNotice, FocusHeading } from '../components/common'
import { Icon } from '../components/icons'
import { useI18n } from '../i18n-context'
import { storeName } from '../labels'
import type { ScanProgressEvent, StoreFacts, StoreKind } from '../types'

export interface ScanStore {
  readonly storeId: string
  readonly kind: StoreKind
  readonly location: string
  readonly facts?: StoreFacts
  readonly finished: boolean
  readonly entryCount: number
  readonly failed: boolean
}

/** The stores of the running scan after one progress event. */
export function applyProgress(stores: readonly ScanStore[], event: ScanProgressEvent): readonly ScanStore[] {
  const known = stores.find((s) => s.storeId === event.storeId)
  const next: ScanStore = {
    storeId: event.storeId,
    kind: event.kind,
    location: event.location,
    ...((event.facts ?? known?.facts) ? { facts: event.facts ?? known?.facts } : {}),
    finished: event.type === 'store-finished',
    entryCount: event.entryCount ?? known?.entryCount ?? 0,
    failed: event.status === 'failed',
  }
  return known ? stores.map((s) => (s === known ? next : s)) : [...stores, next]
}

export function ScanningScreen({
  stores,
  error,
  onCancel,
  onRetry,
}: {
  readonly stores: readonly ScanStore[]
  readonly error: string | null
  readonly onCancel: () => void
  readonly onRetry: () => void
}): ReactElement {
  const { t } = useI18n()
  const done = stores.filter((s) => s.finished).length
  const certificates = stores.reduce((sum, s) => sum + s.entryCount, 0)
  const reading = stores.find((s) => !s.finished)
  return (
    <section className="panel scanning" aria-labelledby="scanning-title">
      <FocusHeading id="scanning-title">{error ? t('scanning.failedTitle') : t('scanning.title')}</FocusHeading>
      {error ? (
        <>
          <ErrorNotice message={error} />
          <div className="actions">
            <button type="button" className="button button-primary" onClick={onRetry}>
              {t('scanning.retry')}
            </button>
            <button type="button" className="button" onClick={onCancel}>
              {t('scanning.back')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="lead">{t('scanning.lead')}</p>
          <label className="progress-label" htmlFor="scan-progress">
            {stores.length === 0 ? t('scanning.looking') : t('scanning.progress', { done, count: stores.length })}
          </label>
          {/* Without a value the bar is indeterminate: the stores are still being found. */}
          <progress id="scan-progress" className="progress" max={Math.max(stores.length, 1)} {...(stores.length ? { value: done } : {})} />
          <div role="status" className="scan-status">
            {reading ? (
              <p>{t('scanning.reading', { store: storeName(t, reading).label })}</p>
            ) : stores.length > 0 ? (
              <Busy>{t('scanning.checking')}</Busy>
            ) : null}
            <p className="muted">{t('scanning.counts', { count: certificates })}</p>
          </div>
          {stores.length > 0 && (
            <ul className="scan-stores" aria-label={t('scanning.storesLabel')}>
              {stores.map((store) => {
                const name = storeName(t, store)
                return (
                  <li key={store.storeId} className={store.finished ? (store.failed ? 'scan-store failed' : 'scan-store done') : 'scan-store'}>
                    <Icon name={store.finished ? (store.failed ? 'cross' : 'check') : name.icon} />
                    <span className="scan-store-name">{name.label}</span>
                    <span className="scan-store-state">
                      {store.finished ? (store.failed ? t('scanning.storeFailed') : t('scanning.storeDone', { count: store.entryCount })) : t('scanning.storeReading')}
                    </span>
                  </li>
                )
              })}
            </ul>
          )}
          <div className="actions">
            <button type="button" className="button" onClick={onCancel}>
              {t('scanning.cancel')}
            </button>
          </div>
        </>
      )}
    </section>
  )
}
