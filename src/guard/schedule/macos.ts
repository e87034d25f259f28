/**
 * The guard on macOS: a LaunchAgent in ~/Library/LaunchAgents (this user's, no administrator rights),
 * run when it is loaded (at log-in) and every day at noon (launchd runs a missed calendar job when the
 * Mac wakes), loaded into this user's GUI session with `launchctl bootstrap gui/<uid>`.
 * https://developer.apple.com/library/archive/documentation/MacOSX/Conceptual/BPSystemStartup/Chapters/CreatingLaunchdJobs.html
 */
import { join } from 'node:path'
import type { Environment } from '../../stores/shared/environment.js'
import { isOwnHome } from '../launcher.js'
import { xmlEscape } from './quoting.js'
import { GuardScheduleError, MADE_BY, runOrFail, runQuietly, type PlannedSchedule, type Registration } from './types.js'

export const LABEL = 'org.certaudit.guard'

export function launchAgentPlist(command: readonly string[], environment: Readonly<Record<string, string>>): string {
  const string = (value: string) => `<string>${xmlEscape(value)}</string>`
  const variables = Object.entries(environment)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${MADE_BY} -->`,
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${string(LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...command.map((arg) => `    ${string(arg)}`),
    '  </array>',
    ...(variables.length ? ['  <key>EnvironmentVariables</key>', '  <dict>', ...variables.map(([k, v]) => `    <key>${xmlEscape(k)}</key>${string(v)}`), '  </dict>'] : []),
    '  <key>RunAtLoad</key><true/>',
    '  <key>StartCalendarInterval</key>',
    '  <dict><key>Hour</key><integer>12</integer><key>Minute</key><integer>0</integer></dict>',
    '  <key>ProcessType</key><string>Background</string>',
    '  <key>LowPriorityIO</key><true/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n')
}

/** This user's launchd GUI domain, `gui/<uid>`. */
async function guiDomain(env: Environment): Promise<string> {
  const uid = (await runOrFail(env, 'id', ['-u'])).trim()
  if (!/^\d+$/.test(uid)) throw new GuardScheduleError(`"id -u" did not print a user id (it printed "${uid}").`)
  return `gui/${uid}`
}

export async function planMacos(env: Environment, command: readonly string[], environment: Readonly<Record<string, string>>): Promise<PlannedSchedule> {
  const path = join(env.home, 'Library', 'LaunchAgents', `${LABEL}.plist`)
  return {
    kind: 'launch-agent',
    files: [{ path, content: launchAgentPlist(command, environment) }],
    register: async (): Promise<Registration> => {
      if (!isOwnHome(env)) return { type: 'none', reason: 'the file was written for another home: nothing was loaded into this session' }
      const domain = await guiDomain(env)
      // Loaded already (an earlier install): out first, so the new file is what runs.
      await runQuietly(env, 'launchctl', ['bootout', `${domain}/${LABEL}`])
      await runOrFail(env, 'launchctl', ['bootstrap', domain, path])
      return { type: 'launchd', domain, label: LABEL }
    },
  }
}

export async function unregisterMacos(env: Environment, registration: Registration): Promise<void> {
  if (registration.type === 'launchd') await runQuietly(env, 'launchctl', ['bootout', `${registration.domain}/${registration.label}`])
}
