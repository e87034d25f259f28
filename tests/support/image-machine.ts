/**
 * Disk images in temp folders for the --system-root tests: a root, a home, CertAudit's data folder,
 * and `certaudit` run in this process against them. The Qaznet look-alike root is what each image
 * plants (a blocklisted name with a fresh key, so it is a finding); the keeper is an unrelated root
 * that must survive every change.
 */
import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import type { ChangeReport } from '../../src/removal/engine.js'
import { main, type CliIo } from '../../src/cli/main.js'
import { makeCertificate, makeKey } from './certificates.js'
import { tempDir } from './temp.js'

export const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']], key: makeKey({ type: 'ec' }) })
export const keeper = makeCertificate({ subject: [['O', 'Example Bank'], ['CN', 'Example Root To Keep']], key: makeKey({ type: 'ec' }) })
export const qaznetFinding = qaznet.sha256.slice(0, 16)

export interface Image {
  readonly root: string
  readonly home: string
  readonly data: string
}

/** A fresh image: `root`, a home (inside the root when `homeInRoot` names its path there), a data folder outside both. */
export function makeImage(options: { homeInRoot?: string } = {}): Image {
  const root = realpathSync(tempDir('certaudit-image-'))
  const home = options.homeInRoot ? join(root, options.homeInRoot) : realpathSync(tempDir('certaudit-image-home-'))
  mkdirSync(home, { recursive: true })
  return { root, home, data: realpathSync(tempDir('certaudit-image-data-')) }
}

/** A folder on this computer, outside every image: what a link in an image must never lead a change to. */
export function outsideDir(): string {
  return realpathSync(tempDir('certaudit-outside-'))
}

/** `certaudit ARGS --home … --system-root …` in this process; `undo` and `remove` confirm with --yes. */
export async function certaudit(image: Image, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: { LANG: 'C', XDG_DATA_HOME: image.data } }
  const code = await main([...args, '--home', image.home, '--system-root', image.root], io)
  return { code, stdout, stderr }
}

/** `remove --finding <qaznet> --yes --json`, and its change report (null when nothing was planned). */
export async function removeQaznet(image: Image, mode: 'delete' | 'distrust' = 'delete'): Promise<{ code: number; report: ChangeReport | null; stderr: string }> {
  const run = await certaudit(image, ['remove', '--finding', qaznetFinding, '--mode', mode, '--yes', '--json'])
  if (run.code === 2) return { code: run.code, report: null, stderr: run.stderr }
  return { code: run.code, report: (JSON.parse(run.stdout) as { result: ChangeReport | null }).result, stderr: run.stderr }
}

/** `undo --yes --json` of the last change, and its report. */
export async function undoLast(image: Image): Promise<{ code: number; report: ChangeReport | null; stderr: string }> {
  const run = await certaudit(image, ['undo', '--yes', '--json'])
  if (run.code === 2) return { code: run.code, report: null, stderr: run.stderr }
  return { code: run.code, report: JSON.parse(run.stdout) as ChangeReport, stderr: run.stderr }
}
