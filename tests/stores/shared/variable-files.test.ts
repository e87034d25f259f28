/**
 * Where a variable is set at log-in, read from the files (never run): each syntax (pam_env, systemd
 * environment.d, sh/bash/zsh, csh, fish), system files under the system root and the user's under the
 * home, and the one that points at the bundle chosen over others.
 */
import { describe, expect, it } from 'vitest'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { assignmentsIn, settingOf, variableSettings } from '../../../src/stores/shared/variable-files.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const NAMES = new Set(['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_DIR'])
const values = (text: string, syntax: Parameters<typeof assignmentsIn>[1]) => assignmentsIn(text, syntax, NAMES, '/home/a', 'f').map((s) => [s.variable, s.value, s.line])

describe('assignments in each syntax', () => {
  it('pam_env: KEY=VAL and KEY DEFAULT=/OVERRIDE=', () => {
    expect(values('# c\nSSL_CERT_FILE=/etc/isp.pem\nNODE_EXTRA_CA_CERTS DEFAULT=@{HOME}/x.pem\nPATH=/bin\n', 'pam')).toEqual([
      ['SSL_CERT_FILE', '/etc/isp.pem', 2],
      ['NODE_EXTRA_CA_CERTS', '/home/a/x.pem', 3],
    ])
  })

  it('environment.d: KEY=VAL, quotes removed', () => {
    expect(values('SSL_CERT_FILE="/opt/isp/ca.pem"\n', 'env-d')).toEqual([['SSL_CERT_FILE', '/opt/isp/ca.pem', 1]])
  })

  it('sh: export, declare -x, plain assignments, several on a line, ~ and $HOME; not a word of a command, nor one program’s own', () => {
    const text = [
      'export SSL_CERT_FILE=~/isp.pem',
      '  declare -x NODE_EXTRA_CA_CERTS="${HOME}/n.pem"',
      'SSL_CERT_DIR=/etc/isp:/etc/ssl/certs; export SSL_CERT_DIR',
      '# export SSL_CERT_FILE=/commented',
      'echo SSL_CERT_FILE=/not-assigned',
      'SSL_CERT_FILE=/only-for-curl curl https://example.org',
      'export PATH=/bin SSL_CERT_FILE="/etc/with space.pem"',
    ].join('\n')
    expect(values(text, 'sh')).toEqual([
      ['SSL_CERT_FILE', '/home/a/isp.pem', 1],
      ['NODE_EXTRA_CA_CERTS', '/home/a/n.pem', 2],
      ['SSL_CERT_DIR', '/etc/isp:/etc/ssl/certs', 3],
      ['SSL_CERT_FILE', '/etc/with space.pem', 7],
    ])
  })

  it('csh setenv and fish set -x / -gx / --export (a set without export is not a variable of the environment)', () => {
    expect(values('setenv SSL_CERT_FILE /etc/isp.pem\n', 'csh')).toEqual([['SSL_CERT_FILE', '/etc/isp.pem', 1]])
    expect(values('set -gx SSL_CERT_FILE /etc/a.pem\nset --export NODE_EXTRA_CA_CERTS ~/n.pem\nset SSL_CERT_DIR /x\n', 'fish')).toEqual([
      ['SSL_CERT_FILE', '/etc/a.pem', 1],
      ['NODE_EXTRA_CA_CERTS', '/home/a/n.pem', 2],
    ])
  })
})

describe('the files of a machine', () => {
  it('finds settings in /etc/environment, environment.d, /etc/profile.d and the user’s files; the one pointing at the path wins', async () => {
    const root = tempDir()
    const home = tempDir()
    put(root, 'etc/environment', 'PATH="/usr/bin"\nSSL_CERT_FILE=/etc/ssl/isp.pem\n')
    put(root, 'etc/profile.d/isp.sh', 'export NODE_EXTRA_CA_CERTS=/etc/ssl/isp.pem\n')
    put(home, '.config/environment.d/10-proxy.conf', 'SSL_CERT_FILE=${HOME}/proxy.pem\n')
    put(home, '.bashrc', 'export SSL_CERT_DIR=$HOME/certs\n')
    const env = createEnvironment({ home, systemRoot: root, env: {} })
    const settings = await variableSettings(env, ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_DIR', 'not a name'])
    expect(settings.map((s) => [s.variable, s.file, s.line])).toEqual([
      ['SSL_CERT_FILE', `${root}/etc/environment`, 2],
      ['NODE_EXTRA_CA_CERTS', `${root}/etc/profile.d/isp.sh`, 1],
      ['SSL_CERT_FILE', `${home}/.config/environment.d/10-proxy.conf`, 1],
      ['SSL_CERT_DIR', `${home}/.bashrc`, 1],
    ])
    expect(settingOf(settings, 'SSL_CERT_FILE', `${home}/proxy.pem`)?.file).toBe(`${home}/.config/environment.d/10-proxy.conf`)
    expect(settingOf(settings, 'SSL_CERT_FILE', '/elsewhere.pem')?.file).toBe(`${root}/etc/environment`)
    expect(settingOf(settings, 'CURL_CA_BUNDLE', '/x')).toBeNull()
  })

  it('never leaves the system root: /etc/environment is the root’s, and a link out of the root is followed inside it', async () => {
    const root = tempDir()
    const home = tempDir()
    put(root, 'etc/real-environment', 'SSL_CERT_FILE=/inside.pem\n')
    const { symlinkSync } = await import('node:fs')
    symlinkSync('/etc/real-environment', `${root}/etc/environment`) // absolute: the root's /etc, not this machine's
    const settings = await variableSettings(createEnvironment({ home, systemRoot: root, env: {} }), ['SSL_CERT_FILE'])
    expect(settings.map((s) => s.value)).toEqual(['/inside.pem'])
  })
})
