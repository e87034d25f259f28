/**
 * Words for the engine's data in the window's language: store names people recognise, finding titles,
 * what a finding is. The engine's store notes are English ("Firefox profile work"); the parts that
 * matter (program, profile name, variable) are read out of them and put into translated sentences.
 */
import type { Translator } from './i18n'
import type { Finding, RuleId, ScanReport, Severity, StoreKind } from './types'

export type StoreIcon = 'system' | 'firefox' | 'thunderbird' | 'chromium' | 'java' | 'variable' | 'file' | 'policy'

export interface StoreName {
  /** "Firefox, profile “work”", "Java (JDK)", "This computer's system store (Debian/Ubuntu)". */
  readonly label: string
  readonly icon: StoreIcon
}

/** A store as people know it, from its kind, location and the engine's note. */
export function storeName(t: Translator['t'], kind: StoreKind, location: string, note: string | undefined): StoreName {
  const text = note ?? ''
  if (kind === 'nss') {
    const profile = /^(Firefox|Thunderbird) profile(?: folder)? (.+?)(?: \(not listed in profiles\.ini\))?$/.exec(text)
    if (profile) {
      const app = profile[1]!
      return { label: t('store.profile', { app, name: profile[2]! }), icon: app === 'Thunderbird' ? 'thunderbird' : 'firefox' }
    }
    if (text.startsWith('Firefox enterprise policy')) return { label: t('store.firefoxPolicy'), icon: 'policy' }
    if (/chrom/i.test(text) || /pki\/nssdb$/.test(location)) return { label: t('store.chromium'), icon: 'chromium' }
    // No note (a history entry read without a scan): the profile folder is "<salt>.<name>".
    const folder = /(firefox|thunderbird)[\\/](?:Profiles[\\/])?[^\\/.]+\.([^\\/]+)$/i.exec(location)
    if (!note && folder) {
      const app = folder[1]!.toLowerCase() === 'thunderbird' ? 'Thunderbird' : 'Firefox'
      return { label: t('store.profile', { app, name: folder[2]! }), icon: app === 'Thunderbird' ? 'thunderbird' : 'firefox' }
    }
    const app = /thunderbird/i.test(text + location) ? 'Thunderbird' : 'Firefox'
    return { label: t('store.nssOther', { app }), icon: app === 'Thunderbird' ? 'thunderbird' : 'firefox' }
  }
  if (kind === 'linux-system') {
    const distro = /^(.+?) system store/.exec(text)?.[1]
    return { label: distro ? t('store.systemOf', { distro }) : t('store.system'), icon: 'system' }
  }
  if (kind === 'windows') return { label: t('store.windows'), icon: 'system' }
  if (kind === 'macos') return { label: t('store.macos'), icon: 'system' }
  if (kind === 'java') return { label: t('store.java'), icon: 'java' }
  if (kind === 'env-bundle') {
    const variable = /set by (.+)$/.exec(text)?.[1]
    return { label: variable ? t('store.envBundleBy', { variable }) : t('store.envBundle'), icon: 'variable' }
  }
  return { label: t('store.file'), icon: 'file' }
}

/** The store name of a store id, looked up in the report (for its note). */
export function storeNameById(t: Translator['t'], report: ScanReport | null, storeId: string, kind: StoreKind, location: string): StoreName {
  return storeName(t, kind, location, report?.stores.find((s) => s.id === storeId)?.note)
}

/** The kind of an entry's store from its id (`nss:/path`), for history entries that carry no kind. */
export function kindOfStoreId(storeId: string): StoreKind {
  const kind = storeId.slice(0, storeId.indexOf(':'))
  const known: readonly StoreKind[] = ['file', 'nss', 'linux-system', 'java', 'env-bundle', 'windows', 'macos']
  return (known as readonly string[]).includes(kind) ? (kind as StoreKind) : kind === 'firefox-policies' ? 'nss' : 'file'
}

/** The common name of an RFC 4514 name, or the whole name. */
export function commonName(name: string): string {
  const cn = /(?:^|,)CN=((?:\\.|[^,\\])+)/.exec(name)?.[1]
  return cn ? cn.replace(/\\(.)/g, '$1') : name
}

/** The blocklist's name for a known certificate, otherwise its common name. */
export function findingTitle(finding: Finding): string {
  return finding.blocklistEntry?.name ?? commonName(finding.certificate.subject)
}

/** One line: what kind of thing this is. */
export function whatItIs(tr: Translator, finding: Finding): string {
  const { t } = tr
  const entry = finding.blocklistEntry
  if (entry) {
    const country = entry.country ? tr.regionName(entry.country) : null
    switch (entry.category) {
      case 'government-interception':
        return country ? t('what.governmentInterceptionIn', { country }) : t('what.governmentInterception')
      case 'government-ca-outside-root-programs':
        return country ? t('what.governmentCaIn', { country }) : t('what.governmentCa')
      case 'compromised-ca':
        return t('what.compromisedCa')
      case 'distrusted-ca':
        return t('what.distrustedCa')
      case 'misissued':
        return t('what.misissued')
      case 'leaked-private-key':
        return t('what.leakedKey')
      case 'interception-software':
        return t('what.interceptionSoftware')
      case 'test':
        return t('what.test')
    }
  }
  return ruleSummary(t, finding.rule)
}

/** A short name for a rule (the technical details show it next to the rule id). */
export function ruleSummary(t: Translator['t'], rule: RuleId): string {
  const keys = {
    'known-interception': 'rule.known-interception',
    'known-compromised': 'rule.known-compromised',
    'government-ca': 'rule.government-ca',
    'issued-by': 'rule.issued-by',
    lookalike: 'rule.lookalike',
    'unknown-root': 'rule.unknown-root',
    'retired-root': 'rule.retired-root',
    expired: 'rule.expired',
    'weak-key': 'rule.weak-key',
    'weak-signature': 'rule.weak-signature',
  } as const
  return t(keys[rule])
}

/** Severities that the app offers to remove (info findings are hygiene, and already harmless). */
export const REMOVABLE: readonly Severity[] = ['critical', 'high', 'medium', 'review']

/** True when the finding can go into the removal wizard: a removable severity, trusted somewhere. */
export function canRemove(finding: Finding): boolean {
  return REMOVABLE.includes(finding.severity) && finding.locations.some((l) => l.trust === 'trusted')
}

/** True for entries named by a file path (system anchors): shown by the file's name. */
export function isPathEntry(entry: string): boolean {
  return entry.startsWith('/') || /^[A-Za-z]:\\/.test(entry)
}

/** An entry as people read it: a file's name rather than its whole path. */
export function entryName(entry: string): string {
  return isPathEntry(entry) ? (entry.split(/[\\/]/).pop() ?? entry) : entry
}

const KIND_ORDER: readonly StoreKind[] = ['linux-system', 'windows', 'macos', 'nss', 'java', 'env-bundle', 'file']

/** The system store first, then browsers, Java, bundles: the order people think of them in. */
export function byStoreKind<T extends { readonly kind: StoreKind }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
}
