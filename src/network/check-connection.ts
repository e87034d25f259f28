/**
 * The live interception check: a TLS handshake to sites an interceptor would target, and a verdict per
 * site. Serves `certaudit check-connection` and the app's card alike; the result is plain data.
 */
import type { LookupFunction } from 'node:net'
import type { Blocklist, Language } from '../audit/blocklist.js'
import { judgeChain, type ChainBlocklistMatch, type ChainCertificate, type ChainWarning } from './chain-verdict.js'
import { connectionTexts } from './texts.js'
import { probeTls, type ProbeError } from './tls-probe.js'
import { routeFor, type ConnectToRule, type HostTarget } from './targets.js'
import { mozillaAnchors, type TrustAnchors } from './trust-anchors.js'

/**
 * Sites the Kazakh interception of 2019 (Qaznet) and 2020 (ISCA) targeted, as Censored Planet measured
 * them (https://censoredplanet.org/kazakhstan), plus x.com (Twitter's name today) and wikipedia.org.
 */
export const DEFAULT_HOSTS: readonly string[] = [
  'google.com',
  'www.google.com',
  'youtube.com',
  'facebook.com',
  'www.facebook.com',
  'instagram.com',
  'twitter.com',
  'x.com',
  'vk.com',
  'ok.ru',
  'mail.ru',
  'wikipedia.org',
]

export const DEFAULT_TIMEOUT_MS = 5000

export type HostVerdict = 'ok' | 'intercepted' | 'unreachable'

export interface HostCheck {
  readonly host: string
  readonly port: number
  /** Where the connection went, and the --connect-to rule that sent it there, if any. */
  readonly connectedTo: { readonly address: string; readonly port: number; readonly remoteAddress: string | null; readonly rule: string | null }
  readonly verdict: HostVerdict
  /** One plain sentence in the report's language. */
  readonly message: string
  /** The CA at the top of the presented chain (for `ok`, the public root it reaches). */
  readonly issuingCa: { readonly name: string; readonly subject: string } | null
  readonly anchor: { readonly subject: string; readonly sha256: string; readonly how: 'in-chain' | 'signed-by-root' } | null
  readonly blocklistEntry: ChainBlocklistMatch | null
  readonly warnings: readonly ChainWarning[]
  /** The certificates presented, leaf first. */
  readonly chain: readonly ChainCertificate[]
  readonly error: ProbeError | null
  readonly elapsedMs: number
}

export interface ConnectionReport {
  readonly schemaVersion: 1
  readonly checkedAt: string
  readonly language: Language
  readonly referenceRoots: string
  readonly blocklist: { readonly version: number; readonly updated: string }
  /** `intercepted` if any site is, `ok` if at least one site was checked, `unreachable` if none answered. */
  readonly verdict: HostVerdict
  readonly message: string
  readonly hosts: readonly HostCheck[]
}

export interface CheckConnectionOptions {
  readonly blocklist: Blocklist
  /** The roots a chain must reach; Node's Mozilla set by default. */
  readonly anchors?: TrustAnchors
  readonly connectTo?: readonly ConnectToRule[]
  readonly timeoutMs?: number
  readonly language?: Language
  readonly lookup?: LookupFunction
  readonly now?: () => Date
}

/** Checks every target at once (each with its own deadline) and returns the report, in the targets' order. */
export async function checkConnections(targets: readonly HostTarget[], options: CheckConnectionOptions): Promise<ConnectionReport> {
  const language = options.language ?? 'en'
  const texts = connectionTexts(language)
  const anchors = options.anchors ?? mozillaAnchors()
  const now = options.now ?? (() => new Date())
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const checkedAt = now()

  const hosts = await Promise.all(
    targets.map(async (target): Promise<HostCheck> => {
      const route = routeFor(target, options.connectTo ?? [])
      const started = Date.now()
      const probe = await probeTls(target, route, { timeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) })
      const base = {
        host: target.host,
        port: target.port,
        connectedTo: { address: route.address, port: route.port, remoteAddress: probe.ok ? probe.remoteAddress : null, rule: route.rule?.spec ?? null },
        elapsedMs: Date.now() - started,
      }
      if (!probe.ok) {
        const reason = texts.reasons[probe.error.code](Math.round(timeoutMs / 100) / 10)
        return {
          ...base,
          verdict: 'unreachable',
          message: texts.unreachable(target.host, reason),
          issuingCa: null,
          anchor: null,
          blocklistEntry: null,
          warnings: [],
          chain: [],
          error: probe.error,
        }
      }
      const judgement = judgeChain(probe.chain, { host: target.host, anchors, blocklist: options.blocklist, now: now() })
      const ca = judgement.issuingCa?.name ?? '?'
      let message = judgement.verdict === 'ok' ? texts.ok(target.host, ca) : texts.intercepted(target.host, ca)
      const entry = judgement.blocklistEntry
      if (entry) message += ' ' + (entry.matchedBy === 'name' ? texts.lookalike(entry.name) : texts.onBlocklist(entry.name))
      return {
        ...base,
        verdict: judgement.verdict,
        message,
        issuingCa: judgement.issuingCa,
        anchor: judgement.anchor,
        blocklistEntry: judgement.blocklistEntry,
        warnings: judgement.warnings,
        chain: judgement.chain,
        error: null,
      }
    }),
  )

  const verdict: HostVerdict = hosts.some((h) => h.verdict === 'intercepted') ? 'intercepted' : hosts.some((h) => h.verdict === 'ok') ? 'ok' : 'unreachable'
  return {
    schemaVersion: 1,
    checkedAt: checkedAt.toISOString(),
    language,
    referenceRoots: anchors.name,
    blocklist: { version: options.blocklist.version, updated: options.blocklist.updated },
    verdict,
    message: verdict === 'intercepted' ? texts.summary.intercepted : verdict === 'ok' ? texts.summary.ok : texts.summary.nothingReached,
    hosts,
  }
}
