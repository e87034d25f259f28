// Kills inside the tools CertAudit runs, for the crash tests of issue 14 (class 3): a command runner
// that runs one tool so it dies part-way, as a kill -9 or a power cut would leave it, then stops
// CertAudit too (SIGKILL in the CLI; a thrown PowerCut in tests that run the engine in-process).
//
// - certutil runs under strace, which kills it with SIGKILL at its n-th call of one system call
//   (fdatasync, pwrite64, unlink: inside SQLite's transactions and between them).
// - keytool runs under strace too, killed at its n-th write to the keystore it was handed (after it
//   opened it with O_TRUNC).
// - update-ca-certificates (a shell script) runs as an instrumented copy of the real one: before
//   every command that changes a file (each link cleared or made, each certificate appended to the
//   new bundle, the rehash, the move over the old bundle) it counts, and at the n-th point kills
//   CertAudit and its own process group at once; `rehash:n` kills `openssl rehash` itself at its n-th
//   unlink or symlink (strace), half-way through /etc/ssl/certs.
//
// Plain JavaScript: the built CLI's crash wrapper (crashing-cli.mjs) runs it under node alone.
// Only tests use this file; the product has no fault hook.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Thrown by the runner in-process once the tool has been killed: the engine must stop where it is, as if the power went. */
export class PowerCut extends Error {
  constructor(what) {
    super(`power cut inside ${what}`)
    this.name = 'PowerCut'
  }
}

export const UPDATE_CA_CERTIFICATES = '/usr/sbin/update-ca-certificates'
export const haveStrace = existsSync('/usr/bin/strace')

/** Each edit of the real script: the text it finds, and the text with the crash point before it. */
const POINTS = [
  ['    ln -sf "$CERT" "$PEM"', '    __cp link; ln -sf "$CERT" "$PEM"'],
  ["  sed -e '$a\\' \"$CERT\" >> \"$TEMPBUNDLE\"", "  __cp append; sed -e '$a\\' \"$CERT\" >> \"$TEMPBUNDLE\""],
  ['    rm -f "$PEM"', '    __cp unlink-deselected; rm -f "$PEM"'],
  ['      $CERTSDIR*|$LOCALCERTSDIR*) rm -f $symlink;;', '      $CERTSDIR*|$LOCALCERTSDIR*) __cp clear; rm -f $symlink;;'],
  ['    test -f "$symlink" || rm -f "$symlink"', '    test -f "$symlink" || { __cp clear-dangling; rm -f "$symlink"; }'],
  ['    rm -f "$orphan"', '    __cp orphan; rm -f "$orphan"'],
  ['    openssl rehash . > /dev/null', '    __cp rehash; __rehash . > /dev/null'],
  ['  chmod 0644 "$TEMPBUNDLE"', '  __cp chmod; chmod 0644 "$TEMPBUNDLE"'],
  ['  mv -f "$TEMPBUNDLE" "$CERTBUNDLE"', '  __cp move; mv -f "$TEMPBUNDLE" "$CERTBUNDLE"; __cp moved'],
]

const PRELUDE = `
__pgid=$$
# Dies as a power cut would: CertAudit (when named) and every process of this run at once.
__die() {
  : > "$CRASH_COUNTER.fired"
  if [ -n "$CRASH_PID" ]; then kill -9 "$CRASH_PID" 2>/dev/null || true; fi
  kill -9 -$__pgid
}
# A crash point: the n-th is where it dies. The count lives in a file, as the loops run in subshells.
__cp() {
  [ -n "$CRASH_COUNTER" ] || return 0
  __n=$(( $(cat "$CRASH_COUNTER" 2>/dev/null || echo 0) + 1 ))
  echo "$__n" > "$CRASH_COUNTER"
  echo "$__n $1" >> "$CRASH_COUNTER.log"
  if [ "$__n" = "\${CRASH_AT:-0}" ]; then __die; fi
  return 0
}
# openssl rehash, killed at its n-th unlink or symlink when CRASH_REHASH names one ("unlink:3").
__rehash() {
  if [ -z "$CRASH_REHASH" ]; then openssl rehash "$@"; return; fi
  __call=\${CRASH_REHASH%%:*}
  __status=0
  strace -f -o "$CRASH_COUNTER.rehash" -e trace=$__call -e inject=$__call:signal=SIGKILL:when=\${CRASH_REHASH#*:} openssl rehash "$@" || __status=$?
  if [ "$__status" -ge 128 ]; then __die; fi
  return $__status
}
`

/**
 * Writes the instrumented copy of the real update-ca-certificates into `dir`; null when the installed
 * script is not the one these edits know (another version): the tests then skip, saying so.
 */
