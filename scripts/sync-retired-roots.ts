/**
 * Rebuilds resources/retired-roots.json: roots that were in Mozilla's list as a distro packaged it
 * (Debian's ca-certificates: /usr/share/ca-certificates/mozilla) but are no longer in the current list
 * that Node.js ships. A stock system still trusts them until its certificates package is updated;
 * CertAudit reports them as `retired-root` (info) instead of as unknown roots.
 *
 *   npx tsx scripts/sync-retired-roots.ts [--dir /usr/share/ca-certificates/mozilla] [--source "Debian ca-certificates 20230311"]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { describe, identify } from '../src/audit/certificate.js'
import { readCertificates } from '../src/audit/pem.js'
import { mozillaRoots, type RetiredRootsDocument } from '../src/audit/references.js'

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/usr/share/ca-certificates/mozilla' },
    source: { type: 'string', default: 'Debian ca-certificates (Mozilla list as packaged)' },
  },
})
const out = fileURLToPath(new URL('../resources/retired-roots.json', import.meta.url))
let previous: RetiredRootsDocument | null = null
try {
  previous = JSON.parse(readFileSync(out, 'utf8')) as RetiredRootsDocument
} catch {
  previous = null
}
const current = mozillaRoots()
const roots = new Map((previous?.roots ?? []).map((r) => [r.sha256, r]))
for (const name of readdirSync(values.dir).filter((n) => n.endsWith('.crt')).sort()) {
  for (const item of readCertificates(readFileSync(join(values.dir, name)))) {
    if (item.type !== 'certificate') continue
    const identity = identify(item.der)
    if (current.sha256.has(identity.sha256) || current.spkiSha256.has(identity.spkiSha256)) continue
    const details = describe(item.der)
    roots.set(identity.sha256, { sha256: identity.sha256, spkiSha256: identity.spkiSha256, subject: details.subject, notAfter: details.notAfter, source: values.source })
  }
}
// A root that is back in the current list is not retired any more.
for (const [sha, root] of roots) if (current.sha256.has(sha) || current.spkiSha256.has(root.spkiSha256)) roots.delete(sha)
const document: RetiredRootsDocument = { updated: new Date().toISOString().slice(0, 10), roots: [...roots.values()].sort((a, b) => a.subject.localeCompare(b.subject)) }
writeFileSync(out, JSON.stringify(document, null, 2) + '\n')
console.log(`Wrote ${document.roots.length} retired roots to ${out}`)
