/**
 * Store kinds are declared once (src/stores/registry.ts): everything that lists them follows that
 * list, and every kind is one folder with the same files, whose index.ts is its adapter.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../src/cli/main.js'
import { STORE_KINDS, STORES } from '../../src/stores/registry.js'
import { tempDir } from '../support/temp.js'

const STORES_DIR = fileURLToPath(new URL('../../src/stores/', import.meta.url))
const SCHEMA = JSON.parse(readFileSync(new URL('../../resources/scan-report.schema.json', import.meta.url), 'utf8')) as { definitions: { storeKind: { enum: string[] } } }

/** What every kind's folder holds: its adapter, where it looks, how it reads, how it changes, what it tells people. */
const FILE_SET = ['index.ts', 'discover.ts', 'read.ts', 'write.ts', 'notices.ts']

function cliIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTty: false, env: { LANG: 'C' } }
}

describe('the store registry', () => {
  it('names each adapter by its own kind, once', () => {
    expect(STORE_KINDS).toEqual(Object.keys(STORES))
    for (const kind of STORE_KINDS) expect(STORES[kind].kind, kind).toBe(kind)
    expect(new Set(Object.values(STORES)).size).toBe(STORE_KINDS.length)
  })

  it('is the enum of the report’s JSON schema', () => {
    expect(SCHEMA.definitions.storeKind.enum).toEqual([...STORE_KINDS])
  })

  it('is one folder per kind, each with the same files, its index.ts exporting the adapter', async () => {
    const folders = readdirSync(STORES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared').map((d) => d.name)
    expect(folders.sort()).toEqual([...STORE_KINDS].sort())
    for (const kind of STORE_KINDS) {
      for (const file of FILE_SET) expect(existsSync(`${STORES_DIR}${kind}/${file}`), `src/stores/${kind}/${file}`).toBe(true)
      const exported = Object.values(await import(`../../src/stores/${kind}/index.ts`)) as unknown[]
      expect(exported, `src/stores/${kind}/index.ts exports the registered adapter`).toContain(STORES[kind])
    }
  })

  it('gives every adapter a backup schema and its notices', () => {
    for (const kind of STORE_KINDS) {
      const adapter = STORES[kind]
      expect(typeof adapter.backupData.safeParse, kind).toBe('function')
      expect(adapter.backupData.safeParse('not an object').success, kind).toBe(false)
      expect(Object.keys(adapter.notices.texts.en).length, kind).toBeGreaterThan(0)
    }
  })

  it('is what `certaudit scan --store` accepts: every kind a scan discovers (files are named with --file)', async () => {
    const home = tempDir()
    for (const kind of STORE_KINDS.filter((k) => k !== 'file')) {
      const io = cliIo()
      const code = await main(['scan', '--json', '--store', kind, '--home', home, '--system-root', home], io)
      expect(io.err.join(''), kind).not.toMatch(/--store must be one of/)
      // An empty machine has no store of this kind: nothing could be scanned (exit 2), but the kind was taken.
      expect([0, 2], kind).toContain(code)
      expect(JSON.parse(io.out.join('')).verdict.level, kind).toBe('nothing-scanned')
    }
    const io = cliIo()
    expect(await main(['scan', '--store', 'registry', '--home', home], io)).toBe(2)
    expect(io.err.join('')).toContain(`--store must be one of ${STORE_KINDS.filter((k) => k !== 'file').join(', ')} (got "registry")`)
  })
})
