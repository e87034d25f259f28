/**
 * What the desktop shell does for the guard (src/guard): run one check with no window when the
 * schedule starts the app with `--guard-watch`, say how the schedule should start this app, and read
 * which finding a notification's click asks for (`--finding <id>` or certaudit://finding/<id>).
 * Pure functions over what Electron hands over, tested in tests/electron/guard.test.ts.
 */
import type { CertAuditApi } from '../src/api/certaudit-api.js'
import { languageFromLocale } from '../src/audit/texts.js'
import type { Launcher } from '../src/guard/launcher.js'

export const GUARD_WATCH_FLAG = '--guard-watch'
const FINDING_ID = /^[0-9a-f]{8,64}$/

/** The finding a command line asks to open: `--finding <id>`, `--finding=<id>` or certaudit://finding/<id>; null otherwise. */
export function findingFromArgs(argv: readonly string[]): string | null {
  for (const [index, arg] of argv.entries()) {
    const value = arg === '--finding' ? argv[index + 1] : arg.startsWith('--finding=') ? arg.slice('--finding='.length) : null
    if (value !== null) return value !== undefined && FINDING_ID.test(value) ? value : null
    const url = findingFromUrl(arg)
    if (url) return url
  }
  return null
}

/** certaudit://finding/<id> → the id; anything else → null. */
export function findingFromUrl(text: string): string | null {
  if (!text.toLowerCase().startsWith('certaudit:')) return null
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return null
  }
  const id = url.host === 'finding' ? url.pathname.replace(/^\/+|\/+$/g, '') : ''
  return FINDING_ID.test(id) ? id : null
}

/**
 * How the schedule starts this app: the file the user has, not a temporary copy (an AppImage runs from
 * a mount that goes away; the portable Windows build unpacks itself anew each time).
 */
export function appLauncher(execPath: string, env: Readonly<Record<string, string | undefined>>): Launcher {
  return { kind: 'app', program: env.APPIMAGE || env.PORTABLE_EXECUTABLE_FILE || execPath }
}

/** One check, as `certaudit watch --once --notify` does it; returns its exit code (0, 1 while a dangerous root is trusted, 2 on errors). */
export async function runGuardWatch(api: CertAuditApi, argv: readonly string[], locale: string | undefined, log: (text: string) => void = () => {}): Promise<number> {
  const asked = argv[argv.indexOf('--lang') + 1]
  const language = argv.includes('--lang') && (asked === 'en' || asked === 'ru' || asked === 'kk') ? asked : languageFromLocale(locale)
  try {
    const check = await api.handle('guard:watch', { language, notify: true })
    for (const problem of check.problems) log(`certaudit: ${problem}\n`)
    return check.serious > 0 ? 1 : 0
  } catch (error) {
    log(`certaudit: ${(error as Error).message}\n`)
    return 2
  }
}
