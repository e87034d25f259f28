/** Start-up files: every syntax shells and sessions use to set a variable, and what CertAudit cannot know. */
import { describe, expect, it } from 'vitest'
import { parseAssignments } from '../../../src/stores/env-bundle/startup-files.js'
import { caVariable, javaTrustStore } from '../../../src/stores/env-bundle/variables.js'

const parse = (text: string, syntax: Parameters<typeof parseAssignments>[2]) => parseAssignments(text, '/f', syntax, '/home/a').map((a) => [a.line, a.name, a.value])

describe('start-up files', () => {
  it('sh, bash, zsh: export, declare -x, several on a line, quotes, ~, $HOME and ${HOME}; other variables are not kept', () => {
    expect(parse(`export SSL_CERT_FILE=~/a.pem\ndeclare -x REQUESTS_CA_BUNDLE="$HOME/b c.pem"\nexport PATH=/usr/bin AWS_CA_BUNDLE='\${HOME}/d.pem'\nEDITOR=vim\n`, 'sh')).toEqual([
      [1, 'SSL_CERT_FILE', '/home/a/a.pem'],
      [2, 'REQUESTS_CA_BUNDLE', '/home/a/b c.pem'],
      [3, 'AWS_CA_BUNDLE', '/home/a/d.pem'],
    ])
  })

  it('csh setenv, fish set -x / -gx / --export and its universal variables, pam_env.conf', () => {
    expect(parse('setenv NODE_EXTRA_CA_CERTS /n.pem\n', 'sh')).toEqual([[1, 'NODE_EXTRA_CA_CERTS', '/n.pem']])
    expect(parse('set -gx PIP_CERT /p.pem\nset --export DENO_CERT /d.pem\nset -l CURL_CA_BUNDLE /local-only.pem\n', 'fish')).toEqual([
      [1, 'PIP_CERT', '/p.pem'],
      [2, 'DENO_CERT', '/d.pem'],
    ])
    expect(parse('SETUVAR --export SSL_CERT_FILE:\\x2fetc\\x2fcorp\\x2epem\n', 'fish-universal')).toEqual([[1, 'SSL_CERT_FILE', '/etc/corp.pem']])
    expect(parse('SSL_CERT_FILE DEFAULT=/etc/a.pem\nGIT_SSL_CAINFO=/g.pem\n', 'pam')).toEqual([
      [1, 'SSL_CERT_FILE', '/etc/a.pem'],
      [2, 'GIT_SSL_CAINFO', '/g.pem'],
    ])
  })

  it('keeps an expression only a shell can work out as unknown (null), never as a path', () => {
    expect(parse('export CURL_CA_BUNDLE=$(brew --prefix)/ca.pem\nexport SSL_CERT_DIR=`pwd`\n', 'sh')).toEqual([
      [1, 'CURL_CA_BUNDLE', null],
      [2, 'SSL_CERT_DIR', null],
    ])
  })

  it('reads JVM options as the java launcher does, and knows the variables named by a pattern', () => {
    expect(javaTrustStore('-Xmx1g "-Djavax.net.ssl.trustStore=/a b/t.jks" -Djavax.net.ssl.trustStorePassword=pw')).toEqual({ path: '/a b/t.jks', password: 'pw' })
    expect(javaTrustStore('-Djavax.net.ssl.trustStore=NONE')).toBeUndefined()
    expect(javaTrustStore('-Xmx1g')).toBeUndefined()
    expect(caVariable('POETRY_CERTIFICATES_MY_MIRROR_CERT')).toMatchObject({ type: 'file', tools: 'Poetry' })
    expect(caVariable('npm_config_cafile')).toMatchObject({ type: 'file' })
    expect(caVariable('HOME')).toBeUndefined()
  })
})
