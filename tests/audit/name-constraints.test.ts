/**
 * A root limited by its own name constraints (RFC 5280 4.2.1.10), as a careful company makes it:
 * the names it may vouch for are read from the certificate (made here by the real openssl), shown in
 * the report, and the unknown-root finding says it cannot vouch for other websites, in each language.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { describe as describeCertificate } from '../../src/audit/certificate.js'
import { readCertificates } from '../../src/audit/pem.js'
import { publicRootsFrom } from '../../src/audit/references.js'
import { tempDir } from '../support/temp.js'
import { haveOpenssl } from '../support/tools.js'


/** A self-signed CA made by openssl with these extra extensions. */
function opensslRoot(subject: string, ...extensions: string[]): Uint8Array {
  const dir = tempDir('certaudit-nc-')
  const out = join(dir, 'root.pem')
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-subj', subject, '-days', '30', '-out', out,
      '-addext', 'basicConstraints=critical,CA:TRUE', ...extensions.flatMap((e) => ['-addext', e])],
    { stdio: 'pipe' },
  )
  const [item] = readCertificates(readFileSync(out))
  if (item?.type !== 'certificate') throw new Error('openssl made no certificate')
  return item.der
}

function findingFor(der: Uint8Array, language: 'en' | 'ru' | 'kk') {
  const auditor = new Auditor({ blocklist: loadBlocklist(), publicRoots: publicRootsFrom('none', []) })
  auditor.add({ der, storeId: 'file:/b.pem', kind: 'file', location: '/b.pem', entry: 'certificate 1', trust: 'trusted' })
  const [finding] = auditor.findings(language)
  return finding!
}

describe.skipIf(!haveOpenssl)('name-constrained roots (skipped without openssl)', () => {
  it('reads the permitted names: domains, e-mail domains, IPv4 and IPv6 ranges; exclusions alone limit nothing', () => {
    const limited = opensslRoot(
      '/O=Example Corp/CN=Example Corp Internal Root',
      'nameConstraints=critical,permitted;DNS:corp.example,permitted;DNS:.lab.example,permitted;email:corp.example,permitted;IP:10.0.0.0/255.0.0.0,permitted;IP:fd00:0:0:0:0:0:0:0/ff00:0:0:0:0:0:0:0,excluded;DNS:secret.corp.example',
    )
    expect(describeCertificate(limited).permittedNames).toEqual(['corp.example', '.lab.example', 'email corp.example', '10.0.0.0/8', 'fd00:0:0:0:0:0:0:0/8'])
    const excludedOnly = opensslRoot('/CN=Excluding Root', 'nameConstraints=critical,excluded;DNS:bank.example')
    expect(describeCertificate(excludedOnly)).toMatchObject({ hasNameConstraints: true, permittedNames: null })
    expect(describeCertificate(opensslRoot('/CN=Plain Root')).permittedNames).toBeNull()
  })

  it('the finding names them and says the root cannot vouch for other websites; a root without them can vouch for any', () => {
    const limited = opensslRoot('/CN=Example Corp Root', 'nameConstraints=critical,permitted;DNS:corp.example,permitted;IP:10.0.0.0/255.0.0.0')
    const en = findingFor(limited, 'en')
    expect(en).toMatchObject({ rule: 'unknown-root', severity: 'review', certificate: { permittedNames: ['corp.example', '10.0.0.0/8'] } })
    expect(en.explanation).toContain('it limits itself to these names: corp.example, 10.0.0.0/8')
    expect(en.explanation).not.toContain('any website')
    expect(findingFor(limited, 'ru').explanation).toContain('ограничивает себя такими именами: corp.example, 10.0.0.0/8')
    expect(findingFor(limited, 'kk').explanation).toContain('мына атаулармен шектейді: corp.example, 10.0.0.0/8')

    const plain = findingFor(opensslRoot('/CN=Plain Root'), 'en')
    expect(plain).toMatchObject({ rule: 'unknown-root', certificate: { permittedNames: null } })
    expect(plain.explanation).toContain('can create a certificate for any website')
  })
})
