import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ForeignSenderError, registerIpc } from '../../electron/ipc.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { createCertAuditApi, InvalidRequestError } from '../../src/api/certaudit-api.js'
import { requests } from '../../src/api/contract.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { PROGRESS_CHANNEL } from '../../src/api/verbs.js'
import { makeCertificate } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'

const APP_URL = 'file:///opt/CertAudit/resources/app.asar/dist/renderer/index.html'

/** Our window, as ipc.ts sees it: a WebContents id and its main frame. */
const mainFrame = { url: APP_URL }
const ourWindow = { id: 7, mainFrame }

function setUp(env: Record<string, string> = {}, home: string = tempDir()) {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
  const api = createCertAuditApi({ env: createEnvironment({ home, systemRoot: tempDir(), env }), version: '1.2.3' })
  registerIpc({ ipcMain: { handle: (channel: string, h: never) => void handlers.set(channel, h) } as never, api, window: () => ourWindow as never, appUrl: APP_URL })
  const sent: unknown[] = []
  const call = (channel: string, payload: unknown, sender: { id: number; send: (...args: unknown[]) => unknown } = { id: 7, send: (...args) => sent.push(args) }, senderFrame: unknown = mainFrame) =>
    handlers.get(channel)!({ sender, senderFrame }, payload)
  return { handlers, call, sent }
}

describe('IPC handlers', () => {
  it('registers exactly one handler per channel of the contract', () => {
    expect([...setUp().handlers.keys()].sort()).toEqual(Object.keys(requests).sort())
  })

  it('answers our own window', async () => {
    const { call } = setUp()
    await expect(call('app:info', {})).resolves.toMatchObject({ version: '1.2.3', blocklist: { entries: loadBlocklist().entries.length }, interrupted: [] })
  })

  it('refuses another window, a sub-frame, and a page that is not ours', async () => {
    const { call } = setUp()
    await expect(call('app:info', {}, { id: 8, send: () => {} })).rejects.toBeInstanceOf(ForeignSenderError)
    await expect(call('app:info', {}, undefined, { url: APP_URL })).rejects.toBeInstanceOf(ForeignSenderError) // an iframe, not the main frame
    mainFrame.url = 'https://evil.example/'
    try {
      await expect(call('history:list', {})).rejects.toThrow(/did not come from CertAudit's window/)
    } finally {
      mainFrame.url = APP_URL
    }
  })

  it('refuses payloads that do not match the channel schema', async () => {
    const { call } = setUp()
    await expect(call('scan:start', { language: 'de' })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(call('scan:start', { language: 'en', extra: 1 })).rejects.toThrow(/Unrecognized key/)
    await expect(call('removal:plan', { findingIds: ['; rm -rf /'], mode: 'delete' })).rejects.toThrow(/8 to 64 hex digits/)
    await expect(call('removal:apply', { planId: '../../etc' })).rejects.toThrow(/not a change id/)
    await expect(call('link:open', { url: 'file:///etc/passwd' })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(call('history:list', null)).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('pushes scan progress to the window that asked', async () => {
    const { call, sent } = setUp()
    const report = (await call('scan:start', { language: 'en' })) as { verdict: { level: string } }
    expect(report.verdict.level).toBe('nothing-scanned') // an empty temp machine
    expect(sent).toEqual([]) // no store, no progress

    // A machine with one store (a bundle named by SSL_CERT_FILE): its start and end reach the sender.
    const home = tempDir()
    const bundle = join(home, 'extra.pem')
    writeFileSync(bundle, makeCertificate({ subject: [['CN', 'Progress root']] }).pem)
    const withStore = setUp({ SSL_CERT_FILE: bundle }, home)
    await withStore.call('scan:start', { language: 'en' })
    expect(withStore.sent.map((args) => (args as [string, { type: string; location: string }]).slice(0, 2))).toEqual([
      [PROGRESS_CHANNEL, expect.objectContaining({ type: 'store-started', location: bundle })],
      [PROGRESS_CHANNEL, expect.objectContaining({ type: 'store-finished', location: bundle, entryCount: 1 })],
    ])
  })
})
