/**
 * The window names stores from the facts the engine sends (program, profile, distribution, the
 * variables that point at a bundle), in the user's language: never by reading the engine's English note.
 */
import { describe, expect, it } from 'vitest'
import { createTranslator } from '../../renderer/src/i18n'
import { byStoreKind, storeName, storeNameIn } from '../../renderer/src/labels'
import type { ScanReport } from '../../src/audit/report'
import { STORE_KINDS } from '../../src/stores/registry'

const en = createTranslator('en').t
const ru = createTranslator('ru').t

describe('store names in the window', () => {
  it('come from facts, whatever the note says', () => {
    const misleading = 'Thunderbird profile evil (not listed in profiles.ini)'
    expect(storeName(en, { kind: 'nss', location: '/h/.mozilla/firefox/x.work', facts: { program: 'firefox', profile: 'work' }, note: misleading } as never)).toEqual({ label: 'Firefox, profile “work”', icon: 'firefox' })
    expect(storeName(en, { kind: 'nss', location: '/h/.thunderbird/y.mail', facts: { program: 'thunderbird', profile: 'mail' } })).toEqual({ label: 'Thunderbird, profile “mail”', icon: 'thunderbird' })
    expect(storeName(en, { kind: 'nss', location: '/h/.pki/nssdb', facts: { program: 'chromium' } }).icon).toBe('chromium')
    expect(storeName(en, { kind: 'linux-system', location: '/etc/ssl/certs/ca-certificates.crt', facts: { distro: 'Debian/Ubuntu' } }).label).toBe('This computer’s system certificates (Debian/Ubuntu)')
    expect(storeName(en, { kind: 'env-bundle', location: '/corp/ca.pem', facts: { setBy: ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS'] } }).label).toBe('Certificate file set by SSL_CERT_FILE, NODE_EXTRA_CA_CERTS')
    expect(storeName(ru, { kind: 'firefox-policy', location: '/etc/firefox/policies/policies.json', facts: { program: 'firefox' } }).icon).toBe('policy')
  })

  it('names a default OpenSSL bundle or folder by who reads it, in each language', () => {
    const kk = createTranslator('kk').t
    const bundle = { kind: 'openssl' as const, location: '/etc/ssl/cert.pem', facts: { readBy: ['OpenSSL', 'Go', 'curl'] } }
    const folder = { kind: 'openssl' as const, location: '/etc/ssl/certs', facts: { readBy: ['OpenSSL', 'Go'], folder: true } }
    expect(storeName(en, bundle)).toEqual({ label: 'Certificate file read by OpenSSL, Go, curl', icon: 'bundle' })
    expect(storeName(en, folder).label).toBe('Certificate folder read by OpenSSL, Go')
    expect(storeName(ru, bundle).label).toBe('Файл сертификатов, который читают OpenSSL, Go, curl')
    expect(storeName(kk, folder).label).toBe('OpenSSL, Go оқитын сертификаттар қалтасы')
  })

  it('has a name and an icon for every store kind, in every language', () => {
    for (const lang of ['en', 'ru', 'kk'] as const) {
      const t = createTranslator(lang).t
      for (const kind of STORE_KINDS) {
        const name = storeName(t, { kind, location: '/x' })
        expect(name.label, `${lang} ${kind}`).not.toMatch(/^store\.|^$/)
        expect(name.icon, `${lang} ${kind}`).toBeTruthy()
      }
    }
    expect(byStoreKind(STORE_KINDS.map((kind) => ({ kind }))).map((s) => s.kind)).toHaveLength(STORE_KINDS.length)
  })

  it('names a planned or historic place by its own facts, else by the scanned store’s', () => {
    const report = { stores: [{ id: 'nss:/p', facts: { program: 'firefox', profile: 'default' } }] } as unknown as ScanReport
    expect(storeNameIn(en, report, { storeId: 'nss:/p', kind: 'nss', location: '/p' }).label).toBe('Firefox, profile “default”')
    expect(storeNameIn(en, null, { storeId: 'nss:/q', kind: 'nss', location: '/q', facts: { program: 'thunderbird', profile: 'x' } }).label).toBe('Thunderbird, profile “x”')
    // A change journaled before stores had facts still gets a sensible name.
    expect(storeNameIn(en, null, { storeId: 'nss:/h/.thunderbird/a.b', kind: 'nss', location: '/h/.thunderbird/a.b' }).label).toBe('Thunderbird certificate database')
  })
})
