/**
 * The blocklist as an osquery query pack (https://osquery.readthedocs.io/en/stable/deployment/configuration/#query-packs),
 * so a fleet already running osquery (or Fleet, Kolide) finds the same certificates on every machine.
 *
 * osquery's `certificates` table (specs/certificates.table) gives the SHA-1 of each certificate and its
 * CN, so the pack matches by SHA-1 (the Windows/macOS thumbprint) and, for look-alikes with new keys, by
 * CN. On Windows and macOS the table reads every system store and keychain by itself. On Linux it reads
 * only the PEM files named in `path` (two bundles by default: osquery/tables/system/linux/certificates.cpp),
 * so the Linux queries name the distributions' bundles and anchor folders.
 *
 * Limits: osquery cannot hash a SubjectPublicKeyInfo (entries known only by key are left out), read NSS
 * databases (Firefox, Chromium on Linux) or Java keystores, or read DER anchor files on Linux; and it does
 * not see macOS trust settings, so a distrusted certificate still shows up there.
 */
import type { Blocklist, BlocklistEntry } from '../audit/blocklist.js'

export interface OsqueryQuery {
  readonly query: string
  readonly interval: number
  readonly platform: 'windows' | 'darwin' | 'linux'
  readonly description: string
  readonly value: string
}

export interface OsqueryPack {
  readonly queries: Readonly<Record<string, OsqueryQuery>>
}

/** The PEM bundles update-ca-certificates / update-ca-trust write (Debian/Ubuntu, Fedora/RHEL, Arch, openSUSE). */
export const LINUX_BUNDLES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ca-certificates/extracted/tls-ca-bundle.pem',
  '/var/lib/ca-certificates/ca-bundle.pem',
]

/**
 * Folders where administrators drop anchors; read file by file too, because a certificate put there is
 * trusted by some programs before the bundle is rebuilt. `%%` makes osquery's `file` table recurse.
 */
export const LINUX_ANCHOR_PATTERNS: readonly string[] = [
  '/usr/local/share/ca-certificates/%%',
  '/etc/pki/ca-trust/source/anchors/%',
  '/usr/share/pki/ca-trust-source/anchors/%',
  '/etc/ca-certificates/trust-source/anchors/%',
  '/etc/pki/trust/anchors/%',
]

export interface OsqueryPackOptions {
  /** Seconds between runs; one hour by default. */
  readonly interval?: number
  readonly linuxBundles?: readonly string[]
  readonly linuxAnchorPatterns?: readonly string[]
}

const sql = (text: string): string => `'${text.replace(/'/g, "''")}'`

