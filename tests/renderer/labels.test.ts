/**
 * The window names stores from the facts the engine sends (program, profile, distribution, the
 * variables that point at a bundle), in the user's language: never by reading the engine's English note.
 */
import { describe, expect, it } from 'vitest'
import { createTranslator } from '../../renderer/src/i18n'
import { byStoreKind, entryName, findingTitle, storeName, storeNameIn } from '../../renderer/src/labels'
import type { Finding, ScanReport } from '../../src/audit/report'
import { visible } from '../../src/audit/visible'
import { HOSTILE_NAMES, rawHidden } from '../support/hostile-text'
import { STORE_KINDS } from '../../src/stores/registry'

const en = createTranslator('en').t
const ru = createTranslator('ru').t

describe('store names in the window', () => {
  it('come from facts, whatever the note says', () => {
    const misleading = 'Thunderbird profile evil (not listed in profiles.ini)'
    expect(storeName(en, { kind: 'nss', location: '/h/.mozilla/firefox/x.work', facts: { program: 'firefox', profile: 'work' }, note: misleading } as never)).toEqual({ label: 'Firefox, profile “work”', icon: 'firefox' })
    expect(storeName(en, { kind: 'nss', location: '/h/.thunderbird/y.mail', facts: { program: 'thunderbird', profile: 'mail' } })).toEqual({ label: 'Thunderbird, profile “mail”', icon: 'thunderbird' })
    expect(storeName(en, { kind: 'nss', location: '/h/.pki/nssdb', facts: { program: 'chromium' } }).icon).toBe('chromium')
    expect(storeName(createTranslator('kk').t, { kind: 'nss', location: '/etc/pki/nssdb', facts: { program: 'system' } })).toEqual({ label: 'Осы компьютердің ортақ NSS сертификаттар базасы', icon: 'system' })
    expect(storeName(en, { kind: 'nss', location: '/h/.var/app/com.brave.Browser/.pki/nssdb', facts: { program: 'chromium', browser: 'com.brave.Browser (Flatpak)' } })).toEqual({ label: 'com.brave.Browser (Flatpak) certificate database', icon: 'chromium' })
    // Firefox's forks by their own name, with the family's picture; Thunderbird's and LibreWolf's policies by theirs.
    expect(storeName(en, { kind: 'nss', location: '/h/.librewolf/a.default', facts: { program: 'firefox', browser: 'LibreWolf', profile: 'default' } })).toEqual({ label: 'LibreWolf, profile “default”', icon: 'firefox' })
    expect(storeName(en, { kind: 'firefox-policy', location: '/etc/firefox/policies/policies.json', facts: { program: 'firefox' } }).label).toBe('Firefox settings set by an administrator')
    expect(storeName(ru, { kind: 'firefox-policy', location: '/etc/thunderbird/policies/policies.json', facts: { program: 'thunderbird' } }).label).toBe('Настройки Thunderbird, заданные администратором')
    expect(storeName(en, { kind: 'firefox-policy', location: '/etc/librewolf/policies/policies.json', facts: { program: 'firefox', browser: 'LibreWolf' } }).label).toBe('LibreWolf settings set by an administrator')
    expect(storeName(en, { kind: 'linux-system', location: '/etc/ssl/certs/ca-certificates.crt', facts: { distro: 'Debian/Ubuntu' } }).label).toBe('This computer’s system certificates (Debian/Ubuntu)')
    expect(storeName(en, { kind: 'env-bundle', location: '/corp/ca.pem', facts: { setBy: ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS'] } }).label).toBe('Certificate file set by SSL_CERT_FILE, NODE_EXTRA_CA_CERTS')
    expect(storeName(ru, { kind: 'firefox-policy', location: '/etc/firefox/policies/policies.json', facts: { program: 'firefox' } }).icon).toBe('policy')
    expect(storeName(ru, { kind: 'chromium-policy', location: '/etc/opt/edge/policies/managed/a.json', facts: { browser: 'Microsoft Edge', policyLevel: 'managed' } })).toEqual({ label: 'Настройки Microsoft Edge, заданные администратором', icon: 'policy' })
    expect(storeName(en, { kind: 'chromium-policy', location: 'HKCU\\SOFTWARE\\Policies\\Google\\Chrome\\Recommended', facts: { browser: 'Google Chrome', policyLevel: 'recommended' } }).label).toBe('Google Chrome settings recommended by an administrator')
  })

  it('names a Chromium-family browser’s own store by the browser and its profile', () => {
    const chrome = { kind: 'chromium', location: '/h/.config/google-chrome/Profile 1/ServerCertificate', facts: { program: 'chrome', browser: 'Google Chrome', profile: 'Work' } } as const
    expect(storeName(en, chrome)).toEqual({ label: 'Google Chrome, profile “Work”', icon: 'chromium' })
    expect(storeName(ru, chrome).label).toBe('Google Chrome, профиль «Work»')
    expect(storeName(createTranslator('kk').t, chrome).label).toBe('Google Chrome, «Work» профилі')
    expect(storeName(en, { kind: 'chromium', location: '/h/.config/opera/ServerCertificate', facts: { program: 'opera', browser: 'Opera' } }).label).toBe('Opera, its own certificates')
    expect(storeName(ru, { kind: 'chromium', location: '/x/ServerCertificate' }).label).toBe('Браузер на основе Chromium, собственные сертификаты браузера')
  })

  it('names a runtime’s place by its tool and environment, registry or setting, in each language', () => {
    const kk = createTranslator('kk').t
    const venv = { kind: 'runtime' as const, location: '/h/p/.venv/lib/python3.12/site-packages/certifi/cacert.pem', facts: { tool: 'python', environment: '/h/p/.venv' } }
    expect(storeName(en, venv)).toEqual({ label: 'Python in /h/p/.venv', icon: 'runtime' })
    expect(storeName(ru, venv).label).toBe('Python в /h/p/.venv')
    expect(storeName(kk, venv).label).toBe('/h/p/.venv ішіндегі Python')
    expect(storeName(en, { kind: 'runtime', location: '/etc/docker/certs.d/r.example/ca.crt', facts: { tool: 'docker', environment: 'r.example' } }).label).toBe('Docker, registry r.example')
    expect(storeName(en, { kind: 'runtime', location: '/h/certs/corp.pem', facts: { tool: 'npm', setBy: ['cafile in /h/.npmrc, line 3'] } }).label).toBe('npm (cafile in /h/.npmrc, line 3)')
    expect(storeName(en, { kind: 'runtime', location: '/x', facts: { tool: 'some-new-tool' } }).label).toBe('some-new-tool’s own certificates')
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

describe('names from the machine, as the window shows them', () => {
  const hostile = `${HOSTILE_NAMES.clearScreen}${HOSTILE_NAMES.reversed}${HOSTILE_NAMES.zeroWidth}`
  const shown = ['⟨U+001B⟩[2J', '⟨U+202E⟩txt.exe⟨U+202C⟩', 'Exa⟨U+200B⟩mple']

  it('a profile, a distribution or a variable put into a store name shows its hidden characters', () => {
    for (const facts of [{ program: 'firefox' as const, profile: hostile }, { distro: hostile }, { setBy: [hostile] }]) {
      const kind = 'profile' in facts ? 'nss' : 'distro' in facts ? 'linux-system' : 'env-bundle'
      const { label } = storeName(en, { kind, location: '/x', facts })
      expect(rawHidden(label, [])).toEqual([])
      for (const escape of shown) expect(label).toContain(escape)
    }
  })

  it('a finding title from a CN, an entry, and any value put into a message', () => {
    const finding = { certificate: { subject: `CN=${hostile},O=x` }, blocklistEntry: null } as unknown as Finding
    expect(findingTitle(finding)).toBe(visible(hostile))
    expect(entryName(`/usr/local/share/ca-certificates/${hostile}.crt`)).toBe(`${visible(hostile)}.crt`)
    expect(entryName(hostile)).toBe(visible(hostile))
    expect(ru('export.saved', { path: `/home/a/${hostile}` })).toContain('⟨U+202E⟩txt.exe⟨U+202C⟩')
    expect(en('results.checked', { count: 1234, certificates: 5 })).toBe(createTranslator('en').t('results.checked', { count: 1234, certificates: 5 })) // numbers as they were
    expect(storeName(en, { kind: 'nss', location: '/x', facts: { program: 'firefox', profile: 'Қазақ жұмыс' } }).label).toBe('Firefox, profile “Қазақ жұмыс”') // readable names unchanged
  })
})

