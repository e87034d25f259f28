import type { Language } from '../audit/blocklist.js'
import type { Finding, ScanReport, Severity } from '../audit/report.js'
import { shown, visible } from '../audit/visible.js'
import { placedByText } from '../stores/shared/placed-by-notices.js'
import { cliTexts } from './texts.js'

const COLORS: Readonly<Record<Severity | 'clean', string>> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  review: '\x1b[36m',
  info: '\x1b[2m',
  clean: '\x1b[32m',
}
const RESET = '\x1b[0m'

/**
 * The report for people: the verdict first, in plain words, then findings by severity, then problems.
 * Every value from the report goes through `shown`/`visible` (src/audit/visible.ts): a CN holding
 * ESC[2J and a fake green verdict prints as the characters it is, never as a cleared screen.
 */
export function formatHuman(report: ScanReport, color: boolean): string {
  const t = cliTexts(report.language)
  const paint = (level: Severity | 'clean', text: string): string => (color ? `${COLORS[level]}${text}${RESET}` : text)
  const lines: string[] = []
  const level = report.verdict.level
  const verdictColor = level === 'nothing-scanned' || level === 'incomplete' ? 'medium' : level
  lines.push(paint(verdictColor, visible(report.verdict.text)), '')
  lines.push(t.scanned(report.stores.filter((s) => s.status !== 'failed').length, report.summary.certificates), '')
  for (const finding of report.findings) {
    lines.push(...formatFinding(finding, t, paint, report.language))
    if (finding.severity !== 'info') lines.push('')
  }
  if (report.findings.length) lines.push(t.details, '')
  if (report.problems.length) {
    lines.push(`${t.problems}:`)
    for (const problem of report.problems) lines.push(shown`  - ${problem.message}`)
    lines.push('')
  }
  return lines.join('\n')
}

function formatFinding(finding: Finding, t: ReturnType<typeof cliTexts>, paint: (l: Severity, s: string) => string, language: Language): string[] {
  const title = finding.blocklistEntry?.name ?? finding.certificate.subject
  const out = [paint(finding.severity, `[${t.severity[finding.severity]}]`) + shown` ${title}  (${finding.rule}, ${finding.id})`]
  // Information only: one line each, so the findings that need a decision stay in view.
  if (finding.severity === 'info') return out
  out.push(shown`  ${finding.explanation}`)
  out.push(`  ${t.whatToDo}: ${visible(finding.advice)}`)
  out.push(`  ${t.foundIn}:`)
  for (const place of finding.locations) {
    const trust = place.trust === 'trusted' ? '' : ` [${t.distrusted}]`
    out.push(shown`    - ${place.kind}: ${place.location} — ${place.entry}` + trust)
    // What put it there, and whether that puts it back: in the report's language (placed-by-notices.ts).
    if (place.placedBy) out.push(`      ${visible(placedByText(place.placedBy, language))}`)
  }
  return out
}
