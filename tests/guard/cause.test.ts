/**
 * "Who put it back" (src/guard/cause.ts) for each kind of place; the package case runs the real
 * dpkg-query in tests/cli/watch.test.ts. No tool is asked here but the scripted runner, which must
 * not be asked at all for places that are not system files.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../../src/guard/cause.js'
import type { GuardLocation } from '../../src/guard/schemas.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { scriptedRunner } from '../support/scripted-runner.js'
import { tempDir } from '../support/temp.js'

const place = (fields: Partial<GuardLocation> & Pick<GuardLocation, 'kind' | 'storeId'>): GuardLocation => ({ location: '/x', entry: 'e', trust: 'trusted', ...fields })

describe('what put a certificate where it is', () => {
  const runner = scriptedRunner()
  const env = createEnvironment({ home: tempDir(), systemRoot: tempDir(), env: {}, run: runner.run })

  it('policies, variables, facts a store states itself, and the unknown', async () => {
    expect(await causeOf(env, place({ kind: 'firefox-policy', storeId: 'firefox-policy:/etc/firefox/policies/policies.json', origin: { file: '/etc/firefox/policies/policies.json' } }))).toEqual({
      by: 'policy',
      name: 'Firefox enterprise policy',
      file: '/etc/firefox/policies/policies.json',
    })
    expect(await causeOf(env, place({ kind: 'windows', storeId: 'windows:LocalMachineGroupPolicy\\Root' }))).toEqual({ by: 'policy', name: 'Group Policy' })
    expect(await causeOf(env, place({ kind: 'windows', storeId: 'windows:LocalMachineEnterprise\\Root' }))).toEqual({ by: 'policy', name: 'Active Directory' })
    expect(await causeOf(env, place({ kind: 'env-bundle', storeId: 'env-bundle:/b.pem', facts: { setBy: ['SSL_CERT_FILE', 'CURL_CA_BUNDLE'] } }))).toEqual({ by: 'environment', name: 'SSL_CERT_FILE, CURL_CA_BUNDLE' })
    // "Where it came from", as a newer store may state it.
    expect(await causeOf(env, place({ kind: 'nss', storeId: 'nss:/p', facts: { policy: 'ImportEnterpriseRoots' } as GuardLocation['facts'] }))).toEqual({ by: 'policy', name: 'ImportEnterpriseRoots' })
    expect(await causeOf(env, place({ kind: 'java', storeId: 'java:/c', origin: { file: '/c', package: 'vpn-client' } as GuardLocation['origin'] }))).toEqual({ by: 'package', name: 'vpn-client', file: '/c' })
    expect(await causeOf(env, place({ kind: 'nss', storeId: 'nss:/p' }))).toEqual({ by: 'unknown' })
    expect(runner.calls).toEqual([])
  })

  it('a system file with no package database to ask: unknown, with the file, and no tool run', async () => {
    expect(await causeOf(env, place({ kind: 'linux-system', storeId: 'linux-system:debian', origin: { file: `${env.systemRoot}/usr/local/share/ca-certificates/q.crt` } }))).toEqual({
      by: 'unknown',
      file: `${env.systemRoot}/usr/local/share/ca-certificates/q.crt`,
    })
    expect(runner.calls).toEqual([])
  })
})
