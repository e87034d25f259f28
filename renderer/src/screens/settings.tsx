/** Settings: the guard's switch, what it installed, its last check, and a check on demand. */
import { useState, type ReactElement } from 'react'
import { errorMessage } from '../bridge'
import { Busy, ErrorNotice, FocusHeading } from '../components/common'
import { GuardSwitch } from '../components/guard'
import { useI18n } from '../i18n-context'
import type { CertAuditBridge, GuardCheck } from '../types'

export function SettingsScreen({ bridge, onOpen }: { readonly bridge: CertAuditBridge; readonly onOpen: (findingId: string) => void }): ReactElement {
  const { t, lang } = useI18n()
  const [check, setCheck] = useState<GuardCheck | null>(null)
  const [checking, setChecking] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // The switch shows the state it reads on mount: after a check, it is read again.
  const [round, setRound] = useState(0)

  const checkNow = async () => {
    setChecking(true)
    setError(null)
    try {
      const result = await bridge.checkNow({ language: lang })
      setCheck(result)
      setRound((n) => n + 1)
      // Shown here: not again as "found while CertAudit was closed" at the next start.
      if (result.events.length) await bridge.guardEvents({ acknowledge: result.events.map((e) => e.id) }).catch(() => {})
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setChecking(false)
    }
  }
  const told = check?.events.filter((e) => e.kind !== 'gone') ?? []

  return (
    <section aria-labelledby="settings-title">
      <FocusHeading id="settings-title">{t('settings.title')}</FocusHeading>
      <section className="panel" aria-labelledby="guard-title">
        <h2 id="guard-title">{t('guard.title')}</h2>
        <GuardSwitch key={round} bridge={bridge} label={t('guard.switch')} />
        <p className="muted">{t('guard.howToOff')}</p>
        <div className="actions">
          <button type="button" className="button" disabled={checking} onClick={() => void checkNow()}>
            {t('guard.checkNow')}
          </button>
        </div>
        {checking && <Busy>{t('guard.checking')}</Busy>}
        {error && <ErrorNotice message={error} />}
        {check && (
          <div role="status" className="guard-check">
            <p>{check.baseline ? t('guard.checkBaseline') : check.events.length === 0 ? t('guard.checkNothing') : t('guard.checkEvents', { count: check.events.length })}</p>
            {told.length > 0 && (
              <ul>
                {told.map((event) => (
                  <li key={event.id}>
                    {t(event.kind === 'returned' ? 'guard.returnedTitle' : 'guard.newTitle', { title: event.title })}{' '}
                    <button type="button" className="button button-small" onClick={() => onOpen(event.findingId)}>
                      {t('guard.show')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
    </section>
  )
}
