/** The config syntaxes, line by line: the forms each tool documents, and what is not a setting. */
import { describe, expect, it } from 'vitest'
import { normalKey, parseSettings } from '../../../src/stores/runtime/config-syntax.js'

const pick = (text: string, syntax: Parameters<typeof parseSettings>[1]) => parseSettings(text, syntax).settings.map((s) => [s.line, s.section, s.key, s.value])

describe('config syntax', () => {
  it('INI (pip, AWS, gcloud, PHP): sections, = and :, quotes, trailing comments, pip’s indented continuations', () => {
    expect(pick('[global]\ncert = /a b/c.pem ; corporate\n  extra line\n[profile x]\nca_bundle: "/q.pem"\n', 'ini')).toEqual([
      [2, 'global', 'cert', '/a b/c.pem'],
      [5, 'profile x', 'ca_bundle', '/q.pem'],
    ])
  })

  it('npmrc: ca[] and quoted inline certificates with \\n; an auth token line is read but never reported', () => {
    const { settings, unparsed } = parseSettings('//npm.example/:_authToken=secret\nca[]="-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----"\n', 'npmrc')
    expect(settings.map((s) => s.key)).toEqual(['//npm.example/', 'ca[]'])
    expect(settings[1]!.value).toBe('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')
    expect(unparsed).toEqual([])
  })

  it('curlrc: with or without dashes, = : or a space', () => {
    expect(pick('--cacert "/a.pem"\ncapath: /dir\nproxy-cacert=/p.pem\n-k\n', 'curlrc').map((s) => [s[2], s[3]])).toEqual([
      ['--cacert', '/a.pem'],
      ['capath', '/dir'],
      ['proxy-cacert', '/p.pem'],
      ['-k', ''],
    ])
  })

  it('wgetrc, yarnrc (Yarn 1), YAML (conda, Yarn 2+, gemrc), TOML (Cargo, Poetry), properties (Gradle)', () => {
    expect(pick('CA_Certificate = /a.pem\n', 'wgetrc')).toEqual([[1, '', 'CA_Certificate', '/a.pem']])
    expect(pick('cafile "/a b.pem"\n"strict-ssl" true\n', 'yarnrc').map((s) => [s[2], s[3]])).toEqual([['cafile', '/a b.pem'], ['strict-ssl', 'true']])
    expect(pick('channels:\n  - defaults\nnetworkSettings:\n  "npm.example":\n    httpsCaFilePath: /n.pem # comment\n:ssl_ca_cert: /g.pem\n', 'yaml')).toEqual([
      [5, 'networkSettings.npm.example', 'httpsCaFilePath', '/n.pem'],
      [6, '', ':ssl_ca_cert', '/g.pem'],
    ])
    expect(pick('[certificates.corp]\ncert = "/c.pem"\n[http]\ncainfo = \'/h.pem\'\n', 'toml')).toEqual([
      [2, 'certificates.corp', 'cert', '/c.pem'],
      [4, 'http', 'cainfo', '/h.pem'],
    ])
    expect(pick('systemProp.javax.net.ssl.trustStore=/t.jks\n', 'properties')).toEqual([[1, '', 'systemProp.javax.net.ssl.trustStore', '/t.jks']])
  })

  it('keys compare as wget compares them: case, _ and - ignored; curl’s dashes and gemrc’s colon dropped', () => {
    expect(['CA_Certificate', 'ca-certificate', 'cacertificate'].map(normalKey)).toEqual(['cacertificate', 'cacertificate', 'cacertificate'])
    expect(normalKey('--cacert')).toBe('cacert')
    expect(normalKey(':ssl_ca_cert')).toBe('sslcacert')
  })

  it('says which lines are no setting, by number only (config files hold secrets)', () => {
    const { unparsed } = parseSettings('cert = /a.pem\nthis is junk with a password hunter2\n', 'ini')
    expect(unparsed).toEqual([{ line: 2 }])
  })
})
