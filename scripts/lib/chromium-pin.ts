/**
 * Chromium's block list as pinned in scripts/data/chromium-blocklist.json: every file of
 * net/data/ssl/blocklist (https://chromium.googlesource.com/chromium/src/+/main/net/data/ssl/blocklist/)
 * with its README group and, where it has been copied in, its bytes; and every SPKI hash of the two
 * arrays of net/cert/cert_verify_proc_blocklist.inc. Hashes are never taken on trust: each is
 * computed here from the bytes and compared with the file name and the .inc arrays.
 */
import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Blocklist, BlocklistEntry } from '../../src/audit/blocklist.js'
import { describe, identify, spkiBytes, type CertificateDetails } from '../../src/audit/certificate.js'

export const CHROMIUM_PIN_PATH = fileURLToPath(new URL('../data/chromium-blocklist.json', import.meta.url))

export interface PinDocument {
  readonly repository: string
  readonly directory: string
  readonly readme: { readonly path: string; readonly commit: string }
  readonly inc: { readonly path: string; readonly commit: string }
  readonly files: readonly {
    readonly name: string
    readonly group: string
    readonly commit?: string
    /** The certificate, DER in base64 (a `.pem` file). */
    readonly der?: string
    /** The public key, SubjectPublicKeyInfo DER in base64 (a `.key` file). */
    readonly spki?: string
    /** Where the bytes were read when the Chromium index did not hold the file (a copy of Chromium's tree). */
    readonly copiedFrom?: string
  }[]
  readonly spkiBlockList: readonly { readonly spkiSha256: string; readonly files: readonly string[] }[]
  readonly knownInterceptionList: readonly { readonly spkiSha256: string; readonly files: readonly string[] }[]
}

/** One file of the pinned list with the hashes computed from its bytes. */
export interface PinnedFile {
  readonly name: string
  /** The hash in the name: of the certificate for most files, of the SPKI for keys and a few certificates. */
  readonly nameHash: string
  readonly group: string
  readonly commit: string | null
  /** Where the bytes were read when the Chromium index lacked the file; checked against the name like any other. */
  readonly copiedFrom: string | null
  readonly kind: 'certificate' | 'key'
  readonly der: Buffer | null
  readonly spki: Buffer | null
  /** Computed from the bytes; for a file without bytes, the certificate hash its name gives. */
  readonly sha256: string | null
  readonly spkiSha256: string | null
  readonly sha1: string | null
  readonly details: CertificateDetails | null
  /** Which hash the file name is; null when the bytes agree with neither (a broken pin). */
  readonly namedBy: 'sha256' | 'spkiSha256' | null
  readonly knownInterception: boolean
  /** The Chromium source URL of the file. */
  readonly url: string
}

export function loadPin(path: string = CHROMIUM_PIN_PATH): PinDocument {
  return JSON.parse(readFileSync(path, 'utf8')) as PinDocument
}

/** Every pinned file, hashed. */
export function pinnedFiles(pin: PinDocument): PinnedFile[] {
  const known = new Set(pin.knownInterceptionList.flatMap((e) => e.files))
  const incSpki = new Map(pin.spkiBlockList.concat(pin.knownInterceptionList).flatMap((e) => e.files.map((f) => [f, e.spkiSha256] as const)))
  return pin.files.map((file) => {
    const nameHash = file.name.slice(0, 64)
    const kind = file.name.endsWith('.key') ? 'key' : 'certificate'
    const der = file.der ? Buffer.from(file.der, 'base64') : null
    const spkiBytes = file.spki ? Buffer.from(file.spki, 'base64') : null
    let sha256: string | null = null
    let spkiSha256: string | null = null
    let sha1: string | null = null
    let details: CertificateDetails | null = null
    if (der) {
      const identity = identify(der)
      ;({ sha256, spkiSha256, sha1 } = identity)
      details = describe(der)
    } else if (spkiBytes) {
      spkiSha256 = hash('sha256', spkiBytes, 'hex')
    } else {
      // No bytes pinned yet: the name and the .inc are all that is known (a name may be the SPKI hash).
      spkiSha256 = incSpki.get(file.name) ?? (kind === 'key' ? nameHash : null)
      if (kind === 'certificate' && spkiSha256 !== nameHash) sha256 = nameHash
    }
    const namedBy = sha256 === nameHash ? 'sha256' : spkiSha256 === nameHash ? 'spkiSha256' : null
    return {
      name: file.name,
      nameHash,
      group: file.group,
      commit: file.commit ?? null,
      copiedFrom: file.copiedFrom ?? null,
      kind,
      der,
      spki: der ? spkiOf(der) : spkiBytes,
      sha256,
      spkiSha256,
      sha1,
      details,
      namedBy,
      knownInterception: known.has(file.name),
      url: `${pin.repository}/+/main/${pin.directory}/${file.name}`,
    }
  })
}

