import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { findBridge } from './bridge'
import { createTranslator } from './i18n'

const bridge = findBridge()
const root = createRoot(document.getElementById('root')!)
if (bridge) {
  root.render(
    <StrictMode>
      <App bridge={bridge} />
    </StrictMode>,
  )
} else {
  // Opened outside CertAudit (a plain browser): there is no engine to talk to.
  const { t } = createTranslator('en')
  root.render(
    <main className="screen">
      <h1>{t('app.noBridgeTitle')}</h1>
      <p>{t('app.noBridge')}</p>
    </main>,
  )
}
