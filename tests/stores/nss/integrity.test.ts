/**
 * The integrity records of NSS trust objects (src/stores/nss/integrity.ts), with NSS as the oracle:
 * certutil believes a trust object CertAudit signed (it lists the trust), and ignores one signed with
 * another key, for another object, or not at all (it lists ",,"), so a distrust that reads as ",," is
 * believed for the right reason. The key comes from the empty password only; a Primary Password
 * gives none.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { emptyPasswordKey, passwordKey, signAttribute, signatureId, verifySignature } from '../../../src/stores/nss/integrity.js'
import { databaseKey, findObjects, objectId, signaturesFor } from '../../../src/stores/nss/objects.js'
import { changeImage, type StoredRow } from '../../../src/stores/nss/rows.js'
import { makeCertificate } from '../../support/certificates.js'
import { tempDir } from '../../support/temp.js'
import { CERTUTIL_ABSENT_REASON, certutil, certutilInstalled, makeNssDb } from './fixtures.js'
import { listing, sqlite3 } from './oracle.js'

const root = makeCertificate({ subject: [['O', 'CertAudit Tests'], ['CN', 'Signed Root']] })
const other = makeCertificate({ subject: [['O', 'CertAudit Tests'], ['CN', 'Other Root']] })
const TRUSTED_DELEGATOR = { type: 'blob', hex: 'ce534352' } as const
const NEW_ID = 0x2badcafe

/** The profile after its trust object for `root` is replaced by a "CT,C,C" one under NEW_ID, with the records `sign` makes. */
async function resigned(sign: (row: StoredRow, key: Buffer) => StoredRow[]): Promise<string[]> {
  const db = makeNssDb(join(tempDir(), 'profile'), [
    { nickname: 'Signed Root', trust: 'c,,', cert: root },
    { nickname: 'Other Root', trust: 'C,,', cert: other },
  ])
  const [cert9, key4] = [join(db, 'cert9.db'), join(db, 'key4.db')].map((f) => readFileSync(f))
  const found = await findObjects(cert9!, key4!, root.der, db)
  const key = await databaseKey(key4!, db)
  if (!found.ok || !('key' in key)) throw new Error('the database is not as certutil made it')
  const old = found.objects.trust[0]!
  const row: StoredRow = {
    rowid: old.rowid,
    cells: { ...old.cells, id: { type: 'integer', value: String(NEW_ID) }, ace536358: TRUSTED_DELEGATOR, ace536359: TRUSTED_DELEGATOR, ace53635a: TRUSTED_DELEGATOR, ace53635b: TRUSTED_DELEGATOR },
  }
  writeFileSync(join(db, 'key4.db'), await changeImage(key4!, [{ table: 'metaData', remove: [], add: sign(row, key.key) }], db))
  writeFileSync(join(db, 'cert9.db'), await changeImage(cert9!, [{ table: 'nssPublic', remove: [old.rowid], add: [row] }], db))
  return listing(db)
}

describe.skipIf(!certutilInstalled)(`integrity records of trust objects, with certutil as the oracle${certutilInstalled ? '' : ` (skipped: ${CERTUTIL_ABSENT_REASON})`}`, () => {
  it('NSS believes a trust object CertAudit signed: certutil lists its trust', async () => {
    expect(await resigned((row, key) => signaturesFor(row, NEW_ID, key))).toContain('Signed Root  CT,C,C')
  })

  it('NSS ignores the same trust signed with another key, for another object, or not at all: certutil lists ",,"', async () => {
    expect(await resigned((row) => signaturesFor(row, NEW_ID, randomBytes(20)))).toContain('Signed Root  ,,')
    // Records made for another object id: NSS ties each record to its object (sftkdb_pbehash).
    expect(
      await resigned((row, key) =>
        signaturesFor(row, NEW_ID + 1, key).map((record) => ({ ...record, cells: { ...record.cells, id: { type: 'text', hex: Buffer.from(Buffer.from((record.cells.id as { hex: string }).hex, 'hex').toString().replace((NEW_ID + 1).toString(16), NEW_ID.toString(16))).toString('hex') } } })),
      ),
    ).toContain('Signed Root  ,,')
    expect(await resigned(() => [])).toContain('Signed Root  ,,')
  })

  it('writes records in the very form NSS writes them (PBMAC1, PBKDF2 and HMAC with SHA-256, a 32-byte salt, 1 iteration), and verifies NSS’s own', async () => {
    const db = makeNssDb(join(tempDir(), 'profile'), [{ nickname: 'Signed Root', trust: 'CT,C,C', cert: root }])
    const key4 = readFileSync(join(db, 'key4.db'))
    const found = await findObjects(readFileSync(join(db, 'cert9.db')), key4, root.der, db)
    const key = await databaseKey(key4, db)
    if (!found.ok || !('key' in key)) throw new Error('the database is not as certutil made it')
    const trust = found.objects.trust[0]!
    const id = objectId(trust)!
    const serverAuth = 0xce536358
    const record = Buffer.from(sqlite3(join(db, 'key4.db'), `SELECT hex(item1) FROM metaData WHERE id = '${signatureId(id, serverAuth)}';`).trim(), 'hex')
    const value = Buffer.from('ce534352', 'hex')
    expect(verifySignature(key.key, id, serverAuth, value, record)).toBe(true)
    expect(verifySignature(key.key, id, serverAuth, Buffer.from('ce534353', 'hex'), record)).toBe(false)
    expect(verifySignature(key.key, id + 1, serverAuth, value, record)).toBe(false)
    const ours = signAttribute(key.key, id, serverAuth, value)
    const skeleton = (der: Buffer) => der.toString('hex').replace(/0420[0-9a-f]{64}/g, '<32 bytes>')
    expect(skeleton(ours)).toBe(skeleton(record))
    expect(ours.equals(record)).toBe(false) // a fresh salt, as NSS draws one
    expect(verifySignature(key.key, id, serverAuth, value, ours)).toBe(true)
  })

  it('finds the database key for the empty password only: none under a Primary Password, none from a damaged check value', async () => {
    const open = makeNssDb(join(tempDir(), 'open'), [])
    const locked = makeNssDb(join(tempDir(), 'locked'), [], { password: 'correct horse battery staple' })
    const row = (db: string) => sqlite3(join(db, 'key4.db'), "SELECT hex(item1) || '|' || hex(item2) FROM metaData WHERE id = 'password';").trim().split('|').map((h) => Buffer.from(h, 'hex'))
    const [salt, check] = row(open)
    expect(emptyPasswordKey(salt!, check!)).toEqual(passwordKey(salt!, ''))
    const [lockedSalt, lockedCheck] = row(locked)
    expect(emptyPasswordKey(lockedSalt!, lockedCheck!)).toBeNull()
    expect(await databaseKey(readFileSync(join(locked, 'key4.db')), locked)).toEqual({ why: expect.stringContaining('Primary Password') })
    for (const damaged of [Buffer.alloc(0), check!.subarray(0, 40), Buffer.concat([check!.subarray(0, -1), Buffer.from([check!.at(-1)! ^ 1])])]) expect(emptyPasswordKey(salt!, damaged)).toBeNull()
    // NSS derives the key with SHA-384 from a 48-byte global salt (sftkdb_passwordToKey).
    expect(passwordKey(randomBytes(48), '')).toHaveLength(48)
    expect(passwordKey(salt!, '')).toHaveLength(20)
    expect(certutil(['-L', '-d', `sql:${open}`])).toContain('SSL,S/MIME,JAR/XPI')
  })
})
