/**
 * The preload: exposes named verbs on window.certAudit, built from the contract's verb list, never a
 * generic invoke (STYLE.md 4). Runs sandboxed; bundled to CommonJS with only `electron` external.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { OPEN_FINDING_CHANNEL, PROGRESS_CHANNEL, VERBS, type Verb } from '../src/api/verbs.js'

/** The object the window sees. `invoke` and `on` stay here, out of the page's reach. */
export function buildBridge(renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Record<Verb | 'onProgress' | 'onOpenFinding', (...args: never[]) => unknown> {
  const verbs = Object.fromEntries(
    (Object.entries(VERBS) as [Verb, string][]).map(([verb, channel]) => [verb, (request: unknown) => renderer.invoke(channel, request ?? {})]),
  ) as Record<Verb, (request: unknown) => Promise<unknown>>
  return {
    ...verbs,
    onProgress: (listener: (event: unknown) => void) => {
      const forward = (_event: IpcRendererEvent, progress: unknown) => listener(progress)
      renderer.on(PROGRESS_CHANNEL, forward)
      return () => renderer.removeListener(PROGRESS_CHANNEL, forward)
    },
    // A guard notification clicked while the window is open: the finding to show (checked by the window too).
    onOpenFinding: (listener: (findingId: string) => void) => {
      const forward = (_event: IpcRendererEvent, findingId: unknown) => typeof findingId === 'string' && listener(findingId)
      renderer.on(OPEN_FINDING_CHANNEL, forward)
      return () => renderer.removeListener(OPEN_FINDING_CHANNEL, forward)
    },
  }
}

contextBridge.exposeInMainWorld('certAudit', buildBridge(ipcRenderer))
