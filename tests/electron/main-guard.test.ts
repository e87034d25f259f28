/**
 * electron/main.ts's guard wiring, with `electron` replaced by a recorder (as tests/electron/preload.test.ts
 * does) and the engine by a stub: `--guard-watch` runs one check with no window and no single-instance
 * lock and exits with its code; a start with `--finding <id>` hands the id to the window once, through
 * app:info; a second start (or macOS's open-url) while the window is open pushes it to the window.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as CertAuditApiModule from '../../src/api/certaudit-api.js'

const state = vi.hoisted(() => ({
  appHandlers: new Map<string, (...args: unknown[]) => void>(),
  ipc: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
  exit: [] as number[],
  windows: 0,
  window: null as null | { webContents: { id: number; mainFrame: { url: string } } },
  locked: 0,
  sent: [] as unknown[][],
  protocols: [] as string[],
  apiCalls: [] as unknown[][],
}))

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { id: 1, mainFrame: { url: '' }, send: (...args: unknown[]) => state.sent.push(args) }
    constructor() {
      state.windows++
      state.window = this
    }
    once() {}
    on() {}
    isMinimized() {
      return false
    }
    focus() {}
    restore() {}
    async loadURL(url: string) {
      this.webContents.mainFrame.url = url
    }
  }
  return {
    app: {
      isPackaged: true,
      getVersion: () => '9.9.9',
      getLocale: () => 'en-US',
      getAppPath: () => '/app',
      requestSingleInstanceLock: () => (state.locked++, true),
      setAsDefaultProtocolClient: (scheme: string) => state.protocols.push(scheme),
      on: (name: string, handler: (...args: unknown[]) => void) => state.appHandlers.set(name, handler),
      whenReady: () => Promise.resolve(),
      quit: () => {},
      exit: (code: number) => state.exit.push(code),
      dock: { hide: () => {} },
    },
    BrowserWindow,
    dialog: {},
    ipcMain: { handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => state.ipc.set(channel, handler) },
    session: { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {}, on: () => {} } },
    shell: { openExternal: async () => {} },
  }
})

vi.mock('../../src/api/certaudit-api.js', async (importOriginal) => ({
  ...(await importOriginal<typeof CertAuditApiModule>()),
  createCertAuditApi: (options: { guardLauncher?: unknown }) => ({
    handle: async (channel: string, payload: unknown) => {
      state.apiCalls.push([channel, payload, options.guardLauncher])
      if (channel === 'guard:watch') return { serious: 1, problems: [] }
      if (channel === 'app:info') return { version: '9.9.9', pendingGuardEvents: [] }
      return {}
    },
  }),
}))

const argv = process.argv
beforeEach(() => {
  vi.resetModules()
  state.appHandlers.clear()
  state.ipc.clear()
  state.exit.length = 0
  state.sent.length = 0
  state.protocols.length = 0
  state.apiCalls.length = 0
  state.windows = 0
  state.window = null
  state.locked = 0
})
afterEach(() => {
  process.argv = argv
})

const flush = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('electron/main.ts and the guard', () => {
  it('--guard-watch: one check with a notification, no window, no lock, then exit with its code', async () => {
    process.argv = ['/opt/CertAudit/certaudit-app', '--guard-watch', '--lang', 'ru']
    await import('../../electron/main.js')
    await flush()
    expect(state.apiCalls).toEqual([['guard:watch', { language: 'ru', notify: true }, { kind: 'app', program: process.execPath }]])
    expect(state.exit).toEqual([1])
    expect(state.windows).toBe(0)
    expect(state.locked).toBe(0)
  })

  it('--finding <id> at start: the window gets it once from app:info; the scheme is registered', async () => {
    process.argv = ['/opt/CertAudit/certaudit-app', '--finding', '00309c736dd661da']
    await import('../../electron/main.js')
    await flush()
    expect(state.windows).toBe(1)
    expect(state.protocols).toEqual(['certaudit'])
    // Asked by our own window's main frame on our page (electron/ipc.ts checks the sender first).
    const ours = { sender: { id: 1, send: () => {} }, senderFrame: state.window!.webContents.mainFrame }
    const appInfo = state.ipc.get('app:info')!
    expect(await appInfo(ours, {})).toMatchObject({ version: '9.9.9', openFinding: '00309c736dd661da' })
    expect(await appInfo(ours, {})).not.toHaveProperty('openFinding')
  })

  it('a second start or open-url while the window is open pushes the finding to it', async () => {
    process.argv = ['/opt/CertAudit/certaudit-app']
    await import('../../electron/main.js')
    await flush()
    state.appHandlers.get('second-instance')!({}, ['/opt/CertAudit/certaudit-app', 'certaudit://finding/00309c736dd661da'])
    state.appHandlers.get('open-url')!({ preventDefault: () => {} }, 'certaudit://finding/aaaaaaaaaaaaaaaa')
    state.appHandlers.get('second-instance')!({}, ['/opt/CertAudit/certaudit-app', '--finding', '../../etc'])
    expect(state.sent).toEqual([
      ['app:open-finding', '00309c736dd661da'],
      ['app:open-finding', 'aaaaaaaaaaaaaaaa'],
    ])
  })
})