/** The SubjectPublicKeyInfo bytes of a certificate (public data: what the issued-by rule verifies with). */
function spkiOf(der: Buffer): Buffer {
  return Buffer.from(spkiBytes(der))
}

/**
 * Whether a pinned file can issue certificates: a bare key, a CA, or a version 1 certificate, which
 * older verifiers (OpenSSL before 1.1) take for an authority; Chromium lists E-GUVEN's for that reason.
 */
export function isAuthority(file: PinnedFile): boolean {
  return file.kind === 'key' || file.details?.isCA === true || file.details?.version === 1
}

/** What is wrong between the pinned list and a blocklist: one sentence each. Empty when they agree. */
export function pinProblems(pin: PinDocument, blocklist: Blocklist): string[] {
  const problems: string[] = []
  const files = pinnedFiles(pin)
  const names = new Set<string>()
  for (const file of files) {
    if (names.has(file.name)) problems.push(`${file.name} is pinned twice`)
    names.add(file.name)
    if (!file.der && !file.spki) problems.push(`${file.name}: no bytes pinned, so its hashes cannot be checked`)
    if (file.namedBy === null) problems.push(`${file.name}: its bytes hash to ${file.sha256 ?? '-'} (SPKI ${file.spkiSha256 ?? '-'}), not to its name`)
  }
  for (const listed of [...pin.spkiBlockList, ...pin.knownInterceptionList]) {
    for (const name of listed.files) {
      const file = files.find((f) => f.name === name)
      if (!file) problems.push(`the .inc names ${name}, which is not pinned`)
      else if (file.spkiSha256 !== listed.spkiSha256) problems.push(`${name}: SPKI ${file.spkiSha256} is not the .inc's ${listed.spkiSha256}`)
    }
  }
  for (const file of files) problems.push(...entryProblems(file, blocklist))
  for (const { spkiSha256 } of [...pin.spkiBlockList, ...pin.knownInterceptionList]) {
    if (!blocklist.bySpkiSha256.has(spkiSha256)) problems.push(`no entry has the .inc's SPKI ${spkiSha256}`)
  }
  return problems
}

/** The entries that stand for a pinned file: by certificate hash, or (a bare key) by SPKI hash. */
export function entriesFor(file: PinnedFile, entries: readonly BlocklistEntry[]): BlocklistEntry[] {
  if (file.kind === 'certificate' && file.sha256) return entries.filter((e) => e.sha256 === file.sha256)
  if (file.kind === 'certificate') return entries.filter((e) => e.spkiSha256 === file.spkiSha256) // known by its SPKI-named file only
  return entries.filter((e) => !e.sha256 && e.spkiSha256 === file.spkiSha256)
}

function entryProblems(file: PinnedFile, blocklist: Blocklist): string[] {
  const found = entriesFor(file, blocklist.entries)
  if (found.length === 0) return [`${file.name} (${file.group}) has no entry`]
  if (found.length > 1) return [`${file.name} has ${found.length} entries: ${found.map((e) => e.id).join(', ')}`]
  const entry = found[0]!
  const out: string[] = []
  const say = (what: string) => out.push(`${file.name} → "${entry.id}": ${what}`)
  if (entry.spkiSha256 !== file.spkiSha256) say(`spkiSha256 ${entry.spkiSha256 ?? 'missing'} ≠ ${file.spkiSha256}`)
  if (file.sha1 && entry.sha1 !== file.sha1) say(`sha1 ${entry.sha1 ?? 'missing'} ≠ ${file.sha1}`)
  if (!entry.blockedBy.includes('chromium')) say('blockedBy lacks "chromium"')
  if (file.knownInterception && !entry.blockedBy.includes('chromium-known-interception')) say('blockedBy lacks "chromium-known-interception"')
  if (entry.severity !== 'critical' && entry.severity !== 'high') say(`severity ${entry.severity}: what Chromium blocks is at least high`)
  if (!entry.references.some((r) => r.includes('chromium'))) say('no Chromium source among its references')
  if (isAuthority(file) && file.spki && entry.spki !== file.spki.toString('base64')) say('the CA key (spki) is missing or differs, so what it issued is not recognised')
  return out
}
