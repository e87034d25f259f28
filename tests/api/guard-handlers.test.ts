/**
 * The guard's channels through the one API object (src/api/guard-handlers.ts): a check with and
 * without a notification service, what app:info carries to show at the next start, acknowledging,
 * and the schedule switch. The machine is a bundle named by SSL_CERT_FILE holding the Qaznet
 * look-alike (a high finding); the OS tools are a scripted runner.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCertAuditApi } from '../../src/api/certaudit-api.js'
import { notificationFor } from '../../src/guard/notify/index.js'
import { createEnvironment } from '../../src/stores/shared/environment.js'
import { makeCertificate } from '../support/certificates.js'
import { scriptedRunner, type ScriptedAnswer } from '../support/scripted-runner.js'
import { put } from '../support/system-root.js'
import { tempDir } from '../support/temp.js'

const qaznet = makeCertificate({ subject: [['C', 'KZ'], ['CN', 'Qaznet Trust Network']] })

function setUp(answer: (command: readonly string[]) => ScriptedAnswer | undefined = () => undefined, launcher: 'default' | null = 'default') {
  const home = tempDir('certaudit-guard-api-')
  const bundle = put(home, 'isp/bundle.pem', qaznet.pem)
  const runner = scriptedRunner(answer)
  const root = tempDir('certaudit-guard-api-root-')
  const env = createEnvironment({ home, systemRoot: root, platform: 'linux', env: { SSL_CERT_FILE: bundle, XDG_DATA_HOME: join(home, 'data') }, run: runner.run })
  const api = createCertAuditApi({ env, version: 'test', ...(launcher === null ? { guardLauncher: null } : {}) })
  return { api, runner, home, root }
}

describe('the guard channels', () => {
  it('a check no notification told the user about is carried by app:info until the window acknowledges it', async () => {
    const { api } = setUp()
    const check = await api.handle('guard:watch', { language: 'en' })
    expect(check).toMatchObject({ baseline: true, serious: 1, events: [{ kind: 'new', findingId: qaznet.sha256.slice(0, 16) }] })
    const info = await api.handle('app:info', {})
    expect(info.pendingGuardEvents).toMatchObject([{ id: check.events[0]!.id, kind: 'new', notified: false, acknowledged: false }])
    const events = await api.handle('guard:events', { acknowledge: [check.events[0]!.id] })
    expect(events).toMatchObject([{ acknowledged: true }])
    expect((await api.handle('app:info', {})).pendingGuardEvents).toEqual([])
    expect((await api.handle('guard:status', {})).lastCheck).toBe(check.checkedAt)
  })

  it('with notify and no notification service: not delivered, so still pending for the window', async () => {
    const { api, runner } = setUp((c) => (c[0] === 'gdbus' ? { exitCode: 1, stderr: 'Error: Cannot autolaunch D-Bus without X11 $DISPLAY' } : undefined))
    const check = await api.handle('guard:watch', { language: 'ru', notify: true })
    expect(check.notification).toMatchObject({ delivered: false, reason: expect.stringContaining('Cannot autolaunch D-Bus') })
    expect(runner.calls.filter((c) => c[0] === 'gdbus')).toHaveLength(1)
    expect((await api.handle('app:info', {})).pendingGuardEvents).toHaveLength(1)
  })

  it('with notify and a notification service: delivered in the chosen language, so nothing waits for the window', async () => {
    const { api, runner } = setUp((c) => (c[0] === 'gdbus' ? { stdout: "(['actions', 'body'],)" } : c[0] === 'notify-send' ? { stdout: '' } : undefined))
    const check = await api.handle('guard:watch', { language: 'kk', notify: true })
    expect(check.notification).toMatchObject({ delivered: true, via: 'notify-send' })
    const sent = runner.calls.find((c) => c[0] === 'notify-send')!
    expect(sent.slice(-2)[0]).toBe('Қауіпті сертификат табылды')
    expect(sent).toContain('--action=open=CertAudit ашу')
    expect((await api.handle('app:info', {})).pendingGuardEvents).toEqual([])
    // Nothing new on the next check: no notification at all.
    runner.calls.length = 0
    await api.handle('guard:watch', { language: 'kk', notify: true })
    expect(runner.calls).toEqual([])
  })

  it('guard:set turns the schedule on and off (here an autostart entry: this home is not the session’s)', async () => {
    const { api, home, root } = setUp()
    expect(await api.handle('guard:status', {})).toMatchObject({ enabled: false, supported: true })
    const on = await api.handle('guard:set', { enabled: true, language: 'ru' })
    expect(on).toMatchObject({ enabled: true, schedule: { kind: 'autostart', installed: true } })
    expect(on.schedule.command.slice(-7)).toEqual(['--notify', '--lang', 'ru', '--home', home, '--system-root', root])
    expect(existsSync(join(home, '.config/autostart/certaudit-guard.desktop'))).toBe(true)
    const off = await api.handle('guard:set', { enabled: false })
    expect(off.enabled).toBe(false)
    expect(existsSync(join(home, '.config/autostart/certaudit-guard.desktop'))).toBe(false)
  })

  it('without a way to start CertAudit later, the schedule is not offered and guard:set says why', async () => {
    const { api } = setUp(undefined, null)
    expect((await api.handle('guard:status', {})).supported).toBe(false)
    await expect(api.handle('guard:set', { enabled: true })).rejects.toThrow(/cannot tell how to start itself later/)
  })
})

describe('the notification text', () => {
  it('names a return before a new finding, in each language', async () => {
    const { api } = setUp()
    const { events } = await api.handle('guard:watch', { language: 'en' })
    const returned = { ...events[0]!, kind: 'returned' as const, removedBy: '20260101T000000Z-abcd' }
    const other = { ...events[0]!, findingId: 'ffffffffffffffff', title: 'Other' }
    expect(notificationFor([other, returned], 'en')).toMatchObject({ title: 'A certificate you removed came back', findingId: returned.findingId, body: expect.stringMatching(/trusted again in the bundle set by SSL_CERT_FILE\. And 1 more\./) })
    expect(notificationFor([returned], 'ru')?.title).toBe('Удалённый вами сертификат вернулся')
    expect(notificationFor([returned], 'kk')?.openLabel).toBe('CertAudit ашу')
    expect(notificationFor([{ ...returned, kind: 'gone' }], 'en')).toBeNull()
  })
})
