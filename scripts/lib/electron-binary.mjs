// Where Electron's binary is, without fetching it. Since Electron 42 the `electron` package no longer
// downloads the binary when it is installed: `require('electron')` downloads it on first use (and throws
// when it cannot), so nothing here requires it. As electron/index.js does: path.txt names the binary
// inside node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH holds it.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The command that fetches the binary (needs internet). */
export const INSTALL_ELECTRON = 'node node_modules/electron/install.js'

/** Why the binary is missing, to print when a window cannot open. */
export const ELECTRON_MISSING_REASON = `Electron's binary is not installed (since Electron 42 npm install does not fetch it): run \`${INSTALL_ELECTRON}\` where there is internet`

/** The installed Electron executable, or null when it is not there. */
export function installedElectron() {
  let packageDir
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return null
  }
  let executable
  try {
    executable = readFileSync(join(packageDir, 'path.txt'), 'utf8')
  } catch {
    return null
  }
  const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist'), executable)
  return existsSync(path) ? path : null
}
