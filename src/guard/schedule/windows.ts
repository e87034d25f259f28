/**
 * The guard on Windows: a Task Scheduler task of this user (no administrator rights: it runs as the
 * user, only while they are logged on, with least privilege), triggered at their log-on and daily at
 * noon (a missed day runs when the computer is next on). Registered from an XML definition with
 * `schtasks /Create /XML`, so both triggers live in one task; the XML is UTF-16, as schtasks expects.
 * https://learn.microsoft.com/windows/win32/taskschd/task-scheduler-schema
 * https://learn.microsoft.com/windows-server/administration/windows-commands/schtasks-create
 */
import { join } from 'node:path'
import { system32Tool } from '../../stores/shared/elevation-scripts.js'
import type { Environment } from '../../stores/shared/environment.js'
import { guardDir } from '../files.js'
import { isOwnHome } from '../launcher.js'
import { windowsCommandLine, xmlEscape } from './quoting.js'
import { GuardScheduleError, MADE_BY, runOrFail, runQuietly, type PlannedSchedule, type Registration } from './types.js'

export const TASK_NAME = 'CertAudit Guard'
export const TASK_FILE = 'certaudit-guard-task.xml'

/** This user as Task Scheduler names them: DOMAIN\user. */
export function windowsUser(env: Environment): string {
  const user = env.env.USERNAME
  if (!user) throw new GuardScheduleError('USERNAME is not set, so the task cannot be made for this user.')
  return env.env.USERDOMAIN ? `${env.env.USERDOMAIN}\\${user}` : user
}

export function taskXml(command: readonly string[], user: string, now: Date = new Date()): string {
  const [program, ...args] = command
  const day = now.toISOString().slice(0, 10)
  const u = xmlEscape(user)
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Author>CertAudit</Author>`,
    `    <Description>${xmlEscape(`Tells you when an interception root certificate appears or comes back. ${MADE_BY}`)}</Description>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    `    <LogonTrigger><Enabled>true</Enabled><UserId>${u}</UserId><Delay>PT1M</Delay></LogonTrigger>`,
    `    <CalendarTrigger><StartBoundary>${day}T12:00:00</StartBoundary><Enabled>true</Enabled><ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>`,
    '  </Triggers>',
    '  <Principals>',
    `    <Principal id="Author"><UserId>${u}</UserId><LogonType>InteractiveToken</LogonType><RunLevel>LeastPrivilege</RunLevel></Principal>`,
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    '    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    `    <Exec><Command>${xmlEscape(program!)}</Command><Arguments>${xmlEscape(windowsCommandLine(args))}</Arguments></Exec>`,
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n')
}

/** UTF-16 little-endian with its byte order mark: what `schtasks /XML` reads. */
export function utf16(text: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
}

export async function planWindows(env: Environment, command: readonly string[]): Promise<PlannedSchedule> {
  const path = join(guardDir(env), TASK_FILE)
  const schtasks = system32Tool(env, 'schtasks.exe')
  return {
    kind: 'task-scheduler',
    files: [{ path, content: utf16(taskXml(command, windowsUser(env))) }],
    register: async (): Promise<Registration> => {
      if (!isOwnHome(env)) return { type: 'none', reason: 'the task file was written for another home: it was not registered with Task Scheduler' }
      await runOrFail(env, schtasks, ['/Create', '/TN', TASK_NAME, '/XML', path, '/F'], 'powershell')
      return { type: 'task-scheduler', name: TASK_NAME }
    },
  }
}

export async function unregisterWindows(env: Environment, registration: Registration): Promise<void> {
  if (registration.type === 'task-scheduler') await runQuietly(env, system32Tool(env, 'schtasks.exe'), ['/Delete', '/TN', registration.name, '/F'])
}
