/**
 * The HTML report people keep or send on: a real scan of a certificate whose name is hostile, in a
 * file named the same way. A browser reverses text around a raw U+202E and hides zero-width characters
 * as surely as a terminal, so the report shows them as `⟨U+XXXX⟩`, after the HTML escapes.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderHtmlReport } from '../../src/api/report-html.js'
import { createCertAuditApi } from '../../src/api/certaudit-api.js'
import { createEnvironment } from '../../src/stores/index.js'
import { makeCertificate } from '../support/certificates.js'
import { expectShownSafely, HOSTILE_NAME, HOSTILE_NAMES } from '../support/hostile-text.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()

async function scanFiles(files: readonly string[]) {
  const env = createEnvironment({ home: join(dir, 'home'), systemRoot: join(dir, 'root'), env: { XDG_DATA_HOME: join(dir, 'data') } })
  const api = createCertAuditApi({ env, version: 'test', scope: { files, kinds: [] } })
  return api.handle('scan:start', { language: 'en' })
}

describe('the HTML report', () => {
  it('shows every control and invisible character of names, paths and problems, and HTML-escapes the rest', async () => {
    const certificate = makeCertificate({ subject: [['O', '<script>alert(1)</script> & co'], ['CN', HOSTILE_NAME]] })
    const file = join(dir, `${HOSTILE_NAMES.clearScreen}${HOSTILE_NAMES.reversed}${HOSTILE_NAMES.fakeLines}.pem`)
    writeFileSync(file, certificate.pem)
    const damaged = join(dir, `${HOSTILE_NAMES.isolates}.pem`)
    writeFileSync(damaged, certificate.pem.replace(/^(.{20}).{10}/m, '$1**********'))
    const report = await scanFiles([file, damaged])
    expect(report.findings[0]!.certificate.subject).toContain(HOSTILE_NAMES.reversed) // the data is as the certificate says

    const html = renderHtmlReport(report)
    expectShownSafely(html)
    expect(html).toContain('\\&lt;script\\&gt;alert(1)\\&lt;/script\\&gt; &amp; co') // RFC 4514's backslashes, then HTML's escapes
    expect(html).not.toContain('<script>')
    // The subject (twice: title and details), the file's path (stores and locations), the damaged file's problem.
    expect(html.match(/Invoice ⟨U\+202E⟩txt\.exe⟨U\+202C⟩ Root/g)?.length).toBeGreaterThanOrEqual(4)
    expect(html).toMatch(/<h2>Problems<\/h2><ul><li>[^<]*iso ⟨U\+2066⟩a⟨U\+2069⟩/)
  })

  it('says what put each certificate in each place, in the report’s language, names and paths shown as safely', async () => {
    const file = join(dir, 'placed.pem')
    writeFileSync(file, makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }).pem)
    const report = await scanFiles([file])
    expect(renderHtmlReport(report)).toContain('<span class="placed">Put there by hand, or by a program CertAudit cannot name. Nothing CertAudit knows of will put it back.</span>')
    const [finding] = report.findings
    const policy = { by: 'policy' as const, name: HOSTILE_NAME, file: `/etc/opt/chrome/policies/managed/${HOSTILE_NAMES.reversed}.json`, comesBack: true }
    const html = renderHtmlReport({ ...report, language: 'ru', findings: [{ ...finding!, locations: finding!.locations.map((l) => ({ ...l, placedBy: policy })) }] })
    expectShownSafely(html)
    expect(html).toContain('<span class="placed returns">Установлен политикой (Evil⟨U+001B⟩[2J')
    expect(html).toContain('в /etc/opt/chrome/policies/managed/Invoice ⟨U+202E⟩txt.exe⟨U+202C⟩ Root.json. Он будет возвращаться, пока политика не удалена.</span>')
  })
})
