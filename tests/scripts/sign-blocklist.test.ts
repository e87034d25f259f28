import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { verifySignedBlocklist } from '../../src/audit/blocklist-signature.js'
import { listVersion, makeSigningKey } from '../support/blocklists.js'
import { tempDir } from '../support/temp.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

async function sign(args: string[], env: Record<string, string>) {
  return promisify(execFile)(TSX, ['scripts/sign-blocklist.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

describe('scripts/sign-blocklist.ts', () => {
  it('signs with the key from the environment, checks it against the public key, and refuses a mismatch', async () => {
    const dir = tempDir()
    const key = makeSigningKey()
    const keyFile = join(dir, 'private.pem')
    writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 })
    const publicFile = join(dir, 'public.pem')
    writeFileSync(publicFile, key.publicKey.export({ type: 'spki', format: 'pem' }) as string)
    const list = join(dir, 'list.json')
    writeFileSync(list, JSON.stringify(listVersion(7, '2027-07-07'), null, 2))

    const signed = await sign(['--public-key', publicFile, list], { CERTAUDIT_SIGNING_KEY_FILE: keyFile })
    expect(signed).toMatchObject({ code: 0, stdout: `Signed ${list} (version 7 of 2027-07-07) → ${list}.sig\n` })
    expect(verifySignedBlocklist(readFileSync(list), readFileSync(`${list}.sig`, 'utf8'), [key.publicKey]).ok).toBe(true)

    // Signing with a key that is not the one the app ships writes nothing.
    const other = join(dir, 'other.json')
    writeFileSync(other, readFileSync(list))
    const refused = await sign([other], { CERTAUDIT_SIGNING_KEY: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("is this the project's key? nothing was written")
    expect(existsSync(`${other}.sig`)).toBe(false)

    expect(await sign([list], {})).toMatchObject({ code: 1, stderr: expect.stringContaining('set CERTAUDIT_SIGNING_KEY') })
  })
})
