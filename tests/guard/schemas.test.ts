/**
 * The guard's files from before the scan said what placed each certificate kept their `cause`: they
 * still parse (a damaged state would start a new baseline and tell every event again), read as the
 * scan's placedBy — `unknown` is "by hand", a policy, package or variable puts it back.
 */
import { describe, expect, it } from 'vitest'
import { guardLocation, loggedEvent } from '../../src/guard/schemas.js'

const place = { storeId: 'linux-system:debian', kind: 'linux-system', location: '/etc/ssl/certs/ca-certificates.crt', entry: 'x', trust: 'trusted' }

describe('a guard location written by an earlier CertAudit', () => {
  it('reads its cause as placedBy', () => {
    expect(guardLocation.parse({ ...place, cause: { by: 'package', name: 'isp-root', file: '/usr/local/share/ca-certificates/q.crt' } })).toEqual({
      ...place,
      placedBy: { by: 'package', name: 'isp-root', file: '/usr/local/share/ca-certificates/q.crt', comesBack: true },
    })
    expect(guardLocation.parse({ ...place, cause: { by: 'unknown', file: '/q.crt' } })).toEqual({ ...place, placedBy: { by: 'hand', file: '/q.crt', comesBack: false } })
    expect(guardLocation.parse({ ...place, cause: { by: 'policy', name: 'Group Policy' } })).toEqual({ ...place, placedBy: { by: 'policy', name: 'Group Policy', comesBack: true } })
  })

  it('keeps a placedBy as it is, and refuses one that is not a placedBy', () => {
    const placedBy = { by: 'generated', name: 'linux-system', tool: 'update-ca-certificates', comesBack: true }
    expect(guardLocation.parse({ ...place, placedBy })).toEqual({ ...place, placedBy })
    expect(guardLocation.safeParse({ ...place, placedBy: { by: 'magic', comesBack: true } }).success).toBe(false)
    expect(guardLocation.safeParse({ ...place, placedBy: { by: 'hand' } }).success).toBe(false)
  })

  it('a whole logged event of the earlier kind still parses', () => {
    const event = {
      id: '20260101T000000Z-returned-00309c736dd661da',
      at: '2026-01-01T00:00:00.000Z',
      kind: 'returned',
      findingId: '00309c736dd661da',
      certificate: { sha256: 'a'.repeat(64), subject: 'CN=Qaznet Trust Network' },
      title: 'Qaznet Trust Network',
      severity: 'high',
      locations: [{ ...place, cause: { by: 'unknown' } }],
      removedBy: '20251231T000000Z-abcd',
      notified: true,
      acknowledged: false,
    }
    expect(loggedEvent.parse(event).locations[0]?.placedBy).toEqual({ by: 'hand', comesBack: false })
  })
})
