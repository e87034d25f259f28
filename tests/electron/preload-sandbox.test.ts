/**
 * The built preload (dist/electron/preload.cjs, what the window really loads) under the rules of a
 * sandboxed preload in Electron 45: `require` gives only `electron`, and Buffer, setImmediate,
 * clearImmediate, process and the events/timers/url shims are gone (Electron 45 removed them from
 * sandboxed preloads). It is run in a bare V8 context that has exactly that, and must still expose the
 * bridge.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { VERBS } from '../../src/api/verbs.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
let code = ''

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: ROOT, stdio: 'inherit' })
  code = readFileSync(`${ROOT}/dist/electron/preload.cjs`, 'utf8')
})

describe('the built preload in a sandboxed renderer (Electron 45 rules)', () => {
  it('requires nothing but electron and names none of the Node globals a sandboxed preload lost', () => {
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron'])
    expect(code).not.toMatch(/\b(Buffer|setImmediate|clearImmediate|process|global)\b/)
  })

  it('runs with only electron to require, and exposes the named verbs', () => {
    const exposed: Record<string, unknown> = {}
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: { invoke: async () => undefined, on() {}, removeListener() {} },
    }
    const required: string[] = []
    const module = { exports: {} }
    const context = createContext({
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id)
        if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`)
        return electron
      },
    })
    runInContext(code, context)
    expect(required).toEqual(['electron'])
    expect(Object.keys(exposed.certAudit as object).sort()).toEqual([...Object.keys(VERBS), 'onProgress', 'onOpenFinding'].sort())
  })
})
