/**
 * The suite runs on one Node.js: scripts/use-node.sh puts a supported one (22.15+, else Node.js 24 in
 * .tools/) first on PATH, and whatever the tests start by name runs on the Node.js that runs them.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const TOOLS_NODE = join(ROOT, '.tools/node_modules/.bin/node')

describe('Node.js for the suite', () => {
  it('is 22.15 or newer', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number]
    expect(major > 22 || (major === 22 && minor >= 15), process.version).toBe(true)
  })

  it('is the one a child started as `node` runs', () => {
    const child = execFileSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' }).trim()
    expect(realpathSync(child)).toBe(realpathSync(process.execPath))
  })

  const noTools = existsSync(TOOLS_NODE) ? '' : ' (skipped: no Node.js in .tools/ here, and installing one needs the npm registry)'
  it.skipIf(!!noTools)(`use-node.sh puts .tools/' Node.js first when the machine's node is too old${noTools}`, () => {
    const fakeBin = mkdtempSync(join(tmpdir(), 'certaudit-old-node-'))
    // A node 20 that fails every check use-node.sh makes (and must not be used for anything else).
    writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\n[ "$1" = --version ] && echo v20.20.2 && exit 0\nexit 1\n')
    chmodSync(join(fakeBin, 'node'), 0o755)
    const out = execFileSync('bash', ['-c', 'source scripts/use-node.sh && command -v node && node --version'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: `${fakeBin}:/usr/bin:/bin`, HOME: fakeBin },
    })
    const [path, version] = out.trim().split('\n')
    expect(path).toBe(TOOLS_NODE)
    expect(version).toMatch(/^v24\./)
  })
})
