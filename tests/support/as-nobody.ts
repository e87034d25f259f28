/**
 * Running CertAudit as the unprivileged user "nobody": root reads every file whatever its mode, so a
 * test of "permission denied" run as root needs another user. nobody cannot read a checkout inside a
 * 0700 home folder, so what it runs is first bundled (esbuild, every import inlined) into a fresh
 * world-readable temp folder, with resources/ beside it where the engine looks for them.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { tempDir } from './temp.js'

export const isRoot = process.getuid?.() === 0
/** runuser, which root uses to run a command as nobody; undefined where it is missing. */
export const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p))
/** Why a test that needs "permission denied" cannot run here, or null when it can. */
export const CANNOT_DENY = isRoot && !runuser ? 'root without runuser cannot be denied a read' : null

const RESOURCES = fileURLToPath(new URL('../../resources/', import.meta.url))

/**
 * `source` (a module's text, importing by absolute path) bundled into one file nobody can read and
 * run, at <temp>/dist/x/bundle.mjs: the engine's `new URL('../../resources/…', import.meta.url)`
 * finds the copied resources/ from there. Returns the bundle's path.
 */
export async function readableBundle(source: string): Promise<string> {
  const root = tempDir('certaudit-readable-')
  chmodSync(root, 0o755)
  const entry = join(root, 'entry.ts')
  writeFileSync(entry, source)
  const outfile = join(root, 'dist', 'x', 'bundle.mjs')
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
    // sql.js (a CommonJS package) asks for require(): give the bundle one.
    banner: { js: "import { createRequire as __certauditRequire } from 'node:module'; const require = __certauditRequire(import.meta.url);" },
  })
  mkdirSync(join(root, 'resources'))
  cpSync(RESOURCES, join(root, 'resources'), { recursive: true })
  for (const dir of [join(root, 'dist'), join(root, 'dist', 'x')]) chmodSync(dir, 0o755)
  return outfile
}

/** The command that runs `node bundle args…`: as nobody when this process is root, else as itself. */
export function nodeCommand(bundle: string, args: readonly string[]): [string, string[]] {
  return isRoot ? [runuser!, ['-u', 'nobody', '--', process.execPath, bundle, ...args]] : [process.execPath, [bundle, ...args]]
}
