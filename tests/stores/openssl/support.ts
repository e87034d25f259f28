/**
 * Planted machines for the openssl kind: system roots laid out as each class of distribution lays out
 * its default certificate files (no layout the linux-system kind knows), and what a scan finds there.
 */
import { rootCertificates } from 'node:tls'
import { join } from 'node:path'
import { scan } from '../../../src/api/scan.js'
import { loadBlocklist } from '../../../src/audit/blocklist.js'
import { identify } from '../../../src/audit/certificate.js'
import { mozillaRoots } from '../../../src/audit/references.js'
import type { Finding, ScanReport } from '../../../src/audit/report.js'
import { createEnvironment, type Environment } from '../../../src/stores/shared/environment.js'
import { opensslStore } from '../../../src/stores/openssl/index.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'

/** The interception root of every planted machine: the Kazakh root's names on a fresh key (a look-alike, high). */
export const lookalike = makeCertificate({ subject: [['C', 'KZ'], ['O', 'ISCA'], ['CN', 'Information Security Certification Authority']] })

/** A few of Mozilla's roots as Node.js ships them: the stock part of a planted bundle. */
export const STOCK = rootCertificates.slice(0, 5).map((pem) => `${pem}\n`)

export function envFor(root: string, platform: NodeJS.Platform = 'linux'): Environment {
  return createEnvironment({ home: join(root, 'home/user'), systemRoot: root, env: {}, platform })
}

type Entry = Extract<ListItem, { type: 'entry' }>
type Problem = Extract<ListItem, { type: 'problem' }>

export async function listAll(location: StoreLocation, env: Environment): Promise<{ entries: Entry[]; problems: Problem[] }> {
  const entries: Entry[] = []
  const problems: Problem[] = []
  for await (const item of opensslStore.list(location, env)) {
    if (item.type === 'entry') entries.push(item)
    else problems.push(item)
  }
  return { entries, problems }
}

export const shaOf = (entry: Entry) => identify(entry.der).sha256
export const bySha = (entries: readonly Entry[], sha256: string) => entries.filter((e) => shaOf(e) === sha256)

export function scanRoot(root: string, platform: NodeJS.Platform = 'linux'): Promise<ScanReport> {
  return scan({}, { env: envFor(root, platform), blocklist: loadBlocklist(), publicRoots: mozillaRoots(), now: new Date('2026-11-26T00:00:00Z') })
}

export function findingOf(report: ScanReport, sha256: string): Finding | undefined {
  return report.findings.find((f) => f.certificate.sha256 === sha256)
}
