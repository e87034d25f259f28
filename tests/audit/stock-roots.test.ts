import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { readCertificates } from '../../src/audit/pem.js'
import { mozillaRoots } from '../../src/audit/references.js'
import { tempDir } from '../support/temp.js'

const blocklist = loadBlocklist()

function auditPems(bytes: Buffer) {
  const auditor = new Auditor({ blocklist, publicRoots: mozillaRoots() })
  for (const item of readCertificates(bytes)) {
    if (item.type !== 'certificate') throw new Error(`unexpected problem in a stock bundle: ${item.message}`)
    auditor.add({ der: item.der, storeId: 'file:stock', kind: 'file', location: 'stock', entry: `certificate ${item.position.index}`, trust: 'trusted' })
  }
  return auditor
}

const serious = (auditor: Auditor) => auditor.findings('en').filter((f) => ['critical', 'high'].includes(f.severity))

describe('stock root stores give no critical or high finding', () => {
  it("Node's Mozilla roots (tls.rootCertificates): no finding at all", () => {
    const auditor = auditPems(Buffer.from(rootCertificates.join('\n')))
    expect(auditor.counts.certificates).toBe(rootCertificates.length)
    expect(auditor.findings('en')).toEqual([])
  })

  // Debian's own bundle, built by Debian's own tool from the ca-certificates package into a temp system
  // root, so the test never reads or writes the machine's /etc/ssl.
  const sourceDir = '/usr/share/ca-certificates/mozilla'
  const haveTool = existsSync('/usr/sbin/update-ca-certificates') && existsSync(sourceDir)
  it.skipIf(!haveTool)(`the stock Debian bundle made by update-ca-certificates${haveTool ? '' : ' (skipped: ca-certificates is not installed)'}`, () => {
    const root = tempDir('certaudit-debian-')
    const certsDir = join(root, 'usr/share/ca-certificates')
    mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true })
    mkdirSync(join(root, 'usr/local/share/ca-certificates'), { recursive: true })
    mkdirSync(join(root, 'etc/ca-certificates/update.d'), { recursive: true })
    cpSync(sourceDir, join(certsDir, 'mozilla'), { recursive: true })
    const names = readdirSync(join(certsDir, 'mozilla')).filter((n) => n.endsWith('.crt'))
    writeFileSync(join(root, 'etc/ca-certificates.conf'), names.map((n) => `mozilla/${n}`).join('\n') + '\n')
    execFileSync('update-ca-certificates', [
      '--fresh',
      '--certsconf', join(root, 'etc/ca-certificates.conf'),
      '--certsdir', certsDir,
      '--localcertsdir', join(root, 'usr/local/share/ca-certificates'),
      '--etccertsdir', join(root, 'etc/ssl/certs'),
      '--hooksdir', join(root, 'etc/ca-certificates/update.d'),
    ], { stdio: 'pipe' })
    const bundle = execFileSync('cat', [join(root, 'etc/ssl/certs/ca-certificates.crt')])
    const auditor = auditPems(bundle)
    expect(auditor.counts.certificates).toBe(names.length)
    expect(serious(auditor)).toEqual([])
    // Roots Debian still ships that Mozilla has since dropped are only "review", never an alarm.
    for (const finding of auditor.findings('en')) expect(['review', 'info']).toContain(finding.severity)
  })
})
