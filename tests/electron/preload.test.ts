import { beforeEach, describe, expect, it, vi } from 'vitest'
import { VERBS } from '../../src/api/verbs.js'

// The preload runs inside Electron; here `electron` is replaced by a recorder of what it exposes.
const exposed: Record<string, unknown> = {}
const invoke = vi.fn(async (channel: string, request: unknown) => ({ channel, request }))
const listeners = new Map<string, (event: unknown, payload: unknown) => void>()
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}))

describe('preload', () => {
  beforeEach(async () => {
    await import('../../electron/preload.js')
  })

  it('exposes exactly the named verbs, onProgress and onOpenFinding on window.certAudit, nothing generic', () => {
    const bridge = exposed.certAudit as Record<string, unknown>
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(VERBS), 'onProgress', 'onOpenFinding'].sort())
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'require']) expect(bridge[forbidden]).toBeUndefined()
  })

  it('each verb invokes its own channel with the request', async () => {
    const bridge = exposed.certAudit as Record<string, (request?: unknown) => Promise<unknown>>
    for (const [verb, channel] of Object.entries(VERBS)) {
      await expect(bridge[verb]!({ probe: verb })).resolves.toEqual({ channel, request: { probe: verb } })
    }
  })

  it('onProgress forwards progress events and unsubscribes', () => {
    const bridge = exposed.certAudit as { onProgress: (l: (e: unknown) => void) => () => void }
    const seen: unknown[] = []
    const off = bridge.onProgress((e) => seen.push(e))
    listeners.get('scan:progress')!({}, { type: 'store-started' })
    expect(seen).toEqual([{ type: 'store-started' }])
    off()
    expect(listeners.has('scan:progress')).toBe(false)
  })

  it('onOpenFinding forwards a finding id pushed by the main process (strings only) and unsubscribes', () => {
    const bridge = exposed.certAudit as { onOpenFinding: (l: (id: string) => void) => () => void }
    const seen: string[] = []
    const off = bridge.onOpenFinding((id) => seen.push(id))
    listeners.get('app:open-finding')!({}, '00309c736dd661da')
    listeners.get('app:open-finding')!({}, { evil: true })
    expect(seen).toEqual(['00309c736dd661da'])
    off()
    expect(listeners.has('app:open-finding')).toBe(false)
  })
})
