/**
 * How an argument array is written into each schedule format, so the scheduled command receives
 * exactly the arguments CertAudit means, whatever a path holds (spaces, quotes, `$`, `%`, backslashes):
 * systemd's Exec lines, XDG desktop entries' Exec key, XML (launchd plists, Task Scheduler), and the
 * Windows command line a task's Arguments become. Each rule cites its specification; tests read the
 * written files back with the tools or with parsers written from the same specifications.
 */

/** A control character (newline, tab, NUL …) has no safe spelling in every format: such a path is refused. */
export function controlCharacter(arg: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(arg)
}

/**
 * A systemd Exec/Environment word: double-quoted, `\` and `"` escaped with a backslash, `%` written
 * `%%` (specifiers); in Exec lines `$` is written `$$` (variable expansion; Environment= does not
 * expand). https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Command%20lines
 */
export function systemdQuote(arg: string, options: { readonly exec: boolean } = { exec: true }): string {
  let text = arg.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%')
  if (options.exec) text = text.replace(/\$/g, '$$$$')
  return `"${text}"`
}

/**
 * A whole systemd Exec line. systemd refuses an executable path holding `'`, `"` or `\` ("Executable
 * name contains special characters", whatever the quoting) and does not undo `$$` in it; such a
 * program is started through /usr/bin/env, whose arguments may hold anything (checked with
 * systemd-analyze verify in tests/guard/schedule/linux.test.ts).
 */
export function systemdExecLine(command: readonly string[]): string {
  const [program = ''] = command
  const words = /['"\\$]/.test(program) ? ['/usr/bin/env', ...command] : command
  return words.map((arg) => systemdQuote(arg)).join(' ')
}

/**
 * An argument of a desktop entry's Exec key: double-quoted, with `"`, `` ` ``, `$` and `\` escaped by
 * a backslash, `%` written `%%` (field codes); then the key's value is escaped as a string value, which
 * doubles every backslash again (so a literal backslash is four).
 * https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html
 */
export function desktopExecQuote(arg: string): string {
  const quoted = `"${arg.replace(/["`$\\]/g, '\\$&').replace(/%/g, '%%')}"`
  return quoted.replace(/\\/g, '\\\\')
}

/** Text for an XML element or attribute (plists, Task Scheduler XML). */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/**
 * One argument of a Windows command line, as the C runtime and CommandLineToArgvW split it back:
 * quoted when it holds a space, tab or quote (or is empty); backslashes doubled only where they come
 * before a quote. https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments
 */
export function windowsArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg
  let out = '"'
  let backslashes = 0
  for (const char of arg) {
    if (char === '\\') {
      backslashes++
      continue
    }
    out += char === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + char
    backslashes = 0
  }
  return out + '\\'.repeat(backslashes * 2) + '"'
}

/** A Windows command line of arguments (the program is given apart, as a task's Command). */
export function windowsCommandLine(args: readonly string[]): string {
  return args.map(windowsArgument).join(' ')
}
