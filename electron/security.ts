import type { Session, Shell, WebContents } from 'electron'

/** Only https links leave the app, and only to the user's browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Locks a window's contents to the app's own page (Electron security checklist:
 * https://www.electronjs.org/docs/latest/tutorial/security): no navigation, no new windows (https links
 * open in the browser instead), no <webview>.
 */
export function hardenContents(contents: WebContents, shell: Pick<Shell, 'openExternal'>): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

/**
 * No camera, microphone, screen capture, notifications, geolocation…: the app asks for nothing. (Since
 * Electron 45 screen capture arrives as its own `display-capture` permission, no longer as `media`;
 * refusing every permission covers both.)
 */
export function denyPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * The window never downloads: reports are saved through the save dialog (main.ts, `report:export`).
 * Since Electron 43 a download no page handler catches goes straight into ~/Downloads without asking,
 * so a link or script in the page could otherwise write files there.
 */
export function denyDownloads(session: Pick<Session, 'on'>): void {
  session.on('will-download', (event) => event.preventDefault())
}
