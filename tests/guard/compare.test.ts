/**
 * The guard's comparison on its own (src/guard/compare.ts, pure): reports and removals built by hand,
 * for the cases a planted machine makes slowly or not at all — a store that could not be read (never
 * a false "gone"), a medium finding that was removed and comes back, a second removal, an undo.
 */
import { describe, expect, it } from 'vitest'
import type { Finding, FindingLocation, ScanReport, Severity, StoreReport } from '../../src/audit/report.js'
import { compare } from '../../src/guard/compare.js'
import type { Removal } from '../../src/guard/removals.js'

const SHA = 'a'.repeat(64)
const ID = SHA.slice(0, 16)
const nss = (profile: string): FindingLocation => ({ storeId: `nss:/h/${profile}`, kind: 'nss', location: `/h/${profile}`, entry: 'Qaznet', trust: 'trusted' })
const anchor: FindingLocation = { storeId: 'linux-system:debian', kind: 'linux-system', location: '/etc/ssl/certs/ca-certificates.crt', entry: '/usr/local/share/ca-certificates/q.crt', trust: 'trusted', origin: { file: '/usr/local/share/ca-certificates/q.crt' } }

function finding(locations: FindingLocation[], severity: Severity = 'critical'): Finding {
  return {
    id: ID,
    rule: 'known-interception',
    severity,
    alsoMatched: [],
    certificate: { sha256: SHA, subject: 'CN=Qaznet Trust Network,C=KZ' } as Finding['certificate'],
    blocklistEntry: { id: 'kz', name: 'Qaznet Trust Network (2019)', category: 'government-interception', country: 'KZ' },
    matchedBy: 'sha256',
    locations,
    explanation: '',
    advice: '',
    references: [],
  }
}

function report(at: string, findings: Finding[], failed: string[] = []): ScanReport {
  const stores: StoreReport[] = [...new Set([...findings.flatMap((f) => f.locations.map((l) => l.storeId)), ...failed])].map((id) => ({
    id,
    kind: id.startsWith('nss') ? 'nss' : 'linux-system',
    location: id,
    entryCount: 1,
    status: failed.includes(id) ? 'failed' : 'ok',
    ...(id.startsWith('nss') ? { facts: { program: 'firefox', profile: id.split('/').pop()! } } : {}),
  }))
  return { scannedAt: at, findings, stores, verdict: { level: 'critical', text: '' } } as unknown as ScanReport
}

const none = () => undefined
const removal = (changeId: string, at: string, storeIds: string[]): Removal => ({ changeId, at, sha256: SHA, takenOut: storeIds.map((storeId) => ({ storeId, kind: 'nss', location: storeId, entry: 'Qaznet' })) })

