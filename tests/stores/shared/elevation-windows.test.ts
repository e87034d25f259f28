/**
 * Asking Windows for administrator rights (UAC) from the elevation module. UAC and PowerShell cannot
 * run on Linux: the runner below records the PowerShell command CertAudit starts, and the simulated
 * Windows (windows-simulator.ts) takes its scripts apart with an independent reading of PowerShell's
 * quoting rules, so what would reach certutil.exe is compared with what was asked, byte for byte.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CommandRunner } from '../../../src/stores/shared/command.js'
import { powerShellQuote, unsafeForWindowsPowerShell } from '../../../src/stores/shared/elevation-scripts.js'
import { createElevation } from '../../../src/stores/shared/elevation.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { replay, asResult } from '../../support/recorded-output.js'
import { decodePowerShell, powerShellLiterals } from '../windows/simulator.js'

/** Records the command, plays the elevated side: writes the output file the elevated script names, exits `exitCode`. */
function uacRecorder(output = 'done\r\n', exitCode = 0): { run: CommandRunner; calls: string[][]; elevated: string[][]; outFiles: string[] } {
  const calls: string[][] = []
  const elevated: string[][] = []
  const outFiles: string[] = []
  const run: CommandRunner = async (command, args) => {
    calls.push([command, ...args])
    const start = decodePowerShell(args).split('\n').find((line) => line.includes('Start-Process'))!
    const literals = powerShellLiterals(start)
    const inner = Buffer.from(literals[literals.indexOf('-EncodedCommand') + 1]!, 'base64').toString('utf16le')
    const [call, redirect] = inner.split('\n').find((line) => line.startsWith('& '))!.split(' 2>&1 ')
    elevated.push(powerShellLiterals(call!))
    outFiles.push(powerShellLiterals(redirect!)[0]!)
    writeFileSync(outFiles.at(-1)!, `\uFEFF${output}`)
    return { command: [command, ...args], exitCode, stdout: Buffer.alloc(0), stderr: '' }
  }
  return { run, calls, elevated, outFiles }
}

const windows = (run: CommandRunner, SystemRoot = 'C:\\Windows') => createEnvironment({ platform: 'win32', home: '/nonexistent', env: { SystemRoot }, run })

describe('elevation on Windows (UAC)', () => {
  it('starts Windows PowerShell by its absolute path with the UAC script as -EncodedCommand, which starts the elevated one', async () => {
    const { run, calls, elevated } = uacRecorder()
    const result = await createElevation(windows(run)).run('C:\\Windows\\System32\\certutil.exe', ['-delstore', 'Root', 'AB'.repeat(20)], { admin: true })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.slice(0, 4)).toEqual(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', '-NoProfile', '-NonInteractive', '-EncodedCommand'])
    const script = decodePowerShell(calls[0]!)
    expect(script).toContain("Start-Process -FilePath 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' -ArgumentList '-NoProfile','-NonInteractive','-WindowStyle','Hidden','-EncodedCommand','")
    expect(script).toMatch(/-Verb RunAs -WindowStyle Hidden -PassThru\n/)
    expect(elevated).toEqual([['C:\\Windows\\System32\\certutil.exe', '-delstore', 'Root', 'AB'.repeat(20)]])
    expect(result).toEqual({ command: ['C:\\Windows\\System32\\certutil.exe', '-delstore', 'Root', 'AB'.repeat(20)], exitCode: 0, stdout: 'done\r\n', stderr: '', elevated: true })
  })

  it('passes every argument as a PowerShell literal that reads back exactly, typographic quotes and $() included', async () => {
    const nasty = ["it's", '‘smart’ ‚quotes‛', '$(Remove-Item C:\\ -Recurse)', '`n `$x', 'a  b', 'C:\\Users\\Ай Гүл\\AppData\\Local\\Temp\\certaudit-certutil-x\\certificate.cer', ';& | <>', '%PATH%', '-Verb']
    const { run, elevated } = uacRecorder()
    await createElevation(windows(run)).run('C:\\Windows\\System32\\certutil.exe', nasty, { admin: true })
    expect(elevated).toEqual([['C:\\Windows\\System32\\certutil.exe', ...nasty]])
    expect(powerShellQuote("a'b’c")).toBe("'a''b’’c'")
  })

  it('refuses arguments Windows PowerShell 5.1 would hand on changed, and runs nothing', async () => {
    const { run, calls } = uacRecorder()
    for (const bad of ['', 'say "hi"', 'C:\\Program Files\\', 'two\nlines']) {
      const result = await createElevation(windows(run)).run('C:\\Windows\\System32\\certutil.exe', ['-addstore', bad], { admin: true })
      expect(result).toMatchObject({ exitCode: null, elevated: true, stderr: expect.stringContaining(`holds ${unsafeForWindowsPowerShell(bad)}`) })
    }
    expect(calls).toEqual([])
  })

  it('says so when the user answers No in the UAC dialog, and removes its temp folder either way', async () => {
    const run: CommandRunner = async (command, args) => asResult([command, ...args], replay('windows', 'uac-cancelled'))
    const result = await createElevation(windows(run)).run('C:\\Windows\\System32\\certutil.exe', ['-delstore', 'Root', 'AB'.repeat(20)], { admin: true })
    expect(result).toMatchObject({ exitCode: 1223, stderr: 'The Windows administrator prompt (UAC) was cancelled; nothing was changed.', elevated: true })

    const { run: ok, outFiles } = uacRecorder('Access is denied.\r\n', 5)
    expect(await createElevation(windows(ok)).run('certutil.exe', ['-x'], { admin: true })).toMatchObject({ exitCode: 5, stdout: 'Access is denied.\r\n' })
    expect(outFiles[0]).toMatch(/certaudit-uac-.*output\.txt$/)
    expect(existsSync(outFiles[0]!)).toBe(false)
  })

  it('runs commands that need no admin rights directly, and finds PowerShell under the SystemRoot of the machine', async () => {
    const calls: string[][] = []
    const run: CommandRunner = async (command, args) => (calls.push([command, ...args]), { command: [command, ...args], exitCode: 0, stdout: Buffer.from('ok'), stderr: '' })
    await createElevation(windows(run)).run('C:\\Windows\\System32\\certutil.exe', ['-user', '-delstore', 'Root', 'AB'.repeat(20)], { admin: false })
    expect(calls).toEqual([['C:\\Windows\\System32\\certutil.exe', '-user', '-delstore', 'Root', 'AB'.repeat(20)]])
    const { run: recording, calls: uac } = uacRecorder()
    await createElevation(windows(recording, 'D:\\WINNT')).run('certutil.exe', ['-x'], { admin: true })
    expect(uac[0]![0]).toBe('D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')
  })
})
