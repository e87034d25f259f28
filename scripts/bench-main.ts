/**
 * `npm run bench -- --only main`: the bundled main process (dist/electron/main.js, electron/main.ts and
 * the engine in one file, built by scripts/build-electron.mjs).
 *
 * - Under Node, each round a fresh process (electron stood in for, scripts/lib/electron-stand-in.mjs):
 *   the import of main.js, and its own start (API, IPC handlers, the window asked for and loaded) to
 *   `ready-to-show`; next to importing the same engine as the ~70 tsc-built modules it is made from.
 * - Where Electron's binary is installed (not on CI: since Electron 42 npm does not fetch it), the real
 *   app: the main process's start to `ready-to-show`, as main.ts prints it with CERTAUDIT_STARTUP_TIMING=1.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ISOLATED_ENV } from '../tests/support/isolated-env.js'
import { ELECTRON_MISSING_REASON, installedElectron } from './lib/electron-binary.mjs'

const ROOT = join(import.meta.dirname, '..')
const TIMER = join(import.meta.dirname, 'lib/time-main-import.mjs')

interface Lap {
  readonly startedAt: number
  readonly importMs: number
  readonly readyToShowMs: number | null
  readonly sinceProcessStart: number
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!
const figures = (values: readonly number[]): string => `best ${Math.min(...values).toFixed(1).padStart(6)} ms, median ${median(values).toFixed(1).padStart(6)} ms`

function lap(mode: 'bundle' | 'modules', home: string): Lap {
  return JSON.parse(execFileSync(process.execPath, [TIMER, mode], { cwd: ROOT, encoding: 'utf8', env: { ...ISOLATED_ENV, HOME: home } })) as Lap
}

/** One start of the real app: milliseconds to `ready-to-show` as its main process reports them. */
function electronLap(binary: string, home: string): Promise<{ loaded: number; readyToShow: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['.'], { cwd: ROOT, env: { ...ISOLATED_ENV, HOME: home, CERTAUDIT_STARTUP_TIMING: '1' }, stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    const timer = setTimeout(() => child.kill(), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const found = /loaded after (\d+) ms, ready-to-show after (\d+) ms/.exec(output)
      if (found) {
        clearTimeout(timer)
        child.kill()
        resolve({ loaded: Number(found[1]), readyToShow: Number(found[2]) })
      }
    })
    child.on('exit', (code) => reject(new Error(`Electron exited (${code}) before ready-to-show: ${output.trim()}`)))
  })
}

export async function benchMain(options: { readonly rounds: number }): Promise<void> {
  console.log('\n== The main process, one bundled file ==')
  const home = mkdtempSync(join(tmpdir(), 'certaudit-bench-main-'))
  try {
    lap('bundle', home) // once to warm the file cache
    const bundle = Array.from({ length: options.rounds }, () => lap('bundle', home))
    const modules = Array.from({ length: options.rounds }, () => lap('modules', home))
    console.log(`Under Node.js ${process.version}, a fresh process per round (${options.rounds} rounds), electron stood in for:`)
    console.log(`  import dist/electron/main.js (one file)                         ${figures(bundle.map((l) => l.importMs))}`)
    console.log(`  its own start, import to ready-to-show (no Chromium)            ${figures(bundle.map((l) => l.readyToShowMs!))}`)
    console.log(`  the same from the process's start                               ${figures(bundle.map((l) => l.sinceProcessStart))}`)
    console.log(`  import the engine as the tsc-built modules (reference)          ${figures(modules.map((l) => l.importMs))}`)

    const binary = installedElectron()
    const reason = !binary ? ELECTRON_MISSING_REASON : process.getuid?.() === 0 ? 'running as root, where Chromium refuses its sandbox' : null
    if (reason) {
      console.log(`The real app's start to ready-to-show: skipped: ${reason}.`)
      return
    }
    const laps = []
    for (let round = 0; round < options.rounds; round++) laps.push(await electronLap(binary!, home))
    console.log(`Electron ${binary}, ${options.rounds} starts:`)
    console.log(`  main process loaded (one file)                                  ${figures(laps.map((l) => l.loaded))}`)
    console.log(`  main process start to ready-to-show                             ${figures(laps.map((l) => l.readyToShow))}`)
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
