/**
 * Python environments for the runtime tests, made the way users make them: `python3 -m venv` (pip
 * cannot reach PyPI here, so certifi's package folder is laid out by hand, as pip would install it:
 * site-packages/certifi/{__init__.py,core.py,cacert.pem}), conda environments with their conda-meta
 * and ssl/cacert.pem, and a stock certifi bundle: Mozilla's roots as Node ships them, each block
 * under certifi's own comment header.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { put } from './system-root.js'
import { installed } from './tools.js'

export const havePythonVenv = installed('python3', ['-m', 'venv', '--help'])
export const PYTHON_VENV_MISSING = 'python3 -m venv is not available (apt-get install python3-venv)'

/** A real virtual environment (without pip: nothing is downloaded); its site-packages folder. */
export function makeVenv(dir: string): string {
  execFileSync('python3', ['-m', 'venv', '--without-pip', dir], { stdio: 'pipe' })
  const version = readdirSync(join(dir, 'lib')).find((n) => n.startsWith('python'))!
  return join(dir, 'lib', version, 'site-packages')
}

/** A bundle as certifi ships it: each root under its "# Issuer: … # SHA256 Fingerprint: …" header. */
export function stockCertifiBundle(): string {
  return rootCertificates
    .map((pem) => {
      const cert = new X509Certificate(pem)
      const cn = /CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.subject
      return `\n# Issuer: ${cert.issuer.replace(/\n/g, ' ')}\n# Subject: ${cert.subject.replace(/\n/g, ' ')}\n# Label: "${cn}"\n# Serial: ${BigInt(`0x${cert.serialNumber}`)}\n# SHA256 Fingerprint: ${cert.fingerprint256.toLowerCase()}\n${pem.trim()}\n`
    })
    .join('')
}

/** certifi installed into a site-packages folder, its cacert.pem holding `bundle`; the bundle's path. */
export function installCertifi(sitePackages: string, bundle: string, at = 'certifi'): string {
  put(sitePackages, `${at}/__init__.py`, 'from .core import contents, where\n\n__version__ = "2025.01.31"\n')
  put(sitePackages, `${at}/core.py`, 'import os\n\ndef where():\n    return os.path.join(os.path.dirname(__file__), "cacert.pem")\n')
  mkdirSync(join(sitePackages, `${at}-2025.1.31.dist-info`), { recursive: true })
  return put(sitePackages, `${at}/cacert.pem`, bundle)
}

/** A conda environment (or base install): conda-meta, a site-packages, and ca-certificates' ssl/cacert.pem. */
export function makeCondaEnv(prefix: string, bundle: string, python = '3.11'): { sitePackages: string; sslBundle: string } {
  put(prefix, 'conda-meta/history', '==> 2025-01-01 00:00:00 <==\n# cmd: conda create -n test python\n')
  writeFileSync(join(prefix, 'conda-meta', `python-${python}.7-h1.json`), '{}\n')
  const sitePackages = join(prefix, 'lib', `python${python}`, 'site-packages')
  mkdirSync(sitePackages, { recursive: true })
  return { sitePackages, sslBundle: put(prefix, 'ssl/cacert.pem', bundle) }
}
