/**
 * A planted machine for the end-to-end tests: real NSS databases made by certutil, a Debian system
 * store made by update-ca-certificates, a Java cacerts made by keytool and a bundle named by
 * SSL_CERT_FILE, all in temp folders. The certificates are the real ones from ../shared/corpus when it
 * is there (look-alikes with new keys otherwise), so the app shows what a real user would see.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import type { Language } from '../../../src/audit/blocklist.js'
import { textsFor } from '../../../src/audit/texts.js'
import { makeCertificate } from '../../support/certificates.js'
import { corpusAvailable, factPem, loadFacts } from '../../support/corpus.js'
import { buildDebianTree, haveUpdateCaCertificates, put } from '../../support/system-root.js'
import { certutil, certutilInstalled, makeNssDb } from '../../stores/nss/fixtures.js'

export const haveKeytool = existsSync('/usr/bin/keytool')

/** Why the planted machine cannot be built here, or null when it can. */
export const machineUnavailable: string | null = !certutilInstalled
  ? 'certutil is not installed (apt-get install libnss3-tools)'
  : !haveUpdateCaCertificates
    ? 'update-ca-certificates is not installed (apt-get install ca-certificates)'
    : null

export interface PlantedCertificate {
  readonly pem: string
  readonly sha256: string
  /** The finding id the engine gives it: the first 16 hex digits of its SHA-256. */
  readonly findingId: string
}

function certificate(pem: string): PlantedCertificate {
  const sha256 = new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase()
  return { pem, sha256, findingId: sha256.slice(0, 16) }
}

function fromCorpus(id: string, fallback: () => string): PlantedCertificate {
  const fact = corpusAvailable ? loadFacts().find((f) => f.id === id) : undefined
  const pem = fact ? factPem(fact) : null
  return certificate(pem ?? fallback())
}

/** The 2019 Qaznet root (critical), the Russian state root (government-ca) and a company proxy root (unknown-root). */
export const qaznet = fromCorpus('kz-qaznet-2016', () => makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] }).pem)

/**
 * What the window shows for `qaznet`. The real root is known interception (critical); without the
 * corpus its stand-in is a new key under the same name, which CertAudit calls a copy (lookalike,
 * high). Each test expects what a user with that certificate would see.
 */
export const qaznetIsReal = corpusAvailable && loadFacts().some((f) => f.id === 'kz-qaznet-2016' && f.pem_file)
export const qaznetGroup = qaznetIsReal ? 'group.critical' : 'group.high'
export const qaznetVerdict = (language: Language): string => textsFor(language).verdict[qaznetIsReal ? 'critical' : 'highCopy']
export const russianRoot = fromCorpus('ru-mincifry-root-2022', () => makeCertificate({ subject: [['C', 'RU'], ['O', 'The Ministry of Digital Development and Communications'], ['CN', 'Russian Trusted Root CA']] }).pem)
export const companyRoot = certificate(makeCertificate({ subject: [['C', 'KZ'], ['O', 'Example Trading LLP'], ['CN', 'Example Trading Web Filter Root']] }).pem)

export interface Machine {
  readonly home: string
  readonly root: string
  /** The environment variables the app sees (LANG, SSL_CERT_FILE, JAVA_HOME…). */
  readonly env: Readonly<Record<string, string>>
  readonly firefoxDefault: string
  readonly firefoxWork: string
  readonly chromium: string
  readonly anchor: string
  readonly keystore: string | null
  cleanup(): void
}

export interface MachineOptions {
  readonly lang?: string
  /** Add a Java cacerts holding Qaznet (keytool costs about a second). */
  readonly java?: boolean
  /** Leave Firefox "running" on the default profile (its lock link), so the plan warns about it. */
  readonly firefoxRunning?: boolean
  /** Plant only the Qaznet root in one Firefox profile: the smallest machine with a removable finding. */
  readonly minimal?: boolean
  /**
   * More certificates (PEM), spread as on a lived-in machine: half in the distro's part of the Debian
   * store, a quarter each in the default Firefox profile and in Chromium's database (`npm run bench`).
   */
  readonly bulk?: readonly string[]
}

/** The bulk certificates for one store: every fourth one from `first` (0, 1: NSS; 2, 3: Debian). */
function bulkShare(bulk: readonly string[], ...firsts: number[]): string[] {
  return bulk.filter((_, i) => firsts.includes(i % 4))
}

