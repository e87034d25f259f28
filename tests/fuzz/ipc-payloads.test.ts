/**
 * Bad input from the window: random payloads, and payloads shaped like each channel's with wrong or
 * odd values, sent to the engine behind every IPC channel (the same API electron/ipc.ts calls after
 * its sender check). The schema refuses what it must with InvalidRequestError; everything else
 * answers or fails with an error that says what is wrong in words, never a raw file system error;
 * no call takes a second. connection:check is only sent payloads that cannot reach the network.
 * The same messages also go through electron/ipc.ts's handlers, from our window and from others.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ForeignSenderError, registerIpc } from '../../electron/ipc.js'
import { createCertAuditApi, InvalidRequestError, type CertAuditApi } from '../../src/api/certaudit-api.js'
import { requests, type Channel } from '../../src/api/contract.js'
import { parseHostTarget } from '../../src/network/targets.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { tempDir } from '../support/temp.js'
import { FUZZ_TIMEOUT_MS, runs, withinASecondAsync } from './fuzz-support.js'

const CHANNELS = Object.keys(requests) as Channel[]
const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 64 })

/** Values near the ones each field takes: right, almost right, of the wrong type. */
const fieldValue = fc.oneof(
  fc.constantFrom('en', 'ru', 'kk', 'de', 'delete', 'distrust', 'html', 'json', 'pdf', 'https://example.org/', 'file:///etc/passwd', '00309c736dd661da', '20260101T000000Z-abcd', '../../etc', ''),
  fc.string({ maxLength: 80 }),
  hex,
  fc.array(fc.oneof(hex, fc.string({ maxLength: 20 })), { maxLength: 5 }),
  fc.anything({ maxDepth: 2 }),
)
const fieldName = fc.constantFrom('language', 'findingIds', 'mode', 'skip', 'planId', 'changeId', 'format', 'url', 'hosts', 'enabled', 'acknowledge', 'notify', '__proto__', 'constructor', 'extra')
const shaped = fc.dictionary(fieldName, fieldValue, { maxKeys: 4 })
const payload = fc.oneof(shaped, fc.anything({ maxDepth: 3 }), fc.constantFrom(undefined, null, 0, '', [], {}))

/** A valid payload of each channel, for variants with one field changed, dropped or added. */
const VALID: Readonly<Record<Channel, readonly Record<string, unknown>[]>> = {
  'app:info': [{}],
  'scan:start': [{ language: 'en' }],
  'scan:cancel': [{}],
  'removal:plan': [{ findingIds: ['00309c736dd661da'], mode: 'delete' }],
  'removal:apply': [{ planId: '20260101T000000Z-abcd' }],
  'removal:undo': [{}, { changeId: '20260101T000000Z-abcd' }],
  'removal:undo-preview': [{}, { changeId: '20260101T000000Z-abcd' }],
  'removal:resume': [{}, { changeId: '20260101T000000Z-abcd' }],
  'history:list': [{}],
  'report:export': [{ format: 'html' }, { format: 'json' }],
  'link:open': [{ url: 'https://example.org/' }],
  'connection:check': [{ language: 'en', hosts: ['bad host name!'] }],
  'guard:status': [{}],
  'guard:set': [{ enabled: false }, { enabled: true, language: 'en' }],
  'guard:events': [{}, { acknowledge: ['20260101T000000000Z-new-00309c736dd661da'] }],
  'guard:watch': [{ language: 'en' }, { language: 'ru', notify: true }],
}
const variant = (channel: Channel) =>
  fc.tuple(fc.constantFrom(...VALID[channel]), fc.option(fieldName), fc.option(fieldValue), fc.boolean()).map(([base, name, value, drop]) => {
    const copy: Record<string, unknown> = { ...base }
    const key = name ?? Object.keys(copy)[0]
    if (key === undefined) return copy
    if (drop) delete copy[key]
    else if (value !== null) copy[key] = value
    return copy
  })
const message = fc.constantFrom(...CHANNELS).chain((channel) => fc.tuple(fc.constant(channel), fc.oneof({ weight: 1, arbitrary: payload }, { weight: 2, arbitrary: variant(channel) })))

/** A payload for connection:check that would make the engine open connections. */
function reachesNetwork(value: unknown): boolean {
  const parsed = requests['connection:check'].safeParse(value)
  return parsed.success && (parsed.data.hosts ?? ['default']).every((host) => host === 'default' || parseHostTarget(host).ok)
}

