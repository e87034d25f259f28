import { StoreError, type ListItem } from '../types.js'

/** The error for a keystore whose structure is damaged; `format` is the name the message gives it (`JKS`, `PKCS #12`). */
export const damaged = (path: string, format: string, why: string) => new StoreError('damaged-keystore', `${path} is a damaged ${format} keystore: ${why}.`)

/** The problem item for a keystore whose integrity could not be verified (`why` says why); its certificates were still read. */
export const integrityProblem = (path: string, why: string): ListItem => ({
  type: 'problem',
  code: 'integrity-unverified',
  path,
  message: `${path}: ${why}, so CertAudit could not verify that the keystore is intact. Its certificates are not encrypted, so they were still read and checked.`,
})
