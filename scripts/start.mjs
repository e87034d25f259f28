// `npm start`: builds the engine, the renderer and the Electron shell, then opens the app. Electron's own
// binary comes with `npm install` on a machine with internet; where it is missing (installed with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on CI), this says so and how to get it.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const run = (script) => execFileSync('npm', ['run', '--silent', script], { stdio: 'inherit' })
run('build:app')

let electronPath = null
try {
  electronPath = createRequire(import.meta.url)('electron') // the binary's path, when it was downloaded
} catch {
  electronPath = null
}
if (!electronPath || !existsSync(electronPath)) {
  process.stderr.write(
    "Electron's binary is not installed here, so the window cannot open.\n" +
      'Install it with:  node node_modules/electron/install.js   (needs internet), then run npm start again.\n' +
      'The same engine runs from the command line:  npx certaudit scan\n',
  )
  process.exitCode = 1
} else {
  const child = spawn(electronPath, ['.'], { stdio: 'inherit' })
  child.on('exit', (code) => (process.exitCode = code ?? 0))
}
