// `npm start`: builds the engine, the renderer and the Electron shell, then opens the app. Since Electron 42
// `npm install` no longer downloads Electron's binary, so the first start fetches it (Electron's own
// install.js: needs internet); where that fails this says so, and how to get it.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { ELECTRON_MISSING_REASON, installedElectron } from './lib/electron-binary.mjs'

const run = (script) => execFileSync('npm', ['run', '--silent', script], { stdio: 'inherit' })
run('build:app')

if (!installedElectron()) {
  process.stdout.write("Fetching Electron's binary (once) ...\n")
  spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'inherit' })
}
const electronPath = installedElectron()
if (!electronPath) {
  process.stderr.write(`The window cannot open: ${ELECTRON_MISSING_REASON}, then run npm start again.\nThe same engine runs from the command line:  npx certaudit scan\n`)
  process.exitCode = 1
} else {
  const child = spawn(electronPath, ['.'], { stdio: 'inherit' })
  child.on('exit', (code) => (process.exitCode = code ?? 0))
}
