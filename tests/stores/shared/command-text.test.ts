/**
 * The one formatter for commands people read and paste: what a POSIX shell or PowerShell makes of
 * the text must be exactly the argument array, whatever a nickname, alias or path holds.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { visible } from '../../../src/audit/visible.js'
import { commandError, commandFailure, formatCommand, posixQuote, powerShellQuote } from '../../../src/stores/shared/command-text.js'
import { HOSTILE_NAMES } from '../../support/hostile-text.js'
import { tempDir } from '../../support/temp.js'
import { readPowerShell } from './powershell-reader.js'

const HOSTILE = ['$(touch /tmp/owned)', '`id`', "it's", 'a"b', 'new\nline', 'tab\there', '; rm -rf ~', '*', '~', '!!', '-n', 'NSS Certificate DB:Qaznet "$(x)" ü', '']
/** Words with characters people cannot see, and the shell's specials next to them. */
const HIDDEN = [
  ...Object.values(HOSTILE_NAMES),
  "it's\u202E'%s\\n%",
  'a\n%b\\c\'d',
  'ends in a line feed\n',
  '\n\n',
  'x\u{E0041}y\uD800',
  '"; rm -rf ~; "\u200B$(touch owned)',
]

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

  it('POSIX: a word with hidden characters is shown with them visible, and sh still reads back that exact word', () => {
    const folder = tempDir('certaudit-paste-')
    const words = ['printf', '%s\\0', ...HIDDEN]
    const text = formatCommand(words)
    // What people see is what they paste: nothing raw is left in it but the line feeds that end a word.
    expect(visible(text)).toBe(text.replaceAll('\n', '⟨U+000A⟩'))
    const printed = execFileSync('/bin/sh', ['-c', text], { cwd: folder })
    // A lone surrogate cannot be passed to a program as UTF-8: it arrives as U+FFFD, as it would from CertAudit.
    expect(printed.toString('utf8').split('\0').slice(0, -1)).toEqual(HIDDEN.map((w) => w.replace('\uD800', '\uFFFD')))
    expect(existsSync(join(folder, 'owned'))).toBe(false)
    expect(text).toContain(`'Invoice '"$(printf '\\342\\200\\256')"'txt.exe'`)
    // Accents on letters are text people read: the word stays one literal (only a mark on nothing is written with printf).
    expect(formatCommand(['keytool', '-alias', 'Tie\u0302\u0301ng Vie\u0323\u0302t'])).toBe("keytool -alias 'Tie\u0302\u0301ng Vie\u0323\u0302t'")
    expect(formatCommand(['keytool', '-alias', '"\u0338x'])).toBe(`keytool -alias '"'"$(printf '\\314\\270')"'x'`)
  })

  it('POSIX: the shown text, pasted, runs nothing and names the same words (a trailing line feed aside)', () => {
    const folder = tempDir('certaudit-paste-')
    const home = join(folder, 'home')
    execFileSync('mkdir', ['-p', home])
    writeFileSync(join(home, 'canary'), 'still here')
    const words = HIDDEN.filter((w) => !w.endsWith('\n'))
    const shown = visible(formatCommand(['printf', '%s\\0', ...words]))
    const printed = execFileSync('/bin/sh', ['-c', shown], { cwd: folder, env: { PATH: process.env.PATH, HOME: home } })
    expect(printed.toString('utf8').split('\0').slice(0, -1)).toEqual(words.map((w) => w.replace('\uD800', '\uFFFD')))
    expect(existsSync(join(home, 'canary'))).toBe(true)
    expect(existsSync(join(folder, 'owned'))).toBe(false)
  })

  it('PowerShell: hidden characters become [char] terms of one expression; read back, it is exactly the word, and it is inert', () => {
    const words = ['C:\\Program Files\\Java\\bin\\keytool.exe', '-alias', ...HIDDEN, ...HOSTILE.filter((w) => w !== '')]
    const text = formatCommand(words, 'powershell')
    expect(visible(text)).toBe(text) // shown as it is pasted
    expect(readPowerShell(text)).toEqual(words)
    expect(formatCommand(['keytool', '-alias', 'abc\u202Egnp'], 'powershell')).toBe("keytool -alias ('abc' + [char]0x202E + 'gnp')")
    expect(() => readPowerShell('keytool -alias "$(x)"')).toThrow(/not inert/) // the reader refuses what PowerShell would expand
  })

  it('one message for a failed command: the command, how it ended, what it said', () => {
    const failed = { command: ['certutil', '-D', '-n', 'a b'], exitCode: 255, stderr: 'SEC_ERROR_READ_ONLY\n', stdout: '' }
    expect(commandFailure(failed)).toBe("certutil -D -n 'a b' failed (exit code 255): SEC_ERROR_READ_ONLY")
    expect(commandFailure({ ...failed, exitCode: null, stderr: '', spawnError: 'ENOENT: spawn certutil' }, 'on a copy')).toBe("certutil -D -n 'a b' (on a copy) could not be run: ENOENT: spawn certutil")
    expect(commandError({ ...failed, exitCode: 0 })).toBeNull()
  })
})
