// Runs @doyensec/electronegativity over the app (the Electron shell and the renderer's page) offline and
// fails on any HIGH or MEDIUM finding. Part of `npm test`.
//
// Excluded checks, and why:
// - AvailableSecurityFixesGlobalCheck: needs the network (it fetches Electron's release list).
// - OpenExternalJSCheck: flags every shell.openExternal call for review; ours only ever receives https
//   URLs, checked by isSafeExternalUrl (electron/security.ts), which tests/electron asserts.
// - PreloadJSCheck: flags every window that has a preload, for review; ours exposes only the contract's
//   named verbs, never ipcRenderer itself (tests/electron/preload.test.ts).
// - ProtocolHandlerJSCheck: flags app.setAsDefaultProtocolClient for review. Ours registers certaudit://,
//   whose one use is a guard notification's click: electron/guard.ts's findingFromUrl takes nothing from it
//   but certaudit://finding/<hex id> (anything else is ignored), which tests/electron/guard.test.ts asserts.
//
// electronegativity judges a window by the object literal at its `new BrowserWindow(…)`; main.ts passes
// getWindowOptions(…) (the pure function whose whole result tests/electron compares), which it cannot
// follow. So the staged copy of main.ts gets, at that one call, the object the function really returns:
// the checks then read exactly what the window is given. Run with tsx (window-options.ts is TypeScript).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getWindowOptions } from '../electron/window-options.ts'

// Offline: its HTTP client refuses every request (scripts/lib/offline-got.cjs says why).
const OFFLINE = new URL('./lib/offline-got-hooks.mjs', import.meta.url).href
const WINDOW_CALL = "new BrowserWindow(getWindowOptions(join(here, 'preload.cjs')))"

const electronVersion = createRequire(import.meta.url)('electron/package.json').version
const stage = mkdtempSync(join(tmpdir(), 'certaudit-electronegativity-'))
try {
  cpSync('electron', join(stage, 'electron'), { recursive: true })
  const main = readFileSync('electron/main.ts', 'utf8')
  if (main.split(WINDOW_CALL).length !== 2) throw new Error(`electron/main.ts must make its one window with \`${WINDOW_CALL}\``)
  const options = JSON.stringify(getWindowOptions('/opt/CertAudit/resources/app.asar/dist/electron/preload.cjs'))
  writeFileSync(join(stage, 'electron/main.ts'), main.replace(WINDOW_CALL, `new BrowserWindow(${options})`))
  cpSync('renderer/index.html', join(stage, 'renderer/index.html'))
  const out = join(stage, 'result.csv')
  execFileSync(
    process.execPath,
    ['--import', OFFLINE, createRequire(import.meta.url).resolve('@doyensec/electronegativity/dist/index.js'), '-i', stage, '-r', '-e', electronVersion, '-o', out, '-x', 'AvailableSecurityFixesGlobalCheck,OpenExternalJSCheck,PreloadJSCheck,ProtocolHandlerJSCheck'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean)
  const serious = rows.filter((row) => /^[A-Z_]+,"(HIGH|MEDIUM)"/.test(row))
  for (const row of rows) console.log(row.slice(0, 200))
  console.log(`electronegativity (Electron ${electronVersion}): ${rows.length} findings, ${serious.length} HIGH or MEDIUM`)
  if (serious.length) process.exitCode = 1
} finally {
  rmSync(stage, { recursive: true, force: true })
}
