/**
 * Every trust variable, set for real in the machine's variables or in the start-up files that set
 * them, points env-bundle at its bundle, folder or Java trust store; under --system-root, nothing
 * outside the image is read.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../src/audit/certificate.js'
import { main, type CliIo } from '../../../src/cli/main.js'
import { envBundleStore } from '../../../src/stores/env-bundle/index.js'
import { CA_VARIABLES, JAVA_OPTION_VARIABLES } from '../../../src/stores/env-bundle/variables.js'
import { createEnvironment, imageVariables, type Environment } from '../../../src/stores/shared/environment.js'
import type { ListItem, StoreLocation } from '../../../src/stores/types.js'
import { makeCertificate } from '../../support/certificates.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'
import { haveKeytool } from '../../support/tools.js'

const corp = makeCertificate({ subject: [['O', 'Example Corp'], ['CN', 'Example Corp Proxy CA']] })

async function shas(location: StoreLocation, env: Environment): Promise<string[]> {
  const found: string[] = []
  for await (const item of envBundleStore.list(location, env) as AsyncIterable<ListItem>) if (item.type === 'entry') found.push(sha256Hex(item.der))
  return found
}

describe('env-bundle: every variable a tool reads as its CA bundle, folder or trust store', () => {
  it('finds the planted root through each of them, naming the variable', async () => {
    const home = tempDir('certaudit-vars-')
    const variables: Record<string, string> = {}
    for (const variable of CA_VARIABLES) {
      const dir = join(home, variable.name)
      if (variable.type === 'dir') {
        put(dir, 'corp.pem', corp.pem)
        symlinkSync('corp.pem', join(dir, '1a2b3c4d.0'))
        variables[variable.name] = dir
      } else if (variable.fileIn) {
        put(dir, variable.fileIn, corp.pem)
        variables[variable.name] = dir
      } else {
        variables[variable.name] = put(dir, 'bundle.pem', corp.pem)
      }
    }
    variables.POETRY_CERTIFICATES_CORP_MIRROR_CERT = put(home, 'poetry.pem', corp.pem)
    variables.npm_config_cafile = put(home, 'npm-lower.pem', corp.pem)
    const env = createEnvironment({ home, systemRoot: tempDir(), env: variables })
    const locations = await envBundleStore.discover(env)
    for (const name of Object.keys(variables)) {
      const location = locations.find((l) => l.facts?.setBy?.includes(name))
      expect(location, name).toBeDefined()
      expect(await shas(location!, env), name).toEqual([corp.sha256])
    }
    expect(locations).toHaveLength(Object.keys(variables).length)
  })

  it('ignores values that are no path (CONDA_SSL_VERIFY=false) and reads a list of folders', async () => {
    const home = tempDir('certaudit-vars-')
    const [a, b] = [put(home, 'a/x.pem', corp.pem), put(home, 'b/y.pem', corp.pem)]
    const env = createEnvironment({ home, systemRoot: tempDir(), env: { CONDA_SSL_VERIFY: 'false', SSL_CERT_DIR: `${join(a, '..')}:${join(b, '..')}` } })
    expect((await envBundleStore.discover(env)).map((l) => l.location)).toEqual([join(a, '..'), join(b, '..')])
  })
})

describe.skipIf(!haveKeytool)(`env-bundle: JVM options that name a trust store${haveKeytool ? '' : ' (skipped: keytool is not on the PATH)'}`, () => {
  it('reads the keystore of -Djavax.net.ssl.trustStore, with the password given beside it, in every JVM options variable', async () => {
    const home = tempDir('certaudit-jvm-')
    const pem = put(home, 'corp.pem', corp.pem)
    const keystore = join(home, 'java/corp truststore.jks')
    mkdirSync(join(home, 'java'))
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'corp', '-file', pem, '-keystore', keystore, '-storepass', 'hunter22', '-storetype', 'JKS'], { stdio: 'pipe' })
    for (const name of JAVA_OPTION_VARIABLES) {
      const env = createEnvironment({ home, systemRoot: tempDir(), env: { [name]: `-Xmx1g "-Djavax.net.ssl.trustStore=${keystore}" -Djavax.net.ssl.trustStorePassword=hunter22 -Dfile.encoding=UTF-8` } })
      const [location] = await envBundleStore.discover(env)
      expect(location, name).toMatchObject({ location: keystore, note: `Java trust store set by ${name}`, facts: { setBy: [name] } })
      expect(await shas(location!, env), name).toEqual([corp.sha256])
    }
  })
})

describe('env-bundle: where variables are set', () => {
  const root = tempDir('certaudit-startup-root-')
  const home = tempDir('certaudit-startup-home-')
  const inHome = put(home, 'certs/corp.pem', corp.pem)
  const inImage = put(root, 'etc/ssl/corp/corp.pem', corp.pem)
  put(home, '.bashrc', `# ~/.bashrc\nalias ll='ls -l'\nexport REQUESTS_CA_BUNDLE="$HOME/certs/corp.pem"\n`)
  put(home, '.config/fish/config.fish', 'set -gx NODE_EXTRA_CA_CERTS ~/certs/corp.pem\n')
  put(home, '.config/environment.d/90-corp.conf', 'AWS_CA_BUNDLE=${HOME}/certs/corp.pem\n')
  put(home, '.profile', 'export CURL_CA_BUNDLE=$(corp-ca-path)\n')
  put(root, 'etc/environment', 'PATH="/usr/local/sbin:/usr/bin"\nSSL_CERT_FILE=/etc/ssl/corp/corp.pem\n')
  put(root, 'etc/profile.d/corp-proxy.sh', 'export PIP_CERT=/etc/ssl/corp/corp.pem\n')

  it('reads start-up files: a variable only they set is found, its file and line named; an expression is a reported problem', async () => {
    const env = createEnvironment({ home, systemRoot: root, env: {} })
    const locations = await envBundleStore.discover(env)
    expect(locations.find((l) => l.location === inHome)?.facts?.setBy).toEqual([
      `REQUESTS_CA_BUNDLE in ${join(home, '.bashrc')}, line 3`,
      `NODE_EXTRA_CA_CERTS in ${join(home, '.config/fish/config.fish')}, line 1`,
      `AWS_CA_BUNDLE in ${join(home, '.config/environment.d/90-corp.conf')}, line 1`,
    ])
    // /etc/environment of the image names the image's own file: read inside the root.
    expect(locations.find((l) => l.location === inImage)?.facts?.setBy).toEqual([`SSL_CERT_FILE in ${join(root, 'etc/environment')}, line 2`, `PIP_CERT in ${join(root, 'etc/profile.d/corp-proxy.sh')}, line 1`])
    const unresolved = locations.find((l) => l.facts?.setBy?.[0]?.startsWith('CURL_CA_BUNDLE'))!
    await expect(shas(unresolved, env)).rejects.toThrow(/line 1 sets CURL_CA_BUNDLE to \$\(corp-ca-path\), which only a shell can work out/)
  })

  it('says where a variable the machine has is set', async () => {
    const env = createEnvironment({ home, systemRoot: root, env: { REQUESTS_CA_BUNDLE: inHome } })
    const location = (await envBundleStore.discover(env)).find((l) => l.location === inHome)!
    expect(location.facts?.setBy?.[0]).toBe(`REQUESTS_CA_BUNDLE (set in ${join(home, '.bashrc')}, line 3)`)
  })
})

describe('env-bundle under --system-root: this shell describes another computer', () => {
  it('takes its variables only as paths of the image, and reads none outside it', async () => {
    const root = tempDir('certaudit-image-')
    const home = join(root, 'home/alice')
    const imageBundle = put(root, 'etc/ssl/proxy.pem', corp.pem)
    const outside = put(tempDir('certaudit-live-'), 'live.pem', corp.pem)
    const mapped = imageVariables({ SSL_CERT_FILE: '/etc/ssl/proxy.pem', REQUESTS_CA_BUNDLE: outside, SSL_CERT_DIR: '/etc/ssl/dir:/usr/lib/ssl/certs', JAVA_TOOL_OPTIONS: '-Djavax.net.ssl.trustStore=/opt/ts.jks -Xmx1g', LANG: 'C' }, root, home)
    expect(mapped).toEqual({
      SSL_CERT_FILE: imageBundle,
      REQUESTS_CA_BUNDLE: join(root, outside),
      SSL_CERT_DIR: `${join(root, 'etc/ssl/dir')}:${join(root, 'usr/lib/ssl/certs')}`,
      JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${join(root, 'opt/ts.jks')} -Xmx1g`,
      LANG: 'C',
    })
    // The command line, given this shell's variables: every place it names is inside the image.
    let stdout = ''
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => {}, isTty: false, env: { LANG: 'C', SSL_CERT_FILE: '/etc/ssl/proxy.pem', CURL_CA_BUNDLE: outside } }
    await main(['scan', '--json', '--store', 'env-bundle', '--home', home, '--system-root', root], io)
    const report = JSON.parse(stdout) as { stores: { location: string; entryCount: number }[] }
    expect(report.stores.map((s) => [s.location, s.entryCount])).toEqual([
      [imageBundle, 1],
      [join(root, outside), 0],
    ])
  })
})
