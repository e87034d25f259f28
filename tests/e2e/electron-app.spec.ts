/**
 * Launches the real desktop app with Playwright's Electron driver where Electron's binary is installed
 * (it is not on CI, which installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1): the window opens on the home
 * screen, with the security settings in force. Where the binary is missing, the test is skipped and says why.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const reason = "Electron's binary is not installed (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1); run `node node_modules/electron/install.js` where there is internet"
if (!binary) console.log(`[skipped] Electron smoke test: ${reason}`)

test('the desktop app opens its hardened window on the home screen', async () => {
  test.skip(!binary, reason)
  execFileSync('npm', ['run', '--silent', 'build:app'], { stdio: 'inherit' })
  const app = await electron.launch({ executablePath: binary!, args: ['.', '--no-sandbox'] })
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('button', { name: /scan this computer/i })).toBeVisible()
    const exposed = await window.evaluate(() => ({ bridge: Object.keys((window as unknown as { certAudit: object }).certAudit).sort(), node: typeof (window as unknown as { require?: unknown }).require }))
    expect(exposed.node).toBe('undefined')
    expect(exposed.bridge).toContain('scan')
  } finally {
    await app.close()
  }
})
