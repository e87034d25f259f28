/**
 * Real property list files for the tests, written by Python's plistlib (an implementation of Apple's
 * binary and XML formats independent of CertAudit's readers): macOS and its `plutil` cannot run on
 * Linux, where these tests run, but the files a Mac keeps are these formats. `{ $data: base64 }` in a
 * value is written as <data>. Null when python3 is not installed (callers skip, saying why).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

const WRITER = `
import json, plistlib, sys, base64
def convert(v):
    if isinstance(v, dict):
        if set(v) == {'$data'}: return base64.b64decode(v['$data'])
        return {k: convert(x) for k, x in v.items()}
    if isinstance(v, list): return [convert(x) for x in v]
    return v
value = convert(json.loads(sys.stdin.read()))
fmt = plistlib.FMT_BINARY if sys.argv[2] == 'binary' else plistlib.FMT_XML
with open(sys.argv[1], 'wb') as f: f.write(plistlib.dumps(value, fmt=fmt, sort_keys=False))
`

/** Why property lists cannot be written here, or null when they can. */
export const CANNOT_WRITE_PLISTS: string | null = spawnSync('python3', ['-c', 'import plistlib'], { stdio: 'ignore' }).status === 0 ? null : 'python3 with plistlib is not installed'

/** Writes `value` as a property list file at `path` (folders made as needed); returns the path. */
export function writePlist(path: string, value: unknown, format: 'binary' | 'xml' = 'binary'): string {
  mkdirSync(dirname(path), { recursive: true })
  const result = spawnSync('python3', ['-c', WRITER, path, format], { input: JSON.stringify(value) })
  if (result.status !== 0) throw new Error(`plistlib could not write ${path}: ${result.stderr.toString()}`)
  return path
}
