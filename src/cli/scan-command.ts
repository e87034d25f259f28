import { hostname } from 'node:os'
import type { Language } from '../audit/blocklist.js'
import { hasSeriousFindings, type ScanReport } from '../audit/report.js'
import { languageFromLocale, LANGUAGES } from '../audit/texts.js'
import { shown, visible } from '../audit/visible.js'
import type { ScanProgressEvent } from '../api/contract.js'
import { isStoreKind, STORE_KINDS, type StoreKind } from '../stores/index.js'
import { cliApi, explained, MACHINE_OPTIONS, machineFrom } from './engine.js'
import { formatHuman } from './format-human.js'
import { formatJsonl } from './format-jsonl.js'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, processIo, parseCommand, type CliIo } from './io.js'

/** The kinds --store takes: every kind but `file` (files are named with --file). */
const DISCOVERED_KINDS = STORE_KINDS.filter((kind) => kind !== 'file')
const FORMATS = ['human', 'json', 'jsonl'] as const

export const SCAN_USAGE = `Usage: certaudit scan [options]

Finds root certificates that let someone read your HTTPS traffic. Without --file,
scans every trust store found on this machine.

Options:
  --json               print the report as JSON (same as --format json)
  --format FORMAT      human (default), json (the whole report; schema in
                       resources/scan-report.schema.json) or jsonl (one finding per
                       line, for log pipelines; problems go to stderr)
  --file PATH          scan a certificate file or bundle (PEM or DER); repeatable
  --store KIND         scan only stores of this kind (${DISCOVERED_KINDS.join(', ')}); repeatable
  --home DIR           use DIR as the user's home directory
  --system-root DIR    prepend DIR to every system path (/etc, /usr, /opt ...)
  --lang en|ru|kk      language of the report (default: from LANG)
  --blocklist PATH     use another roots blocklist file; unless PATH.sig holds a valid
                       signature by CertAudit's key, it is used with a warning and the
                       report says "signed": false
  -h, --help           show this help

Exit codes: 0 every place was read and no critical or high finding, 1 critical or high
findings, 2 usage or fatal error or nothing could be scanned, 3 no critical or high finding
in what could be read, but some places could not be checked in full (see the problems).
`

/** `certaudit scan`: returns the exit code. */
export async function runScan(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const parsed = parseCommand(argv, io, SCAN_USAGE, {
    json: { type: 'boolean', default: false },
    format: { type: 'string' },
    file: { type: 'string', multiple: true, default: [] },
    store: { type: 'string', multiple: true },
    ...MACHINE_OPTIONS,
    lang: { type: 'string' },
    blocklist: { type: 'string' },
  })
  if ('exit' in parsed) return parsed.exit
  const { values } = parsed
  if (values.lang !== undefined && !LANGUAGES.includes(values.lang as Language)) {
    io.stderr(`certaudit: --lang must be one of ${LANGUAGES.join(', ')}\n`)
    return EXIT_ERROR
  }
  const unknownKind = values.store?.find((k) => !isStoreKind(k) || k === 'file')
  if (unknownKind !== undefined) {
    io.stderr(`certaudit: --store must be one of ${DISCOVERED_KINDS.join(', ')}` + shown` (got "${unknownKind}")\n`)
    return EXIT_ERROR
  }
  if (values.format !== undefined && !(FORMATS as readonly string[]).includes(values.format)) {
    io.stderr(`certaudit: --format must be one of ${FORMATS.join(', ')}` + shown` (got "${values.format}")\n`)
    return EXIT_ERROR
  }
  if (values.json && values.format !== undefined && values.format !== 'json') {
    io.stderr(shown`certaudit: --json and --format ${values.format} disagree: give one of them\n`)
    return EXIT_ERROR
  }
  const format = values.json ? 'json' : ((values.format as (typeof FORMATS)[number] | undefined) ?? 'human')
  const language = (values.lang as Language | undefined) ?? languageFromLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG)

  const env = machineFrom(values, io)
  if (!env) return EXIT_ERROR
  // With --file only, scan just those files; --store adds discovered stores of those kinds.
  const kinds = (values.store as StoreKind[] | undefined) ?? (values.file.length ? [] : undefined)
  const api = cliApi(env, io, { blocklistPath: values.blocklist, scope: { files: values.file, ...(kinds ? { kinds } : {}) } })
  if (!api) return EXIT_ERROR
  let finished = 0
  const onProgress = (event: ScanProgressEvent) => {
    if (event.type === 'store-finished') finished++
    // One terminal line: the location shown (it is a path from the machine), cut by code points so no
    // surrogate pair is split, and our own "erase line" escape kept whole in front of it.
    const what = visible(event.type === 'store-started' ? event.location : `${event.location}: ${event.entryCount}`)
    io.stderr(`\r\x1b[K${[...`[${finished}] ${what}`].slice(0, 196).join('')}`)
  }
  return explained(io, async () => {
    const report = await api.handle('scan:start', { language }, io.showProgress ? onProgress : undefined)
    if (io.showProgress) io.stderr('\r\x1b[K')
    if (format === 'jsonl') {
      io.stdout(formatJsonl(report, hostname()))
      for (const problem of report.problems) io.stderr(shown`certaudit: ${problem.message}\n`)
    } else {
      io.stdout(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatHuman(report, io.isTty && !io.env.NO_COLOR))
    }
    return scanExitCode(report)
  })
}

/** What a script sees: a serious finding wins; otherwise 0 only for a scan that read every place in full. */
export function scanExitCode(report: ScanReport): number {
  if (hasSeriousFindings(report)) return EXIT_FINDINGS
  if (report.verdict.level === 'nothing-scanned') return EXIT_ERROR
  return report.verdict.unchecked > 0 ? EXIT_INCOMPLETE : EXIT_OK
}
