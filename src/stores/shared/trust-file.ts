import { readCertificates } from '../../audit/pem.js'
import { readBundleFile, readSmallBundleFile, type BundleReadOptions } from './bundle-file.js'
import { readRegularFile } from './regular-file.js'
import type { ListItem, TrustState } from '../types.js'

const P11_KIT_HEADER = '[p11-kit-object-v1]'
/** p11-kit object files are small (Fedora's whole Mozilla set is ~1 MB): a bigger one is refused, never read. */
const MAX_P11_KIT_BYTES = 64 * 1024 * 1024

/**
 * Reads one trust source file: a PEM/DER certificate or bundle, or a p11-kit object file
 * (`*.p11-kit`, as Fedora and Arch ship their Mozilla set), where each object says whether it is
 * `trusted: true` or `x-distrusted: true`. See p11-kit's "persist" format:
 * https://p11-glue.github.io/p11-glue/p11-kit/manual/config.html
 *
 * Every certificate is yielded with `entry` naming the file (and its position when a file holds more
 * than one). Throws {@link StoreError} when the file cannot be read at all.
 */
export async function* readTrustFile(path: string, trust: TrustState, label: string = path, options: BundleReadOptions = {}): AsyncGenerator<ListItem> {
  if (path.endsWith('.p11-kit')) {
    const text = (await readRegularFile(path, { maxBytes: MAX_P11_KIT_BYTES, what: 'p11-kit trust file', ...options })).toString('utf8')
    if (text.includes(P11_KIT_HEADER)) {
      yield* readP11KitObjects(path, text, trust, label)
      return
    }
  }
  const name = entryNamer(path, label)
  for await (const item of readBundleFile(path, trust, options)) yield name(item)
}

/**
 * {@link readTrustFile} at once, synchronously, for the common case of a small certificate file;
 * undefined for a p11-kit file or a file that must be streamed (then call readTrustFile).
 * Throws {@link StoreError} when the file cannot be read.
 */
export function readTrustFileNow(path: string, trust: TrustState, label: string = path, options: BundleReadOptions = {}): ListItem[] | undefined {
  if (path.endsWith('.p11-kit')) return undefined
  const items = readSmallBundleFile(path, trust, options)
  return items?.map(entryNamer(path, label))
}

/** Names each entry after its file (and its position when the file holds more than one). */
function entryNamer(path: string, label: string): (item: ListItem) => ListItem {
  let index = 0
  return (item) => (item.type === 'problem' ? item : { ...item, entry: ++index === 1 ? label : `${label} (certificate ${index})`, origin: { file: path } })
}

function* readP11KitObjects(path: string, text: string, defaultTrust: TrustState, label: string): Generator<ListItem> {
  const objects = text.split(P11_KIT_HEADER).slice(1)
  let certificateIndex = 0
  let problems = 0
  for (const [objectIndex, body] of objects.entries()) {
    const pemStart = body.indexOf('-----BEGIN ')
    const attributes = parseAttributes(pemStart >= 0 ? body.slice(0, pemStart) : body)
    const objectClass = attributes.get('class') ?? 'certificate'
    // Certificate extension objects (stapled public keys and constraints) carry no certificate.
    if (objectClass !== 'certificate' || pemStart < 0) continue
    const trust: TrustState =
      attributes.get('x-distrusted') === 'true' ? 'distrusted' : attributes.get('trusted') === 'true' ? 'trusted' : defaultTrust === 'distrusted' ? 'distrusted' : 'not-trusted'
    const name = attributes.get('label')?.replace(/^"|"$/g, '')
    for (const item of readCertificates(Buffer.from(body.slice(pemStart), 'latin1'))) {
      if (item.type === 'problem') {
        problems++
        yield { type: 'problem', path, code: item.code, message: `${path}, object ${objectIndex + 1}: ${item.message}` }
        continue
      }
      certificateIndex++
      yield {
        type: 'entry',
        der: item.der,
        entry: `${label}: ${name ? `"${name}"` : `object ${objectIndex + 1}`}`,
        trust,
        origin: { file: path },
      }
    }
  }
  if (certificateIndex === 0 && problems === 0) {
    yield { type: 'problem', path, code: 'no-certificates', message: `${path} is a p11-kit file without any certificate.` }
  }
}

function parseAttributes(header: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const line of header.split('\n')) {
    // `name: value`, the value trimmed. Not /^([a-z0-9-]+):\s*(.*?)\s*$/i: that took time
    // quadratic in a run of spaces inside a value, and a p11-kit file may be 64 MB.
    const name = /^[a-z0-9-]+:/i.exec(line)
    if (!name) continue
    const value = line.slice(name[0].length).trim()
    if (!/[\r\u2028\u2029]/.test(value)) attributes.set(name[0].slice(0, -1).toLowerCase(), value)
  }
  return attributes
}