describe('compare', () => {
  it('the first check reports what is present as new, with each store’s facts', () => {
    const { events, state } = compare({ previous: null, report: report('2026-01-01T00:00:00.000Z', [finding([nss('default'), anchor])]), removals: [], left: none })
    expect(events).toMatchObject([{ kind: 'new', findingId: ID, removedBy: null, title: 'Qaznet Trust Network (2019)' }])
    expect(events[0]!.locations[0]).toMatchObject({ facts: { program: 'firefox', profile: 'default' } })
    expect(state.findings).toHaveLength(1)
  })

  it('a store that could not be read this time is never reported as gone, and keeps counting', () => {
    const first = compare({ previous: null, report: report('2026-01-01T00:00:00.000Z', [finding([nss('default')])]), removals: [], left: none })
    const second = compare({ previous: first.state, report: report('2026-01-02T00:00:00.000Z', [], ['nss:/h/default']), removals: [], left: none })
    expect(second.events).toEqual([])
    expect(second.unverified).toHaveLength(1)
    expect(second.state.findings[0]!.locations).toEqual(first.state.findings[0]!.locations)
    // Readable again and empty: now it is gone.
    const third = compare({ previous: second.state, report: report('2026-01-03T00:00:00.000Z', []), removals: [], left: none })
    expect(third.events).toMatchObject([{ kind: 'gone', removedBy: null }])
  })

  it('a medium finding CertAudit removed is followed too: its return is told', () => {
    const removed = removal('20260101T100000Z-abcd', '2026-01-01T10:00:00.000Z', ['nss:/h/default'])
    const { events } = compare({ previous: null, report: report('2026-01-02T00:00:00.000Z', [finding([nss('default')], 'medium')]), removals: [removed], left: none })
    expect(events).toMatchObject([{ kind: 'returned', removedBy: '20260101T100000Z-abcd', severity: 'medium' }])
    // Not removed: a medium finding is not the guard's business.
    expect(compare({ previous: null, report: report('2026-01-02T00:00:00.000Z', [finding([nss('default')], 'medium')]), removals: [], left: none }).events).toEqual([])
  })

  it('each return is told once per removal; a new removal and a new return are told again', () => {
    const r1 = removal('20260101T100000Z-aaaa', '2026-01-01T10:00:00.000Z', ['nss:/h/default'])
    const back = compare({ previous: null, report: report('2026-01-02T00:00:00.000Z', [finding([nss('default')])]), removals: [r1], left: none })
    expect(back.events).toMatchObject([{ kind: 'returned', removedBy: r1.changeId }])
    const quiet = compare({ previous: back.state, report: report('2026-01-03T00:00:00.000Z', [finding([nss('default')])]), removals: [r1], left: none })
    expect(quiet.events).toEqual([])
    const r2 = removal('20260104T100000Z-bbbb', '2026-01-04T10:00:00.000Z', ['nss:/h/default'])
    const again = compare({ previous: quiet.state, report: report('2026-01-05T00:00:00.000Z', [finding([nss('default')])]), removals: [r1, r2], left: none })
    expect(again.events).toMatchObject([{ kind: 'returned', removedBy: r2.changeId }])
  })

  it('places the removal noted as left alone are not a return; a new place is', () => {
    const r = removal('20260101T100000Z-aaaa', '2026-01-01T10:00:00.000Z', ['nss:/h/default'])
    const left = (changeId: string) => (changeId === r.changeId ? new Set(['linux-system:debian']) : undefined)
    const still = compare({ previous: null, report: report('2026-01-02T00:00:00.000Z', [finding([anchor])]), removals: [r], left })
    expect(still.events).toMatchObject([{ kind: 'new' }])
    const elsewhere = compare({ previous: still.state, report: report('2026-01-03T00:00:00.000Z', [finding([anchor, nss('work')])]), removals: [r], left })
    expect(elsewhere.events).toMatchObject([{ kind: 'returned', removedBy: r.changeId }])
    expect(elsewhere.events[0]!.locations.map((l) => l.storeId)).toEqual(['nss:/h/work'])
  })

  it('gone after a removal names the change; gone by other means names none', () => {
    const first = compare({ previous: null, report: report('2026-01-01T00:00:00.000Z', [finding([nss('default')])]), removals: [], left: none })
    const r = removal('20260101T100000Z-aaaa', '2026-01-01T10:00:00.000Z', ['nss:/h/default'])
    expect(compare({ previous: first.state, report: report('2026-01-02T00:00:00.000Z', []), removals: [r], left: none }).events).toMatchObject([{ kind: 'gone', removedBy: r.changeId }])
    expect(compare({ previous: first.state, report: report('2026-01-02T00:00:00.000Z', []), removals: [], left: none }).events).toMatchObject([{ kind: 'gone', removedBy: null }])
  })
})

describe('the watch state read back', () => {
  it('keeps what newer stores add to a location (new fields, facts, programs) rather than call it damaged', async () => {
    const { watchState } = await import('../../src/guard/schemas.js')
    const state = {
      version: 1,
      checkedAt: '2026-01-01T00:00:00.000Z',
      findings: [
        {
          findingId: ID,
          sha256: SHA,
          subject: 'CN=Q',
          title: 'Q',
          severity: 'critical',
          firstSeen: '2026-01-01T00:00:00.000Z',
          lastSeen: '2026-01-01T00:00:00.000Z',
          locations: [{ ...nss('default'), source: { policy: 'CACertificates' }, facts: { program: 'brave', profile: 'Default', managedBy: 'HKLM' }, origin: { file: '/etc/x.json', key: 'CACertificates[0]' } }],
        },
      ],
    }
    const parsed = watchState.safeParse(state)
    expect(parsed.success).toBe(true)
    const location = parsed.data!.findings[0]!.locations[0] as unknown as Record<string, unknown>
    expect(location.source).toEqual({ policy: 'CACertificates' })
    expect(location.facts).toEqual({ profile: 'Default', managedBy: 'HKLM' })
    expect(location.origin).toEqual({ file: '/etc/x.json', key: 'CACertificates[0]' })
  })
})
