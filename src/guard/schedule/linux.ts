/**
 * The guard on Linux, for this user only. With a systemd user manager: a oneshot service and a timer
 * in ~/.config/systemd/user (run a minute after log-in, then daily; a missed day runs at the next
 * start), enabled with `systemctl --user`. Without one: an XDG autostart entry in ~/.config/autostart,
 * which runs the check at each log-in (daily checks need the timer).
 * https://www.freedesktop.org/software/systemd/man/latest/systemd.timer.html
 * https://specifications.freedesktop.org/autostart-spec/latest/
 */
import { join, relative } from 'node:path'
import type { Environment } from '../../stores/shared/environment.js'
import { isOwnHome } from '../launcher.js'
import { desktopExecQuote, systemdExecLine, systemdQuote } from './quoting.js'
import { MADE_BY, runOrFail, runQuietly, type PlannedSchedule, type Registration } from './types.js'

export const SERVICE = 'certaudit-guard.service'
export const TIMER = 'certaudit-guard.timer'
export const AUTOSTART = 'certaudit-guard.desktop'

/**
 * ~/.config, or XDG_CONFIG_HOME where it is set inside the home (a --home given for another tree must
 * keep every file inside that tree, whatever this session's variables say).
 */
export function configHome(env: Environment): string {
  const xdg = env.env.XDG_CONFIG_HOME
  if (xdg && xdg.startsWith('/') && !relative(env.home, xdg).startsWith('..')) return xdg
  return join(env.home, '.config')
}

/** True when this user's systemd manager runs (asked only for this user's own home, never for another tree). */
export async function userManagerRuns(env: Environment): Promise<boolean> {
  if (!isOwnHome(env)) return false
  const result = await env.run('systemctl', ['--user', 'is-system-running'], { timeoutMs: 10_000 })
  // It exits non-zero for "degraded" too: the state it prints is what counts.
  return ['running', 'degraded', 'starting', 'initializing', 'maintenance'].includes(result.stdout.toString('utf8').trim())
}

export function serviceUnit(command: readonly string[], environment: Readonly<Record<string, string>>): string {
  return [
    `# ${MADE_BY}`,
    '[Unit]',
    'Description=CertAudit guard: tells you when an interception root certificate appears or comes back',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${systemdExecLine(command)}`,
    ...Object.entries(environment).map(([name, value]) => `Environment=${systemdQuote(`${name}=${value}`, { exec: false })}`),
    // The notification's "Open" button starts CertAudit from this check: it must outlive the check.
    'KillMode=process',
    // The check waits while its notification is shown (to open CertAudit on a click), then ends.
    'TimeoutStartSec=30min',
    'Nice=10',
    '',
  ].join('\n')
}

export const TIMER_UNIT = [
  `# ${MADE_BY}`,
  '[Unit]',
  'Description=Run the CertAudit guard after log-in and once a day',
  '',
  '[Timer]',
  // For a user manager, "startup" is when it starts: the user's first log-in.
  'OnStartupSec=1min',
  'OnCalendar=daily',
  'RandomizedDelaySec=15min',
  'Persistent=true',
  '',
  '[Install]',
  'WantedBy=timers.target',
  '',
].join('\n')

export function autostartEntry(command: readonly string[], environment: Readonly<Record<string, string>>): string {
  const variables = Object.entries(environment).map(([name, value]) => `${name}=${value}`)
  const words = variables.length ? ['/usr/bin/env', ...variables, ...command] : command
  return [
    `# ${MADE_BY}`,
    '[Desktop Entry]',
    'Type=Application',
    'Name=CertAudit guard',
    'Comment=Tells you when an interception root certificate appears or comes back',
    `Exec=${words.map(desktopExecQuote).join(' ')}`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    'X-GNOME-Autostart-Delay=60',
    '',
  ].join('\n')
}

export async function planLinux(env: Environment, command: readonly string[], environment: Readonly<Record<string, string>>): Promise<PlannedSchedule> {
  const config = configHome(env)
  if (await userManagerRuns(env)) {
    return {
      kind: 'systemd',
      files: [
        { path: join(config, 'systemd', 'user', SERVICE), content: serviceUnit(command, environment) },
        { path: join(config, 'systemd', 'user', TIMER), content: TIMER_UNIT },
      ],
      register: async () => {
        await runOrFail(env, 'systemctl', ['--user', 'daemon-reload'])
        await runOrFail(env, 'systemctl', ['--user', 'enable', '--now', TIMER])
        return { type: 'systemd', unit: TIMER }
      },
    }
  }
  const reason = isOwnHome(env) ? 'no systemd user manager runs for this user: the check runs at each log-in' : 'the files were written for another home: nothing was registered with this session'
  return {
    kind: 'autostart',
    files: [{ path: join(config, 'autostart', AUTOSTART), content: autostartEntry(command, environment) }],
    register: async () => ({ type: 'none', reason }),
  }
}

/** Stops and disables the timer (before its files go), or nothing for an autostart entry. */
export async function unregisterLinux(env: Environment, registration: Registration): Promise<void> {
  if (registration.type !== 'systemd') return
  await runQuietly(env, 'systemctl', ['--user', 'disable', '--now', registration.unit])
}

/** After the files went: the manager forgets the units. */
export async function afterUnregisterLinux(env: Environment, registration: Registration): Promise<void> {
  if (registration.type === 'systemd') await runQuietly(env, 'systemctl', ['--user', 'daemon-reload'])
}
