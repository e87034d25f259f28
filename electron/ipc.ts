import { ipcMain as electronIpcMain, type IpcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { parseRequest, type CertAuditApi } from '../src/api/certaudit-api.js'
import { requests, type Channel, type RequestData, type Responses } from '../src/api/contract.js'
import { PROGRESS_CHANNEL } from '../src/api/verbs.js'

/** A message from anything but our own window's main frame, showing our own page. */
export class ForeignSenderError extends Error {
  constructor(channel: string) {
    super(`Refused ${channel}: the request did not come from CertAudit's window.`)
    this.name = 'ForeignSenderError'
  }
}

export interface IpcOptions {
  /** Where the handlers go: Electron's ipcMain (only this file and the preload touch IPC; tests pass a recorder). */
  readonly ipcMain?: Pick<IpcMain, 'handle'>
  readonly api: CertAuditApi
  /** The window allowed to talk to the engine. */
  readonly window: () => WebContents | null
  /** The page it must be showing (the app's own index.html). */
  readonly appUrl: string
  /** Desktop-only answers for some channels (save dialogs, opening links), given the checked request; the rest goes to the API. */
  readonly overrides?: Partial<{ [C in Channel]: (request: RequestData<C>, event: IpcMainInvokeEvent) => Promise<Responses[C]> }>
}

/**
 * Registers one handler per channel of the contract. Each first checks that the sender is our own
 * window's main frame on our own page (GitHub Desktop drops messages from untrusted senders the same
 * way), then hands the raw payload to the API, which validates it against the channel's schema.
 */
export function registerIpc(options: IpcOptions): void {
  const ipcMain = options.ipcMain ?? electronIpcMain
  for (const channel of Object.keys(requests) as Channel[]) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event, options)) throw new ForeignSenderError(channel)
      const override = options.overrides?.[channel] as ((request: unknown, event: IpcMainInvokeEvent) => Promise<unknown>) | undefined
      if (override) return override(parseRequest(channel, payload), event) // the API's own schema check and error first
      return options.api.handle(channel, payload, (progress) => event.sender.send(PROGRESS_CHANNEL, progress))
    })
  }
}

/** Our window, its main frame, showing our page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, options: Pick<IpcOptions, 'window' | 'appUrl'>): boolean {
  const window = options.window()
  const frame = event.senderFrame
  if (!window || event.sender.id !== window.id || !frame) return false
  if (frame !== window.mainFrame) return false
  return frame.url === options.appUrl
}
