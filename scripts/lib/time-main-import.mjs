// Run by scripts/bench-main.ts in a fresh Node process each time:
//   node time-main-import.mjs bundle    imports dist/electron/main.js (electron stood in for) and waits until
//                                       it shows its window: the main process's own start, without Chromium
//   node time-main-import.mjs modules   imports the same engine as the tsc-built modules main.ts used to load
//                                       (dist/api/certaudit-api.js, dist/stores/environment.js), for comparison
// Prints JSON: milliseconds since this process started when the import began, the import itself, and
// (bundle) ready-to-show, on Node's clock (performance.now() counts from the process's start).
import { register } from 'node:module'
import { performance } from 'node:perf_hooks'

const dist = new URL('../../dist/', import.meta.url)
register('./electron-stand-in-hooks.mjs', import.meta.url)
const standIn = await import('./electron-stand-in.mjs')

const startedAt = performance.now()
if (process.argv[2] === 'bundle') {
  await import(new URL('electron/main.js', dist).href)
} else {
  await Promise.all([import(new URL('api/certaudit-api.js', dist).href), import(new URL('stores/environment.js', dist).href)])
}
const importedAt = performance.now()
const shownAt = process.argv[2] === 'bundle' ? await standIn.shown : null
process.stdout.write(JSON.stringify({ startedAt, importMs: importedAt - startedAt, readyToShowMs: shownAt === null ? null : shownAt - startedAt, sinceProcessStart: shownAt ?? importedAt }))
