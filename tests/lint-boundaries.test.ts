import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** The folder boundaries of STYLE.md are enforced by lint: prove each rule fires where it should. */
describe('import boundaries', () => {
  const eslint = new ESLint()
  const ruleIds = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath })
    return result!.messages.map((m) => m.ruleId)
  }

  it.each([
    ["import { app } from 'electron'\nvoid app\n", 'src/audit/x.ts'],
    ["import React from 'react'\nvoid React\n", 'src/api/x.ts'],
    ["import { spawn } from 'node:child_process'\nvoid spawn\n", 'src/audit/x.ts'],
    ["import { spawn } from 'node:child_process'\nvoid spawn\n", 'src/removal/x.ts'],
    ["import { app } from 'electron'\nvoid app\n", 'src/stores/x.ts'],
    ["import { readFile } from 'node:fs'\nvoid readFile\n", 'renderer/x.ts'],
    ["import { ipcRenderer } from 'electron'\nvoid ipcRenderer\n", 'renderer/x.tsx'],
  ])('rejects %j in %s', async (code, filePath) => {
    expect(await ruleIds(code, filePath)).toContain('no-restricted-imports')
  })

  it('lets store adapters run OS tools', async () => {
    expect(await ruleIds("import { execFile } from 'node:child_process'\nvoid execFile\n", 'src/stores/x.ts')).not.toContain('no-restricted-imports')
  })

  it('lets the renderer take types, and only types, from the contract in src/', async () => {
    expect(await ruleIds("import { VERBS } from '../../src/api/verbs'\nvoid VERBS\n", 'renderer/src/x.ts')).toContain('@typescript-eslint/no-restricted-imports')
    expect(await ruleIds("import type { ScanReport } from '../../src/audit/report'\nexport type R = ScanReport\n", 'renderer/src/x.ts')).toEqual([])
  })

  it('lets exactly one renderer file bundle exactly one module of src/: the escapes of text people see, which imports nothing', async () => {
    const reexport = "export { visible } from '../../src/audit/visible'\n"
    expect(await ruleIds(reexport, 'renderer/src/visible.ts')).toEqual([])
    expect(await ruleIds("export { scan } from '../../src/api/scan'\n", 'renderer/src/visible.ts')).toContain('@typescript-eslint/no-restricted-imports')
    expect(await ruleIds("export { noticeText } from '../../src/stores/shared/notices'\n", 'renderer/src/visible.ts')).toContain('@typescript-eslint/no-restricted-imports')
    expect(await ruleIds(reexport, 'renderer/src/screens/x.ts')).toContain('@typescript-eslint/no-restricted-imports')
    expect(await ruleIds("import { x } from './y.js'\nexport const v = x\n", 'src/audit/visible.ts')).toContain('no-restricted-syntax')
    expect(await ruleIds("export { x } from './y.js'\n", 'src/audit/visible.ts')).toContain('no-restricted-syntax')
  })

  it.each([
    ["export const load = () => import('node:child_process')\n", 'src/audit/x.ts'],
    ["export const load = () => import('child_process')\n", 'src/removal/x.ts'],
    ["export const cp = require('node:child_process')\n", 'src/api/x.ts'],
    ["export const load = () => import('electron')\n", 'src/stores/x.ts'],
    ["export const load = () => import('react')\n", 'src/cli/x.ts'],
    ["export const load = () => import('../../electron/main.js')\n", 'src/api/x.ts'],
    ["export const load = () => import('electron')\n", 'renderer/src/x.ts'],
    ["export const load = () => import('node:fs')\n", 'renderer/src/x.tsx'],
    ["export const load = () => import('fs/promises')\n", 'renderer/src/x.ts'],
    ["export const load = () => import('../../src/api/scan')\n", 'renderer/src/x.ts'],
  ])('rejects the run-time load %j in %s', async (code, filePath) => {
    expect(await ruleIds(code, filePath)).toContain('no-restricted-syntax')
  })

  it('lets store adapters load OS tools at run time, and anything load what its folder may import', async () => {
    expect(await ruleIds("export const load = () => import('node:child_process')\n", 'src/stores/x.ts')).toEqual([])
    expect(await ruleIds("export const load = () => import('sql.js')\n", 'src/stores/x.ts')).toEqual([])
    expect(await ruleIds("export const load = () => import('./scan.js')\n", 'src/api/x.ts')).toEqual([])
  })

  it('keeps fault hooks that kill the process out of library code', async () => {
    expect(await ruleIds("process.kill(process.pid, 'SIGKILL')\n", 'src/removal/x.ts')).toContain('no-restricted-syntax')
    expect(await ruleIds('process.kill(1234, 0)\n', 'src/removal/x.ts')).toEqual([])
  })

  describe('electron/: only ipc.ts and preload.ts touch ipcMain and ipcRenderer', () => {
    const messagesOf = async (code: string, filePath: string) => {
      const [result] = await eslint.lintText(code, { filePath })
      return result!.messages.map((m) => `${m.ruleId}: ${m.message}`)
    }

    it.each([
      ["import { ipcMain } from 'electron'\nvoid ipcMain\n", 'electron/main.ts', /'ipcMain' import from 'electron' is restricted/],
      ["import { ipcMain as handlers } from 'electron'\nvoid handlers\n", 'electron/security.ts', /'ipcMain' import from 'electron' is restricted/],
      ["import { ipcRenderer } from 'electron'\nvoid ipcRenderer\n", 'electron/window-options.ts', /'ipcRenderer' import from 'electron' is restricted/],
      ["export { ipcMain } from 'electron'\n", 'electron/new-helper.ts', /'ipcMain' import from 'electron' is restricted/],
      ["import * as electron from 'electron'\nvoid electron\n", 'electron/new-helper.ts', /\* import is invalid because 'ipcMain,ipcRenderer'/],
      ["import electron from 'electron'\nvoid electron.ipcMain\n", 'electron/main.ts', /'default' import from 'electron' is restricted/],
      ["import { App } from '../renderer/src/app'\nvoid App\n", 'electron/main.ts', /The shell talks to the window over IPC/],
    ])('rejects %j in %s', async (code, filePath, message) => {
      const messages = await messagesOf(code, filePath)
      expect(messages.filter((m) => m.startsWith('no-restricted-imports: ')).some((m) => message.test(m)), messages.join('\n')).toBe(true)
    })

    it('lets the two wiring files use them, and the rest of electron/ use the rest of Electron', async () => {
      expect(await messagesOf("import { ipcMain } from 'electron'\nvoid ipcMain\n", 'electron/ipc.ts')).toEqual([])
      expect(await messagesOf("import { contextBridge, ipcRenderer } from 'electron'\nvoid contextBridge\nvoid ipcRenderer\n", 'electron/preload.ts')).toEqual([])
      expect(await messagesOf("import { app, BrowserWindow, type IpcMainInvokeEvent } from 'electron'\nvoid app\nvoid BrowserWindow\nexport type E = IpcMainInvokeEvent\n", 'electron/main.ts')).toEqual([])
    })

    it('holds for the files as they are', async () => {
      const results = await eslint.lintFiles(['electron/'])
      expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([])
      expect(results.length).toBeGreaterThanOrEqual(5)
    })
  })

  it('keeps process.exit out of library code', async () => {
    expect(await ruleIds('process.exit(1)\n', 'src/cli/x.ts')).toContain('no-restricted-syntax')
  })
})
