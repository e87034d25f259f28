import { DerError, readTlv } from './der.js'

/** Where in a file a certificate came from: its ordinal (1-based) and the line its block starts on. */
export interface BlockPosition {
  readonly index: number
  /** 1-based line of the BEGIN marker; 1 for a DER file. */
  readonly line: number
}

export type ReadItem =
  | { readonly type: 'certificate'; readonly der: Uint8Array; readonly position: BlockPosition }
  | { readonly type: 'problem'; readonly code: ReadProblemCode; readonly message: string; readonly position?: BlockPosition }

export type ReadProblemCode = 'corrupt-pem' | 'truncated-pem' | 'not-a-certificate' | 'corrupt-der' | 'no-certificates'

/** PEM labels that hold a certificate. OpenSSL's TRUSTED CERTIFICATE is the DER certificate followed by trust settings. */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE'])
const BEGIN = /-----BEGIN ([A-Z0-9 ]{1,64})-----/g
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/
/** A certificate block bigger than this is not a certificate: stop waiting for its END marker. */
const MAX_BLOCK_CHARS = 1 << 20
/** Enough of a chunk's tail to hold a BEGIN marker split across two chunks. */
const MARKER_CARRY = 96

/**
 * Splits a stream of bytes into DER certificates, whether it is a PEM bundle (with anything between
 * the blocks: comments, `openssl x509 -text` dumps, junk), one DER certificate, or DER certificates
 * back to back. Feed it chunks with {@link push}, then call {@link end}. Memory use is bounded by one
 * block, so a 100,000-certificate bundle or a 50 MB junk file streams through.
 */
export class CertificateStreamReader {
  #mode: 'unknown' | 'pem' | 'der' = 'unknown'
  #text = ''
  #line = 1
  #index = 0
  #sawCertificate = false
  /** A damaged block was already reported: "no certificate found" would only repeat it. */
  #sawProblem = false
  #derChunks: Buffer[] = []
  #derBytes = 0
  #bytesSeen = 0
  /** The first bytes, kept until there are enough to tell DER from PEM (a stream may start with tiny chunks). */
  #head: Buffer | null = null

  /** Reads one chunk; returns what it completed. */
  push(chunk: Uint8Array): ReadItem[] {
    this.#bytesSeen += chunk.length
    if (this.#mode === 'unknown') {
      const head = this.#head ? Buffer.concat([this.#head, chunk]) : chunk
      if (head.length < DER_SNIFF_BYTES) {
        this.#head = Buffer.from(head)
        return []
      }
      this.#head = null
      this.#mode = looksLikeDer(head) ? 'der' : 'pem'
      chunk = head
    }
    if (this.#mode === 'der') {
      this.#derChunks.push(Buffer.from(chunk))
      this.#derBytes += chunk.length
      return []
    }
    this.#text += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1')
    return this.#drainPem(false)
  }

