/**
 * The Electron main process: one window, hardened, wired to the engine through the contract's
 * channels. No business logic here (DESIGN.md): the engine is src/, the screens are renderer/.
 */
import { app, BrowserWindow, dialog, session, shell } from 'electron'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createCertAuditApi } from '../src/api/certaudit-api.js'
import { OPEN_FINDING_CHANNEL, type Responses } from '../src/api/contract.js'
import { URL_SCHEME } from '../src/guard/notify/index.js'
import { createEnvironment } from '../src/stores/shared/environment.js'
import { appLauncher, findingFromArgs, findingFromUrl, GUARD_WATCH_FLAG, runGuardWatch } from './guard.js'
import { registerIpc } from './ipc.js'
import { denyDownloads, denyPermissions, hardenContents, isSafeExternalUrl } from './security.js'
import { getWindowOptions } from './window-options.js'

/** Milliseconds since the main process started, once its code (one bundled file) is loaded. */
const loadedAt = performance.now()
const here = import.meta.dirname // dist/electron/
const rendererIndex = join(here, '..', 'renderer', 'index.html')
const appUrl = pathToFileURL(rendererIndex).href

let mainWindow: BrowserWindow | null = null
/** The finding a guard notification asked to open, until the window takes it (app:info). */
let requestedFinding: string | null = findingFromArgs(process.argv)
// The guard's schedule starts the installed app, not a dev build's Electron (which runs the CLI instead).
const guardLauncher = app.isPackaged ? appLauncher(process.execPath, process.env) : undefined

/** Shows a finding a notification's click asked for: in the open window, or when it asks at start. */
function openFinding(findingId: string | null): void {
  if (!findingId) return
  if (mainWindow) mainWindow.webContents.send(OPEN_FINDING_CHANNEL, findingId)
  else requestedFinding = findingId
}

if (process.argv.includes(GUARD_WATCH_FLAG)) {
  // The schedule's check: no window, no single-instance lock (the app may be open), then quit with its code.
  app.dock?.hide()
  const api = createCertAuditApi({ env: createEnvironment(), version: app.getVersion(), ...(guardLauncher ? { guardLauncher } : {}) })
  void runGuardWatch(api, process.argv, process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || app.getLocale(), (text) => process.stderr.write(text)).then((code) => app.exit(code))
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  if (app.isPackaged) app.setAsDefaultProtocolClient(URL_SCHEME)
  app.on('open-url', (event, url) => {
    event.preventDefault()
    openFinding(findingFromUrl(url))
  })
  app.on('second-instance', (_event, argv) => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
    openFinding(findingFromArgs(argv))
  })
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, shell))
  app.on('window-all-closed', () => app.quit())
  void app.whenReady().then(start)
}

async function start(): Promise<void> {
  denyPermissions(session.defaultSession)
  denyDownloads(session.defaultSession)
  const api = createCertAuditApi({ env: createEnvironment(), version: app.getVersion(), ...(guardLauncher ? { guardLauncher } : {}) })
  registerIpc({
    api,
    window: () => mainWindow?.webContents ?? null,
    appUrl,
    overrides: {
      'app:info': async () => {
        const info = await api.handle('app:info', {})
        const findingId = requestedFinding
        requestedFinding = null
        return findingId ? { ...info, openFinding: findingId } : info
      },
      'report:export': async ({ format }) => saveReport(api, format),
      'link:open': async ({ url }) => {
        if (!isSafeExternalUrl(url)) return { opened: false }
        await shell.openExternal(url)
        return { opened: true }
      },
    },
  })
  // Every option, the security flags included, comes from the one pure function that
  // tests/electron/window-and-security.test.ts compares whole: nothing is added or overridden here.
  mainWindow = new BrowserWindow(getWindowOptions(join(here, 'preload.cjs')))
  mainWindow.once('ready-to-show', () => {
    // CERTAUDIT_STARTUP_TIMING=1: the Electron smoke test and `npm run bench` read this line.
    if (process.env.CERTAUDIT_STARTUP_TIMING) {
      process.stdout.write(`certaudit: main process loaded after ${Math.round(loadedAt)} ms, ready-to-show after ${Math.round(performance.now())} ms\n`)
    }
    mainWindow?.show()
  })
  mainWindow.on('closed', () => (mainWindow = null))
  await mainWindow.loadURL(appUrl)
}

/** Exports the last report where the user chooses. */
async function saveReport(api: ReturnType<typeof createCertAuditApi>, format: 'html' | 'json'): Promise<Responses['report:export']> {
  const exported = await api.handle('report:export', { format })
  const choice = await dialog.showSaveDialog(mainWindow!, { defaultPath: exported.fileName })
  if (choice.canceled || !choice.filePath) return { fileName: exported.fileName, cancelled: true }
  await writeFile(choice.filePath, exported.content ?? '')
  return { fileName: exported.fileName, saved: choice.filePath }
}
