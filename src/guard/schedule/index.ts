/**
 * Installs and removes the guard's schedule for this user (no administrator rights on any OS), and
 * says whether it is installed. What an install wrote and registered is kept in a manifest in the data
 * folder (guard/schedule.json), so uninstall removes exactly that: the files it wrote (unless they were
 * changed since, which is said and left alone) and the registration it made. Both are idempotent.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Language } from '../../audit/blocklist.js'
import type { Environment } from '../../stores/shared/environment.js'
import { fileError, readRegularFile } from '../../stores/shared/regular-file.js'
import { guardFile, readJsonFile, removeFile, writeFileAtomic } from '../files.js'
import { watchCommand, watchEnvironment, type Launcher } from '../launcher.js'
import { afterUnregisterLinux, planLinux, unregisterLinux } from './linux.js'
import { planMacos, unregisterMacos } from './macos.js'
import { controlCharacter } from './quoting.js'
import { GuardScheduleError, type PlannedSchedule, type Registration, type ScheduleKind } from './types.js'
import { planWindows, unregisterWindows } from './windows.js'

export { GuardScheduleError, type Registration, type ScheduleKind } from './types.js'

const registration = z.discriminatedUnion('type', [
  z.object({ type: z.literal('systemd'), unit: z.string().regex(/^[\w.-]+\.timer$/) }).strict(),
  z.object({ type: z.literal('launchd'), domain: z.string().regex(/^gui\/\d+$/), label: z.string().regex(/^[\w.-]+$/) }).strict(),
  z.object({ type: z.literal('task-scheduler'), name: z.string().min(1) }).strict(),
  z.object({ type: z.literal('none'), reason: z.string() }).strict(),
]) satisfies z.ZodType<Registration>

const manifestSchema = z
  .object({
    version: z.literal(1),
    platform: z.string(),
    kind: z.enum(['systemd', 'autostart', 'launch-agent', 'task-scheduler']),
    installedAt: z.string(),
    language: z.enum(['en', 'ru', 'kk']).optional(),
    command: z.array(z.string()).min(1),
    files: z.array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict()),
    registration,
  })
  .strict()
export type ScheduleManifest = z.infer<typeof manifestSchema>

export interface ScheduleStatus {
  readonly installed: boolean
  readonly kind: ScheduleKind | null
  readonly files: readonly string[]
  /** The files of the install that are no longer there, or were changed since. */
  readonly missing: readonly string[]
  readonly command: readonly string[]
  readonly registration: Registration | null
  readonly installedAt: string | null
  readonly problem?: string
}

export interface ScheduleChange extends ScheduleStatus {
  readonly written: readonly string[]
  readonly removed: readonly string[]
  /** Files of an earlier install that were changed by someone else, so left where they are. */
  readonly leftAlone: readonly string[]
}

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex')

/** A unit, autostart entry, agent or task file is a few kilobytes; past this it is not one the install wrote. */
const MAX_SCHEDULE_FILE_BYTES = 1024 * 1024

/**
 * A file an install wrote, as it is now: its bytes, null when it is gone, or `other` when something
 * else has its name (another program's file too large to be ours, a link, a FIFO or a device: read by the
 * one reader without following a link, never waited on). Only the install's own bytes are ever removed.
 */
async function installedFile(path: string): Promise<Buffer | null | 'other'> {
  try {
    return await readRegularFile(path, { maxBytes: MAX_SCHEDULE_FILE_BYTES, noFollow: true, what: 'schedule file' })
  } catch (error) {
    return fileError(path, error).code === 'enoent' ? null : 'other'
  }
}

async function readManifest(env: Environment): Promise<{ manifest: ScheduleManifest | null; problem?: string }> {
  const read = await readJsonFile(guardFile(env, 'schedule'), manifestSchema)
  if (read.status === 'ok') return { manifest: read.value }
  return read.status === 'damaged' ? { manifest: null, problem: `${read.problem}; CertAudit cannot tell what it installed, so it removes nothing on its word.` } : { manifest: null }
}

async function plan(env: Environment, command: readonly string[]): Promise<PlannedSchedule> {
  const environment = watchEnvironment(env)
  if (env.platform === 'win32') return planWindows(env, command)
  if (env.platform === 'darwin') return planMacos(env, command, environment)
  if (env.platform === 'linux') return planLinux(env, command, environment)
  throw new GuardScheduleError(`CertAudit cannot schedule its guard on ${env.platform}; run "certaudit watch --once" from your own scheduler.`)
}

