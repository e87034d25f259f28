/**
 * Words for the engine's data in the window's language: store names people recognise, finding titles,
 * what a finding is. Stores are named from their kind and facts (program, profile, distribution,
 * variables): fields the engine sends, never its English notes.
 */
import type { Translator } from './i18n'
import { visible } from './visible'
import type { Finding, RuleId, ScanReport, Severity, StoreFacts, StoreKind } from './types'

export type StoreIcon = 'system' | 'firefox' | 'thunderbird' | 'chromium' | 'java' | 'variable' | 'runtime' | 'file' | 'policy' | 'bundle'

export interface StoreName {
  /** "Firefox, profile “work”", "Java", "This computer's system certificates (Debian/Ubuntu)". */
  readonly label: string
  readonly icon: StoreIcon
}

/** A store as the engine describes it: in a report, a progress event, a plan or a history entry. */
export interface StoreLike {
  readonly kind: StoreKind
  readonly location: string
  readonly facts?: StoreFacts | undefined
}

/** A store as people know it, from its kind and facts. */
export function storeName(t: Translator['t'], store: StoreLike): StoreName {
  const { kind, facts = {} } = store
  switch (kind) {
    case 'nss': {
      // A sandboxed program's own copy says whose it is ("Brave (snap) certificate database").
      if (facts.program === 'chromium') return { label: facts.browser ? t('store.nssOther', { app: facts.browser }) : t('store.chromium'), icon: 'chromium' }
      if (facts.program === 'system') return { label: t('store.nssShared'), icon: 'system' }
      // Changes journaled before stores had facts: the folder tells Thunderbird's profiles apart.
      const thunderbird = facts.program === 'thunderbird' || (!facts.program && /thunderbird/i.test(store.location))
      // A fork says its own name ("LibreWolf, profile …"), with its family's picture.
      const app = facts.browser ?? (thunderbird ? 'Thunderbird' : 'Firefox')
      const icon = thunderbird ? 'thunderbird' : 'firefox'
      return facts.profile ? { label: t('store.profile', { app, name: facts.profile }), icon } : { label: t('store.nssOther', { app }), icon }
    }
    case 'firefox-policy':
      return { label: t('store.firefoxPolicy', { app: facts.browser ?? (facts.program === 'thunderbird' ? 'Thunderbird' : 'Firefox') }), icon: 'policy' }
    case 'chromium': {
      // The browser's own store (Chrome 131+): "Google Chrome, profile “Work”", "Opera, its own certificates".
      const app = facts.browser ?? t('store.chromiumFamily')
      return { label: facts.profile ? t('store.profile', { app, name: facts.profile }) : t('store.browserCertificates', { app }), icon: 'chromium' }
    }
    case 'chromium-policy':
      return { label: t(facts.policyLevel === 'recommended' ? 'store.chromiumPolicyRecommended' : 'store.chromiumPolicy', { browser: facts.browser ?? 'Chromium' }), icon: 'policy' }
    case 'linux-system':
      return { label: facts.distro ? t('store.systemOf', { distro: facts.distro }) : t('store.system'), icon: 'system' }
    case 'openssl': {
      // Program names are the same in every language; the joining words are not.
      const programs = facts.readBy?.length ? facts.readBy.join(', ') : 'OpenSSL'
      return { label: t(facts.folder ? 'store.opensslFolder' : 'store.opensslBundle', { programs }), icon: 'bundle' }
    }
    case 'windows':
      return { label: t('store.windows'), icon: 'system' }
    case 'macos':
      return { label: t('store.macos'), icon: 'system' }
    case 'java':
      return { label: t('store.java'), icon: 'java' }
    case 'env-bundle':
      return { label: facts.setBy?.length ? t('store.envBundleBy', { variable: facts.setBy.join(', ') }) : t('store.envBundle'), icon: 'variable' }
    case 'runtime':
      return { label: runtimeLabel(t, facts), icon: 'runtime' }
    case 'file':
      return { label: t('store.file'), icon: 'file' }
    default:
      return unknownKind(kind)
  }
}

/** Tools and runtimes by their own names (the same in every language); an unknown one as the engine names it. */
const TOOL_NAMES: Readonly<Record<string, string>> = {
  python: 'Python',
  pip: 'pip',
  npm: 'npm',
  pnpm: 'pnpm',
  yarn: 'Yarn',
  conda: 'conda',
  curl: 'curl',
  wget: 'wget',
  gcloud: 'Google Cloud CLI',
  aws: 'AWS CLI',
  cargo: 'Cargo',
  ruby: 'Ruby',
  poetry: 'Poetry',
  nix: 'Nix',
  php: 'PHP',
  subversion: 'Subversion',
  mercurial: 'Mercurial',
  gradle: 'Gradle',
  maven: 'Maven',
  docker: 'Docker',
  podman: 'Podman',
  containerd: 'containerd',
  k3s: 'k3s',
  java: 'Java',
  dotnet: '.NET',
}

/** A runtime's place: "Python in ~/proj/.venv", "Docker, registry r.example:5000", "npm (cafile in ~/.npmrc, line 3)". */
function runtimeLabel(t: Translator['t'], facts: StoreFacts): string {
  const tool = facts.tool ? (TOOL_NAMES[facts.tool] ?? facts.tool) : t('store.runtimeSomeTool')
  if (facts.environment && (facts.tool === 'docker' || facts.tool === 'podman')) return t('store.runtimeRegistry', { tool, registry: facts.environment })
  if (facts.environment) return t('store.runtimeIn', { tool, place: facts.environment })
  if (facts.setBy?.length) return t('store.runtimeSetBy', { tool, setting: facts.setBy.join(', ') })
  return t('store.runtime', { tool })
}

/** A new store kind the window has no words for yet fails to compile here, rather than showing nothing. */
function unknownKind(kind: never): StoreName {
  return { label: visible(String(kind)), icon: 'file' }
}

/** The name of a place a finding or change names by store id: its own facts, else those of the scanned store. */
export function storeNameIn(t: Translator['t'], report: ScanReport | null, place: StoreLike & { readonly storeId: string }): StoreName {
  return storeName(t, place.facts ? place : { ...place, facts: report?.stores.find((s) => s.id === place.storeId)?.facts })
}

/** The common name of an RFC 4514 name, or the whole name. */
export function commonName(name: string): string {
  const cn = /(?:^|,)CN=((?:\\.|[^,\\])+)/.exec(name)?.[1]
  return cn ? cn.replace(/\\(.)/g, '$1') : name
}

/** The blocklist's name for a known certificate, otherwise its common name: as shown (a CN is whatever its maker wrote). */
export function findingTitle(finding: Finding): string {
  return visible(finding.blocklistEntry?.name ?? commonName(finding.certificate.subject))
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

/** An entry as people read it: a file's name rather than its whole path, its hidden characters shown. */
export function entryName(entry: string): string {
  return visible(isPathEntry(entry) ? (entry.split(/[\\/]/).pop() ?? entry) : entry)
}

/** Every kind, in the order people think of them (the compiler asks for a new kind's place). */
const KIND_RANK: Readonly<Record<StoreKind, number>> = { 'linux-system': 0, openssl: 1, windows: 2, macos: 3, nss: 4, 'firefox-policy': 5, chromium: 6, 'chromium-policy': 7, java: 8, 'env-bundle': 9, runtime: 10, file: 11 }

/** The system store first, then browsers, Java, bundles: the order people think of them in. */
export function byStoreKind<T extends { readonly kind: StoreKind }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind])
}
