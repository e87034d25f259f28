/**
 * Bad input from the window: random payloads, and payloads shaped like each channel's with wrong or
 * odd values, sent to the engine behind every IPC channel (the same API electron/ipc.ts calls after
 * its sender check). The schema refuses what it must with InvalidRequestError; everything else
 * answers or fails with an error that says what is wrong in words, never a raw file system error;
 * no call takes a second. connection:check is only sent payloads that cannot reach the network.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi, InvalidRequestError } from '../../src/api/certaudit-api.js'
import { requests, type Channel } from '../../src/api/contract.js'
import { parseHostTarget } from '../../src/network/targets.js'
import { createEnvironment } from '../../src/stores/environment.js'
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
const fieldName = fc.constantFrom('language', 'findingIds', 'mode', 'skip', 'planId', 'changeId', 'format', 'url', 'hosts', '__proto__', 'constructor', 'extra')
const shaped = fc.dictionary(fieldName, fieldValue, { maxKeys: 4 })
const payload = fc.oneof(shaped, fc.anything({ maxDepth: 3 }), fc.constantFrom(undefined, null, 0, '', [], {}))

/** A valid payload of each channel, for variants with one field changed, dropped or added. */
const VALID: Readonly<Record<Channel, readonly Record<string, unknown>[]>> = {
  'app:info': [{}],
  'scan:start': [{ language: 'en' }],
  'removal:plan': [{ findingIds: ['00309c736dd661da'], mode: 'delete' }],
  'removal:apply': [{ planId: '20260101T000000Z-abcd' }],
  'removal:undo': [{}, { changeId: '20260101T000000Z-abcd' }],
  'removal:resume': [{}, { changeId: '20260101T000000Z-abcd' }],
  'history:list': [{}],
  'report:export': [{ format: 'html' }, { format: 'json' }],
  'link:open': [{ url: 'https://example.org/' }],
  'connection:check': [{ language: 'en', hosts: ['bad host name!'] }],
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
