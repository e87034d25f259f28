// Run by scripts/package-check.ts with plain `node` on an extracted copy of the packed app.asar:
//   node probe-packaged-engine.mjs <extracted app> <home>
// It starts the packed main process itself (dist/electron/main.js, the one-file bundle of electron/main.ts
// and the engine) with a stand-in for `electron` (electron-stand-in.mjs), from the packed files and the
// packed node_modules only, and talks to it as the window would: through the IPC handlers main.js
// registers, from the window it made. It prints what it found as JSON: the window's options, the
// channels, app:info (which blocklist the engine chose), a scan's result, and whether a message from
// another window is refused. The scan reads this machine's system stores (read only) and <home>, where
// the caller plants a damaged Chromium cert9.db: with no certutil on PATH it is read with sql.js, so its
// problem code says whether sql.js loaded its packed .wasm.
import { register } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

register('./electron-stand-in-hooks.mjs', import.meta.url)
const standIn = await import('./electron-stand-in.mjs')

const [appDir] = process.argv.slice(2)
await import(pathToFileURL(join(appDir, 'dist/electron/main.js')).href)
await standIn.shown
const [window] = standIn.windows
const call = (channel, payload, event = standIn.eventFrom(window)) => standIn.handlers.get(channel)(event, payload)

const info = await call('app:info', {})
const report = await call('scan:start', { language: 'en' })
let foreign = null
try {
  await call('app:info', {}, { sender: { id: window.webContents.id + 1, send() {} }, senderFrame: window.webContents.mainFrame })
} catch (error) {
  foreign = error.name
}

process.stdout.write(
  JSON.stringify({
    windows: standIn.windows.length,
    windowOptions: window.options,
    pageUrl: window.webContents.mainFrame.url,
    channels: [...standIn.handlers.keys()].sort(),
    appInfo: info.blocklist,
    scan: { blocklist: report.blocklist, verdict: report.verdict.level, stores: report.stores.length, problems: report.problems.map((p) => ({ code: p.code, path: p.path })) },
    foreign,
  }),
)