describe('fuzz: IPC payloads', () => {
  it('every channel schema judges any value without throwing', () => {
    fc.assert(
      fc.property(message, ([channel, value]) => {
        const result = requests[channel].safeParse(value)
        if (!result.success) expect(result.error.issues.length).toBeGreaterThan(0)
      }),
      { numRuns: runs(2000) },
    )
  }, FUZZ_TIMEOUT_MS)

  it('the engine answers each channel, or refuses in words, within a second', async () => {
    const env = createEnvironment({ home: tempDir('certaudit-fuzz-ipc-'), systemRoot: tempDir('certaudit-fuzz-ipc-root-'), env: {} })
    const api = createCertAuditApi({ env, version: '0.0.0-fuzz' })
    await fc.assert(
      fc.asyncProperty(message, async ([channel, value]) => {
        if (channel === 'connection:check' && reachesNetwork(value)) return
        const valid = requests[channel].safeParse(value).success
        try {
          const answer = await withinASecondAsync(() => api.handle(channel, value), `${channel}`)
          expect(valid).toBe(true)
          expect(() => JSON.stringify(answer)).not.toThrow()
        } catch (error) {
          expect(error).toBeInstanceOf(Error)
          if (!valid) expect(error).toBeInstanceOf(InvalidRequestError)
          const { message } = error as Error
          expect(message.length).toBeGreaterThan(0)
          // A raw Node error ("ENOENT: no such file or directory, open '/…'") is not an answer for people.
          expect(message, `${channel} ${JSON.stringify(value)}`).not.toMatch(/^E[A-Z]+: |no such file or directory/)
        }
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: IPC handlers (electron/ipc.ts)', () => {
  const APP_URL = 'file:///opt/CertAudit/resources/app.asar/dist/renderer/index.html'
  const mainFrame = { url: APP_URL }
  const ourWindow = { id: 7, mainFrame }
  /** Who sends: our window's main frame, or another window, a sub-frame, our window showing another page. */
  const sender = fc.oneof(
    { weight: 2, arbitrary: fc.constant({ ours: true, id: 7, frame: mainFrame as unknown }) },
    fc.integer({ min: -1, max: 50 }).filter((id) => id !== 7).map((id) => ({ ours: false, id, frame: mainFrame as unknown })),
    fc.constantFrom<unknown>({ url: APP_URL }, null, undefined).map((frame) => ({ ours: false, id: 7, frame })),
    fc.webUrl().map((url) => ({ ours: false, id: 7, frame: { url } as unknown })),
  )

  it('foreign senders are refused before anything runs; our window gets only checked requests through', async () => {
    const env = createEnvironment({ home: tempDir('certaudit-fuzz-ipc-'), systemRoot: tempDir('certaudit-fuzz-ipc-root-'), env: {} })
    const inner = createCertAuditApi({ env, version: '0.0.0-fuzz' })
    const reached: Channel[] = []
    const api: CertAuditApi = { handle: (channel, payload, emit) => (reached.push(channel), inner.handle(channel, payload, emit)) }
    const overridden: unknown[] = []
    const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
    registerIpc({
      ipcMain: { handle: (channel: string, handler: never) => void handlers.set(channel, handler) } as never,
      api,
      window: () => ourWindow as never,
      appUrl: APP_URL,
      // As electron/main.ts does: desktop-only code for these two channels, which must see only valid requests.
      overrides: {
        'report:export': async (request) => (overridden.push(request), { fileName: 'x', cancelled: true }),
        'link:open': async (request) => (overridden.push(request), { opened: false }),
      },
    })
    await fc.assert(
      fc.asyncProperty(message, sender, async ([channel, value], from) => {
        if (channel === 'connection:check' && reachesNetwork(value)) return
        reached.length = 0
        overridden.length = 0
        const valid = requests[channel].safeParse(value).success
        const event = { sender: { id: from.id, send: () => {} }, senderFrame: from.frame }
        try {
          await withinASecondAsync(() => handlers.get(channel)!(event, value), channel)
          expect(from.ours && valid).toBe(true)
        } catch (error) {
          if (!from.ours) expect(error).toBeInstanceOf(ForeignSenderError)
          else if (!valid) expect(error).toBeInstanceOf(InvalidRequestError)
          else expect((error as Error).message).not.toMatch(/^E[A-Z]+: |no such file or directory/)
        }
        if (!from.ours) expect([...reached, ...overridden]).toEqual([])
        if (!valid) expect(overridden).toEqual([])
        for (const request of overridden) expect(requests[channel].safeParse(request).success).toBe(true)
      }),
      { numRuns: runs(300) },
    )
  }, FUZZ_TIMEOUT_MS)
})
