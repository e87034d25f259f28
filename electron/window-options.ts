import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The window's options, as a pure function so a unit test can assert every security setting
 * (STYLE.md 9). The renderer runs sandboxed, isolated from the preload, with no Node.js: everything it
 * needs comes through the named verbs of window.certAudit.
 */
export function getWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 780,
    minWidth: 720,
    minHeight: 560,
    title: 'CertAudit',
    show: false,
    backgroundColor: '#f7f8fa',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would open links in a new window; window.open is denied anyway, this closes the path.
      disableBlinkFeatures: 'Auxclick',
    },
  }
}
