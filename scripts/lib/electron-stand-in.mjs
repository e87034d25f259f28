// A stand-in for the `electron` module, so the bundled main process (dist/electron/main.js) can run under
// plain Node where Electron's binary is not installed: `npm run package:check` drives the packed app's
// main through its real IPC handlers, and `npm run bench` times its import and start. Nothing here draws
// a window; it records what main.js asks of Electron and answers like Electron would for one window.
// Loaded in place of `electron` by electron-stand-in-hooks.mjs (see useElectronStandIn there).
import { EventEmitter } from 'node:events'
import { performance } from 'node:perf_hooks'

/** Channel → handler, as main.js registered them with ipcMain.handle. */
export const handlers = new Map()
/** Every BrowserWindow main.js made, with the options it passed. */
export const windows = []

const { promise: shownPromise, resolve: markShown } = Promise.withResolvers()
/** Resolves with performance.now() when main.js shows its window (on ready-to-show). */
export const shown = shownPromise

export const app = Object.assign(new EventEmitter(), {
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getVersion: () => '0.0.0-stand-in',
  quit: () => {},
})

export const ipcMain = { handle: (channel, handler) => void handlers.set(channel, handler) }

export const session = {
  defaultSession: Object.assign(new EventEmitter(), { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} }),
}

export const shell = { openExternal: async () => {} }
export const dialog = { showSaveDialog: async () => ({ canceled: true }) }

let nextId = 1
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.options = options
    const mainFrame = { url: '' }
    this.webContents = Object.assign(new EventEmitter(), { id: nextId++, mainFrame, send() {}, setWindowOpenHandler() {} })
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }

  /** Like Electron: the page "loads", then the window is ready to show. */
  async loadURL(url) {
    this.webContents.mainFrame.url = url
    setImmediate(() => this.emit('ready-to-show'))
  }

  show() {
    markShown(performance.now())
  }

  isMinimized() {
    return false
  }

  restore() {}
  focus() {}
}

/** The IPC event Electron gives a handler for a message from this window's main frame. */
export function eventFrom(window) {
  return { sender: window.webContents, senderFrame: window.webContents.mainFrame }
}
