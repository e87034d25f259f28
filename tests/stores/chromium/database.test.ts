/**
 * The in-memory change of a ServerCertificate image (src/stores/chromium/database.ts), on databases
 * made by sqlite3: it touches exactly one row or refuses, keeps the journal mode, and sqlite3 reads
 * what it makes.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeImage, readRows } from '../../../src/stores/chromium/database.js'
import { StoreError } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { dumpRows, haveSqlite3, integrity, makeServerCertificate, metadata, sha256, sqlite3, TRUSTED } from './fixtures.js'

const one = makeCertificate({ subject: [['CN', 'One']] })
const two = makeCertificate({ subject: [['CN', 'Two']] })

describe.skipIf(!haveSqlite3)('changing a ServerCertificate image in memory', () => {
  it('refuses a change that touches no row, and names the database', async () => {
    const file = makeServerCertificate(join(tempDir(), 'Default'), [{ der: one.der, trust: metadata(TRUSTED) }])
    const error = await changeImage(readFileSync(file), { kind: 'delete', rowid: 42 }, file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('chromium-change-failed')
    expect((error as StoreError).message).toContain(file)
  })

  it('puts a row back under a new rowid when its own is taken, byte for byte otherwise', async () => {
    const file = makeServerCertificate(join(tempDir(), 'Default'), [{ der: one.der, trust: metadata(TRUSTED) }])
    const image = readFileSync(file)
    const [row] = await readRows(image, file)
    const changed = await changeImage(image, { kind: 'insert', row: { rowid: row!.rowid, key: sha256(two.der), der: two.der, trustSettings: metadata(TRUSTED) } }, file)
    writeFileSync(file, changed)
    expect(integrity(file)).toBe('ok')
    expect(dumpRows(file)).toEqual([
      `1|${sha256(one.der)}|text|${one.der.toString('hex').toUpperCase()}|blob|0A020803|blob`,
      `2|${sha256(two.der)}|text|${two.der.toString('hex').toUpperCase()}|blob|0A020803|blob`,
    ])
  })

  it('keeps a write-ahead-log database in that mode, and a rollback one in its', async () => {
    for (const wal of [true, false]) {
      const file = makeServerCertificate(join(tempDir(), 'Default'), [{ der: one.der, trust: metadata(TRUSTED) }], { wal })
      const image = readFileSync(file)
      const [row] = await readRows(image, file)
      writeFileSync(file, await changeImage(image, { kind: 'delete', rowid: row!.rowid }, file))
      expect(sqlite3(file, 'PRAGMA journal_mode;').trim()).toBe(wal ? 'wal' : 'delete')
      expect(dumpRows(file)).toEqual([])
    }
  })
})
