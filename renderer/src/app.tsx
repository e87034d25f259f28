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
import { SettingsScreen } from './screens/settings'
import type { AppInfo, CertAuditBridge, ScanReport } from './types'

export type Screen =
  | { readonly name: 'home' }
  | { readonly name: 'scanning' }
  | { readonly name: 'results' }
  | { readonly name: 'finding'; readonly findingId: string }
  | { readonly name: 'wizard'; readonly findingIds: readonly string[]; readonly from: 'results' | 'finding' }
  | { readonly name: 'history' }
  | { readonly name: 'settings' }

const QUIET_SCREENS: readonly Screen['name'][] = ['home', 'results', 'finding', 'history', 'settings']
const FINDING_ID = /^[0-9a-f]{8,64}$/

/** Where to go once the next scan is in: a finding (a guard notification's click), or its removal wizard again. */
type Target = { readonly screen: 'finding' | 'wizard'; readonly findingId: string }

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
  const target = useRef<Target | null>(null)

  useEffect(() => {
    document.documentElement.lang = lang
    document.title = translator.t('app.title')
  }, [lang, translator])

  /** A finding to show (or to remove again), from a fresh scan: the machine may have changed since the last one. */
  const openTarget = useRef<(next: Target) => void>(() => {})
  const loadInfo = useCallback(async () => {
    try {
      const next = await bridge.appInfo({})
      setInfo(next)
      if (!languageChosen.current) setLang(next.language)
      if (next.openFinding) openTarget.current({ screen: 'finding', findingId: next.openFinding })
    } catch (error) {
      setAppError(errorMessage(error))
    }
  }, [bridge])

  useEffect(() => {
    void loadInfo()
  }, [loadInfo])

  // A guard notification clicked while the window is open.
  useEffect(() => bridge.onOpenFinding((findingId) => openTarget.current({ screen: 'finding', findingId })), [bridge])

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
        const wanted = target.current
        target.current = null
        const found = wanted && next.findings.some((f) => f.id === wanted.findingId)
        if (visible && wanted && found) setScreen(wanted.screen === 'finding' ? { name: 'finding', findingId: wanted.findingId } : { name: 'wizard', findingIds: [wanted.findingId], from: 'finding' })
        else if (visible) setScreen({ name: 'results' })
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

  openTarget.current = (next: Target) => {
    if (!FINDING_ID.test(next.findingId) || locked) return
    target.current = next
    setAppError(null)
    void runScan(lang, true)
  }

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
          <HomeScreen
            bridge={bridge}
            info={info}
            report={report}
            stale={stale}
            onScan={() => void runScan(lang, true)}
            onResults={() => go({ name: 'results' })}
            onChanged={changed}
            onOpenFinding={(findingId) => openTarget.current({ screen: 'finding', findingId })}
          />
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
        {screen.name === 'history' && (
          <HistoryScreen bridge={bridge} report={report} onChanged={changed} onRemoveAgain={(findingId) => openTarget.current({ screen: 'wizard', findingId })} />
        )}
        {screen.name === 'settings' && <SettingsScreen bridge={bridge} onOpen={(findingId) => openTarget.current({ screen: 'finding', findingId })} />}
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