  /** Finishes the stream: reports a truncated last block, and a file with no certificate at all. */
  end(): ReadItem[] {
    if (this.#mode === 'unknown') {
      // Fewer bytes than a DER header: whatever they are, they are read as text.
      this.#mode = 'pem'
      if (this.#head) this.#text = this.#head.toString('latin1')
      this.#head = null
    }
    const items = this.#mode === 'der' ? this.#drainDer() : this.#drainPem(true)
    if (!this.#sawCertificate && !this.#sawProblem && !items.some((i) => i.type === 'problem')) {
      items.push({
        type: 'problem',
        code: 'no-certificates',
        message:
          this.#bytesSeen === 0
            ? 'The file is empty.'
            : `No certificate found in ${formatBytes(this.#bytesSeen)}: this is neither a PEM bundle nor a DER certificate.`,
      })
    }
    return items
  }

  #drainPem(final: boolean): ReadItem[] {
    const items: ReadItem[] = []
    let consumed = 0
    for (;;) {
      BEGIN.lastIndex = consumed
      const begin = BEGIN.exec(this.#text)
      if (!begin) {
        // Keep a tail that could hold the start of a marker cut by the chunk boundary.
        const keepFrom = final ? this.#text.length : Math.max(consumed, this.#text.length - MARKER_CARRY)
        this.#advance(consumed, keepFrom)
        consumed = keepFrom
        break
      }
      this.#advance(consumed, begin.index)
      consumed = begin.index
      const label = begin[1]!
      const endMarker = `-----END ${label}-----`
      const bodyStart = begin.index + begin[0].length
      const endAt = this.#text.indexOf(endMarker, bodyStart)
      const position = { index: this.#index + 1, line: this.#line }
      if (endAt < 0) {
        if (final || this.#text.length - begin.index > MAX_BLOCK_CHARS) {
          if (CERTIFICATE_LABELS.has(label)) this.#index++
          items.push({
            type: 'problem',
            code: 'truncated-pem',
            position,
            message: `The "${label}" block starting on line ${position.line} has no END marker${final ? ' before the end of the file' : ' within 1 MB'}.`,
          })
          const skipTo = bodyStart
          this.#advance(consumed, skipTo)
          consumed = skipTo
          continue
        }
        break // wait for more text
      }
      const body = this.#text.slice(bodyStart, endAt)
      const blockEnd = endAt + endMarker.length
      if (CERTIFICATE_LABELS.has(label)) {
        this.#index++
        items.push(this.#certificateFromBody(body, label, position))
      } else {
        items.push({
          type: 'problem',
          code: 'not-a-certificate',
          position,
          message: `A "${label}" block on line ${position.line} is not a certificate and was skipped.`,
        })
      }
      this.#advance(consumed, blockEnd)
      consumed = blockEnd
    }
    this.#text = this.#text.slice(consumed)
    if (items.some((i) => i.type === 'problem')) this.#sawProblem = true
    return items
  }

  #certificateFromBody(body: string, label: string, position: BlockPosition): ReadItem {
    if (!BASE64_BODY.test(body)) {
      return {
        type: 'problem',
        code: 'corrupt-pem',
        position,
        message: `Certificate ${position.index} (line ${position.line}) contains characters that are not base64.`,
      }
    }
    let der: Uint8Array = Buffer.from(body, 'base64')
    try {
      const length = readTlv(der, 0, der.length).end
      if (label === 'TRUSTED CERTIFICATE') der = der.subarray(0, length)
      else if (length !== der.length) throw new DerError(`${der.length - length} unexpected bytes after the certificate`, length)
    } catch (error) {
      return {
        type: 'problem',
        code: 'corrupt-der',
        position,
        message: `Certificate ${position.index} (line ${position.line}) is damaged: ${(error as Error).message}.`,
      }
    }
    this.#sawCertificate = true
    return { type: 'certificate', der, position }
  }

  #drainDer(): ReadItem[] {
    const bytes = Buffer.concat(this.#derChunks, this.#derBytes)
    this.#derChunks = []
    const items: ReadItem[] = []
    for (let offset = 0; ; ) {
      // Tools that concatenate certificate files (update-ca-certificates) add a newline after a DER one.
      // Skipped only between elements: a certificate's own last byte may well be 0x0a (its signature is
      // random bytes), and stripping it would make ~1 DER certificate in 85 look damaged.
      while (offset < bytes.length && (bytes[offset] === 0x0a || bytes[offset] === 0x0d || bytes[offset] === 0x20)) offset++
      if (offset >= bytes.length) break
      const position = { index: ++this.#index, line: 1 }
      try {
        const tlv = readTlv(bytes, offset, bytes.length)
        items.push({ type: 'certificate', der: bytes.subarray(offset, tlv.end), position })
        this.#sawCertificate = true
        offset = tlv.end
      } catch (error) {
        items.push({
          type: 'problem',
          code: 'corrupt-der',
          position,
          message: `The DER data at byte ${offset} is damaged: ${(error as Error).message}.`,
        })
        break
      }
    }
    return items
  }

  /** Counts the lines in text[from, to) that are being passed over. */
  #advance(from: number, to: number): void {
    for (let i = this.#text.indexOf('\n', from); i >= 0 && i < to; i = this.#text.indexOf('\n', i + 1)) this.#line++
  }
}

/** How many bytes {@link looksLikeDer} needs. */
const DER_SNIFF_BYTES = 4

/** A DER certificate starts with SEQUENCE and a long-form length; PEM starts with text. */
function looksLikeDer(chunk: Uint8Array): boolean {
  return chunk.length >= DER_SNIFF_BYTES && chunk[0] === 0x30 && (chunk[1] === 0x82 || chunk[1] === 0x83 || chunk[1] === 0x81)
}

/** Reads every certificate in an in-memory buffer (PEM bundle or DER). */
export function readCertificates(bytes: Uint8Array): ReadItem[] {
  const reader = new CertificateStreamReader()
  return [...reader.push(bytes), ...reader.end()]
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
