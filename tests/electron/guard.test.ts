/**
 * The desktop shell's part of the guard (electron/guard.ts), pure: which finding a notification's click
 * asks for, how the schedule starts the installed app, and the headless check's exit codes.
 */
import { describe, expect, it } from 'vitest'
import { appLauncher, findingFromArgs, findingFromUrl, runGuardWatch } from '../../electron/guard.js'
import type { CertAuditApi } from '../../src/api/certaudit-api.js'

describe('which finding to open', () => {
  it('reads --finding <id>, --finding=<id> and certaudit://finding/<id>', () => {
    expect(findingFromArgs(['/opt/CertAudit/certaudit-app', '--finding', '00309c736dd661da'])).toBe('00309c736dd661da')
    expect(findingFromArgs(['app', '--finding=00309c736dd661da'])).toBe('00309c736dd661da')
    expect(findingFromArgs(['C:\\CertAudit.exe', '--allow-file-access', 'certaudit://finding/00309c736dd661da'])).toBe('00309c736dd661da')
    expect(findingFromUrl('CERTAUDIT://finding/00309c736dd661da/')).toBe('00309c736dd661da')
  })

  it('refuses anything that is not a finding id', () => {
    for (const argv of [['--finding'], ['--finding', '../../etc'], ['--finding=ZZ'], ['certaudit://finding/x;rm'], ['certaudit://other/00309c736dd661da'], ['https://finding/00309c736dd661da'], ['certaudit:%%%']]) {
      expect(findingFromArgs(argv), argv.join(' ')).toBeNull()
    }
  })
})

describe('how the schedule starts the app', () => {
  it('the AppImage file or the portable exe, not their temporary copies; else the executable', () => {
    expect(appLauncher('/tmp/.mount_CertAu/certaudit-app', { APPIMAGE: '/home/a/Apps/CertAudit.AppImage' })).toEqual({ kind: 'app', program: '/home/a/Apps/CertAudit.AppImage' })
    expect(appLauncher('C:\\Temp\\x\\CertAudit.exe', { PORTABLE_EXECUTABLE_FILE: 'D:\\CertAudit-Portable.exe' })).toEqual({ kind: 'app', program: 'D:\\CertAudit-Portable.exe' })
    expect(appLauncher('/opt/CertAudit/certaudit-app', {})).toEqual({ kind: 'app', program: '/opt/CertAudit/certaudit-app' })
  })
})

describe('the headless check (--guard-watch)', () => {
  const api = (answer: () => Promise<unknown>): CertAuditApi & { calls: unknown[] } => {
    const calls: unknown[] = []
    return { calls, handle: (async (channel: string, payload: unknown) => (calls.push([channel, payload]), answer())) as CertAuditApi['handle'] }
  }

  it('asks for a check with a notification, in --lang or the locale, and exits 1 while a dangerous root is trusted', async () => {
    const serious = api(async () => ({ serious: 2, problems: [] }))
    expect(await runGuardWatch(serious, ['app', '--guard-watch', '--lang', 'kk'], 'en_US.UTF-8')).toBe(1)
    expect(serious.calls).toEqual([['guard:watch', { language: 'kk', notify: true }]])
    const clean = api(async () => ({ serious: 0, problems: [] }))
    expect(await runGuardWatch(clean, ['app', '--guard-watch'], 'ru_RU.UTF-8')).toBe(0)
    expect(clean.calls).toEqual([['guard:watch', { language: 'ru', notify: true }]])
  })

  it('an error is exit code 2, said on the log', async () => {
    const logged: string[] = []
    expect(await runGuardWatch(api(async () => Promise.reject(new Error('The guard could not read any trust store'))), ['app'], 'C', (t) => logged.push(t))).toBe(2)
    expect(logged).toEqual(['certaudit: The guard could not read any trust store\n'])
  })
})
