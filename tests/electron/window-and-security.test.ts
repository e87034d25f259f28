import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { denyPermissions, hardenContents, isSafeExternalUrl } from '../../electron/security.js'
import { getWindowOptions } from '../../electron/window-options.js'

describe('getWindowOptions', () => {
  it('isolates and sandboxes the renderer, with no Node.js and no <webview>', () => {
    const options = getWindowOptions('/app/preload.cjs')
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    })
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
})