function valuesTable(name: string, columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${name}(${columns.join(', ')}) AS (VALUES\n  ${rows.map((row) => `(${row.map(sql).join(', ')})`).join(',\n  ')})`
}

function blocklistTable(entries: readonly BlocklistEntry[]): string {
  return valuesTable(
    'blocklist',
    ['sha1', 'entry_id', 'entry_name', 'category', 'severity'],
    entries.map((e) => [e.sha1!, e.id, e.name, e.category, e.severity]),
  )
}

function linuxPaths(bundles: readonly string[], patterns: readonly string[]): string {
  const parts = [
    `VALUES ${bundles.map((b) => `(${sql(b)})`).join(', ')}`,
    ...patterns.map((p) => `SELECT path FROM file WHERE path LIKE ${sql(p)} AND type = 'regular'`),
  ]
  return `paths(path) AS (\n  ${parts.join('\n  UNION ')})`
}

const COMMON_COLUMNS = 'c.common_name, c.subject, c.issuer, c.sha1, c.serial, c.not_valid_before, c.not_valid_after, c.path'
const WINDOWS_COLUMNS = `${COMMON_COLUMNS}, c.store_location, c.store, c.username`

/** SHA-1 matches. SQLite's CROSS JOIN keeps the table order: the certificates are read once, not once per entry. */
function sha1Query(platform: OsqueryQuery['platform'], entries: readonly BlocklistEntry[], options: OsqueryPackOptions): string {
  const columns = `b.entry_id, b.entry_name, b.category, b.severity, ${platform === 'windows' ? WINDOWS_COLUMNS : COMMON_COLUMNS}`
  // The Disallowed store is where Windows keeps certificates it must never trust: finding one there is good news.
  const windowsFilter = platform === 'windows' ? " AND COALESCE(c.store, '') != 'Disallowed'" : ''
  if (platform !== 'linux') {
    return `WITH ${blocklistTable(entries)}\nSELECT ${columns}\nFROM certificates AS c CROSS JOIN blocklist AS b\nWHERE lower(c.sha1) = b.sha1${windowsFilter};`
  }
  const paths = linuxPaths(options.linuxBundles ?? LINUX_BUNDLES, options.linuxAnchorPatterns ?? LINUX_ANCHOR_PATTERNS)
  return `WITH ${blocklistTable(entries)},\n${paths}\nSELECT ${columns}\nFROM paths AS p CROSS JOIN certificates AS c CROSS JOIN blocklist AS b\nWHERE c.path = p.path AND lower(c.sha1) = b.sha1;`
}

/**
 * CN look-alikes: certificates named like a listed CA (the next re-run with a new key, as Kazakhstan did
 * in 2020 and 2024). Only CN patterns: osquery's subject strings differ by platform, so O and C are not
 * matched. `lower()` in SQLite folds ASCII only, which suffices: the Cyrillic names are compared as written.
 */
function nameQuery(platform: OsqueryQuery['platform'], blocklist: Blocklist, options: OsqueryPackOptions): string | null {
  const rows = blocklist.namePatterns
    .filter((p) => p.attribute === 'CN')
    .map((p) => [p.id, p.entryId, p.name, p.rule, p.equals ?? '', p.contains ?? ''])
  if (rows.length === 0) return null
  const patterns = valuesTable('patterns', ['pattern_id', 'entry_id', 'lookalike_of', 'rule', 'cn_equals', 'cn_contains'], rows)
  const columns = `n.pattern_id, n.entry_id, n.lookalike_of, n.rule, ${platform === 'windows' ? WINDOWS_COLUMNS : COMMON_COLUMNS}`
  const match =
    "((n.cn_equals != '' AND lower(c.common_name) = lower(n.cn_equals)) OR (n.cn_contains != '' AND instr(lower(c.common_name), lower(n.cn_contains)) > 0))"
  const windowsFilter = platform === 'windows' ? " AND COALESCE(c.store, '') != 'Disallowed'" : ''
  if (platform !== 'linux') {
    return `WITH ${patterns}\nSELECT ${columns}\nFROM certificates AS c CROSS JOIN patterns AS n\nWHERE ${match}${windowsFilter};`
  }
  const paths = linuxPaths(options.linuxBundles ?? LINUX_BUNDLES, options.linuxAnchorPatterns ?? LINUX_ANCHOR_PATTERNS)
  return `WITH ${patterns},\n${paths}\nSELECT ${columns}\nFROM paths AS p CROSS JOIN certificates AS c CROSS JOIN patterns AS n\nWHERE c.path = p.path AND ${match};`
}

const PLATFORMS = [
  ['windows', 'windows', 'every Windows certificate store (all users and the machine), except Disallowed'],
  ['macos', 'darwin', 'the System, System Roots and every user keychain'],
  ['linux', 'linux', 'the system CA bundles of Debian/Ubuntu, Fedora/RHEL, Arch and openSUSE and their anchor folders'],
] as const

/** Builds the pack: per platform, one query by SHA-1 over every listed SHA-1 and one by CN for look-alikes. */
export function osqueryPack(blocklist: Blocklist, options: OsqueryPackOptions = {}): OsqueryPack {
  const interval = options.interval ?? 3600
  const withSha1 = blocklist.entries.filter((e) => e.sha1)
  const queries: Record<string, OsqueryQuery> = {}
  for (const [name, platform, where] of PLATFORMS) {
    queries[`certaudit_known_bad_roots_${name}`] = {
      query: sha1Query(platform, withSha1, options),
      interval,
      platform,
      description: `Certificates on the CertAudit roots blocklist (version ${blocklist.version} of ${blocklist.updated}, ${withSha1.length} SHA-1 thumbprints) in ${where}.`,
      value:
        'Government interception, compromised or leaked-key CAs let whoever holds the key read and change HTTPS traffic on this machine. Remove or distrust them (certaudit remove).',
    }
    const byName = nameQuery(platform, blocklist, options)
    if (byName) {
      queries[`certaudit_lookalike_roots_${name}`] = {
        query: byName,
        interval,
        platform,
        description: `Certificates whose CN looks like a listed interception or state CA (the listed ones and re-issues with new keys) in ${where}.`,
        value: 'A re-run of a national interception certificate uses the same names with a new key: review each match (certaudit scan explains it).',
      }
    }
  }
  return { queries }
}
