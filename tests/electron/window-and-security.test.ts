import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { denyDownloads, denyPermissions, hardenContents, isSafeExternalUrl } from '../../electron/security.js'
import { getWindowOptions } from '../../electron/window-options.js'

describe('getWindowOptions', () => {
  // The whole object main.ts hands to new BrowserWindow (it adds nothing): any field added, changed or
  // dropped fails here and has to be looked at.
  it('is exactly this: isolated, sandboxed, no Node.js, no <webview>, nothing insecure', () => {
    expect(getWindowOptions('/app/preload.cjs')).toEqual({
      width: 1100,
      height: 780,
      minWidth: 720,
      minHeight: 560,
      title: 'CertAudit',
      show: false,
      backgroundColor: '#f7f8fa',
      autoHideMenuBar: true,
      webPreferences: {
        preload: '/app/preload.cjs',
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
        disableBlinkFeatures: 'Auxclick',
      },
    })
  })

  it('is what main.ts passes to new BrowserWindow, unchanged', () => {
    const main = readFileSync(fileURLToPath(new URL('../../electron/main.ts', import.meta.url)), 'utf8')
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1)
    expect(main).toContain("new BrowserWindow(getWindowOptions(join(here, 'preload.cjs')))")
  })
})

/** A stand-in for Electron's WebContents: the events and the window-open hook that hardenContents uses. */
function fakeContents() {
  const emitter = new EventEmitter()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = Object.assign(emitter, { setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h) })
  return { contents, open: (url: string) => openHandler!({ url }) }
}

describe('hardenContents', () => {
  it('blocks navigation, redirects and <webview>', () => {
    const { contents } = fakeContents()
    hardenContents(contents as never, { openExternal: vi.fn() })
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      contents.emit(name, event, 'https://evil.example')
      expect(event.preventDefault, name).toHaveBeenCalled()
    }
  })

  it('never opens a window; https links go to the browser, anything else nowhere', () => {
    const { contents, open } = fakeContents()
    const openExternal = vi.fn(async () => {})
    hardenContents(contents as never, { openExternal })
    expect(open('https://ooni.org/post/2024-kazakhstan-report/')).toEqual({ action: 'deny' })
    expect(open('http://example.com')).toEqual({ action: 'deny' })
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' })
    expect(openExternal.mock.calls).toEqual([['https://ooni.org/post/2024-kazakhstan-report/']])
  })

  it('accepts only https URLs as external links', () => {
    expect(isSafeExternalUrl('https://crt.sh/?id=1')).toBe(true)
    for (const url of ['http://a', 'file:///x', 'ftp://a', 'javascript:x', 'not a url']) expect(isSafeExternalUrl(url)).toBe(false)
  })

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | undefined
    let check: (() => boolean) | undefined
    denyPermissions({ setPermissionRequestHandler: (h: typeof request) => (request = h), setPermissionCheckHandler: (h: typeof check) => (check = h) } as never)
    const callback = vi.fn()
    request!(null, 'media', callback)
    expect(callback).toHaveBeenCalledWith(false)
    expect(check!()).toBe(false)
  })

  it('cancels every download (since Electron 43 one would land in ~/Downloads unasked)', () => {
    const session = new EventEmitter()
    denyDownloads(session as never)
    const event = { preventDefault: vi.fn() }
    session.emit('will-download', event, { getURL: () => 'blob:file:///x' })
    expect(event.preventDefault).toHaveBeenCalledOnce()
    expect(session.listenerCount('will-download')).toBe(1)
  })
})
