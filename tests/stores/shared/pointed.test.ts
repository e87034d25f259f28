/** What a setting points at, listed: a copy of the system bundle plus one root says only that one is added. */
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { ADDED, listPointed } from '../../../src/stores/shared/pointed.js'
import type { ListItem } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const localRoot = makeCertificate({ subject: [['O', 'Local'], ['CN', 'Root the administrator added to the system store']] })
const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Root added to the copy only']] })

async function all(path: string, env: ReturnType<typeof createEnvironment>): Promise<ListItem[]> {
  const items: ListItem[] = []
  for await (const item of listPointed(path, env)) items.push(item)
  return items
}

describe('listPointed', () => {
  it('compares a copy with the system store of the machine under audit and with Mozilla’s list', async () => {
    const root = tempDir('certaudit-pointed-root-')
    const home = tempDir('certaudit-pointed-home-')
    const system = [...rootCertificates.slice(0, 20), localRoot.pem].join('\n')
    put(root, 'etc/pki/tls/certs/ca-bundle.crt', system)
    const copy = put(home, 'combined.pem', `${system}\n${corp.pem}`)
    const items = await all(copy, createEnvironment({ home, systemRoot: root, env: {} }))
    expect(items).toHaveLength(22)
    expect(items.flatMap((i) => (i.type === 'entry' && i.entry.endsWith(ADDED) ? [sha256Hex(i.der)] : []))).toEqual([corp.sha256])
  })

  it('names what could not be read and why, with the setting that points at it', async () => {
    const home = tempDir('certaudit-pointed-')
    const env = createEnvironment({ home, systemRoot: tempDir(), env: {} })
    await expect(all(join(home, 'nope.pem'), env)).rejects.toThrow(`${join(home, 'nope.pem')} does not exist.`)
    const gen = listPointed(join(home, 'nope.pem'), env, { why: 'bundle set by PIP_CERT' })
    await expect(gen.next()).rejects.toThrow('(This bundle set by PIP_CERT.)')
  })
})
