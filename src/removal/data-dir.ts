import { join } from 'node:path'
import type { Environment } from '../stores/shared/environment.js'

/**
 * Where CertAudit keeps backups and its journal: the platform's per-user data folder
 * (XDG data dir on Linux, %APPDATA% on Windows, ~/Library/Application Support on macOS).
 * It follows the Environment, so tests and `--home` keep it inside their own home.
 */
export function dataDir(env: Environment): string {
  if (env.platform === 'win32') return join(env.env.APPDATA || join(env.home, 'AppData', 'Roaming'), 'CertAudit')
  if (env.platform === 'darwin') return join(env.home, 'Library', 'Application Support', 'CertAudit')
  const xdg = env.env.XDG_DATA_HOME
  return join(xdg && xdg.startsWith('/') ? xdg : join(env.home, '.local', 'share'), 'certaudit')
}

/** Where `certaudit blocklist install` keeps signed lists, and where the CLI and the app look for them. */
export function blocklistDir(env: Environment): string {
  return join(dataDir(env), 'blocklist')
}

/** The folder of one change: its journal and its backups. */
export function changeDir(env: Environment, changeId: string): string {
  return join(dataDir(env), 'changes', changeId)
}
