/**
 * The one formatter for commands people read and paste: what a POSIX shell or PowerShell makes of
 * the text must be exactly the argument array, whatever a nickname, alias or path holds.
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { commandError, commandFailure, formatCommand, posixQuote, powerShellQuote } from '../../../src/stores/shared/command-text.js'

const HOSTILE = ['$(touch /tmp/owned)', '`id`', "it's", 'a"b', 'new\nline', 'tab\there', '; rm -rf ~', '*', '~', '!!', '-n', 'NSS Certificate DB:Qaznet "$(x)" ü', '']

describe('commands shown to people', () => {
  it('POSIX: sh reads back exactly the argument array, running nothing', () => {
    const words = ['printf', '%s\\0', ...HOSTILE]
    const printed = execFileSync('/bin/sh', ['-c', formatCommand(words)])
    expect(printed.toString('utf8').split('\0').slice(0, -1)).toEqual(HOSTILE)
  })

  it('leaves plain words plain, and quotes the rest', () => {
    expect(formatCommand(['certutil', '-D', '-d', 'sql:/home/a/.mozilla/firefox/x.default', '-n', 'Qaznet'])).toBe('certutil -D -d sql:/home/a/.mozilla/firefox/x.default -n Qaznet')
    expect(formatCommand(['keytool', '-alias', '$(id)'])).toBe("keytool -alias '$(id)'")
    expect(posixQuote("it's")).toBe(`'it'\\''s'`)
  })

  it('PowerShell: single-quoted literals (typographic quotes doubled too), the call operator before a quoted program', () => {
    expect(formatCommand(['C:\\Program Files\\Java\\bin\\keytool.exe', '-alias', "O'Brien $(x)"], 'powershell')).toBe("& 'C:\\Program Files\\Java\\bin\\keytool.exe' -alias 'O''Brien $(x)'")
    expect(formatCommand(['certutil', '-delstore', 'Root', 'ABCD'], 'powershell')).toBe('certutil -delstore Root ABCD')
    expect(powerShellQuote('a\u2019b')).toBe("'a\u2019\u2019b'")
  })

  it('one message for a failed command: the command, how it ended, what it said', () => {
    const failed = { command: ['certutil', '-D', '-n', 'a b'], exitCode: 255, stderr: 'SEC_ERROR_READ_ONLY\n', stdout: '' }
    expect(commandFailure(failed)).toBe("certutil -D -n 'a b' failed (exit code 255): SEC_ERROR_READ_ONLY")
    expect(commandFailure({ ...failed, exitCode: null, stderr: '', spawnError: 'ENOENT: spawn certutil' }, 'on a copy')).toBe("certutil -D -n 'a b' (on a copy) could not be run: ENOENT: spawn certutil")
    expect(commandError({ ...failed, exitCode: 0 })).toBeNull()
  })
})
