/**
 * "What put it there, and will it come back" (src/stores/shared/placed-by.ts) for each kind of place:
 * each kind's own answer and the shared rules. No package database exists in these roots, so no tool
 * may be asked at all (the scripted runner records every call); the package cases run the real dpkg
 * and rpm in package-owner.test.ts and the planted machines of placed-by-planted.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { STORES } from '../../../src/stores/registry.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import { placedBy, placedByContext } from '../../../src/stores/shared/placed-by.js'
import type { PlacedPlace, Placement } from '../../../src/stores/types.js'
import { scriptedRunner } from '../../support/scripted-runner.js'
import { put } from '../../support/system-root.js'
import { tempDir } from '../../support/temp.js'

const place = (fields: Partial<PlacedPlace> & Pick<PlacedPlace, 'kind' | 'storeId'>): PlacedPlace => ({ location: '/x', entry: 'e', trust: 'trusted', ...fields })
const placement = (of: PlacedPlace, elsewhere: PlacedPlace[] = [], scanned: PlacedPlace['kind'][] = []): Placement => ({ place: of, elsewhere, scannedKinds: new Set(scanned) })

describe('what put a certificate where it is', () => {
  const runner = scriptedRunner()
  const home = tempDir()
  const root = tempDir()
  const env = createEnvironment({ home, systemRoot: root, env: {}, run: runner.run })
  const ask = (p: Placement) => placedBy(p, STORES, placedByContext(env))

  it('policies: Firefox policies.json, each browser policy by its name, Group Policy and Active Directory, a configuration profile', async () => {
    const policies = `${root}/etc/firefox/policies/policies.json`
    expect(await ask(placement(place({ kind: 'firefox-policy', storeId: `firefox-policy:${policies}`, location: policies })))).toEqual({ by: 'policy', name: 'Firefox Certificates.Install', file: policies, comesBack: true })
    const chrome = `${root}/etc/opt/chrome/policies/managed/corp.json`
    const withConstraints = place({ kind: 'chromium-policy', storeId: `chromium-policy:${chrome}`, location: chrome, entry: 'CACertificatesWithConstraints #1 (only for corp.example)', facts: { browser: 'Google Chrome' } })
    expect(await ask(placement(withConstraints))).toEqual({ by: 'policy', name: 'Google Chrome CACertificatesWithConstraints', file: chrome, comesBack: true })
    const key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge'
    expect(await ask(placement(place({ kind: 'chromium-policy', storeId: `chromium-policy:${key}`, location: key, entry: 'CACertificates\\1', facts: { browser: 'Microsoft Edge' } })))).toMatchObject({ name: 'Microsoft Edge CACertificates', file: key })
    const managed = '/Library/Managed Preferences/com.google.Chrome.plist'
    expect(await ask(placement(place({ kind: 'chromium-policy', storeId: `chromium-policy:${managed}`, location: managed, entry: 'CACertificates #1', facts: { browser: 'Google Chrome' } })))).toEqual({
      by: 'policy',
      name: 'Google Chrome CACertificates',
      file: managed,
      profile: true,
      comesBack: true,
    })
    const gp = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\SystemCertificates\\Root'
    expect(await ask(placement(place({ kind: 'windows', storeId: 'windows:LocalMachineGroupPolicy\\Root', location: gp })))).toEqual({ by: 'policy', name: 'Group Policy', file: gp, comesBack: true })
    expect(await ask(placement(place({ kind: 'windows', storeId: 'windows:CurrentUserGroupPolicy\\CA', location: 'x' })))).toMatchObject({ by: 'policy', name: 'Group Policy' })
    expect(await ask(placement(place({ kind: 'windows', storeId: 'windows:LocalMachineEnterprise\\Root', location: 'e' })))).toMatchObject({ by: 'policy', name: 'Active Directory' })
    expect(await ask(placement(place({ kind: 'windows', storeId: 'windows:LocalMachine\\Root', location: 'Cert:\\LocalMachine\\Root' })))).toEqual({ by: 'hand', comesBack: false })
    expect(runner.calls).toEqual([])
  })

  it('a Firefox profile holding what a policies.json installs got it from the policy; other NSS databases and browsers’ own stores by hand', async () => {
    const policies = `${root}/usr/lib/firefox/distribution/policies.json`
    const profile = place({ kind: 'nss', storeId: 'nss:/p', location: `${home}/.mozilla/firefox/a.default`, facts: { program: 'firefox', profile: 'default' } })
    const policy = place({ kind: 'firefox-policy', storeId: `firefox-policy:${policies}`, location: policies })
    expect(await ask(placement(profile, [policy]))).toEqual({ by: 'policy', name: 'Firefox Certificates.Install', file: policies, comesBack: true })
    expect(await ask(placement(profile))).toEqual({ by: 'hand', comesBack: false })
    const chromiumNss = place({ kind: 'nss', storeId: 'nss:/c', location: `${home}/.pki/nssdb`, facts: { program: 'chromium' } })
    expect(await ask(placement(chromiumNss, [policy]))).toEqual({ by: 'hand', comesBack: false })
    // A system-wide NSS database's folder may be a package's: what is in it was imported.
    expect(await ask(placement(place({ kind: 'nss', storeId: 'nss:/etc/pki/nssdb', location: `${root}/etc/pki/nssdb` })))).toEqual({ by: 'hand', comesBack: false })
    expect(await ask(placement(place({ kind: 'chromium', storeId: 'chromium:/s', location: `${home}/.config/google-chrome/Default/ServerCertificate` })))).toEqual({ by: 'hand', comesBack: false })
    expect(await ask(placement(place({ kind: 'macos', storeId: 'macos:/k', location: '/Library/Keychains/System.keychain' })))).toEqual({ by: 'hand', comesBack: false })
    expect(runner.calls).toEqual([])
  })

  it('variables and settings: the file that sets them, found by reading the log-in files; none found is said too', async () => {
    const bundle = `${home}/proxy.pem`
    put(home, '.profile', `# set by the ISP's installer\nexport SSL_CERT_FILE="$HOME/proxy.pem"\n`)
    const env1 = place({ kind: 'env-bundle', storeId: `env-bundle:${bundle}`, location: bundle, facts: { setBy: ['SSL_CERT_FILE'] } })
    expect(await ask(placement(env1))).toEqual({ by: 'environment', name: 'SSL_CERT_FILE', file: `${home}/.profile`, line: 2, comesBack: true })
    const other = place({ kind: 'env-bundle', storeId: 'env-bundle:/o.pem', location: '/o.pem', facts: { setBy: ['NODE_EXTRA_CA_CERTS', 'CURL_CA_BUNDLE'] } })
    expect(await ask(placement(other))).toEqual({ by: 'environment', name: 'NODE_EXTRA_CA_CERTS, CURL_CA_BUNDLE', comesBack: true })
    const git = place({ kind: 'env-bundle', storeId: 'env-bundle:/g.pem', location: '/g.pem', facts: { setBy: [`http.sslCAInfo in ${home}/.gitconfig`] } })
    expect(await ask(placement(git))).toEqual({ by: 'environment', name: "http.sslCAInfo", file: `${home}/.gitconfig`, comesBack: true })
    expect(runner.calls).toEqual([])
  })

  it('a shared Java keystore is generated from the system store (named source file and tool); one the system store does not trust was imported by hand', async () => {
    put(root, 'etc/ca-certificates.conf', '')
    const shared = `${root}/etc/ssl/certs/java/cacerts`
    const keystore = place({ kind: 'java', storeId: `java:${shared}`, location: shared, entry: 'debian:qaznet.pem' })
    const anchor = `${root}/usr/local/share/ca-certificates/qaznet.crt`
    const system = place({ kind: 'linux-system', storeId: 'linux-system:debian', location: `${root}/etc/ssl/certs/ca-certificates.crt`, origin: { file: anchor } })
    expect(await ask(placement(keystore, [system], ['java', 'linux-system']))).toEqual({ by: 'generated', name: 'linux-system', file: anchor, tool: 'update-ca-certificates', comesBack: true })
    expect(await ask(placement(keystore, [{ ...system, trust: 'distrusted' }], ['java', 'linux-system']))).toEqual({ by: 'hand', file: shared, comesBack: false })
    // The system store was not read (certaudit scan --store java): it may well be there, so it may well come back.
    expect(await ask(placement(keystore, [], ['java']))).toEqual({ by: 'generated', name: 'linux-system', tool: 'update-ca-certificates', comesBack: true })
    const fedora = `${root}/etc/pki/ca-trust/extracted/java/cacerts`
    expect(await ask(placement(place({ kind: 'java', storeId: `java:${fedora}`, location: fedora }), [], ['java']))).toMatchObject({ by: 'generated', tool: 'update-ca-trust' })
    // Arch builds the same path with update-ca-trust.
    put(root, 'etc/ca-certificates/trust-source/anchors/.keep', '')
    expect(await ask(placement(keystore, [], ['java']))).toMatchObject({ tool: 'update-ca-trust' })
    // A JDK's own keystore in the home: no package's, by hand.
    const own = `${home}/jdk/lib/security/cacerts`
    expect(await ask(placement(place({ kind: 'java', storeId: `java:${own}`, location: own }), [], ['java', 'linux-system']))).toEqual({ by: 'hand', comesBack: false })
    expect(runner.calls).toEqual([])
  })

  it('a bundle a variable names that is the system store’s own bundle (or a link to it) is generated from the source file that puts the certificate there', async () => {
    const bundle = `${root}/etc/ssl/certs/ca-certificates.crt`
    put(root, 'etc/ssl/certs/ca-certificates.crt', '')
    const { symlinkSync } = await import('node:fs')
    symlinkSync('/etc/ssl/certs/ca-certificates.crt', `${root}/etc/ssl/cert.pem`) // as Alpine and Arch link it, absolute: inside the root
    const anchor = `${root}/usr/local/share/ca-certificates/q.crt`
    const system = place({ kind: 'linux-system', storeId: 'linux-system:debian', location: bundle, origin: { file: anchor } })
    for (const path of [bundle, `${root}/etc/ssl/cert.pem`]) {
      const pointed = place({ kind: 'env-bundle', storeId: `env-bundle:${path}`, location: path, facts: { setBy: ['SSL_CERT_FILE'] } })
      expect(await ask(placement(pointed, [system]))).toEqual({ by: 'generated', name: 'linux-system', file: anchor, tool: 'update-ca-certificates', comesBack: true })
    }
    // Added to the bundle itself: nothing to be generated from; the variable is what makes programs use it.
    const pointed = place({ kind: 'env-bundle', storeId: `env-bundle:${bundle}`, location: bundle, facts: { setBy: ['SSL_CERT_FILE'] } })
    expect(await ask(placement(pointed, [{ ...system, origin: { file: bundle } }]))).toMatchObject({ by: 'environment', name: 'SSL_CERT_FILE', comesBack: true })
    expect(await ask(placement(pointed, [{ ...system, trust: 'distrusted' }]))).toMatchObject({ by: 'environment' })
    expect(runner.calls).toEqual([])
  })

  it('a system certificate added to the bundle itself is by hand and does not come back; an anchor with no package database to ask is by hand, with its file', async () => {
    const bundle = `${root}/etc/ssl/certs/ca-certificates.crt`
    const inBundle = place({ kind: 'linux-system', storeId: 'linux-system:debian', location: bundle, origin: { file: bundle } })
    expect(await ask(placement(inBundle))).toEqual({ by: 'hand', file: bundle, comesBack: false })
    const anchor = `${root}/usr/local/share/ca-certificates/q.crt`
    expect(await ask(placement({ ...inBundle, origin: { file: anchor } }))).toEqual({ by: 'hand', file: anchor, comesBack: false })
    expect(runner.calls).toEqual([])
  })

  it('a kind that fails to answer is by hand, and the report’s problems say why it could not be told', async () => {
    const context = placedByContext(env)
    const failing = { ...STORES, java: { ...STORES.java, placedBy: async () => Promise.reject(new Error('keystore vanished')) } }
    expect(await placedBy(placement(place({ kind: 'java', storeId: 'java:/k', location: '/k' })), failing, context)).toEqual({ by: 'hand', comesBack: false })
    expect(context.problems).toEqual(['CertAudit could not tell what put a certificate in /k: keystore vanished'])
  })
})
