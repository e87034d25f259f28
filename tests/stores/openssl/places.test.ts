/**
 * The README lists every place the openssl kind reads, so people can check a machine by hand: this
 * test holds the list in places.ts and the README's table to each other.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LISTED, OPENSSLDIRS, PLACES, PROBE_DIRS, PROBE_NAMES } from '../../../src/stores/openssl/places.js'
import { SOURCE_FOLDERS } from '../../../src/stores/openssl/read.js'

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
const section = README.slice(README.indexOf('### Default certificate files and folders (`openssl`)'), README.indexOf('## What is scanned (Windows)'))

describe('the places of the openssl kind', () => {
  it('are absolute paths, each once', () => {
    for (const place of PLACES) expect(place.path, place.path).toMatch(/^\/[^\s]*[^/]$/)
    expect(new Set(PLACES.map((p) => p.path)).size).toBe(PLACES.length)
  })

  it('are all listed in the README, with the folders it says a bundle\'s source is looked for in', () => {
    expect(section.length).toBeGreaterThan(1000)
    const missing = [...LISTED.map((p) => p.path), ...OPENSSLDIRS, ...PROBE_DIRS, ...PROBE_NAMES, ...SOURCE_FOLDERS].filter((path) => !section.includes(`\`${path}\``))
    expect(missing).toEqual([])
  })
})
