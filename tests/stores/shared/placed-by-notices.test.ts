/**
 * The words of a placedBy (placed-by-notices.ts) for each cause, with and without what is known of it:
 * the file and its line, the tool, a configuration profile; and the plan's advice only where the cause
 * puts the certificate back.
 */
import { describe, expect, it } from 'vitest'
import { adviceNotice, placedByText } from '../../../src/stores/shared/placed-by-notices.js'
import { noticeText } from '../../../src/stores/shared/notices.js'
import type { PlacedBy } from '../../../src/stores/types.js'

const advice = (placed: PlacedBy, language: 'en' | 'ru' | 'kk' = 'en') => {
  const notice = adviceNotice(placed)
  return notice ? noticeText(notice, language) : null
}

describe('what put it there, in words', () => {
  it('names each cause, and says whether it comes back', () => {
    expect(placedByText({ by: 'policy', name: 'Group Policy', comesBack: true })).toBe('Put there by a policy (Group Policy). It will come back until that policy is removed.')
    expect(placedByText({ by: 'policy', name: 'Google Chrome CACertificates', file: '/Library/Managed Preferences/com.google.Chrome.plist', profile: true, comesBack: true })).toBe(
      'Put there by a policy (Google Chrome CACertificates) that a configuration profile (MDM) set, in /Library/Managed Preferences/com.google.Chrome.plist. It will come back until that policy is removed.',
    )
    expect(placedByText({ by: 'environment', name: 'SSL_CERT_FILE', file: '/home/a/.profile', line: 3, comesBack: true })).toBe(
      'Used because SSL_CERT_FILE points programs at it, set in /home/a/.profile:3. Programs will use it again in every new session until SSL_CERT_FILE is no longer set.',
    )
    expect(placedByText({ by: 'environment', name: 'SSL_CERT_FILE', comesBack: true }, 'ru')).toContain('файл, где это задано, CertAudit не нашёл')
    expect(placedByText({ by: 'generated', name: 'linux-system', tool: 'update-ca-trust', comesBack: true }, 'kk')).toBe(
      'Ол жүйелік сертификаттардан update-ca-trust командасымен жасалған. Жүйелік сертификаттардан да жойылмайынша, update-ca-trust әр іске қосылғанда ол қайта орнатылады.',
    )
    expect(placedByText({ by: 'hand', file: '/x.crt', comesBack: false }, 'ru')).toBe('Установлен вручную или программой, которую CertAudit не может назвать. Ничего из известного CertAudit его не вернёт.')
  })

  it('advises removing the cause first only where it puts the certificate back', () => {
    expect(advice({ by: 'hand', comesBack: false })).toBeNull()
    expect(advice({ by: 'policy', name: 'Active Directory', comesBack: true })).toBe('Ask whoever manages this computer to remove the policy (Active Directory) first: until it goes, it puts the certificate back.')
    expect(advice({ by: 'environment', name: 'NODE_EXTRA_CA_CERTS', comesBack: true })).toContain('Find where NODE_EXTRA_CA_CERTS is set')
    expect(advice({ by: 'package', name: 'isp-root', file: '/usr/share/ca-certificates/isp/isp-root.crt', comesBack: true }, 'ru')).toContain('Его установил пакет isp-root')
  })
})
