import { join } from 'node:path'
import type { Environment } from '../stores/shared/environment.js'
import { readFolderSync } from '../stores/shared/folder-listing.js'
import { ensurePrivateFolder } from '../stores/shared/private-folder.js'

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

/** More changes than anyone makes by hand: past this, the rest are checked when they are used. */
const MAX_CHANGES_CHECKED = 100_000

/**
 * Checks the data folder, its `changes/` and each change's folder and `backups/` before anything is
 * read from or written to them (see shared/private-folder.ts): a link or another user's folder is
 * refused ({@link UnsafeFolderError}), one of ours that others may write to is made private. With
 * `create`, a missing data folder and `changes/` are made (0700). Returns what was repaired, in
 * words, for the caller to say.
 */
export function secureDataFolder(env: Environment, options: { readonly create?: boolean } = {}): string[] {
  const create = options.create ?? false
  const top = ensurePrivateFolder(dataDir(env), 'data folder', { create, parents: true })
  if (!top.exists) return []
  const changesDir = join(dataDir(env), 'changes')
  const changes = ensurePrivateFolder(changesDir, 'folder of changes', { create })
  const repaired = [...top.repaired, ...changes.repaired]
  if (!changes.exists) return repaired
  for (const entry of readFolderSync(changesDir, MAX_CHANGES_CHECKED).entries) {
    if (entry.name.startsWith('.')) continue
    repaired.push(...secureChangeFolder(join(changesDir, entry.name)).repaired)
  }
  return repaired
}

/** Checks (with `create`, makes) one change's folder and its `backups/`; says what was repaired. */
export function secureChangeFolder(dir: string, options: { readonly create?: boolean } = {}): { exists: boolean; repaired: string[] } {
  const create = options.create ?? false
  const change = ensurePrivateFolder(dir, 'folder of a change', { create })
  if (!change.exists) return { exists: false, repaired: [] }
  const backups = ensurePrivateFolder(join(dir, 'backups'), 'backup folder of a change', { create })
  return { exists: true, repaired: [...change.repaired, ...backups.repaired] }
}

export { UnsafeFolderError } from '../stores/shared/private-folder.js'