async function unregister(env: Environment, reg: Registration): Promise<void> {
  if (reg.type === 'systemd') await unregisterLinux(env, reg)
  else if (reg.type === 'launchd') await unregisterMacos(env, reg)
  else if (reg.type === 'task-scheduler') await unregisterWindows(env, reg)
}

/** Removes the files of a manifest that are still as written; returns those removed and those left alone. */
async function removeFiles(files: ScheduleManifest['files'], keep: ReadonlySet<string> = new Set()): Promise<{ removed: string[]; leftAlone: string[] }> {
  const removed: string[] = []
  const leftAlone: string[] = []
  for (const file of files) {
    if (keep.has(file.path)) continue
    const content = await installedFile(file.path)
    if (content === null) continue
    if (content === 'other' || sha256(content) !== file.sha256) {
      leftAlone.push(file.path)
      continue
    }
    if (await removeFile(file.path)) removed.push(file.path)
  }
  return { removed, leftAlone }
}

/**
 * Installs (or reinstalls) the schedule running `watch --once` through `launcher`. An earlier install
 * is taken down first, and its files that the new one does not write again are removed.
 */
export async function installSchedule(env: Environment, launcher: Launcher, language?: Language, now: Date = new Date()): Promise<ScheduleChange> {
  const command = watchCommand(launcher, env, language)
  const unsafe = command.find(controlCharacter)
  if (unsafe !== undefined) throw new GuardScheduleError(`The path ${JSON.stringify(unsafe)} holds a control character (a newline or tab), which a schedule cannot hold safely.`)
  const planned = await plan(env, command)
  const { manifest: previous } = await readManifest(env)
  if (previous) await unregister(env, previous.registration)
  const paths = new Set(planned.files.map((f) => f.path))
  const old = previous ? await removeFiles(previous.files, paths) : { removed: [], leftAlone: [] }
  for (const file of planned.files) await writeFileAtomic(file.path, file.content, { what: 'the guard schedule' })
  const reg = await planned.register().catch(async (error: unknown) => {
    // Nothing half-installed: the files go again, and the error says which command failed.
    await removeFiles(planned.files.map((f) => ({ path: f.path, sha256: sha256(f.content) })))
    throw error
  })
  if (previous && previous.registration.type !== 'none' && previous.kind !== planned.kind) await afterUnregisterLinux(env, previous.registration)
  const manifest: ScheduleManifest = {
    version: 1,
    platform: env.platform,
    kind: planned.kind,
    installedAt: now.toISOString(),
    ...(language ? { language } : {}),
    command,
    files: planned.files.map((f) => ({ path: f.path, sha256: sha256(f.content) })),
    registration: reg,
  }
  await writeFileAtomic(guardFile(env, 'schedule'), JSON.stringify(manifest, null, 2) + '\n', { what: "the guard's schedule manifest" })
  return { ...(await scheduleStatus(env)), written: [...paths], removed: old.removed, leftAlone: old.leftAlone }
}

/** Removes what the install made: its registration, then its files, then the manifest. Nothing installed: nothing done. */
export async function uninstallSchedule(env: Environment): Promise<ScheduleChange> {
  const { manifest, problem } = await readManifest(env)
  if (!manifest) {
    if (problem) throw new GuardScheduleError(problem)
    return { ...(await scheduleStatus(env)), written: [], removed: [], leftAlone: [] }
  }
  await unregister(env, manifest.registration)
  const { removed, leftAlone } = await removeFiles(manifest.files)
  await afterUnregisterLinux(env, manifest.registration)
  await removeFile(guardFile(env, 'schedule'))
  return { ...(await scheduleStatus(env)), written: [], removed, leftAlone }
}

/** Whether the schedule is installed, from the manifest and the files it lists. */
export async function scheduleStatus(env: Environment): Promise<ScheduleStatus> {
  const { manifest, problem } = await readManifest(env)
  if (!manifest) return { installed: false, kind: null, files: [], missing: [], command: [], registration: null, installedAt: null, ...(problem ? { problem } : {}) }
  const missing: string[] = []
  for (const file of manifest.files) {
    const content = await installedFile(file.path)
    if (content === null || content === 'other' || sha256(content) !== file.sha256) missing.push(file.path)
  }
  return {
    installed: true,
    kind: manifest.kind,
    files: manifest.files.map((f) => f.path),
    missing,
    command: manifest.command,
    registration: manifest.registration,
    installedAt: manifest.installedAt,
  }
}
