/**
 * The window: which screen is shown, the latest scan, the language. Every call to the engine goes
 * through `bridge` (window.certAudit); each screen gets only what it needs.
 *
 * Language: the engine writes verdicts, explanations and advice in the language of the scan. When the
 * language is switched while a scan is shown, the scan is run again in the new language in the
 * background (the results stay on screen until the new ones replace them), so a page never mixes
 * languages. Command output and change results come from the engine in English and are marked
 * lang="en"; a removal plan's instructions and warnings are written in the chosen language.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { errorMessage } from './bridge'
import { visible } from './visible'
import { Header } from './components/header'
import { createTranslator, type Language } from './i18n'
import { I18nProvider } from './i18n-context'
import { FindingScreen } from './screens/finding'
import { HistoryScreen } from './screens/history'
import { HomeScreen } from './screens/home'
import { ResultsScreen } from './screens/results'
import { ScanningScreen, applyProgress, type ScanStore } from './screens/scanning'
import { RemovalWizard } from './screens/wizard'
import type { AppInfo, CertAuditBridge, ScanReport } from './types'

export type Screen =
  | { readonly name: 'home' }
  | { readonly name: 'scanning' }
  | { readonly name: 'results' }
  | { readonly name: 'finding'; readonly findingId: string }
  | { readonly name: 'wizard'; readonly findingIds: readonly string[]; readonly from: 'results' | 'finding' }
  | { readonly name: 'history' }

const QUIET_SCREENS: readonly Screen['name'][] = ['home', 'results', 'finding', 'history']

export function App({ bridge }: { readonly bridge: CertAuditBridge }): ReactElement {
  const [lang, setLang] = useState<Language>('en')
  const translator = useMemo(() => createTranslator(lang), [lang])
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [screen, setScreen] = useState<Screen>({ name: 'home' })
  const [report, setReport] = useState<ScanReport | null>(null)
  const [stale, setStale] = useState(false)
  const [progress, setProgress] = useState<readonly ScanStore[]>([])
  const [scanError, setScanError] = useState<string | null>(null)
  const [appError, setAppError] = useState<string | null>(null)
  const [relanguaging, setRelanguaging] = useState(false)
  const [locked, setLocked] = useState(false)
  const scanRun = useRef(0)
  const languageChosen = useRef(false)

  useEffect(() => {
    document.documentElement.lang = lang
    document.title = translator.t('app.title')
  }, [lang, translator])

  const loadInfo = useCallback(async () => {
    try {
      const next = await bridge.appInfo({})
      setInfo(next)
      if (!languageChosen.current) setLang(next.language)
    } catch (error) {
      setAppError(errorMessage(error))
    }
  }, [bridge])

  useEffect(() => {
    void loadInfo()
  }, [loadInfo])

  /** A scan: `visible` shows the scanning screen; otherwise the shown results are replaced when it ends. */
  const runScan = useCallback(
    async (language: Language, visible: boolean) => {
      const run = ++scanRun.current
      if (visible) {
        setProgress([])
        setScanError(null)
        setScreen({ name: 'scanning' })
      } else {
        setRelanguaging(true)
      }
      const unsubscribe = visible ? bridge.onProgress((event) => scanRun.current === run && setProgress((stores) => applyProgress(stores, event))) : () => {}
      try {
        const next = await bridge.scan({ language })
        if (scanRun.current !== run) return
        setReport(next)
        setStale(false)
        if (visible) setScreen({ name: 'results' })
      } catch (error) {
        if (scanRun.current !== run) return
        if (visible) setScanError(errorMessage(error))
        else setAppError(errorMessage(error))
      } finally {
        unsubscribe()
        if (scanRun.current === run) setRelanguaging(false)
      }
    },
    [bridge],
  )

  // Keep the engine's texts in the window's language (see the comment at the top): one scan per language
  // chosen, not one more each time the user moves between screens while it runs (or after it failed).
  const rescannedFor = useRef<Language | null>(null)
  useEffect(() => {
    if (!report || report.language === lang || !QUIET_SCREENS.includes(screen.name) || rescannedFor.current === lang) return
    rescannedFor.current = lang
    void runScan(lang, false)
  }, [lang, report, screen.name, runScan])

  const chooseLanguage = (next: Language) => {
    languageChosen.current = true
    setLang(next)
  }
  const cancelScan = () => {
    scanRun.current++ // the running scan's result is ignored here, and by the engine for plans and exports
    void bridge.cancelScan({}).catch(() => {})
    setScreen({ name: 'home' })
  }
  const changed = () => {
    setStale(true)
    void loadInfo()
  }
  const go = (next: Screen) => {
    setAppError(null)
    setScreen(next)
  }

  return (
    <I18nProvider value={translator}>
      <a className="skip-link" href="#main">
        {translator.t('app.skipToContent')}
      </a>
      <Header screen={screen.name} locked={locked || screen.name === 'scanning'} onNavigate={(name) => go({ name })} onLanguage={chooseLanguage} />
      <main id="main" className={`screen screen-${screen.name}`}>
        {appError && (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{translator.t('error.title')}</p>
            <p className="engine-text" lang="en">
              {visible(appError)}
            </p>
          </div>
        )}
        {screen.name === 'home' && (
          <HomeScreen bridge={bridge} info={info} report={report} stale={stale} onScan={() => void runScan(lang, true)} onResults={() => go({ name: 'results' })} onChanged={changed} />
        )}
        {screen.name === 'scanning' && <ScanningScreen stores={progress} error={scanError} onCancel={cancelScan} onRetry={() => void runScan(lang, true)} />}
        {screen.name === 'results' && report && (
          <ResultsScreen
            bridge={bridge}
            report={report}
            stale={stale}
            relanguaging={relanguaging}
            onScan={() => void runScan(lang, true)}
            onOpen={(findingId) => go({ name: 'finding', findingId })}
            onRemove={(findingId) => go({ name: 'wizard', findingIds: [findingId], from: 'results' })}
          />
        )}
        {screen.name === 'finding' && report && (
          <FindingScreen
            bridge={bridge}
            report={report}
            findingId={screen.findingId}
            onBack={() => go({ name: 'results' })}
            onRemove={(findingId) => go({ name: 'wizard', findingIds: [findingId], from: 'finding' })}
          />
        )}
        {screen.name === 'wizard' && report && (
          <RemovalWizard
            bridge={bridge}
            report={report}
            findingIds={screen.findingIds}
            onBusy={setLocked}
            onChanged={changed}
            onExit={() => go(screen.from === 'finding' && screen.findingIds[0] ? { name: 'finding', findingId: screen.findingIds[0] } : { name: 'results' })}
            onScanAgain={() => void runScan(lang, true)}
            onHome={() => go({ name: 'home' })}
          />
        )}
        {screen.name === 'history' && <HistoryScreen bridge={bridge} report={report} onChanged={changed} />}
      </main>
      <footer className="app-footer">
        {info && (
          <p>
            {translator.t('footer.blocklist', { version: info.blocklist.version, date: translator.formatDate(info.blocklist.updated), count: info.blocklist.entries })}
            {' · '}
            {translator.t('footer.version', { version: info.version })}
          </p>
        )}
        {info && info.blocklist.warnings.length > 0 && (
          <div className="notice notice-warning" role="alert">
            <p className="notice-title">{translator.t('footer.blocklistRefused')}</p>
            {info.blocklist.warnings.map((warning) => (
              <p key={warning} className="engine-text" lang="en">
                {visible(warning)}
              </p>
            ))}
          </div>
        )}
      </footer>
    </I18nProvider>
  )
}
