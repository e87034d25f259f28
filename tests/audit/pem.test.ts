import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { identify } from '../../src/audit/certificate.js'
import { CertificateStreamReader, readCertificates, type ReadItem } from '../../src/audit/pem.js'
import { makeCertificate, makeKey } from '../support/certificates.js'
import { tempDir } from '../support/temp.js'

const dir = tempDir()
const certs = Array.from({ length: 4 }, (_, i) => makeCertificate({ subject: [['CN', `Bundle ${i}`]] }))

const certificatesOf = (items: ReadItem[]) => items.filter((i) => i.type === 'certificate')
const problemsOf = (items: ReadItem[]) => items.filter((i) => i.type === 'problem')
const shaOf = (items: ReadItem[]) => certificatesOf(items).map((i) => identify(i.der).sha256)

/** A bundle as real ones look: comments, `openssl x509 -text` dumps and blank lines between blocks. */
function messyBundle(): string {
  const dump = execFileSync('openssl', ['x509', '-text', '-noout'], { input: certs[1]!.pem, encoding: 'utf8' })
  return [
    '# Comment line at the top\n',
    certs[0]!.pem,
    '\n\n',
    dump,
    certs[1]!.pem.replace(/\n/g, '\r\n'), // Windows line endings
    'junk between blocks ----- not a marker -----\n',
    certs[2]!.pem,
    '\x00\x01\x02 binary junk\n',
    certs[3]!.pem,
    'trailing text without newline',
  ].join('')
}

describe('CertificateStreamReader', () => {
  it('finds every certificate in a bundle with junk between the blocks, with line numbers', () => {
    const items = readCertificates(Buffer.from(messyBundle(), 'latin1'))
    expect(problemsOf(items)).toEqual([])
    expect(shaOf(items)).toEqual(certs.map((c) => c.sha256))
    expect(certificatesOf(items).map((i) => i.position.index)).toEqual([1, 2, 3, 4])
    const lines = messyBundle().split('\n')
    for (const item of certificatesOf(items)) expect(lines[item.position.line - 1]).toMatch(/^-----BEGIN CERTIFICATE-----/)
  })

  it('gives the same result however the stream is chunked', () => {
    const bundle = Buffer.from(messyBundle(), 'latin1')
    const expected = readCertificates(bundle)
    for (const size of [1, 7, 63, 64, 65, 500, 4096]) {
      const reader = new CertificateStreamReader()
      const items: ReadItem[] = []
      for (let i = 0; i < bundle.length; i += size) items.push(...reader.push(bundle.subarray(i, i + size)))
      items.push(...reader.end())
      expect(items, `chunks of ${size}`).toEqual(expected)
    }
  })

  it('reads a DER file, and DER certificates back to back', () => {
    expect(shaOf(readCertificates(certs[0]!.der))).toEqual([certs[0]!.sha256])
    expect(shaOf(readCertificates(Buffer.concat([certs[0]!.der, certs[1]!.der])))).toEqual([certs[0]!.sha256, certs[1]!.sha256])
  })

  it('reads OpenSSL TRUSTED CERTIFICATE blocks (certificate followed by trust settings)', () => {
    const file = join(dir, 'plain.pem')
    writeFileSync(file, certs[0]!.pem)
    const trusted = execFileSync('openssl', ['x509', '-in', file, '-trustout', '-addtrust', 'serverAuth'], { encoding: 'utf8' })
    expect(trusted).toContain('BEGIN TRUSTED CERTIFICATE')
    expect(shaOf(readCertificates(Buffer.from(trusted)))).toEqual([certs[0]!.sha256])
  })

  it('reports a damaged block and keeps reading the rest', () => {
    const broken = certs[1]!.pem.replace(/^(.{30}).{8}/m, '$1!!!!!!!!')
    const truncatedBody = certs[2]!.pem.split('\n').filter((_, i) => i !== 3).join('\n')
    const items = readCertificates(Buffer.from(certs[0]!.pem + broken + truncatedBody + certs[3]!.pem))
    expect(shaOf(items)).toEqual([certs[0]!.sha256, certs[3]!.sha256])
    const problems = problemsOf(items)
    expect(problems.map((p) => p.type === 'problem' && p.code)).toEqual(['corrupt-pem', 'corrupt-der'])
    expect(problems[0]).toMatchObject({ message: expect.stringMatching(/Certificate 2 \(line \d+\) contains characters that are not base64/) })
    expect(problems[1]).toMatchObject({ message: expect.stringMatching(/Certificate 3 .* is damaged/) })
  })

  it('reports a block without END marker at the end of the file', () => {
    const items = readCertificates(Buffer.from(certs[0]!.pem + certs[1]!.pem.slice(0, 200)))
    expect(shaOf(items)).toEqual([certs[0]!.sha256])
    expect(problemsOf(items)).toEqual([
      expect.objectContaining({ code: 'truncated-pem', message: expect.stringContaining('no END marker before the end of the file') }),
    ])
  })

  it('skips blocks that are not certificates, saying so', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'
    const items = readCertificates(Buffer.from(key + certs[0]!.pem))
    expect(shaOf(items)).toEqual([certs[0]!.sha256])
    expect(problemsOf(items)).toEqual([expect.objectContaining({ code: 'not-a-certificate', message: expect.stringContaining('PRIVATE KEY') })])
  })

  it('says when a file holds no certificate at all, or is empty', () => {
    expect(readCertificates(Buffer.from('hello world\n'.repeat(1000)))).toEqual([
      expect.objectContaining({ type: 'problem', code: 'no-certificates', message: expect.stringContaining('11.7 KB') }),
    ])
    expect(readCertificates(Buffer.alloc(0))).toEqual([expect.objectContaining({ code: 'no-certificates', message: 'The file is empty.' })])
    expect(problemsOf(readCertificates(Buffer.from([0x30, 0x82, 0xff, 0xff, 1, 2, 3])))).toEqual([
      expect.objectContaining({ code: 'corrupt-der' }),
    ])
  })
})

describe('DER files with a trailing newline', () => {
  it('reads the certificate, as update-ca-certificates leaves it in a bundle', () => {
    const items = readCertificates(Buffer.concat([certs[0]!.der, Buffer.from('\n')]))
    expect(items.map((i) => i.type)).toEqual(['certificate'])
  })

  // A certificate's last bytes are its signature, random: about 1 in 85 ends in a newline, CR or space byte.
  it.each([0x0a, 0x0d, 0x20])('reads a certificate whose own last byte is 0x%s, with or without a newline after it', (last) => {
    const key = makeKey({ type: 'ec' })
    let der: Uint8Array | undefined
    for (let serial = 1; !der; serial++) {
      const made = makeCertificate({ subject: [['CN', 'Ends in whitespace']], key, serial: serial.toString(16).padStart(4, '0') })
      if (made.der[made.der.length - 1] === last) der = made.der
    }
    for (const bytes of [der, Buffer.concat([der, Buffer.from('\n')]), Buffer.concat([der, Buffer.from('\n'), der])]) {
      const items = readCertificates(bytes)
      expect(items.every((i) => i.type === 'certificate' && Buffer.from(i.der).equals(der)), JSON.stringify(problemsOf(items))).toBe(true)
    }
  })
})