/** Plants the machine in two new temp folders. */
export function plantMachine(options: MachineOptions = {}): Machine {
  const home = mkdtempSync(join(tmpdir(), 'certaudit-e2e-home-'))
  const root = mkdtempSync(join(tmpdir(), 'certaudit-e2e-root-'))
  const firefox = join(home, '.mozilla/firefox')
  put(firefox, 'profiles.ini', '[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=default-release\nIsRelative=1\nPath=a1b2.default-release\nDefault=1\n\n[Profile1]\nName=work\nIsRelative=1\nPath=c3d4.work\n')
  const bulk = options.bulk ?? []
  const bulkNss = (first: number) => bulkShare(bulk, first).map((pem, i) => ({ nickname: `Bulk CA ${first}-${i}`, trust: 'C,,', cert: { pem } }))
  const firefoxDefault = makeNssDb(
    join(firefox, 'a1b2.default-release'),
    options.minimal
      ? [{ nickname: 'Qaznet Trust Network', trust: 'C,,', cert: qaznet }]
      : [
          { nickname: 'Qaznet Trust Network', trust: 'C,,', cert: qaznet },
          { nickname: 'Russian Trusted Root CA', trust: 'C,,', cert: russianRoot },
          { nickname: 'Example Trading Web Filter', trust: 'C,,', cert: companyRoot },
          ...bulkNss(0),
        ],
  )
  if (options.firefoxRunning) symlinkSync('127.0.1.1:+4242', join(firefoxDefault, 'lock'))
  const firefoxWork = makeNssDb(join(firefox, 'c3d4.work'), options.minimal ? [] : [{ nickname: 'Qaznet Trust Network', trust: 'CT,C,C', cert: qaznet }])
  const chromium = makeNssDb(join(home, '.pki/nssdb'), options.minimal ? [] : [{ nickname: 'qaznet', trust: 'C,,', cert: qaznet }, ...bulkNss(1)])
  // One public root from the distro package next to the planted anchor, as on a real machine.
  const distro = Object.fromEntries([['mozilla/Public_Root.crt', rootCertificates[0]!], ...bulkShare(bulk, 2, 3).map((pem, i) => [`bulk/bulk-${i}.crt`, pem])])
  buildDebianTree(root, { distro, local: options.minimal ? {} : { 'qaznet.crt': qaznet.pem } })
  const anchor = join(root, 'usr/local/share/ca-certificates/qaznet.crt')

  const env: Record<string, string> = { LANG: options.lang ?? 'en_US.UTF-8' }
  let keystore: string | null = null
  if (options.java && haveKeytool && !options.minimal) {
    const javaHome = join(root, 'usr/lib/jvm/java-17-openjdk-amd64')
    keystore = join(javaHome, 'lib/security/cacerts')
    mkdirSync(join(keystore, '..'), { recursive: true })
    const pem = put(home, 'planting/qaznet.pem', qaznet.pem)
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'qaznet', '-file', pem, '-keystore', keystore, '-storepass', 'changeit', '-storetype', 'PKCS12'], { stdio: 'pipe' })
  }
  if (!options.minimal) env.SSL_CERT_FILE = put(home, 'work-vpn/ca-bundle.pem', companyRoot.pem)

  return {
    home,
    root,
    env,
    firefoxDefault,
    firefoxWork,
    chromium,
    anchor,
    keystore,
    cleanup() {
      rmSync(home, { recursive: true, force: true })
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** True when the NSS database in `dir` holds the certificate (compared by SHA-256, as certutil exports it). */
export function nssHolds(dir: string, cert: PlantedCertificate): boolean {
  const nicknames = certutil(['-L', '-d', `sql:${dir}`])
    .split('\n')
    .slice(4)
    .map((line) => line.replace(/\s+\S*,\S*,\S*\s*$/, '').trim())
    .filter(Boolean)
  return nicknames.some((nickname) => {
    const pem = certutil(['-L', '-d', `sql:${dir}`, '-n', nickname, '-a'])
    return pem.split(/(?=-----BEGIN CERTIFICATE-----)/).some((block) => block.includes('BEGIN CERTIFICATE') && certificate(block).sha256 === cert.sha256)
  })
}
