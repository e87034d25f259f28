import { cpSync, readdirSync, readFileSync, existsSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Auditor } from '../../src/audit/auditor.js'
import { loadBlocklist } from '../../src/audit/blocklist.js'
import { readCertificates } from '../../src/audit/pem.js'
import { mozillaRoots, type RetiredRootsDocument } from '../../src/audit/references.js'
import { buildDebianTree, haveUpdateCaCertificates } from '../support/system-root.js'
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

describe('stock root stores give no false alarm', () => {
  it("Node's Mozilla roots (tls.rootCertificates): no finding at all", () => {
    const auditor = auditPems(Buffer.from(rootCertificates.join('\n')))
    expect(auditor.counts.certificates).toBe(rootCertificates.length)
    expect(auditor.findings('en')).toEqual([])
  })

  // Debian's own bundle, built by Debian's own tool from the ca-certificates package into a temp system
  // root, so the test never reads or writes the machine's /etc/ssl.
  const sourceDir = '/usr/share/ca-certificates/mozilla'
  const ready = haveUpdateCaCertificates && existsSync(sourceDir)
  it.skipIf(!ready)(`the stock Debian bundle made by update-ca-certificates${ready ? '' : ' (skipped: ca-certificates is not installed)'}`, () => {
    const root = tempDir('certaudit-debian-')
    cpSync(sourceDir, join(root, 'usr/share/ca-certificates/mozilla'), { recursive: true })
    const names = readdirSync(sourceDir).filter((n) => n.endsWith('.crt'))
    buildDebianTree(root, { confLines: names.map((n) => `mozilla/${n}`) })
    const auditor = auditPems(readFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt')))
    expect(auditor.counts.certificates).toBe(names.length)
    const findings = auditor.findings('en')
    // Debian 12's package (ca-certificates 20230311) still ships TrustCor's three roots, which Mozilla
    // removed and Chromium blocks: those are true alarms (issue 16: blocked is at least high, even when
    // retired). Anything else critical or high, and anything "issued by" a listed CA, would be a false alarm.
    const alarms = findings.filter((f) => f.severity === 'critical' || f.severity === 'high')
    for (const alarm of alarms) {
      expect(alarm.matchedBy, alarm.certificate.subject).toBe('sha256')
      expect(blocklist.bySha256.get(alarm.certificate.sha256)?.blockedBy, alarm.certificate.subject).toContain('chromium')
    }
    // …and none of them is in the Mozilla list that Node ships.
    for (const alarm of alarms) expect(mozillaRoots().sha256.has(alarm.certificate.sha256), alarm.certificate.subject).toBe(false)
    expect(findings.filter((f) => f.rule === 'issued-by')).toEqual([])
    // Roots Debian still ships that Mozilla has since removed are "retired" (info), not unknown roots.
    const retired = new Set((JSON.parse(readFileSync(new URL('../../resources/retired-roots.json', import.meta.url), 'utf8')) as RetiredRootsDocument).roots.map((r) => r.sha256))
    for (const finding of findings) {
      if (alarms.includes(finding)) continue
      if (retired.has(finding.certificate.sha256)) expect(finding).toMatchObject({ rule: 'retired-root', severity: 'info' })
      else expect(['review', 'info']).toContain(finding.severity)
    }
  })
})
