/**
 * Issue 14, class 3, for Java keystores: keytool rewrites a keystore in place (open with O_TRUNC, then
 * write), so a kill in between used to leave cacerts empty or half-written: every root of that JDK
 * gone. keytool is killed here (strace, SIGKILL) at its first write to the keystore it was
 * handed (a small keystore is written in one call, right after the truncating open), during the
 * delete and during the restore: the keystore on disk is exactly as before each
 * time (keytool only ever had a copy), and running the change again finishes it.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../../../src/stores/shared/command.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { javaWriter } from '../../../src/stores/java/write.js'
import type { EntryTarget } from '../../../src/stores/types.js'
import { keeper, qaznet } from '../../support/image-machine.js'
import { faultyRunner, haveStrace, PowerCut } from '../../support/tool-faults.mjs'
import { tempDir } from '../../support/temp.js'
import { haveKeytool } from '../../support/tools.js'

const aliases = (path: string) => execFileSync('keytool', ['-list', '-keystore', path, '-storepass', 'changeit'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('trustedCertEntry')).map((l) => l.split(',')[0]).sort()

function keystore(): string {
  const dir = realpathSync(tempDir('certaudit-java-crash-'))
  const path = join(dir, 'jdk/lib/security/cacerts')
  mkdirSync(join(dir, 'jdk/lib/security'), { recursive: true })
  for (const [alias, certificate] of [['qaznet', qaznet], ['keeper', keeper]] as const) {
    writeFileSync(join(dir, `${alias}.pem`), certificate.pem)
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', alias, '-file', join(dir, `${alias}.pem`), '-keystore', path, '-storepass', 'changeit', '-storetype', 'JKS'], { stdio: 'pipe' })
  }
  return path
}

describe.skipIf(!haveKeytool || !haveStrace)(`keytool killed while it writes (${haveKeytool && haveStrace ? 'real keytool, strace' : 'skipped: needs keytool and strace'})`, { timeout: 120_000 }, () => {
  // keytool writes a small keystore in one write(2), right after opening it with O_TRUNC: the kill lands between the two.
  it.each([1])('at its write %i, deleting and then restoring: the keystore is never half-written, and the change finishes when run again', async (nth) => {
    const path = keystore()
    const env = createEnvironment({ home: join(path, '../../../home'), systemRoot: join(path, '../../../root'), env: {} })
    const target: EntryTarget = { storeId: `java:${path}`, kind: 'java', location: path, entry: 'qaznet', sha256: qaznet.sha256, pem: qaznet.pem, trust: 'trusted' }
    const backup = await javaWriter.backup(target, env)
    const original = readFileSync(path)
    const killing = (op: '-delete' | '-importcert') => {
      const killed = createEnvironment({ home: env.home, systemRoot: env.systemRoot, env: {}, run: faultyRunner(runCommand, { tool: 'keytool', op, nth }, 'throw') })
      return { env: killed, elevation: createElevation(killed) }
    }

    const deleting = killing('-delete')
    await expect(javaWriter.apply(backup, 'delete', deleting.env, deleting.elevation)).rejects.toBeInstanceOf(PowerCut)
    expect(readFileSync(path).equals(original)).toBe(true)
    expect(await javaWriter.apply(backup, 'delete', env, createElevation(env))).toMatchObject({ ok: true })
    expect(aliases(path)).toEqual(['keeper'])

    const afterDelete = readFileSync(path)
    const restoring = killing('-importcert')
    await expect(javaWriter.restore(backup, restoring.env, restoring.elevation)).rejects.toBeInstanceOf(PowerCut)
    expect(readFileSync(path).equals(afterDelete)).toBe(true)
    expect(await javaWriter.restore(backup, env, createElevation(env))).toMatchObject({ ok: true })
    expect(aliases(path)).toEqual(['keeper', 'qaznet'])
  })
})
