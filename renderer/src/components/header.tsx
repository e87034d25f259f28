/** The top bar: the app's name, the three places (scan, history, settings) and the language switch. */
import type { ReactElement } from 'react'
import type { Screen } from '../app'
import { LANGUAGES, type Language } from '../i18n'
import { useI18n } from '../i18n-context'
import { Icon } from './icons'

export function Header({
  screen,
  locked,
  onNavigate,
  onLanguage,
}: {
  readonly screen: Screen['name']
  readonly locked: boolean
  readonly onNavigate: (name: 'home' | 'history' | 'settings') => void
  readonly onLanguage: (lang: Language) => void
}): ReactElement {
  const { t, lang } = useI18n()
  const current = (name: 'home' | 'history' | 'settings') => (screen === name ? 'page' : undefined)
  return (
    <header className="app-header">
      <p className="brand">
        <Icon name="shield" />
        <span>CertAudit</span>
      </p>
      <nav aria-label={t('nav.label')}>
        <ul className="nav-list">
          <li>
            <button type="button" className="nav-button" aria-current={current('home')} disabled={locked} onClick={() => onNavigate('home')}>
              {t('nav.home')}
            </button>
          </li>
          <li>
            <button type="button" className="nav-button" aria-current={current('history')} disabled={locked} onClick={() => onNavigate('history')}>
              {t('nav.history')}
            </button>
          </li>
          <li>
            <button type="button" className="nav-button" aria-current={current('settings')} disabled={locked} onClick={() => onNavigate('settings')}>
              {t('nav.settings')}
            </button>
          </li>
        </ul>
      </nav>
      <div className="language-switch" role="group" aria-label={t('language.label')}>
        {LANGUAGES.map((language) => (
          <button key={language.code} type="button" lang={language.code} className="language-button" aria-pressed={lang === language.code} onClick={() => onLanguage(language.code)}>
            {language.name}
          </button>
        ))}
      </div>
    </header>
  )
}
