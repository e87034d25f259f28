import type { ScanReport } from '../audit/report.js'
import { visible } from '../audit/visible.js'
import { placedByText } from '../stores/shared/placed-by-notices.js'

/**
 * A value from the machine as HTML text: controls, bidi overrides and invisible characters made
 * visible first (a browser would reverse or hide text around a raw U+202E as surely as a terminal),
 * then the HTML specials escaped.
 */
const escape = (text: string): string =>
  visible(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * A self-contained HTML report of a scan (no scripts, no external resources), for people to keep or
 * send to whoever helps them. Every value from the machine is escaped, and its invisible characters shown.
 */
export function renderHtmlReport(report: ScanReport): string {
  const findings = report.findings
    .map(
      (f) => `<section class="finding ${escape(f.severity)}">
  <h2>${escape(f.blocklistEntry?.name ?? f.certificate.subject)} <small>${escape(f.severity)} · ${escape(f.rule)}</small></h2>
  <p>${escape(f.explanation)}</p>
  <p><strong>What to do:</strong> ${escape(f.advice)}</p>
  <ul>${f.locations.map((l) => `<li>${escape(l.kind)}: ${escape(l.location)} — ${escape(l.entry)}${l.trust === 'trusted' ? '' : ` (${escape(l.trust)})`}${l.placedBy ? `<br><span class="placed${l.placedBy.comesBack ? ' returns' : ''}">${escape(placedByText(l.placedBy, report.language))}</span>` : ''}</li>`).join('')}</ul>
  <dl><dt>Subject</dt><dd>${escape(f.certificate.subject)}</dd><dt>SHA-256</dt><dd><code>${escape(f.certificate.sha256)}</code></dd><dt>Valid</dt><dd>${escape(f.certificate.notBefore)} – ${escape(f.certificate.notAfter)}</dd>${f.certificate.permittedNames ? `<dt>Limited to</dt><dd>${escape(f.certificate.permittedNames.join(', '))}</dd>` : ''}</dl>
</section>`,
    )
    .join('\n')
  const stores = report.stores.map((s) => `<li>${escape(s.kind)}: ${escape(s.location)} — ${s.entryCount} (${escape(s.status)})</li>`).join('')
  const problems = report.problems.map((p) => `<li>${escape(p.message)}</li>`).join('')
  return `<!doctype html>
<html lang="${escape(report.language)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>CertAudit report ${escape(report.scannedAt)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
.verdict{font-size:1.3rem;font-weight:600;padding:1rem;border-radius:.5rem;background:#eef3f8}
.finding{border-left:.4rem solid #888;padding:.2rem 1rem;margin:1rem 0}.critical,.high{border-color:#c62828}.medium{border-color:#ef8f00}.review{border-color:#1565c0}
code{word-break:break-all}small{color:#555;font-weight:400}.placed{font-size:.9rem;color:#444}.placed.returns{color:#a01818}</style></head>
<body><h1>CertAudit report</h1><p>${escape(report.scannedAt)} · ${escape(report.platform)} · blocklist v${report.blocklist.version} (${escape(report.blocklist.updated)})</p>
<p class="verdict">${escape(report.verdict.text)}</p>
${findings}
<h2>Stores</h2><ul>${stores}</ul>
${problems ? `<h2>Problems</h2><ul>${problems}</ul>` : ''}
</body></html>
`
}
