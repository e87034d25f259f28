/**
 * The settings of developer tools' config files, line by line: enough to find the few keys that name
 * a CA bundle, never a full parser (a config CertAudit cannot follow is reported, not guessed at).
 * Each syntax yields `{ line, section, key, value }`; keys are compared after {@link normalKey}.
 */

export type Syntax = 'ini' | 'npmrc' | 'yarnrc' | 'yaml' | 'curlrc' | 'wgetrc' | 'toml' | 'properties' | 'shell' | 'jvm-options'

export interface Setting {
  readonly line: number
  /** `[section]` of an INI/TOML file, lower-case ('' before any); the parent keys of a YAML line. */
  readonly section: string
  readonly key: string
  /** The value with its quotes taken off. */
  readonly value: string
}

/**
 * A line that is not a setting, a comment or a section in a syntax that has no other lines: the file
 * is not what its name says. Only its number is kept: config files hold tokens and passwords, and
 * their text never goes into a report.
 */
export interface Unparsed {
  readonly line: number
}

/**
 * Keys as the tools compare them: wget ignores case, `_` and `-` (https://www.gnu.org/software/wget/manual/html_node/Wgetrc-Syntax.html),
 * curl's long options may keep their dashes; the rest are matched the same way, which only widens what is found.
 */
export function normalKey(key: string): string {
  return key.toLowerCase().replace(/^-+/, '').replace(/^:/, '').replace(/[_-]/g, '')
}

/** Every setting of a file's text in `syntax`, and the lines that fit none. */
export function parseSettings(text: string, syntax: Syntax): { settings: Setting[]; unparsed: Unparsed[] } {
  const settings: Setting[] = []
  const unparsed: Unparsed[] = []
  let section = ''
  const yamlParents: { indent: number; key: string }[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#') || (trimmed.startsWith(';') && syntax !== 'yaml')) continue
    const add = (key: string, value: string, inSection = section) => settings.push({ line, section: inSection, key, value: unquote(value) })
    switch (syntax) {
      case 'ini':
      case 'npmrc':
      case 'toml':
      case 'properties': {
        const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(trimmed)
        if (header) {
          section = header[1]!.toLowerCase().replace(/"/g, '')
          continue
        }
        const m = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(trimmed)
        if (m) add(m[1]!, stripComment(m[2]!, syntax))
        else if (syntax !== 'ini' || !/^\s/.test(raw)) unparsed.push({ line }) // pip continues a value on indented lines
        continue
      }
      case 'wgetrc': {
        const m = /^([A-Za-z_-]+)\s*=\s*(.*)$/.exec(trimmed)
        if (m) add(m[1]!, m[2]!)
        else unparsed.push({ line })
        continue
      }
      case 'curlrc': {
        // `cacert = "file"`, `cacert: file`, `--cacert file`, `cacert file`: https://curl.se/docs/manpage.html#-K
        const m = /^(-{0,2}[A-Za-z][\w-]*)(?:\s*[=:]\s*|\s+)(.*)$/.exec(trimmed) ?? /^(-{0,2}[A-Za-z][\w-]*)$/.exec(trimmed)
        if (m) add(m[1]!, m[2] ?? '')
        else unparsed.push({ line })
        continue
      }
      case 'yarnrc': {
        // Yarn 1: `key value` or `"key" "value"`: https://classic.yarnpkg.com/en/docs/yarnrc
        const m = /^("[^"]+"|[^\s"]+)\s+(.*)$/.exec(trimmed)
        if (m) add(unquote(m[1]!), m[2]!)
        else unparsed.push({ line })
        continue
      }
      case 'yaml': {
        if (trimmed === '---' || trimmed === '...') continue
        const indent = raw.length - raw.trimStart().length
        const item = trimmed.replace(/^-\s+/, '')
        const m = /^(:?"[^"]*"|:?'[^']*'|:?[^\s:"'][^:]*?)\s*:(?:\s+(.*))?$/.exec(item)
        if (!m) {
          if (!trimmed.startsWith('-') && !/^[|>]/.test(trimmed) && !yamlParents.length) unparsed.push({ line })
          continue
        }
        while (yamlParents.length && yamlParents[yamlParents.length - 1]!.indent >= indent) yamlParents.pop()
        const key = unquote(m[1]!)
        const value = m[2] === undefined ? '' : stripComment(m[2], 'yaml')
        if (value === '') yamlParents.push({ indent, key })
        else add(key, value, yamlParents.map((p) => p.key).join('.'))
        continue
      }
      case 'shell': {
        const m = /^(?:export\s+)?([A-Za-z_]\w*)=(.*)$/.exec(trimmed)
        if (m) add(m[1]!, m[2]!)
        continue
      }
      case 'jvm-options':
        add('jvm-options', trimmed)
        continue
    }
  }
  return { settings, unparsed }
}

/** A trailing comment (` # …`, or ` ; …` in INI files), outside quotes. */
function stripComment(value: string, syntax: Syntax): string {
  const v = value.trim()
  if (v.startsWith('"') || v.startsWith("'")) {
    const end = v.indexOf(v[0]!, 1)
    return end > 0 ? v.slice(0, end + 1) : v
  }
  const marks = syntax === 'ini' || syntax === 'npmrc' ? /\s[#;]/ : /\s#/
  const at = v.search(marks)
  return at >= 0 ? v.slice(0, at).trim() : v
}

/** The value with one pair of surrounding quotes taken off (and, inside double quotes, `\"`, `\\` and `\n` read as such). */
export function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c))
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1)
  return v
}