export function instrumentUpdateCaCertificates(dir) {
  if (!existsSync(UPDATE_CA_CERTIFICATES)) return null
  let text = readFileSync(UPDATE_CA_CERTIFICATES, 'utf8')
  if (!text.startsWith('#!/bin/sh -e\n')) return null
  for (const [from, to] of POINTS) {
    if (!text.includes(from)) return null
    text = text.replace(from, to)
  }
  text = text.replace('#!/bin/sh -e\n', `#!/bin/sh -e\n${PRELUDE}`)
  const path = join(dir, 'update-ca-certificates')
  writeFileSync(path, text, { mode: 0o755 })
  return path
}

/**
 * A command runner (CertAudit's CommandRunner shape) that runs everything through `base`, except the
 * one faulted tool run:
 * - `{ tool: 'certutil', op: '-D' | '-A' | '-M', syscall, nth }`: the first certutil run with that
 *   operation, killed at its nth `syscall`;
 * - `{ tool: 'update-ca-certificates', script, at }` (`script`: the instrumented copy): killed at its
 *   crash point `at`; `{ …, rehash: 'unlink:3' }`: inside openssl rehash. Every later run of it counts
 *   its points into `counter` (a file path), so a clean run says how many there are.
 * `onCrash` decides what a crash does to CertAudit: 'kill-self' (SIGKILL this process) or 'throw'.
 */
export function faultyRunner(base, fault, onCrash) {
  let fired = false
  return async (command, args, options = {}) => {
    if (fired) return base(command, args, options)
    if (fault.tool === 'certutil' && command === 'certutil' && args[0] === fault.op) {
      fired = true
      const traced = ['-f', '-o', '/dev/null', '-e', `trace=${fault.syscall}`, '-e', `inject=${fault.syscall}:signal=SIGKILL:when=${fault.nth}`, 'certutil', ...args]
      const result = await run('strace', traced, options.env ?? process.env, options.input)
      if (result.killed) return crash(onCrash, `certutil ${fault.op}`)
      return { ...result.record, command: [command, ...args] }
    }
    // keytool (maybe behind `env LC_ALL=C.UTF-8`): killed at its n-th write to the keystore it was handed.
    const keytoolAt = command === 'keytool' ? 0 : command === 'env' ? args.indexOf('keytool') + 1 : -1
    if (fault.tool === 'keytool' && keytoolAt >= 0 && args.includes(fault.op)) {
      fired = true
      const keystore = args[args.indexOf('-keystore') + 1]
      const tool = keytoolAt === 0 ? ['keytool', ...args] : [command, ...args]
      const traced = ['-f', '-o', '/dev/null', '-P', keystore, '-e', 'trace=write', '-e', `inject=write:signal=SIGKILL:when=${fault.nth}`, ...tool]
      const result = await run('strace', traced, options.env ?? process.env, options.input)
      if (result.killed) return crash(onCrash, `keytool ${fault.op}`)
      return { ...result.record, command: [command, ...args] }
    }
    if (fault.tool === 'update-ca-certificates' && command === UPDATE_CA_CERTIFICATES) {
      const counter = fault.counter
      writeFileSync(counter, '0')
      writeFileSync(`${counter}.log`, '')
      const env = {
        ...(options.env ?? process.env),
        CRASH_COUNTER: counter,
        ...(fault.at ? { CRASH_AT: String(fault.at) } : {}),
        ...(fault.rehash ? { CRASH_REHASH: fault.rehash } : {}),
        ...(onCrash === 'kill-self' ? { CRASH_PID: String(process.pid) } : {}),
      }
      const result = await run(fault.script, args, env, options.input)
      if (existsSync(`${counter}.fired`)) {
        fired = true
        return crash(onCrash, 'update-ca-certificates')
      }
      return { ...result.record, command: [command, ...args] }
    }
    return base(command, args, options)
  }
}

function crash(onCrash, what) {
  if (onCrash === 'kill-self') process.kill(process.pid, 'SIGKILL')
  throw new PowerCut(what)
}

/** Runs a tool in its own process group (so a crash point can kill all of it), collecting its output. */
function run(command, args, env, input) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
    const out = []
    const err = []
    child.stdout.on('data', (chunk) => out.push(chunk))
    child.stderr.on('data', (chunk) => err.push(chunk))
    child.on('error', (error) => resolve({ killed: false, record: { command: [command, ...args], exitCode: null, stdout: Buffer.alloc(0), stderr: '', spawnError: `${error.code}: ${error.message}` } }))
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out)
      resolve({ killed: signal === 'SIGKILL' || code === 137, record: { command: [command, ...args], exitCode: code, stdout, stderr: Buffer.concat(err).toString('utf8') } })
    })
    child.stdin.end(input ?? '')
  })
}

/** How many crash points a clean run of the instrumented script passed (its counter file), with their names. */
export function crashPoints(counter) {
  if (!existsSync(`${counter}.log`)) return []
  return readFileSync(`${counter}.log`, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.slice(line.indexOf(' ') + 1))
}
