/**
 * Launches the real desktop app with Playwright's Electron driver, with Chromium's sandbox ON (no
 * --no-sandbox: a window made with `sandbox: false` must fail here), where Electron's binary is installed.
 * It is not on CI: since Electron 42 npm install does not fetch it, and CI has no internet for it. The
 * window opens on the home screen with the security settings in force, its renderer process really is
 * sandboxed (Linux: seccomp filter on, no --no-sandbox switch), and the main process prints how long it
 * took to `ready-to-show`. Where it cannot run, the test is skipped and says why.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { ELECTRON_MISSING_REASON, installedElectron } from '../../scripts/lib/electron-binary.mjs'

const binary = installedElectron()
const asRoot = process.getuid?.() === 0
const reason = !binary
  ? ELECTRON_MISSING_REASON
  : asRoot
    ? 'running as root: Chromium refuses to start its sandbox as root, and this test must not turn the sandbox off'
    : ''
if (reason) console.log(`[skipped] Electron smoke test: ${reason}`)

/** The Linux seccomp mode and command line of a process (2 = seccomp-bpf filter, Chromium's sandbox). */
function linuxSandboxOf(pid: number): { seccomp: number; noSandboxSwitch: boolean } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  return { seccomp: Number(/^Seccomp:\s+(\d)/m.exec(status)?.[1] ?? -1), noSandboxSwitch: argv.includes('--no-sandbox') }
}

test('the desktop app opens its hardened, sandboxed window on the home screen', async () => {
  test.skip(!!reason, reason)
  execFileSync('npm', ['run', '--silent', 'build:app'], { stdio: 'inherit' })
  const app = await electron.launch({ executablePath: binary!, args: ['.'], env: { ...process.env, CERTAUDIT_STARTUP_TIMING: '1' } })
  const output: string[] = []
  app.process().stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('button', { name: /scan this computer/i })).toBeVisible()
    const exposed = await window.evaluate(() => ({ bridge: Object.keys((window as unknown as { certAudit: object }).certAudit).sort(), node: typeof (window as unknown as { require?: unknown }).require }))
    expect(exposed.node).toBe('undefined')
    expect(exposed.bridge).toContain('scan')

    // The renderer's OS process, read from the main process: a `sandbox: false` window would run without
    // Chromium's seccomp filter and with --no-sandbox on its command line.
    const launched = await app.evaluate(({ BrowserWindow, app: electronApp }) => ({
      rendererPid: BrowserWindow.getAllWindows()[0]!.webContents.getOSProcessId(),
      noSandbox: electronApp.commandLine.hasSwitch('no-sandbox'),
    }))
    expect(launched.noSandbox).toBe(false)
    if (process.platform === 'linux') expect(linuxSandboxOf(launched.rendererPid)).toEqual({ seccomp: 2, noSandboxSwitch: false })
    const page = await window.evaluate(() => ({ process: typeof (globalThis as { process?: unknown }).process, buffer: typeof (globalThis as { Buffer?: unknown }).Buffer }))
    expect(page).toEqual({ process: 'undefined', buffer: 'undefined' })

    await expect.poll(() => output.join('')).toMatch(/ready-to-show after \d+ ms/)
    console.log(`[timing] ${/certaudit: .*ready-to-show after \d+ ms[^\n]*/.exec(output.join(''))?.[0]}`)
  } finally {
    await app.close()
  }
})
