import type { ScanReport } from '../audit/report.js'

/**
 * `certaudit scan --format jsonl`: one finding per line, each with the context a log pipeline needs to
 * stand alone (which machine, when, which list). Schema: resources/scan-report.schema.json,
 * `definitions.findingLine`. A clean machine prints nothing; the exit code says how the scan went.
 */
export function formatJsonl(report: ScanReport, hostname: string): string {
  return report.findings
    .map((finding) =>
      JSON.stringify({
        schemaVersion: report.schemaVersion,
        scannedAt: report.scannedAt,
        hostname,
        platform: report.platform,
        blocklist: report.blocklist,
        verdict: report.verdict.level,
        finding,
      }) + '\n',
    )
    .join('')
}
